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

/// A checkout without symlink support: the link is a file holding its target's path,
/// and git's index still records it as a link (mode 120000).
#[test]
fn every_link_git_records_is_followed_in_a_checkout_without_symlinks() {
    let site = TestSite::new()
        .page("index.md", "Home", "")
        .page("real/page.md", "Real page", "The real text.\n")
        .symlink("content/linkfile.md", "real/page.md");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(site.root())
            .output()
            .expect("git");
        assert!(status.status.success(), "git {args:?}: {status:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "site"]);
    std::fs::remove_file(site.root().join("content/linkfile.md")).expect("rm");
    site.write("content/linkfile.md", "real/page.md");
    site.build().expect_code(0);
    let page = site.read("public/linkfile/index.html");
    assert!(page.contains("The real text."), "{page}");
}
