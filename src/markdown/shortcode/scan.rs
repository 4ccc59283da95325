//! The scan behind [`extract`]: every `[` of a page in order, deciding for each whether it
//! opens a shortcode, closes a wrapper, or is text (prose, a link, code).

use std::cell::OnceCell;
use std::collections::HashSet;
use std::ops::Range;

use super::spec::{self, Lone};
use super::tag::{self, OpenTag, Parsed, TagError};
use super::{Extracted, Piece, ShortcodeCall, ShortcodeError, Template, placeholder};
use crate::markdown::prepass;

/// A wrapper's closing tag, waiting for the scan to reach it.
#[derive(Debug)]
struct PendingClose {
    call: usize,
    range: Range<usize>,
    /// The body has lines of its own: the placeholders get paragraphs of their own.
    separate: bool,
}

/// Cuts every shortcode out of `text`. `lookup` takes a lowercase name and says whose
/// template renders it; a well-formed tag with another name is reported and left as text.
pub fn extract(text: &str, lookup: &dyn Fn(&str) -> Option<Template>) -> Extracted {
    let mut scan = Scan {
        text,
        code: prepass::LazyCodeRanges::new(text),
        lower: OnceCell::new(),
        labels: OnceCell::new(),
        out: Extracted {
            text: String::with_capacity(text.len()),
            ..Extracted::default()
        },
        copied: 0,
        pending: Vec::new(),
    };
    let mut from = 0;
    while let Some(found) = text[from..].find('[') {
        from = scan.visit(from + found, lookup);
    }
    scan.out.text.push_str(&text[scan.copied..]);
    scan.out
}

/// The state of one [`extract`].
struct Scan<'t> {
    text: &'t str,
    code: prepass::LazyCodeRanges<'t>,
    /// The text in ASCII lowercase (same offsets), for finding closing tags.
    lower: OnceCell<String>,
    /// The labels of the page's `[label]: url` definitions, lowercase.
    labels: OnceCell<HashSet<String>>,
    out: Extracted,
    /// `text[..copied]` is in `out.text` already.
    copied: usize,
    pending: Vec<PendingClose>,
}

impl Scan<'_> {
    /// Handles the `[` at `start`; returns where to look for the next one.
    fn visit(&mut self, start: usize, lookup: &dyn Fn(&str) -> Option<Template>) -> usize {
        if let Some(i) = self.pending.iter().position(|p| p.range.start == start) {
            let close = self.pending.remove(i);
            self.emit_close(close);
            return self.copied;
        }
        let text = self.text;
        if text[..start].ends_with(['\\', '!']) {
            return start + 1;
        }
        let tag = match tag::parse(text, start) {
            Parsed::NotATag => return start + 1,
            Parsed::Malformed { name, error } => {
                if lookup(&name).is_some() && !self.code.contains(start) {
                    self.out.errors.push(error);
                }
                return start + 1;
            }
            Parsed::Tag(tag) => tag,
        };
        if text[tag.end..].starts_with('(') || self.code.contains(start) {
            return start + 1;
        }
        match lookup(&tag.name) {
            Some(template) => self.known(start, tag, template),
            None => self.unknown(start, tag),
        }
    }

    /// A well-formed tag with a name no template has: reported when it is clearly meant
    /// as a shortcode (self-closing or closed), else prose.
    fn unknown(&mut self, start: usize, tag: OpenTag) -> usize {
        let closed = tag.self_closing || self.find_close(&tag).is_some();
        if closed && !self.is_link(&tag) {
            self.out.unknown.push(ShortcodeError {
                offset: start,
                len: tag.end - start,
                name: tag.name,
            });
        }
        start + 1
    }

    /// A tag of a known shortcode: a wrapper when its `[/name]` follows, else a lone tag,
    /// unless it is a link or breaks the rules of a built-in shortcode.
    fn known(&mut self, start: usize, mut tag: OpenTag, template: Template) -> usize {
        if tag.attrs.is_empty() && self.is_definition(start, &tag) {
            return start + 1;
        }
        let close = (!tag.self_closing).then(|| self.find_close(&tag)).flatten();
        let lone = close.is_none() && !tag.self_closing;
        if lone && self.is_link(&tag) {
            return start + 1;
        }
        let spec = (template == Template::Builtin)
            .then(|| spec::of(&tag.name))
            .flatten();
        if let Some(spec) = spec {
            let shaped = !tag.attrs.is_empty() || self.alone_on_line(start, tag.end);
            match spec.lone {
                Lone::NeedsBody if lone && shaped => {
                    self.out.errors.push(never_closed(start, &tag));
                    return start + 1;
                }
                Lone::NeedsBody | Lone::OwnLine if lone && !shaped => return start + 1,
                _ => {}
            }
            if let Err(error) = spec.check(&mut tag.attrs) {
                self.out.errors.push(error);
                return start + 1;
            }
        }
        self.emit(start, tag, close)
    }

    /// Puts the placeholder of a tag that renders in the place of `start`.
    fn emit(&mut self, start: usize, tag: OpenTag, close: Option<Range<usize>>) -> usize {
        let text = self.text;
        let end = close.as_ref().map_or(tag.end, |c| c.end);
        let block = self.alone_on_line(start, end);
        let body = close.as_ref().map(|c| text[tag.end..c.start].to_string());
        let separate = block && body.as_ref().is_some_and(|b| b.contains('\n'));
        let call = self.out.calls.len();
        self.out.text.push_str(&text[self.copied..start]);
        let piece = match close {
            Some(range) => {
                self.pending.push(PendingClose {
                    call,
                    range,
                    separate,
                });
                Piece::Open(call)
            }
            None => Piece::Whole(call),
        };
        let trail = block && (separate || matches!(piece, Piece::Whole(_)));
        self.push_placeholder(piece, block, trail, line_prefix(text, start).unwrap_or(""));
        let attrs = tag.attrs.into_iter().map(|a| (a.key, a.value)).collect();
        self.out.calls.push(ShortcodeCall {
            name: tag.name,
            attrs,
            body,
            block,
            offset: start,
        });
        self.copied = tag.end;
        tag.end
    }

    fn emit_close(&mut self, close: PendingClose) {
        let text = self.text;
        self.out
            .text
            .push_str(&text[self.copied..close.range.start]);
        let block = self.out.calls[close.call].block;
        let prefix = line_prefix(text, close.range.start).unwrap_or("");
        self.push_placeholder(Piece::Close(close.call), close.separate, block, prefix);
        self.copied = close.range.end;
    }

    /// A block placeholder gets a paragraph of its own (a blank line before when `lead`,
    /// after when `trail`: the rest of its line is blank), so it never lands inside a `<p>`
    /// with other text. `prefix` is its line's indentation and `>` markers, which the
    /// blank lines keep so a wrapper inside a list item or a quote stays inside it.
    fn push_placeholder(&mut self, piece: Piece, lead: bool, trail: bool, prefix: &str) {
        let out = &mut self.out.text;
        let quote = prefix.trim_end();
        if lead {
            out.push('\n');
            out.push_str(quote);
            out.push('\n');
            out.push_str(prefix);
        }
        out.push_str(&placeholder(self.out.pieces.len()));
        if trail {
            out.push('\n');
            out.push_str(quote);
        }
        self.out.pieces.push(piece);
    }

    /// The range of the `[/name]` matching an opening tag, skipping nested pairs of the
    /// same name and code.
    fn find_close(&self, tag: &OpenTag) -> Option<Range<usize>> {
        let lower = self.lower.get_or_init(|| self.text.to_ascii_lowercase());
        let close = format!("[/{}]", tag.name);
        if !lower[tag.end..].contains(&close) {
            return None;
        }
        let mut depth = 0;
        let mut at = tag.end;
        while let Some(found) = lower[at..].find('[') {
            let pos = at + found;
            at = pos + 1;
            if lower[pos..].starts_with(&close) {
                if self.code.contains(pos) {
                    continue;
                }
                if depth == 0 {
                    return Some(pos..pos + close.len());
                }
                depth -= 1;
            } else if self.opens_same(pos, &tag.name) {
                depth += 1;
            }
        }
        None
    }

    fn opens_same(&self, at: usize, name: &str) -> bool {
        let opens = matches!(
            tag::parse(self.text, at),
            Parsed::Tag(t) if t.name == name && !t.self_closing && !self.text[t.end..].starts_with('(')
        );
        opens && !self.code.contains(at)
    }

    /// `[name][ref]`, `[name][]`, or `[name]` when the page defines `[name]: url`.
    fn is_link(&self, tag: &OpenTag) -> bool {
        tag.attrs.is_empty()
            && (self.text[tag.end..].starts_with('[') || self.labels().contains(&tag.name))
    }

    /// `[name]: url` at the start of a line is a link reference definition.
    fn is_definition(&self, start: usize, tag: &OpenTag) -> bool {
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let indent = &self.text[line_start..start];
        indent.len() <= 3 && indent.trim().is_empty() && self.text[tag.end..].starts_with(':')
    }

    fn labels(&self) -> &HashSet<String> {
        self.labels
            .get_or_init(|| definition_labels(self.text, &self.code))
    }

    fn alone_on_line(&self, start: usize, end: usize) -> bool {
        starts_line(self.text, start) && ends_line(self.text, end)
    }
}

/// The lowercase labels of `[label]: destination` lines outside code.
fn definition_labels(text: &str, code: &prepass::LazyCodeRanges) -> HashSet<String> {
    let mut labels = HashSet::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let label = trimmed
            .strip_prefix('[')
            .and_then(|rest| rest.split_once("]:"))
            .map(|(label, _)| label)
            .filter(|label| !label.starts_with('^') && line.len() - trimmed.len() <= 3);
        if let Some(label) = label.filter(|_| !code.contains(offset)) {
            labels.insert(label.to_ascii_lowercase());
        }
        offset += line.len();
    }
    labels
}

fn never_closed(start: usize, tag: &OpenTag) -> TagError {
    let name = &tag.name;
    TagError {
        code: "shortcode-syntax",
        at: start,
        len: tag.end - start,
        message: format!("`[{name}]` is never closed"),
        help: format!("a `{name}` wraps a body: end it with `[/{name}]`"),
    }
}

fn starts_line(text: &str, at: usize) -> bool {
    line_prefix(text, at).is_some()
}

fn ends_line(text: &str, at: usize) -> bool {
    text[at..]
        .split('\n')
        .next()
        .is_some_and(|after| after.trim().is_empty())
}

/// What stands before `at` on its line, when that is only indentation and the `>` of
/// block quotes; `None` when there is other text.
fn line_prefix(text: &str, at: usize) -> Option<&str> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    before
        .chars()
        .all(|c| c.is_whitespace() || c == '>')
        .then_some(before)
}
