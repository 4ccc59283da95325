//! Site meta: sitemap.xml and robots.txt, canonical links and `noindex`, redirects for
//! `latest` URLs and front matter `aliases` (pages, `_redirects`, nginx), "Last updated"
//! from git or file times, and "Edit this page".

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, SystemTime};

use quick_xml::events::Event;

use crate::harness::TestSite;

const DATASET: &str = "vendor: Example Corp
products:
  app:
    name: App
    docs: app
    support_window: 2
    lines:
      - {line: \"1.0\", ga: 2020-01-01}
      - {line: \"2.0\", ga: 2021-01-01}
      - {line: \"3.0\", ga: 2022-01-01}
";

const AS_OF: &str = "2023-01-01";

/// App 1.0 (ended on 2023-01-01), 2.0 and 3.0, published below `/docs/`.
fn versioned_site(settings: &str) -> TestSite {
    TestSite::new()
        .file(
            "folio.yaml",
            &format!("title: Meta\nbase_url: https://docs.example.com/docs\n{settings}"),
        )
        .file("data/versions.yaml", DATASET)
        .page("index.md", "Home", "")
        .page("app/index.md", "App", "")
        .page("app/1.0/index.md", "App 1.0", "")
        .page("app/1.0/setup.md", "Setup 1.0", "")
        .page("app/2.0/index.md", "App 2.0", "")
        .page("app/3.0/index.md", "App 3.0", "")
        .file(
            "content/app/3.0/setup.md",
            "---\ntitle: Setup\naliases:\n  - app/setup/\n  - /old/install.html\n---\nSet up.\n",
        )
        .file("content/draft.md", "---\ntitle: Draft\ndraft: true\n---\n")
}

fn build(site: &TestSite) {
    site.folio(&["build", "{root}", "--quiet", "--as-of", AS_OF])
        .expect_code(0);
}

/// The `<loc>` and `<lastmod>` of every entry of a sitemap (or sitemap index), parsed as
/// XML, after checking the root element and its namespace.
fn sitemap_entries(xml: &str, root: &str) -> BTreeMap<String, Option<String>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut entries = BTreeMap::new();
    let mut loc = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(tag) if tag.name().as_ref() == root => {
                let xmlns = tag
                    .try_get_attribute("xmlns")
                    .expect("attr")
                    .expect("xmlns");
                assert_eq!(&*xmlns.value, "http://www.sitemaps.org/schemas/sitemap/0.9");
            }
            Event::Start(tag) if matches!(tag.name().as_ref(), "loc" | "lastmod") => {
                let raw = reader.read_text(tag.name()).expect("text");
                let text = quick_xml::escape::unescape(&raw)
                    .expect("escapes")
                    .into_owned();
                if tag.name().as_ref() == "loc" {
                    entries.insert(text.clone(), None);
                    loc = Some(text);
                } else if let Some(loc) = &loc {
                    entries.insert(loc.clone(), Some(text));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    entries
}

fn urls(entries: &BTreeMap<String, Option<String>>) -> Vec<&str> {
    entries.keys().map(String::as_str).collect()
}

#[test]
fn the_sitemap_lists_indexable_pages_by_absolute_url_and_robots_names_it() {
    let site = versioned_site("");
    build(&site);
    let entries = sitemap_entries(&site.read("public/sitemap.xml"), "urlset");
    let base = "https://docs.example.com/docs";
    let expected: Vec<String> = ["/", "/app/", "/app/2.0/", "/app/3.0/", "/app/3.0/setup/"]
        .iter()
        .map(|path| format!("{base}{path}"))
        .collect();
    assert_eq!(
        urls(&entries),
        expected,
        "no ended line, draft, latest or alias"
    );
    assert!(entries.values().all(|lastmod| lastmod.is_some()));
    assert!(!site.exists("public/sitemap-1.xml"));
    assert_eq!(
        site.read("public/robots.txt"),
        format!("User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n")
    );
}

#[test]
fn pages_of_ended_lines_get_noindex_unless_the_setting_is_off() {
    let site = versioned_site("");
    build(&site);
    let ended = site.read("public/app/1.0/setup/index.html");
    assert!(ended.contains("<meta name=\"robots\" content=\"noindex\">"));
    let current = site.read("public/app/3.0/setup/index.html");
    assert!(!current.contains("noindex"));

    let kept = versioned_site("noindex_ended: false\n");
    build(&kept);
    assert!(
        !kept
            .read("public/app/1.0/setup/index.html")
            .contains("noindex")
    );
    let entries = sitemap_entries(&kept.read("public/sitemap.xml"), "urlset");
    assert!(entries.contains_key("https://docs.example.com/docs/app/1.0/setup/"));
}

#[test]
fn every_page_has_a_canonical_link_to_itself() {
    let site = versioned_site("");
    build(&site);
    let pages = [
        ("", "/"),
        ("app/", "/app/"),
        ("app/1.0/", "/app/1.0/"),
        ("app/1.0/setup/", "/app/1.0/setup/"),
        ("app/2.0/", "/app/2.0/"),
        ("app/3.0/", "/app/3.0/"),
        ("app/3.0/setup/", "/app/3.0/setup/"),
    ];
    for (dir, url) in pages {
        let html = site.read(&format!("public/{dir}index.html"));
        let link = format!("<link rel=\"canonical\" href=\"https://docs.example.com/docs{url}\">");
        assert_eq!(html.matches("rel=\"canonical\"").count(), 1, "{dir}");
        assert!(html.contains(&link), "{dir} lacks {link}");
    }
    let not_found = site.read("public/404.html");
    assert!(!not_found.contains("rel=\"canonical\""));
    assert!(not_found.contains("content=\"noindex\""));
}

#[test]
fn a_relative_base_url_writes_no_sitemap_and_says_why() {
    let site = TestSite::new()
        .file("folio.yaml", "title: Relative\nbase_url: /docs/\n")
        .page("index.md", "Home", "")
        .page("a.md", "A", "");
    let run = site.folio(&["build", "{root}"]);
    run.expect_code(0).expect_stderr(
        "warning[sitemap-base-url]: no sitemap.xml or robots.txt: base_url `/docs/` is not an absolute URL, and a sitemap lists absolute URLs\n --> folio.yaml:2:1",
    );
    assert!(!site.exists("public/sitemap.xml"));
    assert!(!site.exists("public/robots.txt"));
    let html = site.read("public/a/index.html");
    assert!(html.contains("<link rel=\"canonical\" href=\"/docs/a/\">"));
    let flag = site.folio(&["build", "{root}", "--base-url", "/elsewhere/"]);
    flag.expect_stderr("base_url `/elsewhere/` is not an absolute URL");
    assert!(!flag.stderr.contains("folio.yaml:2:1"), "{}", flag.stderr);
    // `check` reports on content only: the warning is about what `build` publishes.
    let check = site.folio(&["check", "{root}"]);
    assert!(
        !check.stderr.contains("sitemap-base-url"),
        "{}",
        check.stderr
    );
}

#[test]
fn files_the_site_ships_itself_are_kept_and_its_redirects_come_first() {
    let site = versioned_site("")
        .file("static/robots.txt", "User-agent: *\nDisallow: /private/\n")
        .file(
            "static/_redirects",
            "/blog/* https://blog.example.com/:splat 301\n",
        );
    build(&site);
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nDisallow: /private/\n"
    );
    let rules = site.read("public/_redirects");
    assert!(rules.starts_with("/blog/* https://blog.example.com/:splat 301\n\n# Written by folio"));
    assert!(rules.contains("\n/docs/app/latest/ /docs/app/3.0/ 301\n"));
    assert!(site.exists("public/sitemap.xml"));
}

#[test]
fn latest_urls_and_aliases_become_redirect_rules_with_the_base_path() {
    let site = versioned_site("");
    build(&site);
    let rules = site.read("public/_redirects");
    let lines: Vec<&str> = rules.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        lines,
        [
            "/docs/app/latest/ /docs/app/3.0/ 301",
            "/docs/app/latest/setup/ /docs/app/3.0/setup/ 301",
            "/docs/app/setup/ /docs/app/3.0/setup/ 301",
            "/docs/old/install.html /docs/app/3.0/setup/ 301",
        ]
    );
    let nginx = site.read("public/_folio/nginx-redirects.conf");
    assert!(
        nginx.contains(
            "\nlocation = /docs/app/latest/setup/ { return 301 /docs/app/3.0/setup/; }\n"
        )
    );
    assert!(
        nginx
            .contains("\nlocation = /docs/old/install.html { return 301 /docs/app/3.0/setup/; }\n")
    );
    assert_eq!(nginx.matches("location = ").count(), 4);
}

#[test]
fn an_alias_gets_a_redirect_page_search_engines_skip() {
    let site = versioned_site("");
    build(&site);
    for path in ["public/app/setup/index.html", "public/old/install.html"] {
        let html = site.read(path);
        assert!(
            html.contains("<meta http-equiv=\"refresh\" content=\"0; url=/docs/app/3.0/setup/\">")
        );
        assert!(html.contains(
            "<link rel=\"canonical\" href=\"https://docs.example.com/docs/app/3.0/setup/\">"
        ));
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
        assert!(html.contains("<a href=\"/docs/app/3.0/setup/\">"));
    }
}

/// A site whose page `content/moved.md` has `aliases` written as `list`.
fn site_with_aliases(list: &str) -> TestSite {
    versioned_site("")
        .page("taken.md", "Taken", "")
        .file(
            "content/archived.md",
            "---\ntitle: Archived\naliases: [was/here/]\n---\n",
        )
        .file(
            "content/moved.md",
            &format!("---\ntitle: Moved\naliases: {list}\n---\n"),
        )
}

fn expect_failure_in_build_and_check(site: &TestSite, expected: &[&str]) {
    let build = site.folio(&["build", "{root}", "--as-of", AS_OF]);
    let check = site.folio(&["check", "{root}", "--as-of", AS_OF]);
    for run in [&build, &check] {
        run.expect_code(1);
        for text in expected {
            run.expect_stderr(text);
        }
    }
    assert!(!site.exists("public"), "a failed build writes nothing");
}

#[test]
fn an_alias_that_shadows_a_page_latest_url_or_alias_is_an_error_at_its_place() {
    let site =
        site_with_aliases("[taken/, app/latest/setup/, was/here/, app/3.0/setup.md, app/2.0]");
    expect_failure_in_build_and_check(
        &site,
        &[
            "error[alias-conflict]: alias `taken/` shadows the page `content/taken.md`\n --> content/moved.md:3:11",
            "error[alias-conflict]: alias `app/latest/setup/` shadows the `latest` URL `/app/latest/setup/`\n --> content/moved.md:3:19",
            "error[alias-conflict]: alias `was/here/` shadows an alias of `content/archived.md`\n --> content/moved.md:3:38",
            // `2.0` is a version folder, not a file name.
            "error[alias-conflict]: alias `app/2.0` shadows the page `content/app/2.0/index.md`\n --> content/moved.md:3:67",
        ],
    );
    // `setup.md` names a file: `app/3.0/setup.md` shadows nothing and is fine.
    let run = site.folio(&["check", "{root}", "--as-of", AS_OF]);
    run.expect_stderr("4 error(s), 0 warning(s) (alias-conflict: 4)");
}

#[test]
fn a_malformed_alias_is_an_error_saying_what_an_alias_is() {
    let site = site_with_aliases("\n  - ../outside/\n  - https://example.com/old/\n  - moved/");
    expect_failure_in_build_and_check(
        &site,
        &[
            "error[bad-alias]: alias `../outside/` has an empty, `.` or `..` part; an alias stays inside the site\n --> content/moved.md:4:5",
            "error[bad-alias]: alias `https://example.com/old/` is a URL; an alias is a path inside the site\n --> content/moved.md:5:5",
            "error[bad-alias]: alias `moved/` is this page's own URL\n --> content/moved.md:6:5",
        ],
    );
    let not_a_list = site_with_aliases("old/path/");
    expect_failure_in_build_and_check(
        &not_a_list,
        &[
            "error[front-matter-type]: `aliases` must be a list of paths, found the text `old/path/`\n --> content/moved.md:3:1",
        ],
    );
}

fn git(site: &TestSite, args: &[&str], date: &str) {
    let status = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .current_dir(site.root())
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn set_mtime(site: &TestSite, path: &str, days_since_epoch: u64) {
    let file = std::fs::File::options()
        .write(true)
        .open(site.root().join(path))
        .expect("open");
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(days_since_epoch * 86_400);
    file.set_modified(time).expect("set mtime");
}

fn last_updated(site: &TestSite, dir: &str) -> String {
    let html = site.read(&format!("public/{dir}index.html"));
    let start = html
        .find("Last updated <time datetime=\"")
        .expect("last updated")
        + 29;
    html[start..start + 10].to_string()
}

/// A git checkout: `a.md` committed on 2021-03-04 and changed on 2022-05-06, `b.md` on
/// 2021-03-04 (its file time says 2019-09-09), `new.md` never committed (2020-02-02).
fn git_site(settings: &str) -> TestSite {
    let site = TestSite::new()
        .file(
            "folio.yaml",
            &format!("base_url: https://x.example.com/\n{settings}"),
        )
        .page("index.md", "Home", "")
        .page("a.md", "A", "first\n")
        .page("b.md", "B", "");
    git(&site, &["init", "-q"], "2021-03-04T12:00:00Z");
    git(&site, &["add", "content"], "2021-03-04T12:00:00Z");
    git(
        &site,
        &["commit", "-q", "-m", "first"],
        "2021-03-04T12:00:00Z",
    );
    site.write("content/a.md", "---\ntitle: A\n---\nsecond\n");
    git(
        &site,
        &["commit", "-q", "-am", "second"],
        "2022-05-06T23:30:00Z",
    );
    site.write("content/new.md", "---\ntitle: New\n---\n");
    set_mtime(&site, "content/new.md", 18_294); // 2020-02-02
    set_mtime(&site, "content/b.md", 18_148); // 2019-09-09
    site
}

#[test]
fn last_updated_comes_from_one_git_log_else_the_file_time() {
    let site = git_site("");
    site.folio(&["build", "{root}", "--quiet", "--as-of", "2026-01-01"])
        .expect_code(0);
    assert_eq!(last_updated(&site, "a/"), "2022-05-06");
    assert_eq!(last_updated(&site, "b/"), "2021-03-04");
    assert_eq!(last_updated(&site, "new/"), "2020-02-02");
    let entries = sitemap_entries(&site.read("public/sitemap.xml"), "urlset");
    assert_eq!(
        entries["https://x.example.com/a/"].as_deref(),
        Some("2022-05-06")
    );
    assert_eq!(
        entries["https://x.example.com/new/"].as_deref(),
        Some("2020-02-02")
    );
}

#[test]
fn lastmod_can_use_file_times_or_nothing_and_never_passes_the_build_date() {
    let files = git_site("lastmod: file\n");
    files
        .folio(&["build", "{root}", "--quiet", "--as-of", "2026-01-01"])
        .expect_code(0);
    assert_eq!(last_updated(&files, "b/"), "2019-09-09");
    assert_eq!(
        last_updated(&files, "a/"),
        "2026-01-01",
        "edited today, clamped"
    );
    let epoch = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", ".", "--quiet"])
        .current_dir(files.root())
        .env("SOURCE_DATE_EPOCH", "1600000000") // 2020-09-13
        .status()
        .expect("folio runs");
    assert!(epoch.success());
    assert_eq!(last_updated(&files, "b/"), "2019-09-09");
    assert_eq!(last_updated(&files, "new/"), "2020-02-02");
    assert_eq!(last_updated(&files, "a/"), "2020-09-13");

    let none = git_site("lastmod: none\n");
    none.build().expect_code(0);
    assert!(!none.read("public/a/index.html").contains("Last updated"));
    let entries = sitemap_entries(&none.read("public/sitemap.xml"), "urlset");
    assert!(entries.values().all(Option::is_none), "no <lastmod>");
}

#[test]
fn edit_links_append_the_source_path_to_edit_url() {
    let site = versioned_site("edit_url: https://github.com/org/repo/edit/main/content/\n");
    build(&site);
    let html = site.read("public/app/3.0/setup/index.html");
    assert!(html.contains(
        "<a href=\"https://github.com/org/repo/edit/main/content/app/3.0/setup.md\">Edit this page</a>"
    ));
    let without = versioned_site("");
    build(&without);
    assert!(
        !without
            .read("public/app/3.0/setup/index.html")
            .contains("Edit this page")
    );
}
