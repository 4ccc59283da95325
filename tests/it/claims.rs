//! The version-claim audit of `folio check`: a fixture site with one planted fault per
//! claim shape and its clean twin, and the five seed pages of `../shared/seeds` audited
//! against the dataset of their facts.

use std::path::Path;

use crate::harness::{Run, TestSite, repo_root, shared_dir};

/// A copy of `tests/fixtures/<name>` in a temp folder.
fn fixture(name: &str) -> TestSite {
    let dir = repo_root().join("tests/fixtures").join(name);
    let site = TestSite::new();
    for entry in walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&dir).expect("inside");
            let text = std::fs::read_to_string(entry.path()).expect("read fixture");
            site.write(&rel.display().to_string(), &text);
        }
    }
    site
}

/// The version-claim findings of a JSON run: `file:line:col message`.
fn claims(run: &Run) -> Vec<String> {
    run.stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|d| d["code"] == "version-claim")
        .map(|d| {
            format!(
                "{}:{}:{} {}",
                d["file"].as_str().unwrap_or(""),
                d["position"]["line"],
                d["position"]["column"],
                d["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// stderr without the summary line, whose timing changes from run to run.
fn without_timing(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| !l.starts_with("checked "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn each_claim_shape_is_found_where_it_is_written() {
    let site = fixture("claims/bad");
    let run = site.folio(&["check", "{root}", "--format", "json"]);
    run.expect_code(1).expect_stderr("(version-claim: 8)");
    assert_eq!(
        claims(&run),
        [
            "content/dkp/kaptain/1.3/install.md:4:30 runs-on sentence: this says Kaptain 1.3 runs on Konvoy 2.0; the dataset says it runs on DKP 2.1.1, Konvoy 1.7 and Konvoy 1.8",
            "content/dkp/kommander/2.0/combinations.md:6:21 unsupported combination: this says Kommander 2.0 cannot be deployed on Konvoy 2.0; the dataset pairs Kommander 2.0 with Konvoy 2.0",
            "content/dkp/kommander/2.0/compatibility.md:7:1 compatibility table: this table lists the Konvoy | Kommander rows 2.0 | 2.0, 1.8 | 1.3 and 1.7 | 1.3; for the N-2 window of Kommander 2.0 the dataset pairs 2.0 | 2.0, 1.8 | 1.4 and 1.7 | 1.3 (Konvoy 1.8 pairs with Kommander 1.4, not 1.3)",
            "content/dkp/kommander/2.0/deploy.md:4:78 compatible combination: this says Kommander 2.0 deploys on Konvoy 1.8; the dataset pairs Kommander 2.0 with Konvoy 2.0",
            "content/dkp/kommander/2.0/policy.md:4:40 product name: this claim names Konvoy, but the page documents Kommander",
            "content/dkp/konvoy/2.0/kubernetes.md:9:17 Kubernetes table: this table gives Konvoy 2.0 a Kubernetes maximum of 1.22.x; the dataset's maximum for Konvoy 2.0 is 1.21.x",
            "content/dkp/konvoy/2.0/policy.md:5:30 N-2 sentence: this sentence says Konvoy 2.0 supports 2.0, 1.8 and 1.6; the dataset's N-2 window for it is 2.0, 1.8 and 1.7",
            "content/dkp/konvoy/2.0/upgrades.md:5:20 expiry sentence: this sentence says support for Konvoy 1.6.x expires when Konvoy 2.1 is released; by the dataset it is Konvoy 1.7 that expires",
        ]
    );
}

#[test]
fn the_human_report_names_the_shortcode_that_prints_the_fact() {
    let run = fixture("claims/bad").folio(&["check", "{root}"]);
    run.expect_code(1);
    insta::assert_snapshot!("claims_bad_human", without_timing(&run.stderr));
}

#[test]
fn the_clean_twin_has_no_finding() {
    let run = fixture("claims/clean").folio(&["check", "{root}"]);
    run.expect_code(0).expect_stderr("0 error(s), 0 warning(s)");
}

#[test]
fn the_example_site_s_shortcode_pages_have_no_claim_finding() {
    let root = repo_root().display().to_string();
    let run = crate::harness::folio_in(
        &repo_root(),
        &["check".into(), root, "--format".into(), "json".into()],
    );
    assert_eq!(claims(&run), Vec::<String>::new());
}

/// Where each seed page goes in the seed site.
const SEEDS: [(&str, &str); 5] = [
    ("000_", "dkp/konvoy/2.0/version-policy/index.md"),
    ("001_", "dkp/kommander/2.1/version-policy/index.md"),
    ("002_", "dkp/kaptain/1.3.0/version-policy/index.md"),
    ("003_", "dkp/kommander/1.3/version-policy/index.md"),
    ("004_", "conductor/support/index.md"),
];

/// `tests/fixtures/seeds` with the seed pages of `../shared/seeds` copied in.
fn seed_site() -> TestSite {
    let site = fixture("seeds");
    let seeds = shared_dir().join("seeds");
    for (prefix, target) in SEEDS {
        let page = seed_file(&seeds, prefix);
        let text = std::fs::read_to_string(&page).expect("read seed");
        site.write(&format!("content/{target}"), &text);
    }
    site
}

fn seed_file(dir: &Path, prefix: &str) -> std::path::PathBuf {
    std::fs::read_dir(dir)
        .expect("seeds folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no seed {prefix}*"))
}

#[test]
fn every_contradiction_of_the_seeds_is_reported_and_nothing_else() {
    let run = seed_site().folio(&["check", "{root}", "--format", "json"]);
    run.expect_code(1);
    let found = claims(&run);
    let expect = [
        // 003 names Konvoy in the N-2 sentence of a Kommander page ...
        "content/dkp/kommander/1.3/version-policy/index.md:5:107 product name: this claim names Konvoy, but the page documents Kommander",
        // ... and its next sentence makes the current line the next release.
        "content/dkp/kommander/1.3/version-policy/index.md:7:10 expiry sentence: this sentence calls 1.4 the next release, but the sentence before makes Kommander 1.4 the current line, and the next line after it is Kommander 2.0",
        // 003's Kubernetes table is Konvoy 1.7's range under Kommander's name.
        "content/dkp/kommander/1.3/version-policy/index.md:15:14 product name: this table gives Konvoy 1.7's Kubernetes range (1.17.x to 1.19.x) as Kommander 1.3.0's; the dataset has no Kubernetes range for Kommander 1.3",
        // 001's table reaches one row further than the N-2 window.
        "content/dkp/kommander/2.1/version-policy/index.md:26:1 compatibility table: this table lists the Konvoy | Kommander rows 2.1 | 2.1, 2.0 | 2.0, 1.8 | 1.4 and 1.7 | 1.3; for the N-2 window of Kommander 2.1 the dataset pairs 2.1 | 2.1, 2.0 | 2.0 and 1.8 | 1.4 (the row 1.7 | 1.3 lies outside the window of Kommander 2.1)",
        // 000's stale table, inside an HTML comment.
        "content/dkp/konvoy/2.0/version-policy/index.md:40:1 compatibility table: this table lists the Konvoy | Kommander rows 1.8 | 1.4, 1.7 | 1.3 and 1.6 | 1.2; for the N-2 window of Konvoy 2.0 the dataset pairs 2.0 | 2.0, 1.8 | 1.4 and 1.7 | 1.3 (the row 1.6 | 1.2 lies outside the window of Konvoy 2.0) (this claim sits inside an HTML comment: readers do not see it, but writers copy it)",
    ];
    assert_eq!(found, expect);
    // No contradiction beyond those; and one stale page (a warning, not a contradiction):
    // 001, a Kommander 2.1 page, still gives the policy example of 2.0 (true of 2.0).
    let stale: Vec<String> = run
        .findings()
        .iter()
        .filter(|f| f.code() == "stale-claim")
        .map(|f| {
            format!(
                "{}:{} {}",
                f.file().unwrap_or(""),
                f.line().unwrap_or(0),
                f.message()
            )
        })
        .collect();
    assert_eq!(
        stale,
        [
            "content/dkp/kommander/2.1/version-policy/index.md:11 stale policy: this page documents Kommander 2.1, but this sentence describes Kommander 2.0 as the current line"
        ]
    );
}
