//! Markdown, includes and shortcodes, through the real binary.

use crate::harness::TestSite;

fn body_of(site: &TestSite, path: &str) -> String {
    let html = site.read(path);
    let start = html
        .find("<div class=\"page-content\">")
        .expect("content div");
    let end = html[start..]
        .find("</article>")
        .map_or(html.len(), |e| start + e);
    html[start..end].to_string()
}

#[test]
fn markdown_extensions_and_raw_html() {
    let md = "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quoted\" -- dash\n\nNote[^1].\n\n[^1]: The note.\n\n<div class=\"raw\">kept</div>\n\n## Custom {#my-id .wide}\n";
    let site = TestSite::new().page("a.md", "A", md);
    site.build().expect_code(0);
    let html = body_of(&site, "public/a/index.html");
    for needle in [
        "<td>1</td>",
        "<del>old</del>",
        "“quoted”",
        "–",
        "footnote-definition",
        "<div class=\"raw\">kept</div>",
        "<h2 id=\"my-id\" class=\"wide\">",
    ] {
        assert!(html.contains(needle), "missing {needle:?} in\n{html}");
    }
}

#[test]
fn comments_never_reach_the_output_but_stay_in_code() {
    let md = "before\n\n<!-- hidden section\n\n## Hidden heading\n\nstill hidden\n-->\n\nafter <!-- inline --> text\n\n`<!-- code span -->`\n\n```\n<!-- in a block -->\n```\n";
    let site = TestSite::new().page("a.md", "A", md);
    site.build().expect_code(0);
    let html = body_of(&site, "public/a/index.html");
    assert!(!html.contains("hidden"), "{html}");
    assert!(html.contains("after  text"), "{html}");
    assert!(html.contains("&lt;!-- code span --&gt;"), "{html}");
    assert!(html.contains("&lt;!-- in a block --&gt;"), "{html}");
}

#[test]
fn headings_get_unique_ids_anchors_and_a_toc() {
    let md = "## Install\n\n## Install\n\n### Step {x}\n";
    let site = TestSite::new().page("a.md", "A", md).file(
        "templates/page.html",
        "{{ page.content | safe }}{% for h in page.toc %}[{{ h.id }}]{% endfor %}",
    );
    site.build().expect_code(0);
    let html = site.read("public/a/index.html");
    assert!(
        html.contains("<h2 id=\"install\">Install <a class=\"anchor\" href=\"#install\""),
        "{html}"
    );
    assert!(html.contains("<h2 id=\"install-2\">"), "{html}");
    assert!(html.contains("<h3 id=\"step-x\">Step {x}"), "{html}");
    assert!(html.ends_with("[install][install-2]"), "{html}");
}

#[test]
fn links_to_markdown_files_become_page_urls() {
    let md = "[sib](other.md) [up](../index.md#top) [root](/guide/setup.md) [ext](https://x.org/a.md) [asset](img.png)\n";
    let site = TestSite::new()
        .page("guide/intro.md", "Intro", md)
        .page("guide/other.md", "O", "")
        .page("index.md", "H", "")
        .page("guide/setup.md", "S", "");
    site.build().expect_code(0);
    let html = body_of(&site, "public/guide/intro/index.html");
    for href in [
        "href=\"/guide/other/\"",
        "href=\"/#top\"",
        "href=\"/guide/setup/\"",
        "href=\"https://x.org/a.md\"",
        "href=\"/guide/img.png\"",
    ] {
        assert!(html.contains(href), "missing {href} in\n{html}");
    }
}

#[test]
fn template_syntax_in_code_comes_out_verbatim() {
    let md = "Use `{{ .Values.name }}` here.\n\n```text\nname: \"{{ .Release.Name }}\"\n{% raw %}\n```\n";
    let site = TestSite::new().page("a.md", "A", md);
    site.build().expect_code(0);
    let html = body_of(&site, "public/a/index.html");
    assert!(html.contains("<code>{{ .Values.name }}</code>"), "{html}");
    assert!(
        html.contains("name: \"{{ .Release.Name }}\"\n{% raw %}"),
        "{html}"
    );
}

#[test]
fn includes_expand_recursively_from_the_content_root() {
    let site = TestSite::new()
        .page(
            "guide/a.md",
            "A",
            "Intro\n\n#include /shared/outer.tmpl\n\n```\n#include /not/expanded.tmpl\n```\n",
        )
        .file(
            "content/shared/outer.tmpl",
            "Outer text\n\n#include /shared/inner.tmpl\n",
        )
        .file("content/shared/inner.tmpl", "<!-- gone -->Inner **text**\n");
    site.build().expect_code(0);
    let html = body_of(&site, "public/guide/a/index.html");
    assert!(html.contains("<p>Outer text</p>"), "{html}");
    assert!(
        html.contains("<p>Inner <strong>text</strong></p>"),
        "{html}"
    );
    assert!(html.contains("#include /not/expanded.tmpl"), "{html}");
}

#[test]
fn a_missing_include_names_the_line() {
    let site = TestSite::new().page("a.md", "A", "one\n#include /shared/nope.tmpl\n");
    site.build().expect_code(1).expect_stderr("error[include-missing]: included file `content/shared/nope.tmpl` does not exist\n --> content/a.md:5:10");
}

#[test]
fn an_include_cycle_shows_the_chain() {
    let site = TestSite::new()
        .page("a.md", "A", "#include /x.tmpl\n")
        .file("content/x.tmpl", "x\n#include /y.tmpl\n")
        .file("content/y.tmpl", "#include /x.tmpl\n");
    site.build()
        .expect_code(1)
        .expect_stderr("error[include-cycle]: include cycle: content/a.md -> content/x.tmpl -> content/y.tmpl -> content/x.tmpl\n --> content/y.tmpl:1:10");
}

#[test]
fn an_include_leaving_the_root_is_refused() {
    let site = TestSite::new()
        .page("a.md", "A", "#include /../folio.yaml\n")
        .file("folio.yaml", "title: secret\n");
    site.build().expect_code(1).expect_stderr("error[include-outside-root]: `#include /../folio.yaml` leaves the content folder\n --> content/a.md:4:10");
}

#[test]
fn builtin_shortcodes_render_block_and_inline() {
    let md = "[message type=\"warning\" title=\"Careful\"]\nBack up **first**.\n[/message]\n\nA [beta /] feature and [button color=\"purple\" href=\"/dkp/\"]Back[/button].\n\n[experimental]\n[/experimental]\n\n[experimental][Kiali][kiali][/experimental]\n\n[kiali]: https://kiali.io\n";
    let site = TestSite::new().page("a.md", "A", md);
    site.build().expect_code(0);
    let html = body_of(&site, "public/a/index.html");
    assert!(html.contains("message-warning"), "{html}");
    assert!(html.contains("<strong>first</strong>"), "{html}");
    assert!(
        html.contains("class=\"button button-purple\" href=\"/dkp/\""),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://kiali.io\">Kiali</a>"),
        "{html}"
    );
    assert!(!html.contains("[/experimental]"), "{html}");
    assert!(
        !html.contains("<p><aside") && !html.contains("<p><div"),
        "block inside a paragraph:\n{html}"
    );
}

#[test]
fn shortcodes_are_not_expanded_in_code_comments_or_links() {
    let md = "`[beta /]`\n\n```\n[message]x[/message]\n```\n\n<!-- [warnbox]x[/warnbox] -->\n\nSee [Enterprise](../license) and [beta][b].\n\n[b]: https://b.example\n";
    let site = TestSite::new().page("a.md", "A", md);
    site.build().expect_code(0);
    let html = body_of(&site, "public/a/index.html");
    assert!(html.contains("<code>[beta /]</code>"), "{html}");
    assert!(html.contains("[message]x[/message]"), "{html}");
    assert!(
        html.contains("<a href=\"../license\">Enterprise</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://b.example\">beta</a>"),
        "{html}"
    );
}

#[test]
fn site_shortcodes_override_and_extend_the_builtins() {
    let site = TestSite::new()
        .page("a.md", "A", "[note who=\"docs\"]Hi[/note] [beta /]\n")
        .file(
            "templates/shortcodes/note.html",
            "<b data-who=\"{{ attrs.who }}\">{{ body }}</b>",
        )
        .file("templates/shortcodes/beta.html", "<i>BETA</i>");
    site.build().expect_code(0);
    let html = site.read("public/a/index.html");
    assert!(
        html.contains("<b data-who=\"docs\">Hi</b> <i>BETA</i>"),
        "{html}"
    );
}

#[test]
fn an_unknown_shortcode_is_an_error_with_its_line() {
    let site = TestSite::new().page("a.md", "A", "text\n\n[warnbox level=2]\nx\n[/warnbox]\n");
    site.build()
        .expect_code(1)
        .expect_stderr("error[unknown-shortcode]: unknown shortcode `[warnbox]`\n --> content/a.md:6:1")
        .expect_stderr("add `templates/shortcodes/warnbox.html`, or use one of: beta, button, community, compatibility_matrix, compatibility_table, enterprise, experimental, kubernetes_table, latest_version, message, oss, prerequisites, preview, runs_on, search, support_status, support_timeline, supported_lines, techPreview, unsupported_combinations, upgrade_paths, versions_policy");
}

#[test]
fn attribute_values_are_escaped() {
    let site = TestSite::new().page(
        "a.md",
        "A",
        "[button color='x\"><script>' href=\"/a\"]Go[/button]\n",
    );
    site.build().expect_code(0);
    let html = site.read("public/a/index.html");
    assert!(!html.contains("x\"><script>"), "{html}");
    assert!(html.contains("x&quot;&gt;&lt;script&gt;"), "{html}");
}

/// Pages of markdown links alone have them rewritten while rendering; the others go
/// through the HTML pass. Both must give what the HTML pass gives on the finished page:
/// the same HTML, links and ids, on the example site and on the whole corpus.
#[test]
fn rewriting_links_while_rendering_gives_what_the_html_pass_gives() {
    for root in [
        crate::harness::repo_root(),
        crate::harness::shared_dir().join("corpus"),
    ] {
        let args = folio::cli::SiteArgs {
            root: root.clone(),
            env: None,
            format: folio::diag::render::Format::Human,
            as_of: Some(jiff::civil::date(2026, 1, 1)),
            dataset: None,
            drafts: true,
            drafts_by_default: true,
        };
        let options = folio::cmd::resolve_site(&args).expect("options");
        let base_path = options.config.base_path();
        let built = folio::pipeline::build_site(&options, &|_| {});
        for (page, md) in built.pages.iter().zip(&built.markdown) {
            // The search page gets the search UI after both passes.
            let Some(md) = md.as_ref().filter(|_| page.url != "/search/") else {
                continue;
            };
            let again = folio::markdown::links::rewrite_html(&md.html, &page.rel_path, &base_path);
            let rendered = |links: &[folio::markdown::SourceLink]| {
                links.iter().map(|l| l.rendered.clone()).collect::<Vec<_>>()
            };
            assert_eq!(again.html, md.html, "{}", page.rel_path);
            assert_eq!(
                rendered(&again.links),
                rendered(&md.links),
                "{}",
                page.rel_path
            );
            assert_eq!(again.ids, md.ids, "{}", page.rel_path);
        }
    }
}
