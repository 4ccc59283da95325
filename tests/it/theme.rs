//! The built-in theme as a reader meets it: page titles, one H1, the table of contents on
//! narrow screens, the 404 page in the site's own look, dates that do not wrap, the theme
//! toggle, and previous/next links that stay in their product line.

use crate::harness::{TestSite, example_site_copy};

/// The one `<title>` of `html`.
fn title(html: &str) -> &str {
    let start = html.find("<title>").expect("a <title>") + "<title>".len();
    let end = html[start..].find("</title>").expect("</title>");
    &html[start..start + end]
}

/// The `href` of the link with `rel="REL"`, if the page has one.
fn rel_link<'a>(html: &'a str, rel: &str) -> Option<&'a str> {
    let at = html.find(&format!("rel=\"{rel}\" href=\""))?;
    let start = at + format!("rel=\"{rel}\" href=\"").len();
    let end = html[start..].find('"')?;
    Some(&html[start..start + end])
}

#[test]
fn the_home_page_title_is_the_site_title_once() {
    let site = TestSite::new()
        .file("folio.yaml", "title: Docs\n")
        .page("index.md", "Docs", "Welcome.\n")
        .page("guide.md", "Guide", "Read me.\n")
        .page("about/index.md", "Docs", "Same name.\n");
    site.build().expect_code(0);
    assert_eq!(title(&site.read("public/index.html")), "Docs");
    assert_eq!(title(&site.read("public/guide/index.html")), "Guide | Docs");
    assert_eq!(title(&site.read("public/about/index.html")), "Docs");
}

#[test]
fn a_home_page_with_its_own_title_is_named_by_it() {
    let site = TestSite::new().file("folio.yaml", "title: Docs\n").page(
        "index.md",
        "D2iQ Documentation",
        "Welcome.\n",
    );
    site.build().expect_code(0);
    assert_eq!(title(&site.read("public/index.html")), "D2iQ Documentation");
}

#[test]
fn a_page_that_opens_with_a_heading_shows_one_h1_and_keeps_badges_and_toc() {
    let site = TestSite::new().file(
        "content/a.md",
        "---\ntitle: Front title\nbeta: true\n---\n# Installing *Konvoy*\n\nIntro.\n\n## Prepare\n\nText.\n",
    );
    site.build().expect_code(0);
    let html = site.read("public/a/index.html");
    assert_eq!(html.matches("<h1").count(), 1, "{html}");
    let header = &html[html.find("<header class=\"page-header\">").expect("header")..];
    let header = &header[..header.find("</header>").expect("end")];
    assert!(
        header.contains("<h1 id=\"installing-konvoy\">Installing <em>Konvoy</em>"),
        "{header}"
    );
    assert!(header.contains("badge-beta"), "{header}");
    assert_eq!(title(&html), "Front title | Documentation");
    let content = &html[html.find("<div class=\"page-content\">").expect("content")..];
    assert!(
        content
            .trim_start_matches("<div class=\"page-content\">")
            .trim_start()
            .starts_with("<p>Intro.")
    );
    assert_eq!(
        html.matches("<a href=\"#prepare\">Prepare</a>").count(),
        2,
        "side and inline TOC"
    );
}

#[test]
fn a_heading_later_in_the_page_does_not_replace_the_title() {
    let site = TestSite::new().page("a.md", "Title", "Intro.\n\n# Later\n");
    site.build().expect_code(0);
    let html = site.read("public/a/index.html");
    assert!(html.contains("<h1>Title</h1>"), "{html}");
    assert_eq!(html.matches("<h1").count(), 2, "{html}");
}

#[test]
fn phones_get_the_table_of_contents_above_the_content() {
    let site = TestSite::new().page("a.md", "A", "## One\n\n### Two\n\ntext\n");
    site.build().expect_code(0);
    let html = site.read("public/a/index.html");
    let inline = html
        .find("<details class=\"toc-inline\">")
        .expect("inline TOC");
    assert!(inline < html.find("<div class=\"page-content\">").expect("content"));
    let details = &html[inline..html[inline..].find("</details>").expect("end") + inline];
    assert!(
        details.contains("<summary>On this page</summary>"),
        "{details}"
    );
    assert!(details.contains("href=\"#one\"") && details.contains("href=\"#two\""));
    let css = site.read("public/_folio/style.css");
    assert!(
        css.contains(".toc-inline { display: block; }"),
        "shown when the column is not"
    );
}

#[test]
fn the_built_in_404_carries_the_site_page_template() {
    let site = TestSite::new()
        .file("folio.yaml", "title: Shop Docs\n")
        .page("index.md", "Home", "Hi.\n")
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block head %}<link rel=\"stylesheet\" href=\"/css/site.css\">{% endblock head %}\n{% block footer %}<p>Shop footer</p>{% endblock footer %}\n",
        );
    site.build().expect_code(0);
    let html = site.read("public/404.html");
    assert!(html.contains("href=\"/css/site.css\""), "{html}");
    assert!(html.contains("<p>Shop footer</p>"), "{html}");
    assert!(
        html.contains("<title>Page not found | Shop Docs</title>"),
        "{html}"
    );
    assert!(html.contains("Nothing lives at this address."), "{html}");
    assert!(html.contains("<h1>Page not found</h1>"), "{html}");
}

#[test]
fn a_page_template_of_its_own_serves_the_404_too() {
    let site = TestSite::new()
        .page("index.md", "Home", "Hi.\n")
        .file(
            "templates/page.html",
            "<!doctype html><title>{{ page.title }}</title><main>{{ page.content | safe }}</main>{{ page.front_matter | length }}\n",
        );
    site.build().expect_code(0);
    let html = site.read("public/404.html");
    assert!(
        html.starts_with("<!doctype html><title>Page not found</title><main>"),
        "{html}"
    );
    assert!(html.contains("Nothing lives at this address."), "{html}");
}

#[test]
fn the_example_site_404_has_its_logo_stylesheet_and_footer() {
    let site = example_site_copy();
    site.build().expect_code(0);
    let html = site.read("public/404.html");
    assert!(html.contains("href=\"/css/site.css\""), "{html}");
    assert!(html.contains("href=\"/favicon.svg\""), "{html}");
    assert!(html.contains("Content for demonstration only"), "{html}");
}

#[test]
fn ga_dates_are_time_elements_that_do_not_wrap() {
    let site = example_site_copy();
    site.build().expect_code(0);
    let html = site.read("public/dkp/konvoy/2.1/version-policy/index.html");
    assert!(
        html.contains("generally available <time datetime=\"2021-11-18\">2021-11-18</time>"),
        "{html}"
    );
    let css = site.read("public/_folio/style.css");
    assert!(css.contains("time { white-space: nowrap; }"));
}

#[test]
fn the_theme_toggle_is_in_the_header_and_applied_before_the_stylesheet() {
    let site = TestSite::new().page("index.md", "Home", "Hi.\n");
    site.build().expect_code(0);
    let html = site.read("public/index.html");
    let stored = html
        .find("localStorage.getItem(\"folio-theme\")")
        .expect("early script");
    assert!(stored < html.find("rel=\"stylesheet\"").expect("stylesheet"));
    let header = &html[html.find("<header class=\"site-header\">").expect("header")..];
    let header = &header[..header.find("</header>").expect("end")];
    assert!(
        header.contains("<button type=\"button\" class=\"theme-toggle\" id=\"theme-toggle\" aria-pressed=\"false\" hidden>"),
        "hidden until its script runs: {header}"
    );
    assert!(header.contains("<script src=\"/_folio/theme.js\" defer></script>"));
    assert!(
        site.read("public/_folio/theme.js")
            .contains("localStorage.setItem(\"folio-theme\"")
    );
}

#[test]
fn the_menu_checkbox_exists_only_for_narrow_screens() {
    let site = TestSite::new().page("index.md", "Home", "Hi.\n");
    site.build().expect_code(0);
    let css = site.read("public/_folio/style.css");
    assert!(css.contains(".nav-toggle, .nav-toggle-label { display: none; }"));
    let narrow = &css[css.find("@media (max-width: 50rem)").expect("narrow")..];
    assert!(
        narrow.contains(".nav-toggle {\n    display: block;"),
        "{narrow}"
    );
}

#[test]
fn previous_and_next_stay_in_the_section_and_skip_drafts() {
    let site = TestSite::new()
        .page("index.md", "Home", "")
        .file("content/a/index.md", "---\ntitle: A\nmenuWeight: 1\n---\n")
        .file("content/a/one.md", "---\ntitle: One\nmenuWeight: 1\n---\n")
        .file(
            "content/a/wip.md",
            "---\ntitle: WIP\nmenuWeight: 2\ndraft: true\n---\n",
        )
        .file("content/a/two.md", "---\ntitle: Two\nmenuWeight: 3\n---\n")
        .file("content/b/index.md", "---\ntitle: B\nmenuWeight: 2\n---\n");
    site.build().expect_code(0);
    let page = |p: &str| site.read(&format!("public/{p}index.html"));
    assert_eq!(rel_link(&page("a/one/"), "next"), Some("/a/two/"));
    assert_eq!(rel_link(&page("a/two/"), "prev"), Some("/a/one/"));
    assert_eq!(
        rel_link(&page("a/two/"), "next"),
        None,
        "b/ is another section"
    );
    assert_eq!(rel_link(&page("b/"), "prev"), None);
    assert_eq!(
        rel_link(&page(""), "next"),
        None,
        "a/ is another section than the top-level pages"
    );
}

#[test]
fn pages_at_the_top_of_content_are_one_section() {
    let site = TestSite::new()
        .page("index.md", "Home", "")
        .file(
            "content/install.md",
            "---\ntitle: Install\nmenuWeight: 1\n---\n",
        )
        .file(
            "content/usage.md",
            "---\ntitle: Usage\nmenuWeight: 2\n---\n",
        );
    site.build().expect_code(0);
    let home = site.read("public/index.html");
    assert_eq!(rel_link(&home, "next"), Some("/install/"));
    let usage = site.read("public/usage/index.html");
    assert_eq!(rel_link(&usage, "prev"), Some("/install/"));
}

#[test]
fn previous_and_next_stay_in_their_product_line_on_the_example_site() {
    let site = example_site_copy();
    site.build().expect_code(0);
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(site.root().join("public/dkp")) {
        let entry = entry.expect("walk");
        if entry.file_name() != "index.html" {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).expect("read");
        let url = format!(
            "/{}/",
            entry
                .path()
                .parent()
                .expect("folder")
                .strip_prefix(site.root().join("public"))
                .expect("inside")
                .display()
        );
        let line: Vec<&str> = url.split('/').take(4).collect();
        for link in [rel_link(&html, "prev"), rel_link(&html, "next")]
            .into_iter()
            .flatten()
        {
            let target: Vec<&str> = link.split('/').take(4).collect();
            assert_eq!(target, line, "{url} links to {link}");
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} links");
}

#[test]
fn a_page_template_that_needs_real_pages_leaves_the_404_to_the_built_in_one() {
    let site = TestSite::new()
        .file("content/a.md", "---\ntitle: A\nowner: docs team\n---\n")
        .file(
            "templates/page.html",
            "{{ page.front_matter.owner }}|{{ page.title }}",
        );
    site.build().expect_code(0);
    assert_eq!(site.read("public/a/index.html"), "docs team|A");
    let html = site.read("public/404.html");
    assert!(html.contains("<h1>Page not found</h1>"), "{html}");
    assert!(html.contains("Nothing lives at this address."), "{html}");
}

#[test]
fn a_page_without_sections_gets_no_table_of_contents() {
    let site = TestSite::new()
        .page("a.md", "A", "# Only a title\n\ntext\n\n#### Too deep\n")
        .page("b.md", "B", "# Title\n\n## Part\n");
    site.build().expect_code(0);
    let a = site.read("public/a/index.html");
    assert!(
        !a.contains("class=\"toc-inline\"") && !a.contains("class=\"toc-title\""),
        "{a}"
    );
    let b = site.read("public/b/index.html");
    assert!(
        b.contains("class=\"toc-inline\"") && b.contains("class=\"toc-title\""),
        "{b}"
    );
}
