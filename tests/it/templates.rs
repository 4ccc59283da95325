//! Layouts, template context and navigation.

use crate::harness::TestSite;

#[test]
fn layout_names_map_to_templates() {
    let site = TestSite::new()
        .file("folio.yaml", "layouts:\n  landing.pug: home.html\n")
        .file("content/a.md", "---\ntitle: A\nlayout: layout.pug\n---\n")
        .file("content/b.md", "---\ntitle: B\nlayout: landing.pug\n---\n")
        .file("templates/layout.html", "layout:{{ page.title }}")
        .file("templates/home.html", "home:{{ page.title }}");
    site.build().expect_code(0);
    assert_eq!(site.read("public/a/index.html"), "layout:A");
    assert_eq!(site.read("public/b/index.html"), "home:B");
}

#[test]
fn an_unknown_layout_lists_the_available_ones() {
    let site = TestSite::new()
        .file("content/a.md", "---\ntitle: A\nlayout: fancy.pug\n---\n")
        .file("templates/layout.html", "x");
    site.build()
        .expect_code(1)
        .expect_stderr(
            "error[unknown-layout]: layout `fancy.pug` has no template\n --> content/a.md:3:1",
        )
        .expect_stderr("use one of: 404.html, base.html, layout.html, page.html");
}

#[test]
fn without_templates_an_unknown_layout_falls_back_with_one_warning_per_name() {
    let site = TestSite::new()
        .file(
            "content/a.md",
            "---\ntitle: A\nlayout: konvoy-docs-landing.pug\n---\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: B\nlayout: konvoy-docs-landing.pug\n---\n",
        )
        .file("content/c.md", "---\ntitle: C\nlayout: layout.pug \n---\n");
    let run = site.build();
    run.expect_code(0)
        .expect_stderr("warning[unknown-layout]: layout `konvoy-docs-landing.pug` has no template; 2 pages use the built-in page template instead")
        .expect_stderr("warning[unknown-layout]: layout `layout.pug` has no template; 1 page uses");
    assert_eq!(
        run.stderr.matches("warning[unknown-layout]").count(),
        2,
        "{}",
        run.stderr
    );
    assert!(site.read("public/b/index.html").contains("<title>B"));
}

#[test]
fn a_template_error_points_into_the_template() {
    let site = TestSite::new()
        .page("a.md", "A", "")
        .page("b.md", "B", "")
        .file(
            "templates/page.html",
            "<h1>{{ page.title }}</h1>\n{{ page.no_such_field }}\n",
        );
    let run = site.build();
    run.expect_code(1)
        .expect_stderr("--> templates/page.html:2:")
        .expect_stderr("(and 1 more pages)");
    assert_eq!(
        run.stderr.matches("error[template]").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn a_template_syntax_error_is_reported() {
    let site = TestSite::new()
        .page("a.md", "A", "")
        .file("templates/page.html", "{% if %}\n");
    site.build()
        .expect_code(1)
        .expect_stderr("error[template]")
        .expect_stderr("--> templates/page.html:1:");
}

#[test]
fn templates_see_page_site_nav_breadcrumbs_and_neighbours() {
    let template = "{{ site.title }}|{{ page.title }}|{{ page.url }}|{{ page.badges | join(sep=\",\") }}|\
{% for c in breadcrumbs %}{{ c.title }}>{% endfor %}|\
{% for n in nav %}{{ n.title }}{% if n.active %}*{% endif %}({% for c in n.children %}{{ c.title }}{% if c.current %}!{% endif %} {% endfor %}) {% endfor %}|\
{% if prev %}{{ prev.title }}{% endif %}<>{% if next %}{{ next.title }}{% endif %}";
    let site = TestSite::new()
        .file("folio.yaml", "title: Docs\n")
        .file("templates/page.html", template)
        .page("index.md", "Home", "")
        .file(
            "content/guide/index.md",
            "---\ntitle: Guide\nmenuWeight: 1\n---\n",
        )
        .file(
            "content/guide/b.md",
            "---\ntitle: Bee\nmenuWeight: 2\nbeta: true\nenterprise: true\n---\n",
        )
        .file(
            "content/guide/a.md",
            "---\ntitle: Long title\nnavigationTitle: Ay\nmenuWeight: 1\n---\n",
        )
        .file(
            "content/guide/secret.md",
            "---\ntitle: Secret\nmenuWeight: -1\n---\n",
        )
        .file(
            "content/zoo/index.md",
            "---\ntitle: Zoo\nmenuWeight: 9\n---\n",
        );
    site.build().expect_code(0);
    assert_eq!(
        site.read("public/guide/b/index.html"),
        "Docs|Bee|/guide/b/|beta,enterprise|Home>Guide>Bee>|Guide*(Ay Bee! ) Zoo() |Ay<>"
    );
    assert!(
        site.read("public/guide/secret/index.html")
            .contains("|Secret|"),
        "hidden pages are still built"
    );
}

#[test]
fn front_matter_values_are_html_escaped() {
    let site = TestSite::new().file(
        "content/a.md",
        "---\ntitle: \"<script>alert(1)</script>\"\nexcerpt: \"a & b\"\n---\n",
    );
    site.build().expect_code(0);
    let html = site.read("public/a/index.html");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
}

#[test]
fn rendered_page_snapshot() {
    let site = TestSite::new()
        .file("folio.yaml", "title: Snapshot Docs\n")
        .page("index.md", "Home", "Welcome.\n")
        .file("content/guide/index.md", "---\ntitle: Guide\nmenuWeight: 1\nbeta: true\nexcerpt: How to start\n---\n## Setup\n\nRun `tool` then see [next](next.md).\n\n### Details\n\n[message type=\"info\"]\nNote **this**.\n[/message]\n")
        .page("guide/next.md", "Next", "Done.\n");
    // A fixed build date: "Last updated" (the file time, clamped to it) stays put.
    site.folio(&["build", "{root}", "--quiet", "--as-of", "2026-11-22"])
        .expect_code(0);
    insta::assert_snapshot!("guide_page", site.read("public/guide/index.html"));
}

#[test]
fn diagnostics_snapshot() {
    let site = TestSite::new()
        .file("content/a.md", "---\ntitle: A\nmenuweight: 3\nmenuWeight: high\n---\n#include /missing.tmpl\n\n[warnbox]x[/warnbox]\n")
        .file("content/b.md", "# Only a heading\n");
    let run = site.build();
    run.expect_code(1);
    let diagnostics: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.starts_with("error: build failed"))
        .collect();
    run.expect_stderr("error: build failed with 2 error(s) and 2 warning(s)");
    insta::assert_snapshot!("bad_site_diagnostics", diagnostics.join("\n"));
}
