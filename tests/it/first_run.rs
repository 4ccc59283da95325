//! A writer's first steps: `folio init`, a bare folder of markdown, drafts left out of
//! builds but shown in serve, and broken links as build warnings.

use crate::harness::TestSite;
use crate::serve::Server;

#[test]
fn init_writes_a_site_that_builds_and_checks_clean_and_never_overwrites() {
    let site = TestSite::new();
    site.folio(&["init", "{root}/docs"])
        .expect_code(0)
        .expect_stderr("Created a folio site in")
        .expect_stderr("folio serve");
    let built = site.folio(&["build", "{root}/docs"]);
    built.expect_code(0).expect_stderr("(0 warning(s))");
    let line_page = site.read("docs/public/widget/1.1/index.html");
    assert!(line_page.contains("1.1.0"), "latest release printed");
    site.folio(&["check", "{root}/docs", "--deny", "warnings"])
        .expect_code(0);
    site.write("docs/content/index.md", "mine\n");
    site.folio(&["init", "{root}/docs"])
        .expect_code(2)
        .expect_stderr("already exists");
    assert_eq!(site.read("docs/content/index.md"), "mine\n");
}

#[test]
fn a_bare_folder_of_markdown_builds_as_its_own_content_folder() {
    let site = TestSite::new()
        .file(
            "index.md",
            "---\ntitle: Notes\n---\nSee [setup](guide/setup.md).\n",
        )
        .file("guide/setup.md", "---\ntitle: Setup\n---\nSteps.\n")
        .file(".git/HEAD.md", "not a page\n");
    site.build().expect_code(0);
    assert!(site.exists("public/index.html"));
    assert!(site.exists("public/guide/setup/index.html"));
    assert!(
        !site.exists("public/.git"),
        "hidden folders are not content"
    );
    site.build().expect_code(0);
    assert!(
        !site.exists("public/public"),
        "the output is never read back as content"
    );
    let empty = TestSite::new().file("notes.txt", "no markdown\n");
    empty
        .build()
        .expect_code(2)
        .expect_stderr("has no `content/` folder and no markdown pages")
        .expect_stderr("folio init");
}

#[test]
fn drafts_are_left_out_of_build_and_check_unless_asked_for() {
    let site = TestSite::new()
        .page("index.md", "Home", "")
        .file("content/wip.md", "---\ntitle: WIP\ndraft: true\n---\n");
    site.build().expect_code(0);
    assert!(!site.exists("public/wip/index.html"));
    let check = site.folio(&["check", "{root}"]);
    // The home page and the 404 page.
    check.expect_code(0).expect_stderr("checked 2 pages");
    site.folio(&["check", "{root}", "--drafts"])
        .expect_code(0)
        .expect_stderr("checked 3 pages");
    site.folio(&["build", "{root}", "--quiet", "--drafts"])
        .expect_code(0);
    assert!(site.exists("public/wip/index.html"));
}

#[test]
fn serve_shows_drafts() {
    let site = TestSite::new().page("index.md", "Home", "").file(
        "content/wip.md",
        "---\ntitle: WIP\ndraft: true\n---\nWork in progress\n",
    );
    let server = Server::start(&site, &[]);
    let draft = server.get("/wip/");
    assert_eq!(draft.status, 200);
    assert!(draft.body.contains("Work in progress"));
}

#[test]
fn build_warns_of_broken_links_and_anchors_and_strict_fails_on_them() {
    let site = TestSite::new()
        .file("folio.yaml", "base_url: https://docs.example.com/\n")
        .page(
            "index.md",
            "Home",
            "[gone](gone.md) and [anchor](#nowhere)\n",
        );
    site.folio(&["build", "{root}"])
        .expect_code(0)
        .expect_stderr("warning[broken-link]")
        .expect_stderr("warning[broken-anchor]")
        .expect_stderr("(2 warning(s))");
    assert!(site.exists("public/index.html"));
    site.folio(&["build", "{root}", "--strict"])
        .expect_code(1)
        .expect_stderr("error[broken-link]");
}
