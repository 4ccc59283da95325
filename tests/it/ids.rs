//! Heading ids (the old site's style by default, GitHub's on request), heading classes,
//! layouts on a site with only shortcode templates, and diagnostics as a CI job reads
//! them: findings on stdout, fragment findings once with their including pages, counts
//! that match, YAML errors in words.

use std::process::{Command, Stdio};

use crate::harness::{Run, TestSite};

const HEADINGS: &str = "## Konvoy 2.1.x <-> Kommander\n\n## Über naïve_test\n\n## Setup\n\n## Setup\n\n## Setup\n\nSee [the pairing](#konvoy-21x-kommander) and [the last](#setup-3).\n";

/// A site with a home page, so pages below it have their parent.
fn site() -> TestSite {
    TestSite::new().page("index.md", "Home", "Home.\n")
}

fn heading_tags(html: &str) -> Vec<&str> {
    html.match_indices("<h2 ")
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap_or(0) + 1])
        .collect()
}

#[test]
fn heading_ids_are_the_old_sites_by_default() {
    let site = site().page("a.md", "A", HEADINGS);
    site.build().expect_code(0);
    let html = site.read("public/a/index.html");
    assert_eq!(
        heading_tags(&html),
        [
            "<h2 id=\"konvoy-21x-kommander\">",
            "<h2 id=\"uber-naive-test\">",
            "<h2 id=\"setup\">",
            "<h2 id=\"setup-2\">",
            "<h2 id=\"setup-3\">",
        ]
    );
    let check = site.folio(&["check", "{root}", "--format", "json"]);
    check.expect_code(0);
    assert!(check.findings().is_empty(), "{}", check.stdout);
}

#[test]
fn github_style_ids_are_a_setting() {
    let site = site()
        .file("folio.yaml", "heading_ids: github\n")
        .page("a.md", "A", HEADINGS);
    let check = site.folio(&["check", "{root}", "--format", "json"]);
    check.expect_code(1);
    let anchors: Vec<String> = check
        .findings()
        .iter()
        .map(|f| f["help"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(anchors, ["did you mean `#konvoy-2-1-x-kommander`?"]);
    site.build().expect_code(0);
    let html = site.read("public/a/index.html");
    assert!(html.contains("<h2 id=\"über-naïve_test\">"), "{html}");
    let bad = TestSite::new()
        .file("folio.yaml", "heading_ids: slack\n")
        .page("a.md", "A", "");
    bad.build()
        .expect_code(1)
        .expect_stderr("unknown variant `slack`")
        .expect_stderr("folio.yaml:1:");
}

#[test]
fn heading_classes_and_explicit_ids_are_kept() {
    let body =
        "## Install {.tabs}\n\n## {.tabs}\n\n### Both {#mine .wide .dark}\n\nsee [both](#mine)\n";
    let site = site().page("a.md", "A", body);
    site.build().expect_code(0);
    let html = site.read("public/a/index.html");
    for tag in [
        "<h2 id=\"install\" class=\"tabs\">",
        "<h2 id=\"section\" class=\"tabs\">",
        "<h3 id=\"mine\" class=\"wide dark\">",
    ] {
        assert!(html.contains(tag), "no {tag} in\n{html}");
    }
}

#[test]
fn a_shortcode_in_a_heading_gives_its_text_not_its_place() {
    let body = "Intro [pro /] first.\n\n## audit_log [pro /]\n\nSee [the log](#audit-log-pro).\n";
    let site = site()
        .file(
            "templates/shortcodes/pro.html",
            "<span class=\"badge\">Pro</span>",
        )
        .page("a.md", "A", body);
    site.build().expect_code(0);
    let html = site.read("public/a/index.html");
    assert!(
        html.contains("<h2 id=\"audit-log-pro\">audit_log <span class=\"badge\">Pro</span>"),
        "{html}"
    );
    site.folio(&["check", "{root}"])
        .expect_code(0)
        .expect_stderr("0 error(s)");
}

#[test]
fn only_shortcode_templates_still_fall_back_for_unknown_layouts() {
    let site = site()
        .file("templates/shortcodes/pro.html", "<b>Pro</b>")
        .file(
            "content/a.md",
            "---\ntitle: A\nlayout: layout.pug\n---\nA\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: B\nlayout: layout.pug\n---\nB\n",
        )
        .file(
            "content/c.md",
            "---\ntitle: C\nlayout: landing.pug\n---\nC\n",
        );
    let run = site.folio(&["build", "{root}", "--quiet", "--format", "json"]);
    run.expect_code(0);
    let messages: Vec<String> = run
        .findings()
        .iter()
        .map(|f| format!("{} {}", f.code(), f.message()))
        .collect();
    assert_eq!(
        messages,
        [
            "unknown-layout layout `layout.pug` has no template; 2 pages use the built-in page template instead",
            "unknown-layout layout `landing.pug` has no template; 1 page uses the built-in page template instead",
        ]
    );
    assert!(site.read("public/b/index.html").contains("<html"));
}

fn broken_site() -> TestSite {
    site().page("a.md", "A", "text\n\n[gone](/nowhere/)\n")
}

#[test]
fn findings_for_tools_go_to_stdout_and_words_to_stderr() {
    let site = broken_site();
    let json = site.folio(&["check", "{root}", "--format", "json"]);
    json.expect_code(1);
    assert_eq!(json.findings().len(), 1, "{}", json.stdout);
    assert!(!json.stderr.contains('{'), "{}", json.stderr);
    json.expect_stderr("1 error(s)");
    let github = site.folio(&["check", "{root}", "--format", "github"]);
    github.expect_stdout("::error file=content/a.md,line=6,col=8,title=broken-link::");
    assert!(!github.stderr.contains("::"), "{}", github.stderr);
    let build = site.folio(&["build", "{root}", "--format", "json"]);
    assert!(
        build.stdout.starts_with("{\"version\":1"),
        "{}",
        build.stdout
    );
    assert!(!build.stderr.contains('{'), "{}", build.stderr);
}

#[test]
fn json_findings_redirected_to_a_file_parse() {
    let site = broken_site();
    let path = site.root().join("findings.json");
    let file = std::fs::File::create(&path).expect("create");
    let status = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["check", "--format", "json"])
        .arg(site.root())
        .stdout(Stdio::from(file))
        .stderr(Stdio::null())
        .status()
        .expect("run folio");
    assert_eq!(status.code(), Some(1));
    let text = std::fs::read_to_string(&path).expect("read");
    let codes: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON"))
        .map(|v| v["code"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(codes, ["broken-link"]);
}

fn summary_line(run: &Run) -> &str {
    run.stderr
        .lines()
        .find(|l| l.starts_with("checked "))
        .unwrap_or("")
}

#[test]
fn a_fragment_finding_is_reported_once_at_the_fragment_with_its_pages() {
    let site = site()
        .file(
            "content/shared/steps.tmpl",
            "Steps.\n\nThen [read on](/nowhere/).\n",
        )
        .page("a.md", "A", "Page A.\n\n#include /shared/steps.tmpl\n")
        .page("b.md", "B", "#include /shared/steps.tmpl\n");
    let run = site.folio(&["check", "{root}", "--format", "json"]);
    run.expect_code(1);
    let findings = run.findings();
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    let finding = &findings[0];
    assert_eq!(finding.file(), Some("content/shared/steps.tmpl"));
    assert_eq!((finding.line(), finding.column()), (Some(3), Some(16)));
    assert_eq!(
        finding["notes"],
        serde_json::json!(["included by `content/a.md`", "included by `content/b.md`"])
    );
    assert!(summary_line(&run).ends_with("1 error(s), 0 warning(s) (broken-link: 1)"));
    let human = site.folio(&["check", "{root}"]);
    human
        .expect_stderr("--> content/shared/steps.tmpl:3:16")
        .expect_stderr("= note: included by `content/a.md`");
}

#[test]
fn the_summary_counts_what_is_printed() {
    // Two links through one reference definition: one place in the source, one finding.
    let body = "[first][gone] and [second][gone]\n\n[gone]: /nowhere/\n";
    let site = site().page("a.md", "A", body);
    let run = site.folio(&["check", "{root}", "--format", "json"]);
    run.expect_code(1);
    assert_eq!(run.findings().len(), 1, "{}", run.stdout);
    assert!(
        summary_line(&run).ends_with("1 error(s), 0 warning(s) (broken-link: 1)"),
        "{}",
        run.stderr
    );
}

#[test]
fn yaml_errors_read_as_sentences_at_the_line_of_the_mistake() {
    let deep = format!("x: {}{}\n", "[".repeat(400), "]".repeat(400));
    let many = format!("x: [{}]\n", vec!["1"; 260_000].join(","));
    let site = TestSite::new()
        .file(
            "content/dup.md",
            "---\ntitle: A\nweight: 1\ntitle: B\n---\n",
        )
        .file("content/deep.md", &format!("---\ntitle: D\n{deep}---\n"))
        .file("content/many.md", &format!("---\ntitle: M\n{many}---\n"))
        .file("content/syntax.md", "---\ntitle: S\n  bad: indent\n---\n");
    let run = site.folio(&["check", "{root}", "--format", "json"]);
    run.expect_code(1);
    let found: Vec<(String, u64, String)> = run
        .findings()
        .iter()
        .map(|f| {
            let file = f.file().unwrap_or("").to_string();
            (file, f.line().unwrap_or(0), f.message().to_string())
        })
        .collect();
    let expected = [
        (
            "content/deep.md",
            3,
            "the YAML nests lists and mappings too deeply",
        ),
        (
            "content/dup.md",
            4,
            "`title` appears twice in the same mapping; YAML allows each key once",
        ),
        (
            "content/many.md",
            3,
            "the YAML holds too many values (folio stopped reading at 250001)",
        ),
        (
            "content/syntax.md",
            3,
            "mapping values are not allowed in this context",
        ),
    ];
    let expected: Vec<(String, u64, String)> = expected
        .iter()
        .map(|(f, l, m)| (f.to_string(), *l, m.to_string()))
        .collect();
    assert_eq!(found, expected);
    for finding in run.findings() {
        let help = finding["help"].as_str().unwrap_or("");
        assert!(!help.contains("Options") && !help.is_empty(), "{help}");
    }
    let config = TestSite::new()
        .file("folio.yaml", "title: A\nsearch: false\ntitle: B\n")
        .page("a.md", "A", "");
    config
        .folio(&["check", "{root}"])
        .expect_code(1)
        .expect_stderr("error[config]: `title` appears twice in the same mapping")
        .expect_stderr("--> folio.yaml:3:1");
}
