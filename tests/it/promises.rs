//! What the README and docs promise, held to: one regression test per defect found by
//! trying every documented command, flag and key as a new writer would.

use crate::harness::TestSite;

#[test]
fn a_missing_dataset_on_the_command_line_cannot_run() {
    let site = TestSite::new().page("index.md", "Home", "");
    site.folio(&["build", "{root}", "--dataset", "{root}/nope.yaml"])
        .expect_code(2)
        .expect_stderr("--dataset `")
        .expect_stderr("nope.yaml`: no such file");
}

#[test]
fn an_empty_source_date_epoch_counts_as_unset() {
    let site = TestSite::new().page("index.md", "Home", "");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--quiet"])
        .arg(site.root())
        .env("SOURCE_DATE_EPOCH", "")
        .output()
        .expect("run folio");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--quiet"])
        .arg(site.root())
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .expect("run folio");
    assert_eq!(bad.status.code(), Some(2));
}
