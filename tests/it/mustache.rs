//! Mustache pages (`render: mustache` with a `model` file) and `load_data` in shortcode
//! and page templates, through the real binary.

use crate::harness::{Finding, TestSite};

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

/// `folio check`'s findings, less the missing home page most of these sites lack.
fn check(site: &TestSite) -> Vec<Finding> {
    let run = site.folio(&["check", "{root}", "--format", "json"]);
    let findings = run.findings().into_iter();
    findings.filter(|f| f.code() != "missing-parent").collect()
}

fn only(findings: &[Finding], code: &str) -> Finding {
    let matching: Vec<&Finding> = findings.iter().filter(|f| f.code() == code).collect();
    assert_eq!(matching.len(), 1, "one {code} expected in {findings:?}");
    matching[0].clone()
}

const GATEWAY: &str = "---
title: Gateway
render: mustache
model: gateway.yaml
owner: \"Ops & <Dev> 'team'\"
---
Owner: {{ owner }} | raw {{{ owner }}} | amp {{& owner }}

{{#model.features}}
- {{ name }}{{#beta}} (beta){{/beta}}
{{/model.features}}

{{^model.deprecated}}Nothing is deprecated.{{/model.deprecated}}
{{#model.deprecated}}Something is deprecated.{{/model.deprecated}}

{{#model.server}}Served on port {{ port }} by {{ model.server.host }}.{{/model.server}}

Missing: [{{ model.nope }}] [{{ nothing.at.all }}]

![flow]({{ model.img }}/flow.png) and [the guide]({{ model.base }}/guide/)

```sh
curl https://{{{ model.server.host }}}:{{ model.server.port }}/health
```
{{! writers' note: never shown }}
";

const GATEWAY_MODEL: &str = "features:
  - name: Routing
    beta: false
  - name: Rate <limits>
    beta: true
deprecated: false
server:
  host: gw.example.com
  port: 8443
img: /img
base: https://docs.example.com
";

fn gateway_site() -> TestSite {
    TestSite::new()
        .file("content/api/gateway.md", GATEWAY)
        .file("content/api/gateway.yaml", GATEWAY_MODEL)
        .file("content/img/flow.png", "png")
        .page("index.md", "Home", "Home\n")
        .page("api/index.md", "API", "API\n")
}

#[test]
fn a_mustache_page_renders_its_front_matter_and_relative_model() {
    let site = gateway_site();
    site.build().expect_code(0);
    let html = body_of(&site, "public/api/gateway/index.html");
    for needle in [
        // `{{x}}` escapes `& < > '`; markdown reads the entities back as text.
        "Owner: Ops &amp; &lt;Dev&gt; 'team' |",
        // Raw values reach markdown as HTML: `<Dev>` is an unknown tag, kept as is.
        "raw Ops &amp; <Dev> ‘team’ | amp Ops &amp; <Dev> ‘team’",
        "<li>Routing</li>",
        "<li>Rate &lt;limits&gt; (beta)</li>",
        "Nothing is deprecated.",
        "Served on port 8443 by gw.example.com.",
        "Missing: [] []",
        "src=\"/img/flow.png\"",
        "href=\"https://docs.example.com/guide/\"",
        "https://gw.example.com:8443/health",
    ] {
        assert!(html.contains(needle), "missing {needle:?} in\n{html}");
    }
    for absent in ["{{", "Something is deprecated", "writers' note"] {
        assert!(!html.contains(absent), "{absent:?} in\n{html}");
    }
    assert!(check(&site).is_empty(), "{:?}", check(&site));
}

#[test]
fn models_come_from_the_content_root_with_a_slash_or_not_at_all() {
    let site = TestSite::new()
        .file(
            "content/guide/rooted.md",
            "---\ntitle: Rooted\nrender: mustache\nmodel: /shared/ports.json\n---\n{{#model.ports}}port {{.}}; {{/model.ports}}{{model.ports.length}} ports\n",
        )
        .file("content/shared/ports.json", "{\"ports\": [80, 443]}")
        .file(
            "content/guide/bare.md",
            "---\ntitle: Bare\nrender: mustache\nproduct_name: Gateway\n---\n{{ title }} for {{ product_name }}{{ model.anything }}.\n",
        );
    site.build().expect_code(0);
    let rooted = body_of(&site, "public/guide/rooted/index.html");
    assert!(rooted.contains("port 80; port 443; 2 ports"), "{rooted}");
    let bare = body_of(&site, "public/guide/bare/index.html");
    assert!(bare.contains("Bare for Gateway."), "{bare}");
    let warning = only(&check(&site), "mustache-no-model");
    assert_eq!(
        warning.message(),
        "`{{ model.anything }}` reads the model, but `content/guide/bare.md` names no `model` file: it prints nothing"
    );
    assert_eq!((warning.line(), warning.column()), (Some(6), Some(35)));
}

#[test]
fn pages_without_render_mustache_keep_their_braces() {
    let go = "Set `{{ .Values.image.tag }}` here.\n\n```yaml\nimage: \"{{ .Values.image }}\"\nname: '{{ $.spec.name }}'\n```\n\nJSONPath: {{ range .items }}{{ .metadata.name }}{{ end }}\n";
    let site = TestSite::new().page("helm.md", "Helm", go);
    assert!(check(&site).is_empty(), "{:?}", check(&site));
    site.build().expect_code(0);
    let html = body_of(&site, "public/helm/index.html");
    for needle in [
        "<code>{{ .Values.image.tag }}</code>",
        "&quot;{{ .Values.image }}&quot;",
        "{{ $.spec.name }}",
        "{{ range .items }}{{ .metadata.name }}{{ end }}",
    ] {
        assert!(html.contains(needle), "missing {needle:?} in\n{html}");
    }
}

#[test]
fn a_model_tag_on_a_page_without_render_mustache_is_a_warning_at_the_tag() {
    let site = TestSite::new()
        .page(
            "a.md",
            "A",
            "Intro\n\nThe host is {{  model.host }} and {{#model.ports}}x{{/model.ports}}.\n",
        )
        .file("content/b.md", "---\ntitle: B\nmodel: b.yaml\n---\nB\n");
    let findings = check(&site);
    let tags: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.file() == Some("content/a.md"))
        .collect();
    assert_eq!(tags.len(), 1, "{findings:?}");
    assert_eq!(tags[0].code(), "mustache-not-enabled");
    assert_eq!(
        tags[0].message(),
        "`{{  model.host }}` is a Mustache tag, but this page has no `render: mustache`: it stays as written (and 1 more on this page)"
    );
    assert_eq!((tags[0].line(), tags[0].column()), (Some(6), Some(13)));
    assert_eq!(tags[0]["position"]["len"], 17);
    let key = findings
        .iter()
        .find(|f| f.file() == Some("content/b.md"))
        .expect("model warning");
    assert_eq!(
        key.message(),
        "`model` is only read by pages with `render: mustache`"
    );
    assert_eq!(key.line(), Some(3));
    site.build().expect_code(0);
    assert!(
        site.read("public/a/index.html")
            .contains("{{  model.host }}")
    );
}

#[test]
fn any_other_render_value_is_an_error_at_its_line() {
    let site = TestSite::new().file(
        "content/a.md",
        "---\ntitle: A\nrender: handlebars\n---\nA\n",
    );
    let error = only(&check(&site), "front-matter-type");
    assert_eq!(
        error.message(),
        "`render` must be `mustache`, found the text `handlebars`"
    );
    assert_eq!(
        (error.file(), error.line()),
        (Some("content/a.md"), Some(3))
    );
    assert!(
        error["help"]
            .as_str()
            .unwrap_or("")
            .contains("render: mustache")
    );
}

fn model_page(model: &str) -> String {
    format!("---\ntitle: M\nrender: mustache\nmodel: {model}\n---\n{{{{ model.x }}}}\n")
}

#[test]
fn a_missing_outside_or_invalid_model_is_an_error() {
    let site = TestSite::new()
        .file("content/docs/missing.md", &model_page("nope.yaml"))
        .file("content/docs/outside.md", &model_page("../../folio.yaml"))
        .file("content/docs/text.md", &model_page("notes.txt"))
        .file("content/docs/notes.txt", "x")
        .file("content/docs/invalid.md", &model_page("bad.yaml"))
        .file("content/docs/bad.yaml", "x: 1\ny: [unclosed\n")
        .page("docs/index.md", "Docs", "Docs\n")
        .file("folio.yaml", "title: T\n");
    let findings = check(&site);
    let of = |file: &str| {
        findings
            .iter()
            .find(|f| f.file() == Some(file))
            .unwrap_or_else(|| panic!("no finding for {file} in {findings:?}"))
    };
    let missing = of("content/docs/missing.md");
    assert_eq!(missing.code(), "mustache-model");
    assert_eq!(
        missing.message(),
        "model file `content/docs/nope.yaml` does not exist"
    );
    assert_eq!(missing.line(), Some(4));
    let outside = of("content/docs/outside.md");
    assert_eq!(
        outside.message(),
        "model `../../folio.yaml` is outside the content folder"
    );
    assert_eq!(outside.line(), Some(4));
    assert_eq!(
        of("content/docs/text.md").message(),
        "model `notes.txt` is not a YAML or JSON file"
    );
    let invalid = of("content/docs/bad.yaml");
    assert_eq!(invalid.code(), "mustache-model");
    assert!(invalid.line().is_some(), "{invalid:?}");
    assert_eq!(findings.len(), 4, "{findings:?}");
}

#[test]
fn template_errors_point_at_the_tag_in_the_page_or_its_include() {
    let site = TestSite::new()
        .file(
            "content/a.md",
            "---\ntitle: A\nrender: mustache\n---\nIntro\n\n{{#items}}\n- {{ name }}\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: B\nrender: mustache\n---\nB\n#include /parts/list.tmpl\n",
        )
        .file(
            "content/parts/list.tmpl",
            "one\n{{#a}}{{#b}}x{{/a}}{{/b}}\n",
        );
    let findings = check(&site);
    let unclosed = findings
        .iter()
        .find(|f| f.file() == Some("content/a.md"))
        .expect("a");
    assert_eq!(unclosed.code(), "mustache-syntax");
    assert_eq!(unclosed.message(), "section `items` is never closed");
    assert_eq!((unclosed.line(), unclosed.column()), (Some(7), Some(1)));
    assert_eq!(unclosed["position"]["len"], 10);
    let mismatched = findings
        .iter()
        .find(|f| f.file() == Some("content/parts/list.tmpl"))
        .expect("include");
    assert_eq!(
        mismatched.message(),
        "`{{/a}}` closes `a`, but the section open here is `b`"
    );
    assert_eq!(
        (mismatched.line(), mismatched.column()),
        (Some(2), Some(14))
    );
    assert_eq!(findings.len(), 2, "{findings:?}");
}

#[test]
fn an_include_inside_a_comment_of_a_mustache_page_is_not_read() {
    let site = TestSite::new()
        .page("index.md", "Home", "Home\n")
        .file(
            "content/a.md",
            "---\ntitle: A\nrender: mustache\n---\nShown\n\n<!--\n#include /gone.tmpl\n-->\n#include /part.tmpl\n",
        )
        .file("content/part.tmpl", "{{ title }} part\n");
    site.build().expect_code(0);
    let html = body_of(&site, "public/a/index.html");
    assert!(html.contains("<p>A part</p>"), "{html}");
    assert!(!html.contains("gone"), "{html}");
}

#[test]
fn later_findings_on_a_mustache_page_keep_their_source_lines() {
    let site = TestSite::new().file(
        "content/a.md",
        "---\ntitle: A\nrender: mustache\nmodel: m.yaml\n---\n{{#model.rows}}\nrow {{.}}\n{{/model.rows}}\n\n[gone](missing.md)\n",
    ).file("content/m.yaml", "rows: [1, 2, 3]\n");
    let findings = check(&site);
    let broken = only(&findings, "broken-link");
    assert_eq!(
        (broken.file(), broken.line()),
        (Some("content/a.md"), Some(10))
    );
}

const SWAGGER: &str = "{% set api = load_data(path=attrs.api) %}<table class=\"routes\">
<caption>{{ api.title }}</caption>
{% for route in api.routes %}<tr><td><code>{{ route.method }}</code></td><td>{{ route.path }}</td><td>{{ route.summary }}</td></tr>
{% endfor %}</table>";

const NGINDOX: &str = "{% set rows = load_data(path=attrs.file) %}<ul class=\"locations\">
{% for row in rows %}<li>{{ row.location }} → {{ row.upstream }}</li>
{% endfor %}</ul>";

const ROUTES: &str = "title: Gateway API
routes:
  - method: GET
    path: /v1/health
    summary: Liveness <probe>
  - method: POST
    path: /v1/tokens
    summary: Issue a token
";

fn data_site() -> TestSite {
    TestSite::new()
        .file("templates/shortcodes/swagger.html", SWAGGER)
        .file("templates/shortcodes/ngindox.html", NGINDOX)
        .file("content/api/routes.yaml", ROUTES)
        .file("content/shared/locations.csv", "location,upstream\n/admin,admin:8080\n/metrics,prom:9090\n")
        .page(
            "api/index.md",
            "API",
            "Routes:\n\n[swagger api=\"routes.yaml\" /]\n\nLocations:\n\n[ngindox file=\"/shared/locations.csv\" /]\n",
        )
}

#[test]
fn shortcodes_render_route_tables_from_data_files() {
    let site = data_site();
    site.build().expect_code(0);
    let html = body_of(&site, "public/api/index.html");
    let table = &html[html.find("<table").expect("table")..html.find("</ul>").expect("list") + 5];
    insta::assert_snapshot!("load_data_route_tables", table);
}

#[test]
fn page_templates_load_data_relative_to_the_page() {
    let site = data_site().file(
        "templates/page.html",
        "{% set api = load_data(path=\"routes.yaml\") %}<h1>{{ api.title }}</h1>{{ api.routes | length }} routes",
    );
    site.build().expect_code(0);
    let html = site.read("public/api/index.html");
    assert_eq!(html, "<h1>Gateway API</h1>2 routes");
}

#[test]
fn a_missing_or_invalid_data_file_is_an_error_at_the_shortcode() {
    let site = data_site()
        .file(
            "content/api/bad.yaml",
            "routes:\n  - method: GET\n   path: /x\n",
        )
        .page(
            "api/broken.md",
            "Broken",
            "Intro\n\n[swagger api=\"gone.yaml\" /]\n\n[swagger api=\"bad.yaml\" /]\n",
        );
    let findings = check(&site);
    let errors: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.code() == "shortcode")
        .collect();
    assert_eq!(errors.len(), 2, "{findings:?}");
    assert_eq!(
        (errors[0].file(), errors[0].line()),
        (Some("content/api/broken.md"), Some(6))
    );
    assert!(
        errors[0]
            .message()
            .contains("load_data: `content/api/gone.yaml` does not exist"),
        "{}",
        errors[0].message()
    );
    assert_eq!(errors[1].line(), Some(8));
    assert!(
        errors[1].message().contains("content/api/bad.yaml:3:"),
        "{}",
        errors[1].message()
    );
}

#[test]
fn a_page_template_asking_for_a_missing_file_fails_with_its_name() {
    let site = data_site().file(
        "templates/page.html",
        "{% set api = load_data(path=\"gone.toml\") %}{{ api }}",
    );
    let findings = check(&site);
    let error = only(&findings, "template");
    assert_eq!(error.file(), Some("templates/page.html"));
    assert!(
        error
            .message()
            .contains("load_data: `content/api/gone.toml` does not exist"),
        "{}",
        error.message()
    );
}
