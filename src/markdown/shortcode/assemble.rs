//! Puts rendered shortcodes back into a page's HTML. A wrapper's body stays in the page's
//! markdown between an opening and a closing placeholder, so its headings, ids, footnotes
//! and reference links are the page's own; here the HTML between the two becomes the
//! `body` its template wraps. A block placeholder's own `<p>` goes.

use super::{PLACEHOLDER_END, PLACEHOLDER_START, Piece};

/// Renders call `index` with `body` (HTML) for a wrapper, empty for a lone tag.
pub type RenderCall<'r> = dyn FnMut(usize, &str) -> String + 'r;

/// `html` with every placeholder of `pieces` replaced; `block[i]` says whether call `i`
/// stands on lines of its own.
pub fn assemble(html: &str, pieces: &[Piece], block: &[bool], render: &mut RenderCall) -> String {
    if pieces.is_empty() {
        return html.to_string();
    }
    let mut open: Vec<(usize, String)> = Vec::new();
    let mut out = String::with_capacity(html.len() * 5 / 4);
    let mut rest = html;
    while let Some((before, index, after)) = next_placeholder(rest, pieces.len()) {
        let piece = pieces[index];
        let is_block = block[piece.call()];
        let target = open.last_mut().map_or(&mut out, |(_, body)| body);
        target.push_str(before);
        rest = after;
        if is_block {
            strip_suffix_in_place(target, "<p>");
            rest = rest.strip_prefix("</p>").unwrap_or(rest);
        }
        match piece {
            Piece::Whole(call) => {
                let rendered = render(call, "");
                push(&mut open, &mut out, &rendered);
            }
            Piece::Open(call) => open.push((call, String::new())),
            Piece::Close(call) => close(&mut open, &mut out, call, render),
        }
    }
    push(&mut open, &mut out, rest);
    while let Some((call, body)) = open.pop() {
        let rendered = render(call, body.trim());
        push(&mut open, &mut out, &rendered);
    }
    out
}

/// Ends wrapper `call` and any left open inside it; a stray close is dropped.
fn close(open: &mut Vec<(usize, String)>, out: &mut String, call: usize, render: &mut RenderCall) {
    if !open.iter().any(|(c, _)| *c == call) {
        return;
    }
    while let Some((inner, body)) = open.pop() {
        let rendered = render(inner, body.trim());
        push(open, out, &rendered);
        if inner == call {
            return;
        }
    }
}

fn push(open: &mut [(usize, String)], out: &mut String, text: &str) {
    open.last_mut().map_or(out, |(_, body)| body).push_str(text);
}

fn strip_suffix_in_place(text: &mut String, suffix: &str) {
    if text.ends_with(suffix) {
        text.truncate(text.len() - suffix.len());
    }
}

/// The text before the next placeholder of a known piece, its index, and the text after.
fn next_placeholder(html: &str, count: usize) -> Option<(&str, usize, &str)> {
    let mut from = 0;
    loop {
        let start = from + html[from..].find(PLACEHOLDER_START)?;
        let after = &html[start + PLACEHOLDER_START.len_utf8()..];
        let end = after.find(PLACEHOLDER_END)?;
        match after[..end].parse::<usize>() {
            Ok(index) if index < count => {
                return Some((
                    &html[..start],
                    index,
                    &after[end + PLACEHOLDER_END.len_utf8()..],
                ));
            }
            _ => from = start + PLACEHOLDER_START.len_utf8(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::placeholder;
    use super::*;

    fn run(html: &str, pieces: &[Piece], block: &[bool]) -> String {
        assemble(html, pieces, block, &mut |call, body| {
            format!("<x{call}>{body}</x{call}>")
        })
    }

    #[test]
    fn a_block_wrapper_takes_the_html_between_its_placeholders() {
        let html = format!(
            "<p>a</p>\n<p>{}</p>\n<h2 id=\"h\">H</h2>\n<p>b {}</p>\n<p>{}</p>\n",
            placeholder(0),
            placeholder(1),
            placeholder(2)
        );
        let pieces = [Piece::Open(0), Piece::Whole(1), Piece::Close(0)];
        assert_eq!(
            run(&html, &pieces, &[true, false]),
            "<p>a</p>\n<x0><h2 id=\"h\">H</h2>\n<p>b <x1></x1></p></x0>\n"
        );
    }

    #[test]
    fn a_one_line_block_body_loses_its_paragraph() {
        let html = format!("<p>{}Some text{}</p>\n", placeholder(0), placeholder(1));
        let pieces = [Piece::Open(0), Piece::Close(0)];
        assert_eq!(run(&html, &pieces, &[true]), "<x0>Some text</x0>\n");
    }

    #[test]
    fn crossed_and_unclosed_wrappers_still_close() {
        let html = format!(
            "{}a{}b{}c{}",
            placeholder(0),
            placeholder(1),
            placeholder(2),
            placeholder(3)
        );
        let pieces = [
            Piece::Open(0),
            Piece::Open(1),
            Piece::Close(0),
            Piece::Close(1),
        ];
        assert_eq!(
            run(&html, &pieces, &[false, false]),
            "<x0>a<x1>b</x1></x0>c"
        );
        let unclosed = format!("x{}y", placeholder(0));
        assert_eq!(run(&unclosed, &[Piece::Open(0)], &[false]), "x<x0>y</x0>");
    }

    #[test]
    fn unknown_placeholders_stay() {
        let html = format!("{}{}", placeholder(7), placeholder(0));
        assert_eq!(
            run(&html, &[Piece::Whole(0)], &[false]),
            format!("{}<x0></x0>", placeholder(7))
        );
    }
}
