//! Text passes that run before pulldown-cmark sees a page. Both keep the line count, so
//! later positions still point at the source:
//! - HTML comments are removed outside code. Writers comment out whole sections, blank
//!   lines included; pulldown-cmark would end a comment at the blank line and leak the rest.
//! - A heading ending in `{...}` that is not an attribute block keeps its braces
//!   (pulldown-cmark would swallow `# Set {x}` as attributes).
//!
//! [`code_ranges`] tells later passes (includes, shortcodes) which bytes are code.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

/// What [`strip_comments`] found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnclosedComment {
    /// 1-based line of the `<!--` that never ends.
    pub line: usize,
}

/// Removes HTML comments outside code and protects heading braces.
pub fn prepare(text: &str) -> (String, Option<UnclosedComment>) {
    if !text.contains("<!--") {
        return (protect_heading_braces(text.to_string()), None);
    }
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<Fence> = None;
    let mut comment_from: Option<usize> = None;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let (content, newline) = split_newline(line);
        let mut rest = content;
        if comment_from.is_some() {
            match rest.find("-->") {
                Some(end) => {
                    comment_from = None;
                    rest = &rest[end + 3..];
                }
                None => {
                    out.push_str(newline);
                    continue;
                }
            }
        } else if let Some(open) = fence {
            if open.closed_by(rest) {
                fence = None;
            }
            out.push_str(line);
            continue;
        } else if let Some(opened) = Fence::opened_by(rest) {
            fence = Some(opened);
            out.push_str(line);
            continue;
        }
        if strip_line(rest, &mut out) {
            comment_from = Some(index + 1);
        }
        out.push_str(newline);
    }
    (
        protect_heading_braces(out),
        comment_from.map(|line| UnclosedComment { line }),
    )
}

/// Copies `line` without its comments into `out`; true when a comment stays open.
fn strip_line(line: &str, out: &mut String) -> bool {
    let mut rest = line;
    loop {
        let Some(start) = find_outside_code_span(rest, "<!--") else {
            out.push_str(rest);
            return false;
        };
        out.push_str(&rest[..start]);
        match rest[start + 4..].find("-->") {
            Some(end) => rest = &rest[start + 4 + end + 3..],
            None => return true,
        }
    }
}

/// The first `needle` in `line` that is not inside a backtick code span.
fn find_outside_code_span(line: &str, needle: &str) -> Option<usize> {
    let first = line.find(needle)?;
    let spans = inline_code_spans(line, 0);
    let mut from = first;
    while let Some(found) = line[from..].find(needle) {
        let at = from + found;
        match spans.iter().find(|span| span.contains(&at)) {
            Some(span) => from = span.end,
            None => return Some(at),
        }
    }
    None
}

fn split_newline(line: &str) -> (&str, &str) {
    match line.strip_suffix('\n') {
        Some(content) => (content, "\n"),
        None => (line, ""),
    }
}

/// An open fenced code block: its character and length.
#[derive(Debug, Clone, Copy)]
struct Fence {
    marker: char,
    len: usize,
}

impl Fence {
    fn opened_by(line: &str) -> Option<Fence> {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
        let len = trimmed.chars().take_while(|c| *c == marker).count();
        let info_ok = marker == '~' || !trimmed[len..].contains('`');
        (len >= 3 && info_ok).then_some(Fence { marker, len })
    }

    fn closed_by(self, line: &str) -> bool {
        let trimmed = line.trim();
        trimmed.len() >= self.len && trimmed.chars().all(|c| c == self.marker)
    }
}

/// The byte ranges of a text that are code, sorted and disjoint, with a lookup that is
/// logarithmic in their number (passes ask once per line or per `[`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeRanges(Vec<Range<usize>>);

impl CodeRanges {
    /// Whether byte `at` is inside code.
    pub fn contains(&self, at: usize) -> bool {
        let after = self.0.partition_point(|r| r.end <= at);
        self.0.get(after).is_some_and(|r| r.start <= at)
    }

    #[cfg(test)]
    fn ranges(&self) -> &[Range<usize>] {
        &self.0
    }
}

/// The code ranges of a text, worked out on the first question: most pages never ask
/// (the passes ask only about a `[tag]`, an `#include` line or a heading's braces), and
/// a markdown parse per pass would cost more than the rest of the pass.
#[derive(Debug)]
pub struct LazyCodeRanges<'t> {
    text: &'t str,
    ranges: std::cell::OnceCell<CodeRanges>,
}

impl<'t> LazyCodeRanges<'t> {
    pub fn new(text: &'t str) -> Self {
        LazyCodeRanges {
            text,
            ranges: std::cell::OnceCell::new(),
        }
    }

    /// Whether byte `at` of the text is inside code.
    pub fn contains(&self, at: usize) -> bool {
        self.ranges
            .get_or_init(|| code_ranges(self.text))
            .contains(at)
    }
}

/// The code in `text` as markdown reads it: fenced and indented code blocks, code spans,
/// and raw HTML `<pre>` and `<code>` elements. One pulldown-cmark pass, so what counts as
/// code is exactly what the renderer will treat as code.
pub fn code_ranges(text: &str) -> CodeRanges {
    let mut ranges = Vec::new();
    let mut open_code_tag: Option<usize> = None;
    for (event, range) in Parser::new_ext(text, super::html::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => ranges.push(range),
            Event::Start(Tag::HtmlBlock) => raw_code_elements(text, range, &mut ranges),
            Event::InlineHtml(html) if starts_tag(&html, "<code") => {
                open_code_tag = open_code_tag.or(Some(range.start));
            }
            Event::InlineHtml(html) if starts_tag(&html, "</code") => {
                if let Some(start) = open_code_tag.take() {
                    ranges.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    if let Some(start) = open_code_tag {
        ranges.push(start..text.len());
    }
    CodeRanges(disjoint(ranges))
}

fn starts_tag(html: &str, tag: &str) -> bool {
    html.get(..tag.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(tag))
        && html[tag.len()..].starts_with(['>', ' ', '\t', '\n'])
}

/// The `<pre>...</pre>` and `<code>...</code>` elements inside a raw HTML block.
fn raw_code_elements(text: &str, block: Range<usize>, ranges: &mut Vec<Range<usize>>) {
    let html = text[block.clone()].to_ascii_lowercase();
    for (open, close) in [("<pre", "</pre>"), ("<code", "</code>")] {
        let mut from = 0;
        while let Some(found) = html[from..].find(open) {
            let start = from + found;
            let end = html[start..]
                .find(close)
                .map_or(html.len(), |i| start + i + close.len());
            ranges.push(block.start + start..block.start + end);
            from = end;
        }
    }
}

/// Sorted ranges with overlapping ones merged.
fn disjoint(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// Backtick code spans within one line, as byte ranges shifted by `offset`.
fn inline_code_spans(line: &str, offset: usize) -> Vec<Range<usize>> {
    let bytes = line.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
        match find_backtick_run(bytes, i + run, run) {
            Some(close) => {
                spans.push(offset + i..offset + close + run);
                i = close + run;
            }
            None => i += run,
        }
    }
    spans
}

fn find_backtick_run(bytes: &[u8], from: usize, len: usize) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
        if run == len {
            return Some(i);
        }
        i += run.max(1);
    }
    None
}

/// `# Set {x}` would lose `{x}` to heading-attribute parsing; write its brace as an
/// entity unless the block really is attributes (`{#id .class key=value}`).
fn protect_heading_braces(text: String) -> String {
    if !text.contains('{') {
        return text;
    }
    let code = LazyCodeRanges::new(&text);
    let mut out = String::with_capacity(text.len());
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        match brace_to_protect(line).filter(|_| !code.contains(offset)) {
            Some(at) => {
                out.push_str(&line[..at]);
                out.push_str("&#123;");
                out.push_str(&line[at + 1..]);
            }
            None => out.push_str(line),
        }
        offset += line.len();
    }
    out
}

fn brace_to_protect(line: &str) -> Option<usize> {
    let trimmed = line.trim_end();
    let is_heading = trimmed.trim_start().starts_with('#')
        && trimmed
            .trim_start()
            .trim_start_matches('#')
            .starts_with(' ');
    if !is_heading || !trimmed.ends_with('}') {
        return None;
    }
    let open = trimmed.rfind('{')?;
    let inner = &trimmed[open + 1..trimmed.len() - 1];
    let is_attributes = !inner.trim().is_empty()
        && inner
            .split_whitespace()
            .all(|t| t.starts_with('#') || t.starts_with('.') || t.contains('='));
    (!is_attributes).then_some(open)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_spanning_blank_lines_are_removed_keeping_lines() {
        let (out, unclosed) = prepare("a <!-- x\n\ny --> b\nc\n");
        assert_eq!(out, "a \n\n b\nc\n");
        assert_eq!(unclosed, None);
    }

    #[test]
    fn comments_in_code_stay() {
        let text = "`<!-- kept -->`\n```\n<!-- kept -->\n```\n";
        assert_eq!(prepare(text).0, text);
    }

    #[test]
    fn an_unclosed_comment_is_reported() {
        assert_eq!(
            prepare("a\n<!-- open\nb\n").1,
            Some(UnclosedComment { line: 2 })
        );
    }

    #[test]
    fn heading_braces_survive_unless_they_are_attributes() {
        assert_eq!(prepare("# Set {x}\n").0, "# Set &#123;x}\n");
        assert_eq!(prepare("# Set {#id .c}\n").0, "# Set {#id .c}\n");
        assert_eq!(prepare("```\n# Set {x}\n```\n").0, "```\n# Set {x}\n```\n");
    }

    #[test]
    fn code_ranges_cover_fences_and_spans() {
        let text = "a `b` c\n```\nd\n```\n";
        assert_eq!(code_ranges(text).ranges(), [2..5, 8..17]);
    }

    #[test]
    fn indented_blocks_and_raw_pre_and_code_are_code_but_list_paragraphs_are_not() {
        let text = "Para\n\n    [message]\n\n<pre>\n[x]\n</pre>\n\nsee <code>[y]</code> z\n\n- item\n\n    more [z]\n";
        let code = code_ranges(text);
        let at = |needle: &str| text.find(needle).expect("in text");
        assert!(code.contains(at("[message]")));
        assert!(code.contains(at("[x]")));
        assert!(code.contains(at("[y]")));
        assert!(!code.contains(at(" z\n")));
        assert!(!code.contains(at("[z]")), "a list item's second paragraph");
        assert!(!code.contains(at("Para")));
    }
}
