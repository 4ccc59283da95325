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
use shortcode::{Piece, ShortcodeCall, Template};

/// Renders shortcodes; the render stage implements it with Tera templates.
pub trait ShortcodeRenderer: Sync {
    /// Whether a lowercase name is a shortcode.
    fn is_known(&self, name: &str) -> bool;
    /// Whether the site's own `templates/shortcodes/` renders a (lowercase) name.
    fn has_site_template(&self, name: &str) -> bool;
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

impl RenderedMarkdown {
    /// Drops what only the page's template reads (its HTML and table of contents) once
    /// the page is rendered; check reads the links, ids and included text.
    pub fn keep_for_check(&mut self) {
        self.html = String::new();
        self.toc = Vec::new();
    }
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

impl<'a> MarkdownStage<'a> {
    /// The stage for `sources`, with the site's shortcodes and settings from `renderer`.
    pub fn new(
        content: &'a crate::load::ContentDir,
        sources: &'a crate::load::Sources,
        renderer: &'a crate::render::Renderer,
        highlighter: Option<&'a CodeHighlighter>,
        base_path: &'a str,
    ) -> Self {
        let config = renderer.config();
        let includes = IncludeResolver {
            content_dir: &content.path,
            shown_prefix: &content.shown,
            files: &sources.files,
            max_bytes: config.page_size_limit_mb.saturating_mul(1024 * 1024),
        };
        MarkdownStage {
            includes,
            shortcodes: renderer,
            base_path,
            highlighter,
            heading_ids: config.heading_ids,
        }
    }
}

impl MarkdownStage<'_> {
    /// Renders one page; `None` when an error stops it (pushed to `diags`).
    pub fn render_page(&self, page: &Page, diags: &mut Diagnostics) -> Option<RenderedMarkdown> {
        let expanded = self.expand_body(page, diags)?;
        let shield = shortcode::Shield::for_text(&expanded.text);
        let source = shield.map(|s| s.hide(&expanded.text));
        let source = source.as_deref().unwrap_or(&expanded.text);
        let extracted = shortcode::extract(source, &|name| self.template_of(name));
        self.report_tags(&expanded, &extracted, diags);
        // Markdown links alone are rewritten as they are rendered; raw HTML that may hold
        // links or ids, shortcode output and footnotes go through the pass over the
        // finished HTML instead.
        let markdown_links_only = extracted.calls.is_empty()
            && !links::may_hold_link_attributes(&extracted.text)
            && !extracted.text.contains("[^");
        let mut writer = HtmlWriter::default()
            .with_highlighter(self.highlighter)
            .with_heading_ids(self.heading_ids);
        if markdown_links_only {
            writer = writer.rewriting_links(&page.rel_path, self.base_path);
        }
        // A heading's id takes the visible text of a shortcode in it; a wrapper's body is
        // in the heading already, so its opening tag counts as the shortcode alone.
        let shortcode_text = |piece: usize| match extracted.pieces.get(piece) {
            Some(Piece::Whole(call) | Piece::Open(call)) => {
                let alone = ShortcodeCall {
                    body: None,
                    ..extracted.calls[*call].clone()
                };
                heading_id::shortcode_text(self.shortcodes, &alone, page)
            }
            _ => String::new(),
        };
        let body_html = writer.render_with_shortcodes(&extracted.text, true, &shortcode_text);
        let html = shortcode::assemble(
            &body_html,
            &extracted.pieces,
            &extracted.blocks(),
            &mut |call, body| {
                self.render_call(&extracted.calls[call], body, page, &expanded, diags)
            },
        );
        let html = match shield {
            Some(shield) => shield.restore(&html),
            None => html,
        };
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
            toc: shield.map_or_else(|| writer.toc(), |s| s.restore_toc(writer.toc())),
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

    fn template_of(&self, name: &str) -> Option<Template> {
        let site = self.shortcodes.has_site_template(name);
        self.shortcodes.is_known(name).then_some(if site {
            Template::Site
        } else {
            Template::Builtin
        })
    }

    /// Unknown names, and malformed or misused tags of known shortcodes.
    fn report_tags(
        &self,
        expanded: &Expanded,
        extracted: &shortcode::Extracted,
        diags: &mut Diagnostics,
    ) {
        for unknown in &extracted.unknown {
            diags.push(self.unknown_shortcode(
                expanded,
                unknown.offset,
                unknown.len,
                &unknown.name,
            ));
        }
        for error in &extracted.errors {
            let (file, position, line_text) = locate(expanded, error.at, error.len);
            diags.push(
                Diagnostic::error(error.code, error.message.clone())
                    .in_file(file)
                    .at_line_text(&line_text, position)
                    .with_help(error.help.clone()),
            );
        }
    }

    /// One call's HTML, or nothing and an error at its tag.
    fn render_call(
        &self,
        call: &ShortcodeCall,
        body_html: &str,
        page: &Page,
        expanded: &Expanded,
        diags: &mut Diagnostics,
    ) -> String {
        match self.shortcodes.render(call, body_html, page) {
            Ok(html) => html,
            Err(message) => {
                let (file, position, line_text) =
                    locate(expanded, call.offset, call.name.len() + 2);
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
}
