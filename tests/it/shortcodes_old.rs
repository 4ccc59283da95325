//! The old site's shortcode syntax through the real binary: inline tags without a closing
//! tag, case-insensitive names, every attribute value kind, the badge set and message
//! types, what never expands, wrapper bodies as part of the page (reference definitions,
//! table of contents, ids), and the errors for malformed uses of known shortcodes.

use crate::harness::TestSite;

/// The rendered markdown of a page, without the theme around it.
fn body_of(site: &TestSite, path: &str) -> String {
    let html = site.read(path);
    let start = html
        .find("<div class=\"page-content\">")
        .expect("content div")
        + "<div class=\"page-content\">".len();
    let end = html[start..]
        .find("</div>\n        <footer")
        .map_or(html.len(), |e| start + e);
    html[start..end].trim().to_string()
}

fn built(body: &str) -> (TestSite, String) {
    let site = TestSite::new().page("a.md", "A", body);
    site.build().expect_code(0);
    let html = body_of(&site, "public/a/index.html");
    (site, html)
}

#[test]
fn a_lone_tag_is_an_inline_shortcode() {
    let (_, html) = built("Runs on [oss] and [Enterprise].\n");
    insta::assert_snapshot!(html);
}

#[test]
fn a_site_shortcode_without_a_closing_tag_gets_its_attributes() {
    let site = TestSite::new()
        .page("api.md", "API", "Reference:\n\n[swagger api='/specs/x.yaml']\n\nThe end [swagger api=\"/y.yaml\"].\n")
        .file(
            "templates/shortcodes/swagger.html",
            "<div class=\"swagger\" data-api=\"{{ attrs.api }}\" data-inline=\"{{ inline }}\"></div>",
        );
    site.build().expect_code(0);
    let html = body_of(&site, "public/api/index.html");
    assert!(
        html.contains(
            "<div class=\"swagger\" data-api=\"/specs/x.yaml\" data-inline=\"false\"></div>"
        ),
        "{html}"
    );
    assert!(
        html.contains(
            "The end <div class=\"swagger\" data-api=\"/y.yaml\" data-inline=\"true\"></div>."
        ),
        "{html}"
    );
    assert!(!html.contains("<p><div"), "{html}");
}

#[test]
fn names_are_case_insensitive_for_builtin_and_site_templates() {
    let site = TestSite::new()
        .page(
            "a.md",
            "A",
            "[Enterprise]\nLicensed.\n[/enterprise]\n\nA [TECHPREVIEW] and [techPreview /] and [MyWidget].\n",
        )
        .file("templates/shortcodes/myWidget.html", "<b>widget</b>");
    site.build().expect_code(0);
    let html = body_of(&site, "public/a/index.html");
    assert!(html.contains("notice-enterprise"), "{html}");
    assert!(!html.contains("[/enterprise]"), "{html}");
    assert_eq!(html.matches("badge-techpreview").count(), 2, "{html}");
    assert!(html.contains("and <b>widget</b>."), "{html}");
}

#[test]
fn every_kind_of_attribute_value_arrives() {
    let site = TestSite::new()
        .page(
            "a.md",
            "A",
            "[show word=plain number=42 single='one two' double=\"three 'four'\" /]\n",
        )
        .file(
            "templates/shortcodes/show.html",
            "{% for key, value in attrs %}{{ key }}=[{{ value }}];{% endfor %}",
        );
    site.build().expect_code(0);
    let html = body_of(&site, "public/a/index.html");
    assert_eq!(
        html,
        "word=[plain];number=[42];single=[one two];double=[three &#39;four&#39;];"
    );
}

#[test]
fn each_badge_renders_with_its_size_and_type() {
    let names = [
        "beta",
        "community",
        "enterprise",
        "experimental",
        "oss",
        "preview",
        "techPreview",
    ];
    let mut md = String::new();
    for name in names {
        md.push_str(&format!("Inline [{name} type=\"inline\" size=\"small\" /] and wrapped [{name} size=large]text[/{name}].\n\n"));
        md.push_str(&format!(
            "[{name} type=inline size=medium]\n\n[{name}]\nA box.\n[/{name}]\n\n"
        ));
    }
    let (_, html) = built(&md);
    insta::assert_snapshot!(html);
}

#[test]
fn message_takes_each_type_and_a_label() {
    let mut md = String::new();
    for kind in ["note", "warning", "important", "info"] {
        md.push_str(&format!(
            "[message type={kind} label=\"About {kind}\"]\nText of the {kind}.\n[/message]\n\n"
        ));
    }
    md.push_str("[message]\nNo type is info.\n[/message]\n");
    let (_, html) = built(&md);
    insta::assert_snapshot!(html);
}

#[test]
fn code_comments_and_links_never_expand() {
    let md = "`[oss]` and `[message]x[/message]`\n\n```\n[oss]\n[enterprise]\nx\n[/enterprise]\n```\n\n    [beta]\n\n<!-- [oss] -->\n\nSee [Community](#x), [oss][ref], ![oss](o.png) and [preview].\n\n[ref]: https://example.com/ref\n[preview]: https://example.com/preview\n";
    let (_, html) = built(md);
    assert!(!html.contains("class=\"badge"), "{html}");
    assert!(html.contains("<code>[oss]</code>"), "{html}");
    assert!(html.contains("[enterprise]\nx\n[/enterprise]"), "{html}");
    assert!(html.contains("<code>[beta]\n</code>"), "{html}");
    assert!(html.contains("<a href=\"#x\">Community</a>"), "{html}");
    assert!(
        html.contains("<a href=\"https://example.com/ref\">oss</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://example.com/preview\">preview</a>"),
        "{html}"
    );
    assert!(!html.contains("[oss] --"), "{html}");
}

#[test]
fn reference_definitions_reach_wrapper_bodies_once_and_invisibly() {
    let md = "Intro [docs][1].\n\n[enterprise]\nRead [the guide][1].\n[/enterprise]\n\nText [oss]and [more][2][/oss].\n\n[oss]\nAgain [the guide][1].\n[/oss]\n\n[1]: https://example.com/guide\n[2]: https://example.com/more \"More\"\n";
    let (_, html) = built(md);
    assert_eq!(
        html.matches("href=\"https://example.com/guide\"").count(),
        3,
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://example.com/more\" title=\"More\">more</a>"),
        "{html}"
    );
    assert!(!html.contains("[1]"), "a definition shows as text:\n{html}");
    assert!(!html.contains("[2]"), "a definition shows as text:\n{html}");
    assert_eq!(
        html.matches("https://example.com/more").count(),
        1,
        "{html}"
    );
}

#[test]
fn headings_in_wrapper_bodies_are_in_the_toc_with_ids_in_page_order() {
    let md = "## Usage\n\n[enterprise]\n## Usage\n\n### Licensed steps\n[/enterprise]\n\n[Oss]\n## Usage\n[/oss]\n\n## After\n";
    let site = TestSite::new().page("a.md", "A", md);
    site.build().expect_code(0);
    let page = site.read("public/a/index.html");
    let html = body_of(&site, "public/a/index.html");
    let ids: Vec<&str> = html
        .split("<h")
        .skip(1)
        .filter_map(|tag| tag.get(1..)?.strip_prefix(" id=\"")?.split('"').next())
        .collect();
    assert_eq!(
        ids,
        ["usage", "usage-2", "licensed-steps", "usage-3", "after"]
    );
    let toc = &page[page.find("class=\"toc").expect("a toc")..];
    let positions: Vec<usize> = ids
        .iter()
        .map(|id| {
            let href = format!("href=\"#{id}\"");
            toc.find(&href)
                .unwrap_or_else(|| panic!("{href} missing from the toc:\n{toc}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "toc out of order: {positions:?}"
    );
}

#[test]
fn an_unclosed_message_is_an_error_at_its_tag() {
    let site = TestSite::new().page(
        "a.md",
        "A",
        "Intro\n\n[message type=warning]\nNever closed.\n",
    );
    site.build()
        .expect_code(1)
        .expect_stderr(
            "error[shortcode-syntax]: `[message]` is never closed\n --> content/a.md:6:1",
        )
        .expect_stderr("end it with `[/message]`");
}

#[test]
fn a_backslash_quote_is_an_error_at_the_quote() {
    let site = TestSite::new().page(
        "a.md",
        "A",
        "[message label=\"Say \\\"hi\\\"\"]\nBody\n[/message]\n",
    );
    site.build()
        .expect_code(1)
        .expect_stderr("error[shortcode-syntax]: malformed `[message]` tag: `\\\"` does not escape a quote: the value of `label` ends there\n --> content/a.md:4:21")
        .expect_stderr("put the value in single quotes");
}

#[test]
fn a_bad_type_size_or_attribute_is_an_error_at_it() {
    let site = TestSite::new().page(
        "a.md",
        "A",
        "[message type=tip]\nx\n[/message]\n\nA [oss size=huge] and [beta type=\"floating\" /] and [enterprise colour=red].\n",
    );
    site.build()
        .expect_code(1)
        .expect_stderr("error[shortcode-attribute]: `[message]` has no type `tip`\n --> content/a.md:4:15")
        .expect_stderr("error[shortcode-attribute]: `[oss]` has no size `huge`\n --> content/a.md:8:13")
        .expect_stderr("use size=`small`, `medium`, `large`")
        .expect_stderr("error[shortcode-attribute]: `[beta]` has no type `floating`\n --> content/a.md:8:34")
        .expect_stderr("error[shortcode-attribute]: `[enterprise]` has no attribute `colour`\n --> content/a.md:8:64")
        .expect_stderr("`[enterprise]` takes type, size");
}

#[test]
fn prose_in_brackets_stays_text() {
    let (_, html) = built(
        "Tick [x] the [message] field; use the [search] box, the [search algorithm] and [INFO] lines.\n",
    );
    assert_eq!(
        html,
        "<p>Tick [x] the [message] field; use the [search] box, the [search algorithm] and [INFO] lines.</p>"
    );
}

#[test]
fn a_wrapper_inside_a_list_item_or_a_quote_stays_inside_it() {
    let md = "1. Step one.\n\n    [enterprise]\n    Licensed step.\n    [/enterprise]\n\n2. Step two.\n\n> [oss]\n> Quoted body.\n> [/oss]\n";
    let (_, html) = built(md);
    let item = &html[html.find("<li>").expect("a list")..html.find("</li>").expect("item end")];
    assert!(item.contains("notice-enterprise"), "{html}");
    assert!(item.contains("<p>Licensed step.</p>"), "{html}");
    assert!(
        html.contains("<ol start=\"1\">") || html.contains("<ol>"),
        "{html}"
    );
    assert_eq!(html.matches("<li>").count(), 2, "{html}");
    let quote = &html[html.find("<blockquote>").expect("a quote")..];
    assert!(quote.contains("notice-oss"), "{html}");
    assert!(quote.contains("<p>Quoted body.</p>"), "{html}");
    assert_eq!(html.matches("<blockquote>").count(), 1, "{html}");
}
