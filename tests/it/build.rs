//! `folio build`: site layout, content walk, front matter, output and the command line.

use crate::harness::{TestSite, snapshot_tree};

#[test]
fn pages_become_folder_urls_and_files_are_copied_beside_them() {
    let site = TestSite::new()
        .page("index.md", "Home", "Welcome\n")
        .page("a/b/index.md", "B", "b\n")
        .page("a/c.md", "C", "c\n")
        .file("content/a/b/diagram.png", "png")
        .file("content/shared/part.tmpl", "never published\n")
        .file("static/robots.txt", "User-agent: *\n");
    site.build().expect_code(0);
    for path in [
        "public/index.html",
        "public/a/b/index.html",
        "public/a/c/index.html",
        "public/404.html",
    ] {
        assert!(site.exists(path), "{path} missing");
    }
    assert_eq!(site.read("public/a/b/diagram.png"), "png");
    assert_eq!(site.read("public/robots.txt"), "User-agent: *\n");
    assert!(site.exists("public/_folio/style.css"));
    assert!(!site.exists("public/shared/part.tmpl"));
}

#[test]
fn a_bare_folder_of_markdown_builds_with_the_builtin_theme() {
    let site = TestSite::new().file("content/index.md", "# Hello\n\nNo front matter here.\n");
    let run = site.folio(&["build", "{root}"]);
    run.expect_code(0).expect_stderr("warning[missing-title]: page has no front matter; its title is taken from its first heading: `Hello`");
    run.expect_stderr("Built 2 pages");
    assert!(site.read("public/index.html").contains("<title>Hello"));
}

#[test]
fn two_sources_for_one_url_is_an_error() {
    let site = TestSite::new()
        .page("a.md", "A", "")
        .page("a/index.md", "A2", "");
    site.build()
        .expect_code(1)
        .expect_stderr("`content/a.md` and `content/a/index.md` both become the page `/a/`");
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_root_are_followed() {
    let site = TestSite::new()
        .page("real/index.md", "Real", "")
        .page("real/child.md", "Child", "")
        .symlink("content/alias", "real");
    site.build().expect_code(0);
    assert!(site.exists("public/alias/child/index.html"));
}

#[test]
fn git_link_stubs_are_followed_like_symlinks() {
    let site = TestSite::new()
        .page("kommander/cli/index.md", "CLI", "")
        .page("kommander/cli/dkp/index.md", "dkp", "")
        .file("content/konvoy/cli", "../kommander/cli");
    site.build().expect_code(0);
    assert!(site.exists("public/konvoy/cli/dkp/index.html"));
    assert!(
        site.root().join("public/konvoy/cli").is_dir(),
        "the stub itself is not copied"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_leaving_the_root_are_refused() {
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\n---\n",
    )
    .expect("write");
    let site = TestSite::new()
        .page("index.md", "Home", "")
        .symlink("content/leak", &outside.path().display().to_string());
    site.build()
        .expect_code(1)
        .expect_stderr("error[symlink-outside-root]: link points outside the site root")
        .expect_stderr("--> content/leak");
    assert!(!site.exists("public"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported() {
    let site = TestSite::new()
        .page("a/index.md", "A", "")
        .symlink("content/a/again", "..");
    site.build()
        .expect_code(1)
        .expect_stderr("error[symlink-loop]")
        .expect_stderr("content/a/again");
}

#[test]
fn invalid_yaml_names_file_line_and_column() {
    let site = TestSite::new().page("ok.md", "Ok", "").file(
        "content/bad.md",
        "---\ntitle: Bad\nexcerpt: [unclosed\n---\nbody\n",
    );
    let run = site.build();
    run.expect_code(1)
        .expect_stderr("error[front-matter-yaml]")
        .expect_stderr("--> content/bad.md:3:");
}

#[test]
fn a_wrong_type_is_an_error_at_its_key() {
    let site = TestSite::new().file(
        "content/a.md",
        "---\ntitle: A\nmenuWeight: high\nbeta: \"yes\"\n---\n",
    );
    site.build()
        .expect_code(1)
        .expect_stderr("error[front-matter-type]: `menuWeight` must be a whole number, found the text `high`\n --> content/a.md:3:1")
        .expect_stderr("error[front-matter-type]: `beta` must be `true` or `false`, found the text `yes`\n --> content/a.md:4:1");
}

#[test]
fn a_misspelt_key_gets_a_did_you_mean() {
    let site = TestSite::new().file("content/a.md", "---\ntitle: A\nmenuweight: 3\n---\n");
    site.build()
        .expect_code(0)
        .expect_stderr("warning[front-matter-typo]: unknown front matter key `menuweight`; it looks like a misspelling of `menuWeight`\n --> content/a.md:3:1")
        .expect_stderr("did you mean `menuWeight`?");
}

#[test]
fn an_unclosed_front_matter_block_is_an_error() {
    let site = TestSite::new().file("content/a.md", "---\ntitle: A\n\n# Body\n");
    site.build()
        .expect_code(1)
        .expect_stderr("error[front-matter-unclosed]")
        .expect_stderr("--> content/a.md:1:1");
}

#[test]
fn crlf_and_a_byte_order_mark_work() {
    let site = TestSite::new().file(
        "content/a.md",
        "\u{feff}---\r\ntitle: Windows page\r\nmenuWeight: 2\r\n---\r\n## Part\r\n\r\ntext\r\n",
    );
    site.build().expect_code(0);
    let html = site.read("public/a/index.html");
    assert!(html.contains("<title>Windows page"), "{html}");
    assert!(html.contains("<h2 id=\"part\">"), "{html}");
}

#[test]
fn unknown_keys_reach_templates() {
    let site = TestSite::new()
        .file("content/a.md", "---\ntitle: A\nowner: docs-team\n---\n")
        .file(
            "templates/page.html",
            "{{ page.front_matter.owner }}|{{ page.title }}",
        );
    site.build().expect_code(0);
    assert_eq!(site.read("public/a/index.html"), "docs-team|A");
}

#[test]
fn drafts_and_environment_excludes() {
    let site = TestSite::new()
        .file("folio.yaml", "environments:\n  production:\n    exclude: [\"internal\"]\n    drafts: false\n  preview: {}\n")
        .page("index.md", "Home", "")
        .page("internal/notes.md", "Notes", "")
        .file("content/wip.md", "---\ntitle: WIP\ndraft: true\n---\n");
    site.folio(&["build", "{root}", "--quiet", "--env", "production"])
        .expect_code(0);
    assert!(!site.exists("public/internal/notes/index.html"));
    assert!(!site.exists("public/wip/index.html"));
    site.folio(&["build", "{root}", "--quiet", "--env", "preview"])
        .expect_code(0);
    assert!(site.exists("public/internal/notes/index.html"));
    assert!(
        !site.exists("public/wip/index.html"),
        "build leaves drafts out by default"
    );
    site.folio(&["build", "{root}", "--quiet", "--env", "preview", "--drafts"])
        .expect_code(0);
    assert!(site.exists("public/wip/index.html"));
    site.folio(&[
        "build",
        "{root}",
        "--quiet",
        "--env",
        "production",
        "--drafts",
    ])
    .expect_code(0);
    assert!(
        site.exists("public/wip/index.html"),
        "--drafts wins over the environment"
    );
    site.folio(&["build", "{root}", "--env", "nope"])
        .expect_code(2)
        .expect_stderr(
            "unknown environment `nope` (folio.yaml `environments:` has: preview, production)",
        );
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = TestSite::new().page("index.md", "Home", "first\n");
    site.build().expect_code(0);
    let before = snapshot_tree(&site.root().join("public"));
    site.write(
        "content/index.md",
        "---\ntitle: Home\nmenuWeight: lots\n---\nsecond\n",
    );
    site.write("content/new.md", "---\ntitle: New\n---\n");
    site.build().expect_code(1);
    assert_eq!(snapshot_tree(&site.root().join("public")), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .expect("ls")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("folio-") && e.path().is_dir())
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind");
}

#[test]
fn output_is_byte_identical_across_runs() {
    let site = TestSite::new()
        .page("index.md", "Home", "# Hi\n")
        .page("a/index.md", "A", "## One\n\n## One\n")
        .page("b/c.md", "C", "[x](../a/index.md)\n");
    site.build().expect_code(0);
    let first = snapshot_tree(&site.root().join("public"));
    site.build().expect_code(0);
    assert_eq!(snapshot_tree(&site.root().join("public")), first);
}

#[test]
fn output_and_base_url_flags() {
    let site = TestSite::new()
        .page("index.md", "Home", "[a](/a/)\n")
        .page("a.md", "A", "");
    let out = tempfile::tempdir().expect("tempdir");
    let out_path = out.path().join("site");
    let out_arg = out_path.display().to_string();
    site.folio(&[
        "build",
        "{root}",
        "--quiet",
        "--output",
        &out_arg,
        "--base-url",
        "https://example.com/docs/",
    ])
    .expect_code(0);
    let home = std::fs::read_to_string(out_path.join("index.html")).expect("home");
    assert!(home.contains("href=\"/docs/a/\""), "{home}");
    assert!(home.contains("/docs/_folio/style.css"), "{home}");
}

#[test]
fn refuses_to_replace_the_site_itself() {
    let site = TestSite::new().page("index.md", "Home", "");
    site.folio(&["build", "{root}", "--output", "{root}"])
        .expect_code(2)
        .expect_stderr("refusing to write into");
    assert!(site.exists("content/index.md"));
}

#[test]
fn usage_errors_exit_2() {
    let site = TestSite::new();
    site.folio(&["build", "{root}"])
        .expect_code(2)
        .expect_stderr("has no `content/` folder");
    site.folio(&["build", "--no-such-flag"]).expect_code(2);
    site.folio(&["build", "{root}/missing"])
        .expect_code(2)
        .expect_stderr("cannot open site root");
}

#[test]
fn a_bad_config_file_is_a_site_error() {
    let site = TestSite::new()
        .page("index.md", "Home", "")
        .file("folio.yaml", "title: Docs\nbase_ulr: https://x\n");
    site.build()
        .expect_code(1)
        .expect_stderr("error[config]")
        .expect_stderr("--> folio.yaml:2:1");
}

#[test]
fn diagnostics_in_json_and_github_formats() {
    let site = TestSite::new().file("content/a.md", "---\ntitle: A\nmenuWeight: high\n---\n");
    let json = site.folio(&["build", "{root}", "--quiet", "--format", "json"]);
    json.expect_code(1);
    let findings = json.findings();
    let first = findings.first().expect("a finding");
    assert_eq!(first.code(), "front-matter-type");
    assert_eq!(first.file(), Some("content/a.md"));
    assert_eq!(first.line(), Some(3));
    assert_eq!(first["version"], 1);
    assert_eq!(first["position"]["len"], 10);
    let github = site.folio(&["build", "{root}", "--quiet", "--format", "github"]);
    github.expect_stdout("::error file=content/a.md,line=3,col=1");
}

#[test]
fn a_rebuild_keeps_the_files_of_unchanged_pages_and_writes_the_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let site = TestSite::new()
        .file("folio.yaml", "title: T\nsearch: false\n")
        .page("a.md", "A", "Stays the same.\n")
        .page("b.md", "B", "Before the edit.\n");
    site.build().expect_code(0);
    let inode = |path: &str| {
        std::fs::metadata(site.root().join("public").join(path))
            .expect("built file")
            .ino()
    };
    let (a, b) = (inode("a/index.html"), inode("b/index.html"));
    site.write("content/b.md", "---\ntitle: B\n---\nAfter the edit.\n");
    site.build().expect_code(0);
    assert_eq!(
        inode("a/index.html"),
        a,
        "the unchanged page is the same file"
    );
    assert_ne!(inode("b/index.html"), b, "the edited page is written anew");
    assert!(site.read("public/b/index.html").contains("After the edit."));
}

/// A site with a page that includes a fragment, a shortcode that reads a data file, a
/// Mustache page with a model, and a template of its own.
fn site_with_every_kind_of_input() -> TestSite {
    TestSite::new()
        .file("folio.yaml", "title: T\nsearch: false\n")
        .file(
            "templates/shortcodes/facts.html",
            "{% set facts = load_data(path=\"/facts.yaml\") %}<b>{{ facts.name }}</b>",
        )
        .file("templates/page.html", "<title>{{ page.title }}</title>{{ page.content }}")
        .file("content/facts.yaml", "name: First\n")
        .file("content/shared/part.tmpl", "Included before.\n")
        .file("content/m.yaml", "rows: [1, 2]\n")
        .file("content/pic.png", "first pixels")
        .file("static/robots.txt", "User-agent: *\n")
        .page("a.md", "A", "Stays the same.\n")
        .page("b.md", "B", "Before the edit.\n")
        .page("c.md", "C", "Facts: [facts /]\n\n#include /shared/part.tmpl\n")
        .file(
            "content/d.md",
            "---\ntitle: D\nrender: mustache\nmodel: m.yaml\n---\n{{#model.rows}}\nrow {{.}}\n{{/model.rows}}\n",
        )
}

/// After each kind of edit, a rebuild into the previous output (which takes the pages
/// the edit did not touch from it) makes, byte for byte, the site a build into a fresh
/// folder makes, and renders only what it must.
#[test]
fn a_rebuild_that_takes_unchanged_pages_makes_what_a_fresh_build_makes() {
    let site = site_with_every_kind_of_input();
    site.build().expect_code(0);
    let public = site.root().join("public");
    // What is edited, how, and how many pages the rebuild takes unchanged (`None`: none).
    type Edit<'a> = (&'a str, &'a dyn Fn(), Option<usize>);
    let edits: [Edit; 9] = [
        ("nothing", &|| {}, Some(4)),
        (
            "an image",
            &|| site.write("content/pic.png", "other pixels"),
            Some(4),
        ),
        (
            "a body",
            &|| site.write("content/b.md", "---\ntitle: B\n---\nAfter.\n"),
            Some(3),
        ),
        (
            "an included fragment",
            &|| site.write("content/shared/part.tmpl", "Included after.\n"),
            Some(3),
        ),
        (
            "a data file",
            &|| site.write("content/facts.yaml", "name: Second\n"),
            None,
        ),
        (
            "a title",
            &|| site.write("content/a.md", "---\ntitle: A2\n---\nStays the same.\n"),
            None,
        ),
        (
            "a template",
            &|| {
                site.write(
                    "templates/page.html",
                    "<h1>{{ page.title }}</h1>{{ page.content }}",
                )
            },
            None,
        ),
        (
            "the settings",
            &|| site.write("folio.yaml", "title: T2\nsearch: false\n"),
            None,
        ),
        (
            "a built file, by hand",
            &|| std::fs::write(public.join("b/index.html"), "edited by hand").expect("write"),
            Some(3),
        ),
    ];
    for (index, (what, edit, unchanged)) in edits.iter().enumerate() {
        edit();
        let run = site.folio(&["build", "{root}"]);
        run.expect_code(0);
        match unchanged {
            Some(n) => run.expect_stderr(&format!(
                "Built 5 pages ({n} unchanged since the last build)"
            )),
            None => run.expect_stderr("Built 5 pages and"),
        };
        let fresh = format!("fresh-{index}");
        site.folio(&["build", "{root}", "--quiet", "--output", &fresh])
            .expect_code(0);
        let fresh = site.root().join(fresh);
        assert!(
            snapshot_tree(&public) == snapshot_tree(&fresh),
            "after editing {what}, the rebuilt site differs from a fresh build"
        );
        std::fs::remove_dir_all(&fresh).expect("remove");
    }
    assert!(site.read("public/c/index.html").contains("Included after."));
    assert!(site.read("public/c/index.html").contains("<b>Second</b>"));
}

/// A copied file whose source did not change is linked from the previous site, not
/// copied again; one whose source changed is copied anew.
#[test]
fn a_rebuild_links_the_copies_of_unchanged_files() {
    use std::os::unix::fs::MetadataExt;
    let site = site_with_every_kind_of_input();
    site.build().expect_code(0);
    let inode = |path: &str| {
        let file = site.root().join("public").join(path);
        std::fs::metadata(file).expect("built file").ino()
    };
    let (robots, pic) = (inode("robots.txt"), inode("pic.png"));
    site.write("content/pic.png", "other pixels");
    site.build().expect_code(0);
    assert_eq!(
        inode("robots.txt"),
        robots,
        "the unchanged copy is the same file"
    );
    assert_ne!(inode("pic.png"), pic, "the changed file is copied anew");
    assert_eq!(site.read("public/pic.png"), "other pixels");
}

/// The same findings come out of a rebuild that takes pages from the previous site as
/// out of a build that renders them all.
#[test]
fn a_rebuild_that_takes_unchanged_pages_reports_the_same_problems() {
    let site = site_with_every_kind_of_input().page(
        "e.md",
        "E",
        "[gone](missing.md)\n\n```nosuchlanguage\nx\n```\n",
    );
    let first = site.folio(&["build", "{root}", "--format", "json"]);
    first.expect_code(0);
    let again = site.folio(&["build", "{root}", "--format", "json"]);
    again.expect_stderr("unchanged since the last build");
    assert_eq!(first.stdout, again.stdout);
    assert!(first.stdout.contains("broken-link"), "{}", first.stdout);
}

/// A streamed build drops each page's body once it is rendered; a finding of the link
/// check reads the page again to point at its line, with the same snippet as a build
/// that keeps every body (search on).
#[test]
fn findings_on_pages_whose_bodies_were_dropped_keep_their_lines_and_snippets() {
    let body = "Intro.\n\nSee [the missing page](missing.md) and [a bad anchor](#nowhere).\n";
    let findings = |search: bool| {
        let site = TestSite::new()
            .file("folio.yaml", &format!("title: T\nsearch: {search}\n"))
            .page("a.md", "A", body);
        let run = site.build();
        run.expect_code(0);
        run.stderr.clone()
    };
    let (streamed, kept) = (findings(false), findings(true));
    assert!(
        streamed.contains("6 | See [the missing page](missing.md)"),
        "{streamed}"
    );
    assert_eq!(streamed, kept);
}
