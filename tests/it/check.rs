//! `folio check`: planted faults, one per check, and a clean twin with none.

use crate::harness::TestSite;

/// A small site whose links all work.
fn clean_site() -> TestSite {
    TestSite::new()
        .page("index.md", "Home", "See [the guide](guide/) and [setup](guide/setup.md#install).\n")
        .page("guide/index.md", "Guide", "## Overview\n\n[Back](../) · [Setup](setup/#install) · ![d](diagram.png) · [top](#overview)\n")
        .page("guide/setup.md", "Setup", "## Install\n\n<a href=\"../\">up</a> <span id=\"custom\"></span> [c](#custom)\n")
        .file("content/guide/diagram.png", "png")
}

#[test]
fn a_clean_site_has_no_findings() {
    let site = clean_site();
    let run = site.folio(&["check", "{root}"]);
    run.expect_code(0)
        .expect_stderr("checked 4 pages")
        .expect_stderr("0 error(s), 0 warning(s)");
    assert!(!site.exists("public"), "check writes nothing");
}

#[test]
fn a_broken_link_is_found_at_its_source_position() {
    let site = clean_site().page(
        "guide/extra.md",
        "Extra",
        "Text\n\nGo to [install](instal/) now.\n",
    );
    site.folio(&["check", "{root}"])
        .expect_code(1)
        .expect_stderr("error[broken-link]: link `instal/` leads nowhere: the site has no page or file at `/guide/instal/`\n --> content/guide/extra.md:6:17")
        .expect_stderr("(broken-link: 1)");
}

#[test]
fn a_broken_md_link_is_reported_as_written() {
    let site = clean_site().page("guide/extra.md", "Extra", "[gone](missing.md)\n");
    site.folio(&["check", "{root}"])
        .expect_code(1)
        .expect_stderr("error[broken-link]: link `missing.md` leads nowhere: the site has no page or file at `/guide/missing/`\n --> content/guide/extra.md:4:8");
}

#[test]
fn a_missing_anchor_gets_a_did_you_mean() {
    let site = clean_site().page("guide/extra.md", "Extra", "[x](setup/#instal)\n");
    site.folio(&["check", "{root}"])
        .expect_code(1)
        .expect_stderr("error[broken-anchor]: link `setup/#instal`: `/guide/setup/` has no id `instal`\n --> content/guide/extra.md:4:5")
        .expect_stderr("did you mean `#install`?");
}

#[test]
fn broken_images_and_raw_html_links_are_found() {
    let site = clean_site().page(
        "guide/extra.md",
        "Extra",
        "![pic](nope.png)\n\n<a href=\"/nowhere/\">x</a>\n",
    );
    let run = site.folio(&["check", "{root}", "--format", "json"]);
    run.expect_code(1);
    let spots: Vec<(String, u64, u64)> = run
        .findings()
        .iter()
        .map(|f| {
            (
                f.message().to_string(),
                f.line().unwrap_or(0),
                f.column().unwrap_or(0),
            )
        })
        .collect();
    assert!(
        spots.contains(&(
            "link `nope.png` leads nowhere: the site has no page or file at `/guide/nope.png`"
                .into(),
            4,
            8
        )),
        "{spots:?}"
    );
    assert!(
        spots.contains(&(
            "link `/nowhere/` leads nowhere: the site has no page or file at `/nowhere/`".into(),
            6,
            10
        )),
        "{spots:?}"
    );
}

#[test]
fn structure_warnings_and_deny_warnings() {
    let site = clean_site()
        .page("orphan/deep/page.md", "Deep", "")
        .file(
            "content/hidden/index.md",
            "---\ntitle: Hidden\nmenuWeight: -1\n---\n",
        )
        .page("hidden/shown.md", "Shown", "");
    let run = site.folio(&["check", "{root}"]);
    run.expect_code(0)
        .expect_stderr("warning[missing-parent]: `/orphan/deep/page/` has no parent page `/orphan/deep/`")
        .expect_stderr("warning[hidden-parent]: `/hidden/shown/` is in navigation but its parent `/hidden/` is hidden");
    site.folio(&["check", "{root}", "--deny", "warnings"])
        .expect_code(1);
}

#[test]
fn github_annotations() {
    let site = clean_site().page("guide/extra.md", "Extra", "[x](../nope/)\n");
    site.folio(&["check", "{root}", "--format", "github"])
        .expect_code(1)
        .expect_stdout("::error file=content/guide/extra.md,line=4,col=5,title=broken-link::");
}

#[test]
fn build_errors_are_check_errors_too() {
    let site = clean_site().file("content/bad.md", "---\nmenuWeight: x\n---\n");
    site.folio(&["check", "{root}"])
        .expect_code(1)
        .expect_stderr("error[front-matter-type]");
    TestSite::new().folio(&["check", "{root}"]).expect_code(2);
}
