//! The markdown stage: a page body becomes HTML and a table of contents. Comments are
//! stripped, includes expanded, shortcodes cut out and rendered, then pulldown-cmark
//! renders the rest and the shortcode results are put back.

pub mod heading_id;
pub mod highlight;
pub mod html;
pub mod include;
pub mod links;
pub mod mustache;
pub mod prepass;
pub mod shortcode;

use crate::diag::{Diagnostic, Diagnostics, Position};
use crate::load::Page;
use highlight::{CodeHighlighter, UnknownLanguage};
use html::HtmlWriter;
pub use html::TocEntry;
use include::{Expanded, IncludeResolver};
pub use links::SourceLink;
use shortcode::{PLACEHOLDER_END, PLACEHOLDER_START, ShortcodeCall};

/// Renders shortcodes; the render stage implements it with Tera templates.
pub trait ShortcodeRenderer: Sync {
    fn is_known(&self, name: &str) -> bool;
    /// Every known name, sorted, for messages.
    fn names(&self) -> Vec<String>;
    /// The HTML for `call`, whose body has already become `body_html`.
    fn render(&self, call: &ShortcodeCall, body_html: &str, page: &Page) -> Result<String, String>;
}

/// A page body as HTML.
#[derive(Debug, Clone, Default)]
pub struct RenderedMarkdown {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Every `href` and `src` in document order, as written and as rendered.
    pub links: Vec<SourceLink>,
    /// Every id on the page an anchor can reach.
    pub ids: std::collections::HashSet<String>,
    /// Where the page's opening `<h1>` ends in `html`, when the body starts with one
    /// (`# Title` as its first line): the theme shows that heading instead of the title.
    pub leading_h1_end: Option<usize>,
    /// Languages of fenced code with no grammar, for one warning each per build.
    pub unknown_languages: Vec<UnknownLanguage>,
    /// The body with its includes expanded, kept only when it has includes: a finding
    /// in included text points into the fragment (`check::place`).
    pub included: Option<Expanded>,
}

/// The byte offset just past an `<h1>` element that opens `html` (and its newline).
pub fn leading_h1_end(html: &str) -> Option<usize> {
    let start = html.len() - html.trim_start().len();
    let rest = &html[start..];
    let opens = rest.starts_with("<h1>") || rest.starts_with("<h1 ");
    if !opens {
        return None;
    }
    let end = start + rest.find("</h1>")? + "</h1>".len();
    Some(end + usize::from(html[end..].starts_with('\n')))
}

/// What the markdown stage needs from the rest of the site.
#[derive(Debug)]
pub struct MarkdownStage<'a> {
    pub includes: IncludeResolver<'a>,
    pub shortcodes: &'a dyn ShortcodeRenderer,
    pub base_path: &'a str,
    /// `None`: fenced code stays as pulldown-cmark renders it.
    pub highlighter: Option<&'a CodeHighlighter>,
    /// How heading ids are made (`heading_ids:` in folio.yaml).
    pub heading_ids: heading_id::HeadingIds,
}

impl std::fmt::Debug for dyn ShortcodeRenderer + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ShortcodeRenderer")
    }
}

impl MarkdownStage<'_> {
    /// Renders one page; `None` when an error stops it (pushed to `diags`).
    pub fn render_page(&self, page: &Page, diags: &mut Diagnostics) -> Option<RenderedMarkdown> {
        let expanded = self.expand_body(page, diags)?;
        let extracted = shortcode::extract(&expanded.text, &|name| self.shortcodes.is_known(name));
        for unknown in &extracted.unknown {
            diags.push(self.unknown_shortcode(
                &expanded,
                unknown.offset,
                unknown.len,
                &unknown.name,
            ));
        }
        // Markdown links alone are rewritten as they are rendered; raw HTML, shortcode
        // output and footnotes go through the pass over the finished HTML instead.
        let markdown_links_only = extracted.calls.is_empty()
            && !extracted.text.contains('<')
            && !extracted.text.contains("[^");
        let mut writer = HtmlWriter::default()
            .with_highlighter(self.highlighter)
            .with_heading_ids(self.heading_ids);
        if markdown_links_only {
            writer = writer.rewriting_links(&page.rel_path, self.base_path);
        }
        let shortcode_text = |i: usize| {
            let call = extracted.calls.get(i);
            call.map_or_else(String::new, |c| {
                heading_id::shortcode_text(self.shortcodes, c, page)
            })
        };
        let body_html = writer.render_with_shortcodes(&extracted.text, true, &shortcode_text);
        let fragments = Fragments {
            stage: self,
            page,
            expanded: &expanded,
            refs: reference_definitions(&expanded.text),
        };
        let rendered = fragments.render_calls(&extracted.calls, &mut writer, diags);
        let html = substitute(&body_html, &rendered, &extracted.calls);
        let rewritten = if markdown_links_only {
            links::RewrittenHtml {
                html,
                links: std::mem::take(&mut writer.links),
                ids: writer.heading_ids(),
            }
        } else {
            links::rewrite_html(&html, &page.rel_path, self.base_path)
        };
        let unknown_languages = highlight::page_unknown_languages(&writer.unknown_languages, |l| {
            highlight::first_fence(&expanded, l)
        });
        Some(RenderedMarkdown {
            leading_h1_end: leading_h1_end(&rewritten.html),
            html: rewritten.html,
            toc: writer.toc(),
            links: rewritten.links,
            ids: rewritten.ids,
            unknown_languages,
            included: (expanded.files.len() > 1).then_some(expanded),
        })
    }

    /// The body with comments stripped and includes expanded; a `render: mustache` page
    /// is rendered as a Mustache template on the way.
    fn expand_body(&self, page: &Page, diags: &mut Diagnostics) -> Option<Expanded> {
        if page.front.mustache {
            return self.expand_mustache(page, diags);
        }
        let (prepared, unclosed) = prepass::prepare(page.body());
        if let Some(unclosed) = unclosed {
            let line = page.body_line + unclosed.line - 1;
            diags.push(
                Diagnostic::warning(
                    "unclosed-comment",
                    "HTML comment is never closed; the rest of the page is hidden",
                )
                .in_file(&page.file)
                .at(&page.text, Position::new(line, 1, 4))
                .with_help("close the comment with `-->`"),
            );
        }
        let expanded = self
            .includes
            .expand(&page.file, &page.rel_path, &prepared, page.body_line)
            .map_err(|d| diags.push(d))
            .ok()?;
        diags.extend(mustache::stray_model_tags(page, &expanded));
        Some(expanded)
    }

    fn unknown_shortcode(
        &self,
        expanded: &Expanded,
        offset: usize,
        len: usize,
        name: &str,
    ) -> Diagnostic {
        let (file, position, line_text) = locate(expanded, offset, len);
        let known = self.shortcodes.names();
        Diagnostic::error("unknown-shortcode", format!("unknown shortcode `[{name}]`"))
            .in_file(file)
            .at_line_text(&line_text, position)
            .with_help(format!(
                "add `templates/shortcodes/{name}.html`, or use one of: {}; write `\\[{name}]` to keep the brackets as text",
                known.join(", ")
            ))
    }
}

/// Renders shortcode calls and their bodies for one page.
struct Fragments<'s> {
    stage: &'s MarkdownStage<'s>,
    page: &'s Page,
    expanded: &'s Expanded,
    /// The page's `[label]: url` lines, so reference links work inside shortcode bodies.
    refs: String,
}

impl Fragments<'_> {
    fn render_calls(
        &self,
        calls: &[ShortcodeCall],
        writer: &mut HtmlWriter,
        diags: &mut Diagnostics,
    ) -> Vec<String> {
        calls
            .iter()
            .map(|call| self.render_call(call, writer, diags))
            .collect()
    }

    fn render_call(
        &self,
        call: &ShortcodeCall,
        writer: &mut HtmlWriter,
        diags: &mut Diagnostics,
    ) -> String {
        let body_html = match &call.body {
            Some(body) => self.render_body(body, call, writer, diags),
            None => String::new(),
        };
        match self.stage.shortcodes.render(call, &body_html, self.page) {
            Ok(html) => html,
            Err(message) => {
                let (file, position, line_text) =
                    locate(self.expanded, call.offset, call.name.len() + 2);
                diags.push(
                    Diagnostic::error(
                        "shortcode",
                        format!("shortcode `[{}]` failed: {message}", call.name),
                    )
                    .in_file(file)
                    .at_line_text(&line_text, position),
                );
                String::new()
            }
        }
    }

    /// A body is markdown too, and may hold shortcodes of its own.
    fn render_body(
        &self,
        body: &str,
        call: &ShortcodeCall,
        writer: &mut HtmlWriter,
        diags: &mut Diagnostics,
    ) -> String {
        let nested = shortcode::extract(body, &|name| self.stage.shortcodes.is_known(name));
        for unknown in &nested.unknown {
            diags.push(self.stage.unknown_shortcode(
                self.expanded,
                call.offset,
                unknown.len,
                &unknown.name,
            ));
        }
        let html = writer.render(&format!("{}\n\n{}", nested.text, self.refs), false);
        let rendered = self.render_calls(&nested.calls, writer, diags);
        let html = substitute(&html, &rendered, &nested.calls);
        // A body written on the tag's own line (`[button]Go[/button]`) is inline text.
        if call.block && body.contains('\n') {
            html
        } else {
            unwrap_paragraph(&html)
        }
    }
}

/// Inline content rendered as markdown comes back as one `<p>`; drop it.
fn unwrap_paragraph(html: &str) -> String {
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

/// Puts each rendered shortcode where its placeholder is. A block placeholder's
/// wrapping `<p>` goes too.
fn substitute(html: &str, rendered: &[String], calls: &[ShortcodeCall]) -> String {
    if rendered.is_empty() {
        return html.to_string();
    }
    let mut out =
        String::with_capacity(html.len() + rendered.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(start) = rest.find(PLACEHOLDER_START) {
        let after = &rest[start + PLACEHOLDER_START.len_utf8()..];
        let Some(end) = after.find(PLACEHOLDER_END) else {
            break;
        };
        let Some(index) = after[..end]
            .parse::<usize>()
            .ok()
            .filter(|i| *i < rendered.len())
        else {
            let past = start + PLACEHOLDER_START.len_utf8();
            out.push_str(&rest[..past]);
            rest = &rest[past..];
            continue;
        };
        let mut before = &rest[..start];
        let mut tail = &after[end + PLACEHOLDER_END.len_utf8()..];
        if calls[index].block && before.ends_with("<p>") && tail.starts_with("</p>") {
            before = &before[..before.len() - 3];
            tail = &tail[4..];
        }
        out.push_str(before);
        out.push_str(&rendered[index]);
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// The `[label]: destination` lines of a document.
fn reference_definitions(text: &str) -> String {
    let code = prepass::LazyCodeRanges::new(text);
    let mut offset = 0;
    let mut refs = String::new();
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let is_definition =
            trimmed.starts_with('[') && trimmed.contains("]:") && !trimmed.starts_with("[^");
        if is_definition && !code.contains(offset) {
            refs.push_str(trimmed);
        }
        offset += line.len();
    }
    refs
}

/// The source file, position and line text of a byte offset in the expanded text.
fn locate(
    expanded: &Expanded,
    offset: usize,
    len: usize,
) -> (std::path::PathBuf, Position, String) {
    let before = &expanded.text[..offset.min(expanded.text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = expanded.text[line_start..offset].chars().count() + 1;
    let line_text = expanded.text[line_start..]
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    let (file, source_line) = expanded.origin(line);
    (file, Position::new(source_line, column, len), line_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_opening_h1_is_the_leading_heading() {
        let html = "\n<h1 id=\"t\">T <a>#</a></h1>\n<p>x</p>\n";
        assert_eq!(
            &html[..leading_h1_end(html).expect("an h1")],
            "\n<h1 id=\"t\">T <a>#</a></h1>\n"
        );
        assert_eq!(leading_h1_end("<p>x</p>\n<h1>T</h1>\n"), None);
        assert_eq!(leading_h1_end("<h2>T</h2>"), None);
        assert_eq!(leading_h1_end("<h1>unclosed"), None);
    }

    #[test]
    fn block_placeholders_replace_their_paragraph() {
        let call = ShortcodeCall {
            name: "m".into(),
            attrs: Default::default(),
            body: None,
            block: true,
            offset: 0,
        };
        let html = format!("<p>{}</p>\n", shortcode::placeholder(0));
        assert_eq!(
            substitute(&html, &["<div>x</div>".into()], &[call]),
            "<div>x</div>\n"
        );
    }

    #[test]
    fn reference_definitions_outside_code_are_collected() {
        assert_eq!(
            reference_definitions("a\n[kiali]: https://kiali.io\n```\n[x]: y\n```\n"),
            "[kiali]: https://kiali.io\n"
        );
    }
}
