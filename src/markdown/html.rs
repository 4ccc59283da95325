//! Markdown to HTML with pulldown-cmark: unique heading ids (made from the heading's
//! visible text, see `heading_id`), heading classes and attributes, permalink anchors and
//! the table of contents. Links are rewritten afterwards, on the whole page (`links`).

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;

use super::heading_id::{HeadingIds, PageIds, visible_text};
use super::highlight::{CodeHighlighter, Highlighted, language_word};
use super::links::SourceLink;

/// One heading in the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// State shared by every piece of markdown rendered for one page (its body and the
/// bodies of its shortcodes), so heading ids stay unique across them.
#[derive(Debug, Default)]
pub struct HtmlWriter<'a> {
    ids: PageIds,
    /// How ids are made from heading text.
    id_style: HeadingIds,
    /// Headings in document order, flat.
    pub headings: Vec<(u8, String, String)>,
    /// Colours fenced code; `None` leaves it to pulldown-cmark.
    highlighter: Option<&'a CodeHighlighter>,
    /// The language of each fenced block it has no grammar for, in order.
    pub unknown_languages: Vec<String>,
    /// Set: link and image destinations are rewritten as the events pass (see
    /// [`HtmlWriter::rewriting_links`]), and every link is recorded in `links`.
    rewriting: Option<LinkContext<'a>>,
    /// Every `href` and `src` written, in order, when `rewriting`.
    pub links: Vec<SourceLink>,
}

/// A heading being collected: its level, `{#id .class key=value}` and inner events.
struct OpenHeading<'e> {
    level: HeadingLevel,
    id: Option<String>,
    attributes: String,
    inner: Vec<Event<'e>>,
}

/// What resolving a page's links needs: its source path and the site's base path.
#[derive(Debug, Clone, Copy)]
struct LinkContext<'a> {
    page_rel_path: &'a str,
    base_path: &'a str,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_TASKLISTS
}

impl<'a> HtmlWriter<'a> {
    /// Fenced code goes through `highlighter`.
    pub fn with_highlighter(mut self, highlighter: Option<&'a CodeHighlighter>) -> Self {
        self.highlighter = highlighter;
        self
    }

    /// Heading ids are made the `style` way.
    pub fn with_heading_ids(mut self, style: HeadingIds) -> Self {
        self.id_style = style;
        self
    }

    /// Rewrites link and image destinations while rendering, as
    /// [`links::rewrite_html`](super::links::rewrite_html) would afterwards, and records
    /// them with the heading anchors. Only for markdown without raw HTML, shortcodes or
    /// footnotes, whose links are all markdown links (the caller checks).
    pub fn rewriting_links(mut self, page_rel_path: &'a str, base_path: &'a str) -> Self {
        self.rewriting = Some(LinkContext {
            page_rel_path,
            base_path,
        });
        self
    }

    /// The page's ids: every heading id given out.
    pub fn heading_ids(&self) -> std::collections::HashSet<String> {
        self.ids.all().clone()
    }

    /// Renders `markdown`; headings go into the table of contents when `in_toc`. A
    /// shortcode placeholder in a heading adds nothing to its id.
    pub fn render(&mut self, markdown: &str, in_toc: bool) -> String {
        self.render_with_shortcodes(markdown, in_toc, &|_| String::new())
    }

    /// Renders `markdown`, where `shortcode_text(i)` is the visible text of the shortcode
    /// whose placeholder holds `i`: a heading's id and its table of contents title use it.
    pub fn render_with_shortcodes(
        &mut self,
        markdown: &str,
        in_toc: bool,
        shortcode_text: &dyn Fn(usize) -> String,
    ) -> String {
        // One `push_html` call for the whole stream: its table state (head or body
        // cells) lives across events. The events stream through `PageEvents` rather than
        // a buffer, so memory holds one heading or code block at a time, not the page.
        let mut html = String::with_capacity(markdown.len() * 3 / 2);
        let events = PageEvents {
            writer: self,
            parser: Parser::new_ext(markdown, options()),
            queued: Vec::new().into_iter(),
            in_toc,
            shortcode_text,
        };
        pulldown_cmark::html::push_html(&mut html, events);
        html
    }

    /// A link or image start with its destination rewritten and recorded, when rewriting.
    fn rewrite_link<'e>(&mut self, event: Event<'e>) -> Event<'e> {
        let Some(context) = self.rewriting else {
            return event;
        };
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                title,
                id,
            }) => {
                // `<a@b.c>`: pulldown-cmark writes the `mailto:` itself.
                let mailto = format!("mailto:{dest_url}");
                self.links.push(SourceLink {
                    written: mailto.clone(),
                    rendered: mailto,
                });
                Event::Start(Tag::Link {
                    link_type: LinkType::Email,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.record(context, dest_url);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.record(context, dest_url);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        }
    }

    fn record<'e>(&mut self, context: LinkContext, url: CowStr<'e>) -> CowStr<'e> {
        let rendered = super::links::rewrite(&url, context.page_rel_path, context.base_path);
        self.links.push(SourceLink {
            written: url.to_string(),
            rendered: rendered.clone().unwrap_or_else(|| url.to_string()),
        });
        rendered.map_or(url, CowStr::from)
    }

    /// A fenced block, highlighted when its language has a grammar, else as it was.
    fn fenced_code<'e>(&mut self, info: CowStr<'e>, body: String) -> Vec<Event<'e>> {
        let result = match self.highlighter {
            Some(highlighter) => highlighter.highlight(&info, &body),
            None => Highlighted::Plain,
        };
        match result {
            Highlighted::Html(html) => return vec![Event::Html(html.into())],
            Highlighted::Unknown => self
                .unknown_languages
                .push(language_word(&info).to_string()),
            Highlighted::Plain => {}
        }
        vec![
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))),
            Event::Text(body.into()),
            Event::End(TagEnd::CodeBlock),
        ]
    }

    fn heading_html(
        &mut self,
        heading: OpenHeading,
        in_toc: bool,
        shortcode_text: &dyn Fn(usize) -> String,
    ) -> String {
        let title = visible_text(&plain_text(&heading.inner), shortcode_text);
        let base = heading.id.unwrap_or_else(|| self.id_style.slug(&title));
        let id = self.ids.unique(base);
        let level = heading.level as u8;
        let mut inner_html = String::new();
        pulldown_cmark::html::push_html(&mut inner_html, heading.inner.into_iter());
        let escaped_id = escape(&id);
        if self.rewriting.is_some() {
            let anchor = format!("#{id}");
            self.links.push(SourceLink {
                written: anchor.clone(),
                rendered: anchor,
            });
        }
        // A heading with no text (`## {.tabs}`, a hook for scripts) has nothing to list.
        if in_toc && !title.is_empty() {
            self.headings.push((level, id, title));
        }
        let attributes = heading.attributes;
        format!(
            "<h{level} id=\"{escaped_id}\"{attributes}>{inner_html} <a class=\"anchor\" href=\"#{escaped_id}\" aria-label=\"Link to this section\">#</a></h{level}>\n"
        )
    }

    /// The headings seen so far, nested by level.
    pub fn toc(&self) -> Vec<TocEntry> {
        let mut root: Vec<TocEntry> = Vec::new();
        for (level, id, title) in &self.headings {
            let entry = TocEntry {
                level: *level,
                id: id.clone(),
                title: title.clone(),
                children: Vec::new(),
            };
            insert_nested(&mut root, entry);
        }
        root
    }
}

/// The events of one markdown text as the writer changes them: links rewritten, fenced
/// code highlighted, each heading swapped for ready-made HTML.
struct PageEvents<'w, 'a, 'e, 's> {
    writer: &'w mut HtmlWriter<'a>,
    parser: Parser<'e>,
    /// Events made from one source event (a fenced block left unhighlighted).
    queued: std::vec::IntoIter<Event<'e>>,
    in_toc: bool,
    shortcode_text: &'s dyn Fn(usize) -> String,
}

impl<'e> PageEvents<'_, '_, 'e, '_> {
    fn next_source(&mut self) -> Option<Event<'e>> {
        let event = self.parser.next()?;
        Some(self.writer.rewrite_link(event))
    }

    /// The body of a fenced block up to its end, and what it renders to.
    fn fenced_code(&mut self, info: CowStr<'e>) -> Option<Event<'e>> {
        let mut body = String::new();
        while let Some(event) = self.next_source() {
            match event {
                Event::Text(text) => body.push_str(&text),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        self.queued = self.writer.fenced_code(info, body).into_iter();
        self.queued.next()
    }

    /// A heading's inner events up to its end, as one HTML event.
    fn heading(&mut self, mut open: OpenHeading<'e>) -> Event<'e> {
        while let Some(event) = self.next_source() {
            match event {
                Event::End(TagEnd::Heading(_)) => break,
                event => open.inner.push(event),
            }
        }
        let html = self
            .writer
            .heading_html(open, self.in_toc, self.shortcode_text);
        Event::Html(html.into())
    }
}

impl<'e> Iterator for PageEvents<'_, '_, 'e, '_> {
    type Item = Event<'e>;

    fn next(&mut self) -> Option<Event<'e>> {
        if let Some(event) = self.queued.next() {
            return Some(event);
        }
        match self.next_source()? {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if self.writer.highlighter.is_some() =>
            {
                self.fenced_code(info)
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Some(self.heading(OpenHeading {
                level,
                id: id.map(|i| i.to_string()),
                attributes: heading_attributes(&classes, &attrs),
                inner: Vec::new(),
            })),
            event => Some(event),
        }
    }
}

fn insert_nested(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if last.level < entry.level => insert_nested(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}

/// The text and code of a heading, as markdown-it-anchor read it: an image's alt text
/// is not shown on the page and is left out.
fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    let mut in_image = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if in_image == 0 => text.push_str(t),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// ` class="a b" key="value"` from a heading's `{.a .b key=value}`.
fn heading_attributes(classes: &[CowStr], attrs: &[(CowStr, Option<CowStr>)]) -> String {
    let mut out = String::new();
    if !classes.is_empty() {
        let names: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
        out.push_str(&format!(" class=\"{}\"", escape(&names.join(" "))));
    }
    for (key, value) in attrs {
        let value = value.as_deref().unwrap_or("");
        out.push_str(&format!(" {}=\"{}\"", escape(key), escape(value)));
    }
    out
}

/// Escapes text for HTML content and double-quoted attributes.
pub fn escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_headings_get_numbered_ids_and_anchors() {
        let mut writer = HtmlWriter::default();
        let html = writer.render("## Setup\n\n## Setup\n\n### Step *one*\n", true);
        assert!(
            html.contains("<h2 id=\"setup\">Setup <a class=\"anchor\" href=\"#setup\""),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"setup-2\">"), "{html}");
        assert!(
            html.contains("<h3 id=\"step-one\">Step <em>one</em>"),
            "{html}"
        );
        let toc = writer.toc();
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[1].children[0].title, "Step one");
    }

    #[test]
    fn an_email_autolink_is_recorded_as_the_mailto_link_it_becomes() {
        let mut writer = HtmlWriter::default().rewriting_links("a/index.md", "/");
        let html = writer.render("Write to <team@example.com>.\n", true);
        assert!(html.contains("href=\"mailto:team@example.com\""), "{html}");
        assert_eq!(writer.links[0].written, "mailto:team@example.com");
        assert_eq!(writer.links[0].rendered, "mailto:team@example.com");
    }

    #[test]
    fn table_bodies_are_data_cells() {
        let html = HtmlWriter::default().render("| a |\n|---|\n| b |\n", true);
        assert!(html.contains("<td>b</td>"), "{html}");
    }

    #[test]
    fn explicit_ids_win() {
        let mut writer = HtmlWriter::default();
        assert!(
            writer
                .render("# Title {#custom}\n", true)
                .contains("id=\"custom\"")
        );
    }

    #[test]
    fn heading_classes_and_attributes_are_kept() {
        let mut writer = HtmlWriter::default();
        let html = writer.render("## {.tabs}\n\n## Pick {#pick .a .b data-x=1}\n", true);
        assert!(
            html.contains("<h2 id=\"section\" class=\"tabs\">"),
            "{html}"
        );
        assert!(
            html.contains("<h2 id=\"pick\" class=\"a b\" data-x=\"1\">Pick"),
            "{html}"
        );
        assert_eq!(writer.toc().len(), 1, "the empty heading is not listed");
    }

    #[test]
    fn a_shortcode_in_a_heading_lends_its_text_to_the_id() {
        let mut writer = HtmlWriter::default();
        let text = |i: usize| {
            if i == 7 {
                "Enterprise".into()
            } else {
                String::new()
            }
        };
        let markdown = format!("## audit_log {}\n", super::super::shortcode::placeholder(7));
        let html = writer.render_with_shortcodes(&markdown, true, &text);
        assert!(html.contains("<h2 id=\"audit-log-enterprise\">"), "{html}");
        assert_eq!(writer.toc()[0].title, "audit_log Enterprise");
        let html = HtmlWriter::default().render(&markdown, true);
        assert!(html.contains("<h2 id=\"audit-log\">"), "{html}");
    }

    #[test]
    fn ids_come_from_text_and_code_but_not_image_alt_text() {
        let html = HtmlWriter::default().render("## Run `kubectl` ![logo](k.png) now\n", true);
        assert!(html.contains("<h2 id=\"run-kubectl-now\">"), "{html}");
    }

    #[test]
    fn github_style_ids_on_request() {
        let mut writer = HtmlWriter::default().with_heading_ids(HeadingIds::Github);
        let html = writer.render("## Über naïve_test\n", true);
        assert!(html.contains("id=\"über-naïve_test\""), "{html}");
    }
}
