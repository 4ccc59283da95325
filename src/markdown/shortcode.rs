//! Shortcodes: `[name attr="v"]body[/name]` and `[name attr=v /]`. They are cut out of the
//! markdown before pulldown-cmark runs and replaced by placeholders, then rendered and put
//! back into the HTML. Text in code is never a shortcode, and neither is a markdown link
//! (`[Enterprise](../license)`) or a bracket with no closing tag (`[kiali]` references).

use std::ops::Range;

use indexmap::IndexMap;

use crate::markdown::prepass;

/// Placeholder delimiters: private-use characters that markdown leaves alone.
pub const PLACEHOLDER_START: char = '\u{E000}';
pub const PLACEHOLDER_END: char = '\u{E001}';

/// One use of a shortcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortcodeCall {
    pub name: String,
    pub attrs: IndexMap<String, String>,
    /// The markdown between the tags; `None` for a self-closing tag.
    pub body: Option<String>,
    /// True when the tags stand on lines of their own: the result is a block.
    pub block: bool,
    /// Where the opening tag is in the scanned text (0-based byte offset).
    pub offset: usize,
}

/// A shortcode-shaped tag with a problem, at a byte offset of the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortcodeError {
    pub offset: usize,
    pub len: usize,
    pub name: String,
}

/// Markdown with shortcodes replaced by placeholders, and the calls in order.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub text: String,
    pub calls: Vec<ShortcodeCall>,
    pub unknown: Vec<ShortcodeError>,
}

/// The placeholder for call number `index`.
pub fn placeholder(index: usize) -> String {
    format!("{PLACEHOLDER_START}{index}{PLACEHOLDER_END}")
}

/// Cuts every shortcode out of `text`. `is_known` says which names have a template; a
/// well-formed tag with another name is reported and left as text.
pub fn extract(text: &str, is_known: &dyn Fn(&str) -> bool) -> Extracted {
    let code = prepass::LazyCodeRanges::new(text);
    let in_code = |at: usize| code.contains(at);
    let mut out = Extracted {
        text: String::with_capacity(text.len()),
        ..Extracted::default()
    };
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = text[from..].find('[') {
        let start = from + found;
        from = start + 1;
        if text[..start].ends_with('\\') {
            continue;
        }
        let Some(tag) = OpenTag::parse(text, start).filter(|t| !text[t.end..].starts_with('('))
        else {
            continue;
        };
        if in_code(start) {
            continue;
        }
        let body = if tag.self_closing {
            None
        } else {
            find_close(text, &tag.name, tag.end, &in_code)
        };
        if !tag.self_closing && body.is_none() {
            continue;
        }
        let end = body.as_ref().map_or(tag.end, |(_, close_end)| *close_end);
        if !is_known(&tag.name) {
            out.unknown.push(ShortcodeError {
                offset: start,
                len: tag.end - start,
                name: tag.name,
            });
            from = end;
            continue;
        }
        out.text.push_str(&text[copied..start]);
        let block = starts_line(text, start) && ends_line(text, end);
        push_placeholder(
            &mut out.text,
            out.calls.len(),
            block,
            line_indent(text, start),
        );
        let body = body.map(|(range, _)| text[range].to_string());
        out.calls.push(ShortcodeCall {
            name: tag.name,
            attrs: tag.attrs,
            body,
            block,
            offset: start,
        });
        copied = end;
        from = end;
    }
    out.text.push_str(&text[copied..]);
    out
}

/// A block result gets a paragraph of its own, so it never lands inside a `<p>`.
fn push_placeholder(out: &mut String, index: usize, block: bool, indent: &str) {
    if block {
        out.push_str("\n\n");
        out.push_str(indent);
        out.push_str(&placeholder(index));
        out.push_str("\n\n");
    } else {
        out.push_str(&placeholder(index));
    }
}

/// An opening tag: `[name a="b" c=d]` or `[name /]`.
#[derive(Debug)]
struct OpenTag {
    name: String,
    attrs: IndexMap<String, String>,
    self_closing: bool,
    /// Byte offset just after the closing `]`.
    end: usize,
}

impl OpenTag {
    fn parse(text: &str, start: usize) -> Option<OpenTag> {
        let mut cursor = Cursor {
            text,
            at: start + 1,
        };
        let name = cursor.take_while(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let mut attrs = IndexMap::new();
        loop {
            let spaced = !cursor.take_while(|c| c == ' ' || c == '\t').is_empty();
            if cursor.eat("/]") {
                return Some(OpenTag {
                    name: name.into(),
                    attrs,
                    self_closing: true,
                    end: cursor.at,
                });
            }
            if cursor.eat("]") {
                return Some(OpenTag {
                    name: name.into(),
                    attrs,
                    self_closing: false,
                    end: cursor.at,
                });
            }
            if !spaced {
                return None;
            }
            let (key, value) = cursor.attribute()?;
            attrs.insert(key, value);
        }
    }
}

struct Cursor<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Cursor<'t> {
    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'t str {
        let rest = &self.text[self.at..];
        let len = rest.find(|c| !keep(c)).unwrap_or(rest.len());
        self.at += len;
        &rest[..len]
    }

    fn eat(&mut self, literal: &str) -> bool {
        let found = self.text[self.at..].starts_with(literal);
        if found {
            self.at += literal.len();
        }
        found
    }

    /// `key="value"`, `key='value'` or `key=value`, all on one line.
    fn attribute(&mut self) -> Option<(String, String)> {
        let key = self.take_while(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if key.is_empty() || !self.eat("=") {
            return None;
        }
        let value = if let Some(quote) = ['"', '\'']
            .into_iter()
            .find(|q| self.text[self.at..].starts_with(*q))
        {
            self.at += 1;
            let value = self.take_while(|c| c != quote && c != '\n');
            self.eat(&quote.to_string()).then_some(value)?
        } else {
            self.take_while(|c| !c.is_whitespace() && c != ']')
        };
        Some((key.to_string(), value.to_string()))
    }
}

/// The body range and the end of `[/name]` matching an opening tag that ends at `from`.
fn find_close(
    text: &str,
    name: &str,
    from: usize,
    in_code: &dyn Fn(usize) -> bool,
) -> Option<(Range<usize>, usize)> {
    let close = format!("[/{name}]");
    let mut depth = 0;
    let mut at = from;
    while let Some(found) = text[at..].find('[') {
        let pos = at + found;
        at = pos + 1;
        if in_code(pos) {
            continue;
        }
        if text[pos..].starts_with(&close) {
            if depth == 0 {
                return Some((from..pos, pos + close.len()));
            }
            depth -= 1;
        } else if OpenTag::parse(text, pos).is_some_and(|t| t.name == name && !t.self_closing) {
            depth += 1;
        }
    }
    None
}

fn starts_line(text: &str, at: usize) -> bool {
    text[..at]
        .rsplit('\n')
        .next()
        .is_some_and(|before| before.trim().is_empty())
}

fn ends_line(text: &str, at: usize) -> bool {
    text[at..]
        .split('\n')
        .next()
        .is_some_and(|after| after.trim().is_empty())
}

fn line_indent(text: &str, at: usize) -> &str {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..at];
    &line[..line.len() - line.trim_start().len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(name: &str) -> bool {
        ["experimental", "button", "message"].contains(&name)
    }

    #[test]
    fn a_block_shortcode_becomes_its_own_paragraph() {
        let out = extract(
            "a\n[message type=\"warning\"]\nBody\n[/message]\nb\n",
            &known,
        );
        assert_eq!(out.text, format!("a\n\n\n{}\n\n\nb\n", placeholder(0)));
        let call = &out.calls[0];
        assert_eq!(call.attrs.get("type").map(String::as_str), Some("warning"));
        assert_eq!(call.body.as_deref(), Some("\nBody\n"));
        assert!(call.block);
    }

    #[test]
    fn inline_and_self_closing_shortcodes() {
        let out = extract(
            "See [button color=purple href='/x']Go[/button] or [message /].",
            &known,
        );
        assert_eq!(
            out.text,
            format!("See {} or {}.", placeholder(0), placeholder(1))
        );
        assert!(!out.calls[0].block);
        assert_eq!(
            out.calls[0].attrs.get("href").map(String::as_str),
            Some("/x")
        );
        assert_eq!(out.calls[1].body, None);
    }

    #[test]
    fn links_references_and_code_are_not_shortcodes() {
        for text in [
            "[Enterprise](../license)",
            "[kiali] and [kiali]: /k",
            "`[message]x[/message]`",
            "\\[message]x[/message]",
        ] {
            let out = extract(text, &known);
            assert!(out.calls.is_empty(), "{text}");
            assert_eq!(out.text, text);
        }
    }

    #[test]
    fn a_reference_link_body_is_kept() {
        let out = extract("[experimental][Kiali][kiali][/experimental]", &known);
        assert_eq!(out.calls[0].body.as_deref(), Some("[Kiali][kiali]"));
    }

    #[test]
    fn unknown_names_with_a_closing_tag_are_reported() {
        let out = extract("x [warnbox]hi[/warnbox]", &known);
        assert_eq!(
            out.unknown,
            vec![ShortcodeError {
                offset: 2,
                len: 9,
                name: "warnbox".into()
            }]
        );
        assert_eq!(out.text, "x [warnbox]hi[/warnbox]");
    }
}
