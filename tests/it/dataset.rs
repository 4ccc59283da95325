//! The versions dataset end to end: computed facts on the example site, consistency by
//! mutation (change one fact, and exactly the pages that print it change), windows pinned
//! to the real release history, `folio versions`, banners and errors.

use std::collections::BTreeMap;

use crate::harness::{TestSite, example_site_copy, repo_root, shared_dir, snapshot_tree};

const AS_OF: &str = "2026-11-22";

/// Builds `site` on the fixed date and returns its HTML and JSON files by path (not the
/// search index, which changes with any text).
fn build_files(site: &TestSite) -> BTreeMap<String, String> {
    site.folio(&["build", "{root}", "--quiet", "--as-of", AS_OF])
        .expect_code(0);
    snapshot_tree(&site.root().join("public"))
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html") || path.ends_with(".json"))
        .filter(|(path, _)| !path.starts_with("pagefind/"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).expect("utf-8")))
        .collect()
}

/// The page with every computed fact (the support banner, `noindex` of ended lines) cut out. One pattern per
/// tag, outer tags first, because the `regex` crate cannot match a closing tag to its
/// opening one.
fn without_facts(html: &str) -> String {
    let classes = "versions-policy|supported-lines|kubernetes-table|compatibility-table|unsupported-combinations|runs-on|prerequisites|status status-[a-z-]+|banner banner-[a-z]+|version-switcher|line-status line-status-[a-z-]+|support-timeline";
    let mut html = html.replace("\n  <meta name=\"robots\" content=\"noindex\">", "");
    for tag in ["figure", "details", "div", "table", "ul", "p", "span"] {
        let pattern = format!(r#"(?s)\s*<{tag} class="({classes})"[^>]*>.*?</{tag}>"#);
        let facts = regex::Regex::new(&pattern).expect("regex");
        html = facts.replace_all(&html, "").into_owned();
    }
    html
}

fn changed_files(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Vec<String> {
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the same files are built"
    );
    before
        .iter()
        .filter(|(path, html)| after[*path] != **html)
        .map(|(path, _)| path.clone())
        .collect()
}

fn assert_only_facts_changed(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) {
    for (path, html) in before {
        if path.ends_with(".html") {
            assert_eq!(
                without_facts(html),
                without_facts(&after[path]),
                "{path} changed outside its computed facts"
            );
        }
    }
}

fn edit_dataset(site: &TestSite, from: &str, to: &str) {
    let yaml = site.read("data/versions.yaml");
    assert!(yaml.contains(from), "dataset lacks {from:?}");
    site.write("data/versions.yaml", &yaml.replacen(from, to, 1));
}

#[test]
fn changing_a_kubernetes_default_changes_exactly_the_tables_that_print_it() {
    let site = example_site_copy();
    let before = build_files(&site);
    edit_dataset(
        &site,
        r#"{version: "2.0.0", date: 2021-08-26, kubernetes_default: "1.21.3"}"#,
        r#"{version: "2.0.0", date: 2021-08-26, kubernetes_default: "1.21.5"}"#,
    );
    let after = build_files(&site);
    assert_eq!(
        changed_files(&before, &after),
        [
            "api/versions.json",
            "dkp/konvoy/2.0/version-policy/index.html"
        ]
    );
    assert_only_facts_changed(&before, &after);
    let page = &after["dkp/konvoy/2.0/version-policy/index.html"];
    assert!(page.contains("<th scope=\"row\">Default</th><td>1.21.5</td>"));
}

#[test]
fn adding_a_release_line_updates_every_status_banner_and_matrix_and_nothing_else() {
    let site = example_site_copy();
    let before = build_files(&site);
    edit_dataset(
        &site,
        "          - {version: \"2.1.1\", date: 2021-12-30, kubernetes_default: \"1.21.6\"}\n",
        "          - {version: \"2.1.1\", date: 2021-12-30, kubernetes_default: \"1.21.6\"}\n      - line: \"2.2\"\n        kubernetes: {min: \"1.21.0\", max: \"1.22.x\"}\n        releases:\n          - {version: \"2.2.0\", date: 2022-04-08, kubernetes_default: \"1.22.8\"}\n",
    );
    edit_dataset(
        &site,
        "          - {version: \"2.1.1\", date: 2021-12-30}\n",
        "          - {version: \"2.1.1\", date: 2021-12-30}\n      - line: \"2.2\"\n        releases:\n          - {version: \"2.2.0\", date: 2022-04-08}\n",
    );
    edit_dataset(
        &site,
        "      - {konvoy: \"2.1\", kommander: \"2.1\"}\n",
        "      - {konvoy: \"2.1\", kommander: \"2.1\"}\n      - {konvoy: \"2.2\", kommander: \"2.2\"}\n",
    );
    let after = build_files(&site);
    // Every page of the two products changes: each line page's version switcher and
    // sidebar labels list the new line, and the landing pages' timelines draw it.
    let mut expected: Vec<String> = before
        .keys()
        .filter(|p| p.starts_with("dkp/konvoy/") || p.starts_with("dkp/kommander/"))
        .filter(|p| !p.contains("/latest/"))
        .cloned()
        .collect();
    expected.push("api/versions.json".into());
    expected.sort();
    assert_eq!(changed_files(&before, &after), expected);
    assert_only_facts_changed(&before, &after);
    let old_page = &after["dkp/konvoy/1.8/index.html"];
    assert!(
        old_page.contains("Konvoy 1.8 is no longer supported: its support ended on 2022-04-08."),
        "{old_page}"
    );
    let policy = &after["dkp/konvoy/2.1/version-policy/index.html"];
    assert!(policy.contains("<span class=\"status status-expires-next\">"));
    assert!(after["api/versions.json"].contains("\"latest_line\": \"2.2\""));
}

#[test]
fn the_policy_pages_compute_their_windows_across_the_major_jump() {
    let files = build_files(&example_site_copy());
    let konvoy = &files["dkp/konvoy/2.0/version-policy/index.html"];
    assert!(konvoy.contains(
        "While Konvoy 2.0 was the current line, D2iQ supported Konvoy 2.0, 1.8 and 1.7."
    ));
    assert!(konvoy.contains(
        "When Konvoy 2.1 was released, support continued for 2.0 and 1.8 and ended for Konvoy 1.7.x."
    ));
    assert!(konvoy.contains("The release of Konvoy 2.0 ended support for Konvoy 1.6.x."));
    assert!(konvoy.contains("<tr><td>1.8.x</td><td>1.4.x</td></tr>"));
    assert!(konvoy.contains("<li>You cannot deploy Kommander 1.3.x on Konvoy 1.8.x.</li>"));
    let kaptain = &files["kaptain/1.3/version-policy/index.html"];
    assert!(kaptain.contains("Kaptain 1.3.0 runs on DKP 2.1.1 and on Konvoy 1.7 or 1.8."));
    let conductor = &files["conductor/support/index.html"];
    assert!(conductor.contains("<li><strong>Traefik</strong> 1.7.x, except 1.7.23</li>"));
    assert!(conductor.contains("<li><strong>cert-manager</strong> 0.10.0 or earlier</li>"));
}

#[test]
fn pages_of_an_ended_line_link_to_the_same_page_in_the_newest_line() {
    let files = build_files(&example_site_copy());
    let page = &files["dkp/kommander/1.3/version-policy/index.html"];
    assert!(page.contains(
        "<div class=\"banner banner-unsupported\" role=\"note\"><p>Kommander 1.3 is no longer supported: its support ended on 2021-11-19. <a href=\"/dkp/kommander/2.1/version-policy/\">Read this page for Kommander 2.1</a>, the newest documented line.</p></div>"
    ), "{page}");
    assert!(!files["dkp/kommander/2.1/version-policy/index.html"].contains("banner-unsupported"));
}

#[test]
fn the_build_date_decides_the_banners() {
    let site = example_site_copy();
    site.folio(&["build", "{root}", "--quiet", "--as-of", "2021-03-01"])
        .expect_code(0);
    assert!(
        !site
            .read("public/dkp/kommander/1.3/index.html")
            .contains("banner-unsupported")
    );
    let epoch = "1640995200"; // 2022-01-01
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--quiet"])
        .arg(site.root())
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .expect("run");
    assert!(run.status.success());
    assert!(
        site.read("public/api/versions.json")
            .contains("\"as_of\": \"2022-01-01\"")
    );
}

#[test]
fn template_functions_print_the_same_facts_as_shortcodes() {
    let site = TestSite::new()
        .file("data/versions.yaml", &std::fs::read_to_string(repo_root().join("data/versions.yaml")).expect("dataset"))
        .file(
            "templates/page.html",
            "{{ page.product }}/{{ page.line }}|{{ kubernetes_table() }}|{{ latest_version(product=\"kommander\") }}|{{ support_status(product=\"konvoy\", line=\"1.7\") }}",
        )
        .page("dkp/konvoy/2.0/index.md", "Konvoy 2.0", "[kubernetes_table /]\n");
    site.folio(&["build", "{root}", "--quiet", "--as-of", AS_OF])
        .expect_code(0);
    let html = site.read("public/dkp/konvoy/2.0/index.html");
    let parts: Vec<&str> = html.split('|').collect();
    assert_eq!(parts[0], "konvoy/2.0");
    assert!(parts[1].contains("<tr><th scope=\"row\">Minimum</th><td>1.21.3</td></tr>"));
    assert_eq!(parts[2], "2.1.1");
    assert_eq!(
        parts[3],
        "<span class=\"status status-ended\">Support ended 2021-11-18</span>"
    );
}

#[test]
fn a_fact_without_a_product_or_dataset_is_an_error_at_the_shortcode() {
    let site =
        example_site_copy().page("about/index.md", "About", "Intro.\n\n[supported_lines /]\n");
    site.folio(&["build", "{root}", "--quiet", "--as-of", AS_OF])
        .expect_code(1)
        .expect_stderr("content/about/index.md:6:1")
        .expect_stderr("this page is not in a product's docs folder: pass `product=\"...\"`");
    let bare = TestSite::new().page("a.md", "A", "[latest_version product=\"x\" /]\n");
    bare.build()
        .expect_code(1)
        .expect_stderr("`latest_version` needs the versions dataset, and this site has none");
}

#[test]
fn an_invalid_dataset_fails_the_build_with_every_error_and_its_place() {
    let site = example_site_copy();
    edit_dataset(&site, "      - line: \"1.8\"\n", "      - line: 1.80\n");
    edit_dataset(
        &site,
        "      - line: \"2.1\"\n        kubernetes: {min: \"1.19.0\"",
        "      - line: \"2.1\"\n        kubernetes: {min: \"1.22.0\"",
    );
    let run = site.folio(&["build", "{root}", "--as-of", AS_OF]);
    run.expect_code(1)
        .expect_stderr("data/versions.yaml:27:15")
        .expect_stderr("`1.80` is a number, not a version string")
        .expect_stderr("write it in quotes: \"1.80\"")
        .expect_stderr("data/versions.yaml:68:27")
        .expect_stderr("Kubernetes minimum 1.22.0 of Kommander 2.1 is above its maximum 1.21.x")
        .expect_stderr("build failed with 2 error(s)");
    assert!(!site.exists("public"), "a failed build writes nothing");
}

#[test]
fn versions_json_pins_the_windows_of_the_real_release_history() {
    let dataset = repo_root().join("tests/fixtures/corpus-dataset/versions.yaml");
    let run = crate::harness::folio_in(
        &repo_root(),
        &[
            "versions".into(),
            shared_dir().join("corpus").display().to_string(),
            "--dataset".into(),
            dataset.display().to_string(),
            "--as-of".into(),
            "2023-08-17".into(),
            "--format".into(),
            "json".into(),
        ],
    );
    run.expect_code(0);
    let matrix: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let line = |product: &str, line: &str| -> serde_json::Value {
        let products = matrix["products"].as_array().expect("products");
        let p = products
            .iter()
            .find(|p| p["id"] == product)
            .expect("product");
        let lines = p["lines"].as_array().expect("lines");
        lines
            .iter()
            .find(|l| l["line"] == line)
            .expect("line")
            .clone()
    };
    assert_eq!(
        line("konvoy", "2.2")["window"],
        serde_json::json!(["2.2", "2.1", "2.0"])
    );
    assert_eq!(
        line("konvoy", "2.0")["window"],
        serde_json::json!(["2.0", "1.8", "1.7"])
    );
    assert_eq!(
        line("kommander", "2.0")["window"],
        serde_json::json!(["2.0", "1.4", "1.3"])
    );
    assert_eq!(line("kommander", "2.0")["ended_support_for"], "1.2");
    assert_eq!(
        line("kaptain", "1.3")["window"],
        serde_json::json!(["1.3", "1.2", "1.1"])
    );
    assert_eq!(line("kaptain", "1.3")["ended_support_for"], "1.0");
    assert_eq!(line("kaptain", "2.0")["ended_support_for"], "1.1");
    assert_eq!(line("konvoy", "1.8")["status"], "ended");
    assert_eq!(line("konvoy", "1.8")["support_ended"], "2022-04-08");
    assert_eq!(line("konvoy", "2.3")["status"], "unreleased");
    assert_eq!(line("konvoy", "2.1")["kubernetes"]["default"], "1.21.6");
    assert_eq!(
        line("konvoy", "1.8")["pairs_with"],
        serde_json::json!([{"product": "kommander", "line": "1.4"}])
    );
    let konvoy = &matrix["products"][0];
    assert_eq!(konvoy["latest_line"], "2.2");
    assert_eq!(konvoy["latest_release"], "2.2.3");
}

#[test]
fn versions_prints_the_example_site_matrix() {
    let run = crate::harness::folio_in(
        &repo_root(),
        &["versions", ".", "--as-of", AS_OF, "--product", "konvoy"],
    );
    run.expect_code(0);
    insta::assert_snapshot!(run.stdout);
    let unknown = crate::harness::folio_in(&repo_root(), &["versions", ".", "--product", "konvoi"]);
    unknown
        .expect_code(2)
        .expect_stderr("unknown product `konvoi`");
}

#[test]
fn the_readme_shows_the_matrix_folio_prints() {
    let run = crate::harness::folio_in(&repo_root(), &["versions", ".", "--as-of", AS_OF]);
    run.expect_code(0);
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README");
    assert!(
        readme.contains(&run.stdout),
        "README.md's `folio versions` block is stale; it should read:\n{}",
        run.stdout
    );
}

#[test]
fn front_matter_must_name_a_product_and_line_of_the_dataset() {
    let site = example_site_copy()
        .file(
            "content/dkp/konvoy/2.1/extra/index.md",
            "---\ntitle: Extra\nline: \"9.9\"\n---\nText.\n",
        )
        .file(
            "content/elsewhere/index.md",
            "---\ntitle: Elsewhere\nproduct: konvoi\n---\nText.\n",
        );
    site.folio(&["build", "{root}", "--quiet", "--as-of", AS_OF])
        .expect_code(1)
        .expect_stderr("error[front-matter-version]: front matter `line: 9.9` is not a line of Konvoy\n --> content/dkp/konvoy/2.1/extra/index.md:3:1")
        .expect_stderr("= help: Konvoy lines: 1.6, 1.7, 1.8, 2.0, 2.1")
        .expect_stderr("error[front-matter-version]: front matter `product: konvoi` names no product of the versions dataset\n --> content/elsewhere/index.md:3:1");
}
