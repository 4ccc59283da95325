//! The repository's example site and the real corpus in `../shared`.

use crate::harness::{folio_in, repo_root, shared_dir};

#[test]
fn the_example_site_builds_without_warnings() {
    let out = tempfile::tempdir().expect("tempdir");
    let out_arg = out.path().join("public").display().to_string();
    let root = repo_root().display().to_string();
    let run = folio_in(
        &repo_root(),
        &["build".into(), root, "--output".into(), out_arg],
    );
    run.expect_code(0);
    assert!(!run.stderr.contains("warning["), "{}", run.stderr);
    let page = std::fs::read_to_string(
        out.path()
            .join("public/dkp/konvoy/2.1/version-policy/index.html"),
    )
    .expect("page");
    assert!(page.contains("<nav class=\"breadcrumbs\""));
    let check = folio_in(&repo_root(), &["check", ".", "--deny", "warnings"]);
    check.expect_code(0);
}

#[test]
fn the_corpus_checks_with_its_dataset_and_every_finding_has_a_place() {
    let args = [
        "check".to_string(),
        shared_dir().join("corpus").display().to_string(),
        "--dataset".into(),
        "tests/fixtures/corpus-dataset/versions.yaml".into(),
        "--as-of".into(),
        "2023-08-17".into(),
        "--format".into(),
        "json".into(),
    ];
    let run = folio_in(&repo_root(), &args);
    run.expect_code(1);
    let findings: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("one JSON object per finding"))
        .collect();
    assert!(findings.iter().any(|f| f["code"] == "broken-link"));
    assert!(findings.iter().any(|f| f["code"] == "cross-version-link"));
    for finding in &findings {
        assert!(finding["file"].is_string(), "{finding}");
    }
    let broken = |url: &str| {
        let target = format!("no page or file at {url}");
        findings
            .iter()
            .any(|f| f["message"].as_str().is_some_and(|m| m.contains(&target)))
    };
    // `latest` is Konvoy 2.2 on that date: its troubleshooting page exists, its
    // install/ section does not (2.x reorganised it).
    assert!(!broken("`/dkp/konvoy/latest/troubleshooting/`"));
    assert!(broken("`/dkp/konvoy/latest/install/`"));
}

#[test]
fn the_corpus_builds_every_page_and_every_problem_has_a_place() {
    let corpus = shared_dir().join("corpus");
    let out = tempfile::tempdir().expect("tempdir");
    let out_dir = out.path().join("public");
    let args = [
        "build".to_string(),
        corpus.display().to_string(),
        "--output".into(),
        out_dir.display().to_string(),
        "--format".into(),
        "json".into(),
        "--quiet".into(),
    ];
    let run = folio_in(&repo_root(), &args);
    run.expect_code(0);
    let markdown_files = walkdir::WalkDir::new(corpus.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    assert_eq!(markdown_files, 1998);
    // `folio build` leaves drafts out unless `--drafts`.
    let drafts = walkdir::WalkDir::new(corpus.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            text.lines().any(|l| l.trim_end() == "draft: true")
        })
        .count();
    assert_eq!(drafts, 8);
    let pages = walkdir::WalkDir::new(&out_dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .count();
    let through_links = walkdir::WalkDir::new(corpus.join("content/dkp/kommander/2.2/cli"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    assert_eq!(
        pages,
        markdown_files - drafts + 2 * through_links,
        "one page per markdown file but drafts, plus those behind the two links"
    );
    assert!(out_dir.join("dkp/konvoy/2.3/cli/dkp/index.html").exists());
    for line in run.stdout.lines() {
        let diagnostic: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(diagnostic["severity"], "warning", "{line}");
        assert!(diagnostic["file"].is_string(), "no file: {line}");
        // The corpus has no folio.yaml: its relative base_url has no line to point at.
        let lineless = ["missing-title", "sitemap-base-url"];
        let line_known = diagnostic["position"]["line"].is_u64()
            || lineless.iter().any(|c| diagnostic["code"] == *c);
        assert!(line_known, "no line: {line}");
    }
}
