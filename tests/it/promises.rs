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

#[test]
fn front_matter_refuses_unquoted_numbers_for_text_and_points_at_a_missing_title() {
    let site = TestSite::new()
        .file(
            "content/a.md",
            "---\ntitle: A\nline: 1.20\nexcerpt: 5\n---\n",
        )
        .file(
            "content/b.md",
            "---\nmenuWeight: 2\n---\n# From the heading\n",
        );
    site.build()
        .expect_code(1)
        .expect_stderr("error[front-matter-type]: `line` must be text in quotes, found the number `1.20`\n --> content/a.md:3:1")
        .expect_stderr("`excerpt` must be text in quotes, found the number `5`")
        .expect_stderr("warning[missing-title]: page has no `title`; its title is taken from its first heading: `From the heading`\n --> content/b.md:1:1");
}

#[test]
fn a_message_of_an_unknown_type_is_an_error() {
    let site = TestSite::new().page(
        "a.md",
        "A",
        "Intro\n\n[message type=\"fancy\"]\nHi\n[/message]\n",
    );
    site.build()
        .expect_code(1)
        .expect_stderr("error[shortcode-attribute]: `[message]` has no type `fancy`")
        .expect_stderr("--> content/a.md:6:15")
        .expect_stderr("use type=`note`, `info`, `warning`, `important`, `danger`, `success`");
}

#[test]
fn shortcodes_and_includes_never_expand_in_indented_code_or_raw_pre_and_code() {
    let body = "Intro\n\n    [message]\n    #include /part.tmpl\n\n<pre>\n[beta /]\n</pre>\n\nInline <code>[oss]</code> and [beta /].\n";
    let site = TestSite::new()
        .page("a.md", "A", body)
        .file("content/part.tmpl", "INCLUDED\n");
    site.build().expect_code(0);
    let html = site.read("public/a/index.html");
    assert!(
        html.contains("<pre><code>[message]\n#include /part.tmpl\n</code></pre>"),
        "{html}"
    );
    assert!(!html.contains("INCLUDED"));
    assert!(html.contains("<pre>\n[beta /]\n</pre>"), "{html}");
    assert!(html.contains("<code>[oss]</code>"));
    assert_eq!(
        html.matches("badge-beta").count(),
        1,
        "only the shortcode outside code expands"
    );
}

#[test]
fn the_base_path_reaches_shortcode_and_raw_html_links_and_a_bad_base_url_is_refused() {
    let body = "[button href=\"/guide/\"]Back[/button]\n\n<a href=\"/guide/\">raw</a> <img src=\"/img/x.png\" alt=\"x\">\n";
    let site = TestSite::new()
        .page("index.md", "Home", body)
        .page("guide/index.md", "Guide", "")
        .file("static/img/x.png", "png");
    site.folio(&[
        "build",
        "{root}",
        "--quiet",
        "--base-url",
        "https://docs.example.com/v/",
    ])
    .expect_code(0);
    let page = site.read("public/index.html");
    let content = page.split("class=\"page-content").nth(1).expect("content");
    let html = content.split("</article>").next().expect("article");
    assert_eq!(html.matches("href=\"/v/guide/\"").count(), 2, "{html}");
    assert!(html.contains("src=\"/v/img/x.png\""), "{html}");
    site.folio(&["build", "{root}", "--base-url", "not a url"])
        .expect_code(2)
        .expect_stderr("--base-url `not a url` holds spaces");
    site.write("folio.yaml", "title: T\nbase_url: docs.example.com\n");
    site.build()
        .expect_code(1)
        .expect_stderr("error[config]: base_url `docs.example.com` is neither an http(s) URL nor a path\n --> folio.yaml:2:1");
}

#[test]
fn relative_links_of_a_page_file_resolve_from_its_folder_like_md_links() {
    let site = TestSite::new()
        .page("index.md", "Home", "")
        .page("a/index.md", "A", "")
        .page(
            "a/b.md",
            "B",
            "![pic](pic.png) [c](c.md) [file](files/x.txt)\n",
        )
        .page("a/c.md", "C", "")
        .file("content/a/pic.png", "png")
        .file("content/a/files/x.txt", "x");
    site.folio(&["check", "{root}"]).expect_code(0);
    site.build().expect_code(0);
    let html = site.read("public/a/b/index.html");
    assert!(html.contains("src=\"/a/pic.png\""), "{html}");
    assert!(html.contains("href=\"/a/c/\""), "{html}");
    assert!(html.contains("href=\"/a/files/x.txt\""), "{html}");
    assert!(site.exists("public/a/pic.png"));
}

#[test]
fn every_broken_link_is_reported_at_its_own_line() {
    let body = "[one](/gone/)\n\n[two](/gone/)\n\n[three](/gone/)\n\n[ok](x.md) and <a href=\"x.md\">raw ok</a> and <a href=\"/nothere/\">raw</a> [fine](/x/)\n";
    let site = TestSite::new()
        .page("index.md", "Home", body)
        .page("x.md", "X", "");
    let run = site.folio(&["check", "{root}", "--format", "github"]);
    run.expect_code(1);
    for line in [4, 6, 8] {
        let at = format!("line={line},col=");
        assert!(
            run.stdout
                .lines()
                .any(|l| l.contains(&at) && l.contains("`/gone/`")),
            "no finding at line {line}:\n{}",
            run.stdout
        );
    }
    assert!(
        run.stdout
            .contains("line=10,col=55,title=broken-link::link `/nothere/`"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout.matches("title=broken-link").count(),
        4,
        "{}",
        run.stdout
    );
    site.folio(&["build", "{root}", "--quiet"]).expect_code(0);
    let page = site.read("public/index.html");
    let content = page.split("class=\"page-content").nth(1).expect("content");
    let html = content.split("</article>").next().expect("article");
    assert_eq!(
        html.matches("href=\"/x/\"").count(),
        3,
        "raw HTML .md links become page URLs: {html}"
    );
}

#[test]
fn a_site_base_template_replaces_the_built_in_one_completely() {
    let site = TestSite::new()
        .page("index.md", "Home", "Hi\n")
        .file(
            "templates/base.html",
            "<html><head><title>{{ page.title }}</title></head><body class=\"mine\">{{ page.content | safe }}</body></html>\n",
        );
    site.build().expect_code(0);
    assert!(
        site.read("public/index.html")
            .contains("<body class=\"mine\"><p>Hi</p>")
    );
    let not_found = site.read("public/404.html");
    assert!(not_found.contains("<body class=\"mine\">"), "{not_found}");
    assert!(
        not_found.contains("Nothing lives at this address"),
        "{not_found}"
    );
}

#[test]
fn check_explain_prints_the_reference_section_of_a_code() {
    let site = TestSite::new();
    let run = site.folio(&["check", "--explain", "cross-version-link"]);
    run.expect_code(0);
    let reference =
        std::fs::read_to_string(crate::harness::repo_root().join("docs/diagnostics.md"))
            .expect("docs/diagnostics.md");
    let heading = "`cross-version-link` (warning, configurable)";
    assert!(run.stdout.starts_with(heading), "{}", run.stdout);
    assert!(
        reference.contains(run.stdout.trim_end()),
        "the same text as the docs"
    );
    site.folio(&["check", "--explain", "nope"])
        .expect_code(2)
        .expect_stderr("no diagnostic code `nope`; the codes are: alias-conflict,");
}
