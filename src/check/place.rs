//! Where a link is written, for pointing a finding at it: a place in the page's source,
//! or, for a link that came in with an `#include`, the fragment's file and line with a
//! note naming the page that included it (the fragment is where the fix goes).

use crate::diag::{Diagnostic, Position};
use crate::load::Page;
use crate::markdown::include::Expanded;

/// Points a finding at the first place the link is written.
pub fn locate(
    diagnostic: Diagnostic,
    page: &Page,
    included: Option<&Expanded>,
    written: &str,
) -> Diagnostic {
    locate_nth(diagnostic, page, included, written, 1)
}

/// Points a finding at the `nth` place (from 1) the link is written, in any form
/// (`](x)`, `href="x"`, `src='x'`, `[label]: x`); the last one when the source holds
/// fewer (a link from a template). `included` is the page's text with its includes
/// expanded, when it has any.
pub fn locate_nth(
    diagnostic: Diagnostic,
    page: &Page,
    included: Option<&Expanded>,
    written: &str,
    nth: usize,
) -> Diagnostic {
    let Some(expanded) = included else {
        return in_page(diagnostic, page, written, nth);
    };
    let places = places_written(&expanded.text, written);
    let Some(&offset) = places.get(nth - 1).or(places.last()) else {
        return in_page(diagnostic, page, written, nth);
    };
    let (line, column, line_text) = line_and_column(&expanded.text, offset);
    let (file, source_line) = expanded.origin(line);
    if file == page.file {
        // Count only the earlier places that are the page's own.
        let own_before = places
            .iter()
            .take_while(|&&p| p < offset)
            .filter(|&&p| expanded.origin(line_and_column(&expanded.text, p).0).0 == page.file)
            .count();
        return in_page(diagnostic, page, written, own_before + 1);
    }
    let position = Position::new(source_line, column, written.chars().count());
    diagnostic
        .in_file(file)
        .at_line_text(line_text, position)
        .with_note(format!("included by `{}`", page.file.display()))
}

/// The `nth` place the page's own source writes the link.
fn in_page(diagnostic: Diagnostic, page: &Page, written: &str, nth: usize) -> Diagnostic {
    let diagnostic = diagnostic.in_file(&page.file);
    let places = places_written(&page.text, written);
    let Some(&offset) = places.get(nth - 1).or(places.last()) else {
        return diagnostic;
    };
    let (line, column, _) = line_and_column(&page.text, offset);
    diagnostic.at(
        &page.text,
        Position::new(line, column, written.chars().count()),
    )
}

/// 1-based line and column (in characters) of byte `offset`, and that line's text.
fn line_and_column(text: &str, offset: usize) -> (usize, usize, &str) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[start..].chars().count() + 1;
    let line_text = text[start..].lines().next().unwrap_or("");
    (line, column, line_text)
}

/// The byte offsets where `text` writes `written` as a link destination, in order.
fn places_written(text: &str, written: &str) -> Vec<usize> {
    const LEADS: [&str; 6] = ["](", "href=\"", "src=\"", "href='", "src='", "]: "];
    let mut places: Vec<usize> = LEADS
        .iter()
        .flat_map(|lead| {
            let needle = format!("{lead}{written}");
            let found: Vec<usize> = text
                .match_indices(&needle)
                .map(|(i, _)| i + lead.len())
                .collect();
            found
        })
        .collect();
    places.sort_unstable();
    places
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_form_of_a_link_is_found_in_order() {
        let text = "[a](/x/)\n<a href=\"/x/\">b</a>\n[c]: /x/\n";
        assert_eq!(places_written(text, "/x/"), [4, 18, 34]);
    }

    #[test]
    fn lines_and_columns_count_characters() {
        assert_eq!(line_and_column("ab\né [x](y)\n", 9), (2, 6, "é [x](y)"));
    }
}
