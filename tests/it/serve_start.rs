//! `folio serve` answering before its first build is done, with a build's bytes, and the
//! `patch` events that let open pages update in place after an edit.

use crate::harness::TestSite;
use crate::serve::{Server, small_site, wait_until};

/// A site big enough that its first build takes a while in a debug build.
fn many_pages(count: usize) -> TestSite {
    let body = "## Setting up\n\nSome words about it, with `code` and a [link](../).\n\n\
                ```bash\necho one\n```\n\n### Checking\n\nMore words.\n\n"
        .repeat(6);
    let mut site = TestSite::new()
        .page("index.md", "Home", "Welcome home\n")
        .page("404.md", "Lost", "Nothing is here.\n");
    for i in 0..count {
        let page = format!("---\ntitle: Page {i}\nmenuWeight: {i}\n---\n{body}");
        site = site.file(&format!("content/part{}/page{i}.md", i % 8), &page);
    }
    site
}

/// A served HTML page without the live-reload tags the server adds.
fn without_live_tags(html: &str) -> String {
    let start = html
        .find("<style id=\"folio-live-style\">")
        .expect("the live-reload tags");
    let end = html[start..].find("</script>").expect("the script's end") + start;
    format!("{}{}", &html[..start], &html[end + "</script>".len()..])
}

#[test]
fn pages_asked_for_during_the_first_build_are_served_at_once_with_a_builds_bytes() {
    let site = many_pages(600);
    let server = Server::start(&site, &["--as-of", "2026-01-01"]);
    let page = server.get("/part3/page595/");
    let missing = server.get("/no/such/page/");
    let built_yet = server.stderr().contains("Built ");
    assert_eq!(page.status, 200);
    assert_eq!(missing.status, 404);
    assert!(!built_yet, "the page waited for the whole build");
    assert!(
        missing.body.contains("Nothing is here."),
        "{}",
        missing.body
    );
    wait_until(|| server.stderr().contains("Built ").then_some(()))
        .unwrap_or_else(|| panic!("the first build never ended:\n{}", server.stderr()));
    assert_eq!(server.get("/part3/page595/").body, page.body);

    let out = tempfile::tempdir().expect("tempdir");
    let output = out.path().display().to_string();
    site.folio(&[
        "build",
        "{root}",
        "--quiet",
        "--as-of",
        "2026-01-01",
        "--output",
        &output,
    ])
    .expect_code(0);
    let built = |path: &str| std::fs::read_to_string(out.path().join(path)).expect(path);
    assert_eq!(
        without_live_tags(&page.body),
        built("part3/page595/index.html")
    );
    assert_eq!(without_live_tags(&missing.body), built("404.html"));
    assert_eq!(server.get("/_folio/style.css").status, 200);
}

#[test]
fn an_edited_page_gets_its_old_and_new_html_before_the_reload() {
    let site = small_site();
    let server = Server::start(&site, &[]);
    let before = server.get("/guide/install/").body;
    let mut install = server.events_for("/guide/install/");
    let mut upgrade = server.events_for("/guide/upgrade/");
    site.write(
        "content/guide/install.md",
        "---\ntitle: Install\nmenuWeight: 1\n---\nInstall it, now patched.\n",
    );
    let (name, data) = install.next_any();
    assert_eq!(name, "patch");
    let patch: serde_json::Value = serde_json::from_str(&data).expect("JSON");
    assert_eq!(
        patch["old"].as_str(),
        Some(without_live_tags(&before).as_str())
    );
    let new = patch["new"].as_str().expect("new HTML");
    assert!(
        new.contains("now patched") && !new.contains("folio-live"),
        "{new}"
    );
    assert_eq!(
        install.next_any(),
        ("reload".into(), r#"["/guide/install/"]"#.into())
    );
    // Another page's stream gets no patch, only the reload naming the edited page.
    assert_eq!(
        upgrade.next_any(),
        ("reload".into(), r#"["/guide/install/"]"#.into())
    );
}

#[test]
fn a_template_edit_sends_no_patch_only_a_reload() {
    let site = small_site().file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<main>{{ page.content | safe }}</main>{% endblock content %}",
    );
    let server = Server::start(&site, &[]);
    let mut install = server.events_for("/guide/install/");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<main class=\"v2\">{{ page.content | safe }}</main>{% endblock content %}",
    );
    let (name, data) = install.next_any();
    assert_eq!(name, "reload", "{data}");
    assert!(data.contains("/guide/install/"), "{data}");
}

#[test]
fn errors_of_the_whole_site_reach_a_page_served_before_they_were_known() {
    let site = many_pages(300).file("content/part1/broken.md", "---\ntitle: [Broken\n---\n");
    let server = Server::start(&site, &[]);
    let page = server.get("/part2/page2/");
    assert_eq!(page.status, 200);
    // Opened after the page, as the page's script does: whether the build failed before
    // or after the stream opened, the errors come.
    let mut events = server.events_for("/part2/page2/");
    let errors = events.next("build-error");
    assert!(errors.contains("content/part1/broken.md:2"), "{errors}");
    let after = server.get("/part2/page2/");
    assert!(
        after
            .body
            .contains("data-errors=\"error[front-matter-yaml]"),
        "{}",
        after.body
    );
}
