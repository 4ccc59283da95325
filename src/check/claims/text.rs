//! A page's markdown source as the audit reads it: the body's lines outside code blocks,
//! grouped into paragraphs, with every byte offset mapping back to a line and column of
//! the file. HTML comments are read like any other text (writers copy from them), but
//! each offset can tell whether it sits inside one.

use std::ops::Range;

use crate::diag::Position;

/// One line of the body outside code; `start` is its byte offset in the file.
#[derive(Debug, Clone, Copy)]
pub struct Line<'p> {
    pub start: usize,
    pub text: &'p str,
}

/// Consecutive lines of one paragraph, list item, heading or table row, with line ends
/// turned into spaces so the text keeps the byte offsets of the file.
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub start: usize,
    pub text: String,
}

#[derive(Debug)]
pub struct Source<'p> {
    text: &'p str,
    line_starts: Vec<usize>,
    comments: Vec<Range<usize>>,
    pub lines: Vec<Line<'p>>,
}

impl<'p> Source<'p> {
    /// Reads `text` from `body_start`, leaving out fenced and indented code.
    pub fn new(text: &'p str, body_start: usize) -> Source<'p> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source {
            text,
            line_starts,
            comments: comment_ranges(text, body_start),
            lines: prose_lines(text, body_start),
        }
    }

    /// The paragraphs of the body, in order.
    pub fn paragraphs(&self) -> Vec<Paragraph> {
        let mut found = Vec::new();
        let mut current: Option<(usize, usize)> = None;
        for line in &self.lines {
            let end = line.start + line.text.len();
            let starts_block = line.text.trim().is_empty() || starts_new_block(line.text);
            match current {
                Some((start, last_end)) if !starts_block && last_end + 1 == line.start => {
                    current = Some((start, end));
                }
                _ => {
                    found.extend(current.take().map(|r| self.paragraph(r)));
                    current = (!line.text.trim().is_empty()).then_some((line.start, end));
                }
            }
        }
        found.extend(current.map(|r| self.paragraph(r)));
        found
    }

    fn paragraph(&self, (start, end): (usize, usize)) -> Paragraph {
        Paragraph {
            start,
            text: self.text[start..end].replace('\n', " "),
        }
    }

    /// Where the bytes `start..end` of the file sit: line, column and length in
    /// characters, cut at the end of the line.
    pub fn position(&self, start: usize, end: usize) -> Position {
        let line = self.line_starts.partition_point(|&s| s <= start);
        let line_start = self.line_starts[line - 1];
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let column = self.text[line_start..start].chars().count() + 1;
        let len = self.text[start..end.clamp(start, line_end)].chars().count();
        Position::new(line, column, len)
    }

    /// Whether byte `at` of the file lies inside an HTML comment.
    pub fn in_comment(&self, at: usize) -> bool {
        self.comments.iter().any(|r| r.contains(&at))
    }

    pub fn file_text(&self) -> &'p str {
        self.text
    }
}

/// Lines that always begin a block of their own: headings, list items, table rows.
fn starts_new_block(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with('#')
        || trimmed.starts_with('|')
        || trimmed.starts_with("- ")
        || trimmed.starts_with("* ")
        || trimmed.starts_with("+ ")
        || trimmed.starts_with('•')
        || ordered_item(trimmed)
}

fn ordered_item(trimmed: &str) -> bool {
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(&trimmed.as_bytes()[digits..], [b'.' | b')', b' ', ..])
}

/// The body's lines, without fenced code and indented code blocks.
fn prose_lines(text: &str, body_start: usize) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut fence: Option<char> = None;
    let mut state = Indent::default();
    let mut start = body_start;
    for raw in text[body_start..].split_inclusive('\n') {
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let trimmed = line.trim_start();
        let marker = ['`', '~']
            .into_iter()
            .find(|&c| trimmed.starts_with(&c.to_string().repeat(3)));
        match (fence, marker) {
            (None, Some(c)) => fence = Some(c),
            (Some(open), Some(c)) if open == c => fence = None,
            (Some(_), _) => {}
            (None, None) if !state.is_code(line) => lines.push(Line { start, text: line }),
            (None, None) => {}
        }
        start += raw.len();
    }
    lines
}

/// What decides whether an indented line is code: it follows a blank line, and the text
/// before is not a list (whose continuation lines are indented too).
#[derive(Debug, Default)]
struct Indent {
    previous_blank: bool,
    in_list: bool,
    in_code: bool,
}

impl Indent {
    fn is_code(&mut self, line: &str) -> bool {
        let blank = line.trim().is_empty();
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if !blank {
            self.in_code = indented && (self.in_code || (self.previous_blank && !self.in_list));
            if !indented {
                self.in_list = starts_new_block(line) && !line.trim_start().starts_with('#');
            }
        }
        self.previous_blank = blank;
        self.in_code && !blank
    }
}

/// The byte ranges of `<!-- ... -->` comments in the body; an unclosed one runs to the end.
fn comment_ranges(text: &str, body_start: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut from = body_start;
    while let Some(open) = text[from..].find("<!--").map(|i| from + i) {
        let close = text[open + 4..]
            .find("-->")
            .map_or(text.len(), |i| open + 4 + i + 3);
        ranges.push(open..close);
        from = close;
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_join_wrapped_lines_and_skip_code() {
        let text = "---\ntitle: T\n---\nOne\ntwo\n\n```\nin code 1.2\n```\n- item\n- next\n\nText\n\n    indented code\n| a | b |\n";
        let source = Source::new(text, 16);
        let texts: Vec<String> = source.paragraphs().into_iter().map(|p| p.text).collect();
        assert_eq!(texts, ["One two", "- item", "- next", "Text", "| a | b |"]);
    }

    #[test]
    fn list_continuations_are_not_code() {
        let text = "- item\n\n    more of the item\n";
        let texts: Vec<String> = Source::new(text, 0)
            .paragraphs()
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(texts, ["- item", "    more of the item"]);
    }

    #[test]
    fn positions_count_characters_and_comments_are_known() {
        let text = "é line\nab <!-- x\n1.7 -->\n";
        let source = Source::new(text, 0);
        assert_eq!(source.position(3, 7), Position::new(1, 3, 4));
        let at = text.find("1.7").expect("offset");
        assert_eq!(source.position(at, at + 3), Position::new(3, 1, 3));
        assert!(source.in_comment(at));
        assert!(!source.in_comment(1));
    }
}
