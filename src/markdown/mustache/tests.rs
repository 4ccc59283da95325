//! Cases from the Mustache spec (interpolation, sections, inverted, comments, delimiters),
//! written down from it, and mustache.js's own behaviour where folio follows it instead.

use serde_json::{Value, json};

use super::render;

fn out(template: &str, view: Value) -> String {
    render(template, &view).expect("renders").text
}

fn error(template: &str) -> super::MustacheError {
    render(template, &json!({})).expect_err("fails")
}

#[test]
fn interpolation_escapes_with_the_mustache_js_map_and_triple_braces_do_not() {
    let view = json!({ "forbidden": "& \" < > ' / ` =" });
    assert_eq!(
        out("{{forbidden}}", view.clone()),
        "&amp; &quot; &lt; &gt; &#39; &#x2F; &#x60; &#x3D;"
    );
    assert_eq!(out("{{{forbidden}}}", view.clone()), "& \" < > ' / ` =");
    assert_eq!(out("{{& forbidden}}", view.clone()), "& \" < > ' / ` =");
    assert_eq!(out("{{{ forbidden }}}", view), "& \" < > ' / ` =");
}

#[test]
fn values_print_as_javascript_prints_them() {
    let view = json!({ "int": 85, "float": 1.5, "whole": 3.0, "yes": true, "none": null, "list": [1, null, "a"], "map": {} });
    assert_eq!(
        out(
            "{{int}} {{float}} {{whole}} {{yes}} [{{none}}] {{list}} {{map}}",
            view
        ),
        "85 1.5 3 true [] 1,,a [object Object]"
    );
}

#[test]
fn missing_names_render_empty_and_spacing_inside_tags_is_ignored() {
    assert_eq!(out("I ({{cannot}}) be seen!", json!({})), "I () be seen!");
    assert_eq!(out("|{{ string }}|", json!({ "string": "---" })), "|---|");
    assert_eq!(out("|{{a.b.c}}|", json!({ "a": {} })), "||");
}

#[test]
fn dotted_names_walk_objects_and_arrays() {
    let view = json!({ "person": { "name": "Joe" }, "a": { "b": { "c": { "d": "deep" } } }, "xs": ["x0", "x1"] });
    assert_eq!(
        out("{{person.name}} {{a.b.c.d}} {{xs.1}} {{xs.length}}", view),
        "Joe deep x1 2"
    );
    let within = json!({ "a": { "b": {} }, "b": { "c": "ERROR" } });
    // mustache.js walks the whole name in each context and falls back to the next one,
    // where the spec would stop at `a.b`; pages were written against mustache.js.
    assert_eq!(out("{{#a}}{{b.c}}{{/a}}", within), "ERROR");
}

#[test]
fn implicit_iterator_and_context_stack() {
    assert_eq!(
        out("{{#list}}({{.}}){{/list}}", json!({ "list": [1, 2, 3] })),
        "(1)(2)(3)"
    );
    let nested = json!({ "a": { "one": 1 }, "b": { "two": 2 }, "c": { "three": 3 } });
    assert_eq!(
        out(
            "{{#a}}{{one}}{{#b}}{{one}}{{two}}{{#c}}{{one}}{{two}}{{three}}{{/c}}{{/b}}{{/a}}",
            nested
        ),
        "112123"
    );
    let shadow = json!({ "name": "outer", "inner": { "name": "inner" } });
    assert_eq!(
        out("{{#inner}}{{name}}{{/inner}} {{name}}", shadow),
        "inner outer"
    );
}

#[test]
fn sections_follow_javascript_truthiness() {
    let view = json!({ "t": true, "f": false, "zero": 0, "empty": "", "text": "x", "list": [], "obj": { "k": "v" } });
    assert_eq!(
        out(
            "{{#t}}T{{/t}}{{#f}}F{{/f}}{{#zero}}Z{{/zero}}{{#empty}}E{{/empty}}",
            view.clone()
        ),
        "T"
    );
    assert_eq!(
        out(
            "{{#text}}[{{.}}]{{/text}}{{#list}}L{{/list}}{{#obj}}{{k}}{{/obj}}",
            view.clone()
        ),
        "[x]v"
    );
    assert_eq!(out("{{#missing}}M{{/missing}}", view), "");
    let items = json!({ "items": [{ "n": "a" }, { "n": "b" }] });
    assert_eq!(out("{{#items}}<{{n}}>{{/items}}", items), "<a><b>");
}

#[test]
fn inverted_sections_render_for_falsy_missing_and_empty_lists() {
    let view = json!({ "t": true, "f": false, "list": [], "full": [1] });
    assert_eq!(
        out(
            "{{^f}}F{{/f}}{{^list}}L{{/list}}{{^missing}}M{{/missing}}",
            view.clone()
        ),
        "FLM"
    );
    assert_eq!(out("{{^t}}T{{/t}}{{^full}}X{{/full}}", view), "");
}

#[test]
fn comments_vanish_and_standalone_tag_lines_leave_no_blank_line() {
    assert_eq!(
        out("12345{{! Comment Block! }}67890", json!({})),
        "1234567890"
    );
    assert_eq!(
        out("Begin.\n{{!\n  multi\n  line\n}}\nEnd.\n", json!({})),
        "Begin.\nEnd.\n"
    );
    assert_eq!(
        out("Begin.\n  {{! Indented }}\nEnd.\n", json!({})),
        "Begin.\nEnd.\n"
    );
    let view = json!({ "boolean": true });
    assert_eq!(
        out(
            "| This Is\n{{#boolean}}\n|\n{{/boolean}}\n| A Line\n",
            view.clone()
        ),
        "| This Is\n|\n| A Line\n"
    );
    assert_eq!(
        out("|\r\n{{#boolean}}\r\n{{/boolean}}\r\n|", view.clone()),
        "|\r\n|"
    );
    assert_eq!(
        out("  {{#boolean}}\n#{{/boolean}}\n/", view.clone()),
        "#\n/"
    );
    assert_eq!(
        out("#{{#boolean}}\n/\n  {{/boolean}}", view.clone()),
        "#\n/\n"
    );
    // An interpolation is never standalone, and a section tag among text is not.
    assert_eq!(
        out(
            " {{#boolean}}YES{{/boolean}}\n {{#boolean}}GOOD{{/boolean}}\n",
            view
        ),
        " YES\n GOOD\n"
    );
    assert_eq!(out("  {{x}}\n", json!({ "x": "v" })), "  v\n");
}

#[test]
fn set_delimiters_change_the_tags() {
    assert_eq!(
        out("{{=<% %>=}}(<%text%>)", json!({ "text": "Hey!" })),
        "(Hey!)"
    );
    assert_eq!(
        out("[\n{{=| |=}}\n|text|\n]", json!({ "text": "x" })),
        "[\nx\n]"
    );
    assert_eq!(
        error("{{=<%=}}").message,
        "`<%` does not set two delimiters"
    );
}

#[test]
fn broken_templates_are_errors_at_the_tag() {
    let unclosed = error("a\n{{#list}}\nitem\n");
    assert_eq!(unclosed.message, "section `list` is never closed");
    assert_eq!(unclosed.at, 2..11);
    let mismatched = error("{{#a}}{{#b}}{{/a}}{{/b}}");
    assert_eq!(
        mismatched.message,
        "`{{/a}}` closes `a`, but the section open here is `b`"
    );
    assert_eq!(mismatched.at, 12..18);
    assert_eq!(
        error("x {{/a}}").message,
        "`{{/a}}` closes a section that was never opened"
    );
    let tag = error("text {{ name");
    assert_eq!(tag.message, "tag `{{` is never closed with `}}`");
    assert_eq!(tag.at, 5..7);
    assert!(error("{{> other}}").message.contains("partial"));
}

#[test]
fn lines_remember_their_template_offset() {
    let rendered =
        render("a\n{{#xs}}\n{{.}}\n{{/xs}}\nz\n", &json!({ "xs": [1, 2] })).expect("renders");
    assert_eq!(rendered.text, "a\n1\n2\nz\n");
    // `1` and `2` both come from line 3 (offset 10), `z` from line 5.
    assert_eq!(rendered.line_sources, vec![0, 10, 10, 24]);
}

proptest::proptest! {
    /// Any text, however broken, renders or fails with a range inside the template.
    #[test]
    fn any_template_renders_or_fails_inside_itself(template in "[{}#^/!&=>ab. \n]{0,60}") {
        let view = json!({ "a": [1, { "b": "x" }], "b": true });
        match render(&template, &view) {
            Ok(rendered) => proptest::prop_assert_eq!(
                rendered.line_sources.len(),
                rendered.text.split_inclusive('\n').count()
            ),
            Err(error) => proptest::prop_assert!(error.at.end <= template.len()),
        }
    }
}
