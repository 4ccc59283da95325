//! The scan behind [`extract`]: every `[` of a page in order, deciding for each whether it
//! opens a shortcode, closes a wrapper, or is text (prose, a link, code).

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::spec::{self, Lone};
use super::tag::{self, OpenTag, Parsed, TagError};
use super::{Extracted, Piece, ShortcodeCall, ShortcodeError, Template, placeholder};
use crate::markdown::prepass;

/// How deep wrappers may nest: real pages nest two or three; thousands would cost time
/// and memory with the square of the depth.
pub const MAX_NESTING: usize = 64;

const TOO_DEEP: &str = "shortcode-nesting";

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
        closes: OnceCell::new(),
        labels: OnceCell::new(),
        out: Extracted {
            text: String::with_capacity(text.len()),
            ..Extracted::default()
        },
        copied: 0,
        pending: HashMap::new(),
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
    /// Each opening tag's matching `[/name]`, by the tag's offset (see `match_closes`).
    closes: OnceCell<HashMap<usize, Range<usize>>>,
    /// The labels of the page's `[label]: url` definitions, lowercase.
    labels: OnceCell<HashSet<String>>,
    out: Extracted,
    /// `text[..copied]` is in `out.text` already.
    copied: usize,
    /// Wrappers open at this point of the scan, by the offset of their closing tag.
    pending: HashMap<usize, PendingClose>,
}

impl Scan<'_> {
    /// Handles the `[` at `start`; returns where to look for the next one.
    fn visit(&mut self, start: usize, lookup: &dyn Fn(&str) -> Option<Template>) -> usize {
        if let Some(close) = self.pending.remove(&start) {
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
        let closed = tag.self_closing || self.find_close(start).is_some();
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
        let close = (!tag.self_closing)
            .then(|| self.find_close(start))
            .flatten();
        if close.is_some() && self.pending.len() >= MAX_NESTING {
            // Once per page: the tags past the limit stay text.
            if !self.out.errors.iter().any(|e| e.code == TOO_DEEP) {
                self.out.errors.push(too_deep(start, &tag));
            }
            return start + 1;
        }
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
                let at = range.start;
                let close = PendingClose {
                    call,
                    range,
                    separate,
                };
                self.pending.insert(at, close);
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

    /// The range of the `[/name]` matching the opening tag at `start`.
    fn find_close(&self, start: usize) -> Option<Range<usize>> {
        let closes = self
            .closes
            .get_or_init(|| match_closes(self.text, &self.code));
        closes.get(&start).cloned()
    }

    /// `[name][ref]`, `[name][]`, or `[name]` when the page defines `[name]: url`.
    fn is_link(&self, tag: &OpenTag) -> bool {
        tag.attrs.is_empty()
            && (self.text[tag.end..].starts_with('[') || self.labels().contains(&tag.name))
    }

    /// `[name]: url` at the start of a line is a link reference definition.
    fn is_definition(&self, start: usize, tag: &OpenTag) -> bool {
        let indent = self.text[..start]
            .bytes()
            .rev()
            .take_while(|&b| b == b' ')
            .count();
        let at_line_start = matches!(
            self.text[..start - indent].bytes().last(),
            None | Some(b'\n')
        );
        indent <= 3 && at_line_start && self.text[tag.end..].starts_with(':')
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

/// Pairs every opening tag with its `[/name]` in one pass: a closing tag closes the
/// latest open tag of its name that is still unclosed, so nested pairs of one name match
/// as brackets do. Tags in code and links (`[name](url)`) take no part, and nothing
/// inside a tag (its quoted values) is read as a tag.
fn match_closes(text: &str, code: &prepass::LazyCodeRanges) -> HashMap<usize, Range<usize>> {
    let mut open: HashMap<String, Vec<usize>> = HashMap::new();
    let mut matched = HashMap::new();
    let mut from = 0;
    while let Some(found) = text[from..].find('[') {
        let at = from + found;
        from = at + 1;
        if code.contains(at) {
            continue;
        }
        if let Some((name, end)) = closing_tag(text, at) {
            if let Some(opener) = open.get_mut(&name).and_then(Vec::pop) {
                matched.insert(opener, at..end);
            }
            continue;
        }
        if let Parsed::Tag(t) = tag::parse(text, at) {
            // A `[/name]` inside the tag's own quoted values closes nothing.
            from = t.end;
            if !t.self_closing && !text[t.end..].starts_with('(') {
                open.entry(t.name).or_default().push(at);
            }
        }
    }
    matched
}

/// `[/name]` at `at`: the lowercase name and where the tag ends.
fn closing_tag(text: &str, at: usize) -> Option<(String, usize)> {
    let rest = text[at..].strip_prefix("[/")?;
    let close = rest.find(']')?;
    let name = &rest[..close];
    let valid = !name.is_empty() && name.chars().all(tag::is_word_char);
    valid.then(|| (name.to_ascii_lowercase(), at + 2 + close + 1))
}

fn too_deep(start: usize, tag: &OpenTag) -> TagError {
    TagError {
        code: TOO_DEEP,
        at: start,
        len: tag.end - start,
        message: format!("shortcodes nest more than {MAX_NESTING} levels deep here"),
        help: "close some of the shortcodes this one sits in before opening it".into(),
    }
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

/// Whether only blanks follow `at` on its line. Like `line_prefix`, it stops at the first
/// other character: a page that is one long line of tags stays linear.
fn ends_line(text: &str, at: usize) -> bool {
    text[at..]
        .chars()
        .find(|c| !c.is_whitespace() || *c == '\n')
        .is_none_or(|c| c == '\n')
}

/// What stands before `at` on its line, when that is only indentation and the `>` of
/// block quotes; `None` when there is other text.
fn line_prefix(text: &str, at: usize) -> Option<&str> {
    let mut line_start = 0;
    for (i, c) in text[..at].char_indices().rev() {
        match c {
            '\n' => {
                line_start = i + 1;
                break;
            }
            c if c.is_whitespace() || c == '>' => {}
            _ => return None,
        }
    }
    Some(&text[line_start..at])
}
