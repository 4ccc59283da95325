//! Site search: the Pagefind index `folio build` writes (its filters and metadata, read
//! back from the index's page fragments), the search page, the header box, `search: false`
//! and the base path. The browser side is in `browser_search.rs`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::harness::TestSite;

/// Two products; App keeps two lines, so on 2023-06-01 App 1.0 has ended.
const DATASET: &str = "\
vendor: Example Corp
products:
  app:
    name: App
    docs: app
    support_window: 2
    lines:
      - {line: \"1.0\", ga: 2020-01-01}
      - {line: \"2.0\", ga: 2021-01-01}
      - {line: \"3.0\", ga: 2022-01-01}
  tool:
    name: Tool
    docs: tool
    support_window: 1
    lines:
      - {line: \"1.0\", ga: 2022-01-01}
";

/// A versioned site where every install page mentions "frobnicate".
pub fn versioned_site() -> TestSite {
    TestSite::new()
        .file("data/versions.yaml", DATASET)
        .page("index.md", "Home", "Welcome to the docs.\n")
        .page("app/index.md", "App", "All about App.\n")
        .page(
            "app/1.0/install.md",
            "Install App 1.0",
            "Run frobnicate once.\n",
        )
        .page(
            "app/3.0/install.md",
            "Install App 3.0",
            "Run frobnicate twice.\n",
        )
        .page(
            "tool/1.0/install.md",
            "Install Tool 1.0",
            "Tool needs frobnicate too.\n",
        )
}

fn build(site: &TestSite) -> crate::harness::Run {
    let run = site.folio(&["build", "{root}", "--as-of", "2023-06-01"]);
    run.expect_code(0);
    run
}

/// Every page fragment of the index, by URL: Pagefind writes one gzip file per page,
/// holding `pagefind_dcd` and the page's JSON.
fn fragments(public: &Path) -> BTreeMap<String, Value> {
    let dir = public.join("pagefind/fragment");
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("fragment folder") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .expect("a gzip fragment");
        let json = text
            .strip_prefix("pagefind_dcd")
            .expect("Pagefind's signature");
        let fragment: Value = serde_json::from_str(json).expect("fragment JSON");
        let url = fragment["url"].as_str().expect("url").to_string();
        found.insert(url, fragment);
    }
    found
}

#[test]
fn versioned_pages_carry_product_and_line_filters_and_ended_lines_say_so() {
    let site = versioned_site();
    build(&site);
    let pages = fragments(&site.root().join("public"));
    let old = &pages["/app/1.0/install/"];
    assert_eq!(old["filters"]["product"], serde_json::json!(["app"]));
    assert_eq!(old["filters"]["line"], serde_json::json!(["1.0"]));
    assert_eq!(old["meta"]["status"], "ended");
    assert_eq!(old["meta"]["product_name"], "App");
    assert_eq!(old["meta"]["title"], "Install App 1.0");
    let current = &pages["/app/3.0/install/"];
    assert_eq!(current["filters"]["line"], serde_json::json!(["3.0"]));
    assert_eq!(current["meta"]["status"], "supported");
    let landing = &pages["/app/"];
    assert_eq!(landing["filters"]["product"], serde_json::json!(["app"]));
    assert!(landing["filters"].get("line").is_none(), "{landing}");
    let home = &pages["/"];
    assert_eq!(home["filters"], serde_json::json!({}));
}

#[test]
fn only_the_article_is_indexed_not_the_navigation() {
    let site = versioned_site();
    build(&site);
    let pages = fragments(&site.root().join("public"));
    let home = pages["/"]["content"].as_str().expect("content");
    assert!(home.contains("Welcome to the docs."), "{home}");
    assert!(
        !home.contains("Install Tool 1.0"),
        "the sidebar leaked: {home}"
    );
}

#[test]
fn the_index_is_chunked_and_the_summary_gives_its_size() {
    let site = versioned_site();
    let run = build(&site);
    let public = site.root().join("public");
    let pages = fragments(&public);
    let urls: Vec<&str> = pages.keys().map(String::as_str).collect();
    assert_eq!(
        urls,
        [
            "/",
            "/app/",
            "/app/1.0/install/",
            "/app/3.0/install/",
            "/tool/1.0/install/"
        ],
        "one fragment per page, and neither the search page nor the 404 page"
    );
    for folder in ["index", "filter"] {
        let chunks = std::fs::read_dir(public.join("pagefind").join(folder)).expect("folder");
        assert!(chunks.count() >= 1, "no {folder} chunks");
    }
    for file in ["pagefind.js", "pagefind-worker.js", "pagefind-entry.json"] {
        assert!(site.exists(&format!("public/pagefind/{file}")), "{file}");
    }
    assert!(!site.exists("public/pagefind/pagefind-ui.js"));
    let summary =
        regex::Regex::new(r"search index: (\d+) files, [\d.]+ KB for 5 pages").expect("regex");
    let files: usize = summary
        .captures(&run.stderr)
        .unwrap_or_else(|| panic!("no index size in the summary:\n{}", run.stderr))[1]
        .parse()
        .expect("count");
    let written = walkdir::WalkDir::new(public.join("pagefind"))
        .into_iter()
        .filter(|e| e.as_ref().is_ok_and(|e| e.file_type().is_file()))
        .count();
    assert_eq!(files, written);
}

#[test]
fn every_page_has_the_header_box_scoped_to_its_line() {
    let site = versioned_site();
    build(&site);
    let page = site.read("public/app/3.0/install/index.html");
    assert!(
        page.contains(r#"<form class="search-box" role="search" action="/search/" method="get""#),
        "{page}"
    );
    assert!(page.contains(r#"<input type="hidden" name="product" value="app">"#));
    assert!(page.contains(r#"<input type="hidden" name="line" value="3.0">"#));
    assert!(page.contains(r#"<script src="/_folio/search.js" defer></script>"#));
    let home = site.read("public/index.html");
    assert!(home.contains("search-box"));
    assert!(
        !home.contains(r#"name="product""#),
        "an unversioned page is not scoped"
    );
    assert!(
        site.read("public/_folio/search.js")
            .contains("pagefind/pagefind.js")
    );
}

#[test]
fn a_site_without_a_search_page_gets_the_built_in_one_outside_the_navigation() {
    let site = versioned_site();
    build(&site);
    let page = site.read("public/search/index.html");
    assert!(page.contains(r#"data-folio-search="page""#), "{page}");
    assert!(page.contains("<title>Search | "), "{page}");
    let home = site.read("public/index.html");
    assert!(
        !home.contains(r#"<a href="/search/""#),
        "the search page is in the nav"
    );
}

#[test]
fn a_site_search_page_gets_the_search_ui_once() {
    let site = versioned_site().page("search/index.md", "Find things", "Our own words.\n");
    build(&site);
    let page = site.read("public/search/index.html");
    assert!(page.contains("Our own words."), "{page}");
    assert!(page.contains("<title>Find things | "), "{page}");
    assert_eq!(
        page.matches(r#"data-folio-search="page""#).count(),
        1,
        "{page}"
    );

    let placed = versioned_site().page(
        "search/index.md",
        "Find things",
        "Before.\n\n[search /]\n\nAfter the box.\n",
    );
    build(&placed);
    let page = placed.read("public/search/index.html");
    assert_eq!(
        page.matches(r#"data-folio-search="page""#).count(),
        1,
        "{page}"
    );
    let ui = page.find(r#"data-folio-search="page""#).expect("ui");
    assert!(
        ui < page.find("After the box.").expect("text after"),
        "{page}"
    );
}

#[test]
fn search_false_writes_no_index_no_box_and_no_page() {
    let site = versioned_site().file("folio.yaml", "title: Docs\nsearch: false\n");
    let run = build(&site);
    assert!(!site.exists("public/pagefind"));
    assert!(!site.exists("public/search"));
    assert!(!site.exists("public/_folio/search.js"));
    let page = site.read("public/app/3.0/install/index.html");
    assert!(!page.contains("data-folio-search"), "{page}");
    assert!(!page.contains("search.js"), "{page}");
    assert!(!run.stderr.contains("search index"), "{}", run.stderr);
}

#[test]
fn every_search_url_keeps_the_base_path() {
    let site = versioned_site().file(
        "folio.yaml",
        "title: Docs\nbase_url: https://example.com/docs/\n",
    );
    build(&site);
    let public = site.root().join("public");
    let pages = fragments(&public);
    assert!(
        pages.contains_key("/docs/app/3.0/install/"),
        "{:?}",
        pages.keys()
    );
    let page = site.read("public/app/3.0/install/index.html");
    assert!(page.contains(r#"action="/docs/search/""#), "{page}");
    assert!(page.contains(r#"src="/docs/_folio/search.js""#), "{page}");
    assert!(site.exists("public/search/index.html"));
}
