//! Where a link is written, for pointing a finding at it: a place in the page's source,
//! or, for a link that came in with an `#include`, the fragment's file and line with a
//! note naming the page that included it (the fragment is where the fix goes).
//!
//! A page with thousands of findings for one link must not cost the square of that:
//! [`PagePlaces`] finds each written link's places once, and lines by binary search.

use std::collections::HashMap;

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
    PagePlaces::new(page, included).locate_nth(diagnostic, written, 1)
}

/// The places links are written on one page, found once per written link.
#[derive(Debug)]
pub struct PagePlaces<'p> {
    page: &'p Page,
    own: Lines<'p>,
    /// The page's text with its includes expanded, when it has any.
    included: Option<(&'p Expanded, Lines<'p>)>,
    found: HashMap<String, Vec<Place>>,
}

/// One place a link is written: in the page's own source (its offset there), or in a
/// fragment (its offset in the expanded text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Own(usize),
    Included(usize),
}

impl<'p> PagePlaces<'p> {
    pub fn new(page: &'p Page, included: Option<&'p Expanded>) -> PagePlaces<'p> {
        PagePlaces {
            page,
            own: Lines::new(&page.text),
            included: included.map(|e| (e, Lines::new(&e.text))),
            found: HashMap::new(),
        }
    }

    /// Points a finding at the `nth` place (from 1) the link is written, in any form
    /// (`](x)`, `href="x"`, `src='x'`, `[label]: x`); the last one when the source holds
    /// fewer (a link from a template).
    pub fn locate_nth(&mut self, diagnostic: Diagnostic, written: &str, nth: usize) -> Diagnostic {
        let diagnostic = diagnostic.in_file(&self.page.file);
        let places = self.places(written);
        let Some(&place) = places.get(nth - 1).or(places.last()) else {
            return diagnostic;
        };
        let width = written.chars().count();
        match place {
            Place::Own(offset) => {
                let (line, column, text) = self.own.locate(offset);
                diagnostic.at_line_text(text, Position::new(line, column, width))
            }
            Place::Included(offset) => self.in_fragment(diagnostic, offset, width),
        }
    }

    fn in_fragment(&self, diagnostic: Diagnostic, offset: usize, width: usize) -> Diagnostic {
        let Some((expanded, lines)) = &self.included else {
            return diagnostic;
        };
        let (line, column, text) = lines.locate(offset);
        let (file, source_line) = expanded.origin(line);
        diagnostic
            .in_file(file)
            .at_line_text(text, Position::new(source_line, column, width))
            .with_note(format!("included by `{}`", self.page.file.display()))
    }

    fn places(&mut self, written: &str) -> &[Place] {
        if !self.found.contains_key(written) {
            let places = self.find(written);
            self.found.insert(written.to_string(), places);
        }
        &self.found[written]
    }

    /// Every place of `written`, in order: from the expanded text when the page has
    /// includes (the page's own places among them counted in its own source).
    fn find(&self, written: &str) -> Vec<Place> {
        let Some((expanded, lines)) = &self.included else {
            return places_written(&self.page.text, written)
                .into_iter()
                .map(Place::Own)
                .collect();
        };
        let own = places_written(&self.page.text, written);
        let mut own_rank = 0;
        let mut places = Vec::new();
        for offset in places_written(&expanded.text, written) {
            let (file, _) = expanded.origin(lines.locate(offset).0);
            if file == self.page.file {
                places.extend(own.get(own_rank).or(own.last()).copied().map(Place::Own));
                own_rank += 1;
            } else {
                places.push(Place::Included(offset));
            }
        }
        places
    }
}

/// A text with the offsets where its lines start.
#[derive(Debug)]
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        let breaks = text.match_indices('\n').map(|(i, _)| i + 1);
        Lines {
            text,
            starts: std::iter::once(0).chain(breaks).collect(),
        }
    }

    /// 1-based line and column (in characters) of byte `offset`, and that line's text.
    fn locate(&self, offset: usize) -> (usize, usize, &'t str) {
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        let line_text = self.text[start..].lines().next().unwrap_or("");
        (line, column, line_text)
    }
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
        let lines = Lines::new("ab\né [x](y)\n");
        assert_eq!(lines.locate(9), (2, 6, "é [x](y)"));
        assert_eq!(lines.locate(0), (1, 1, "ab"));
        assert_eq!(lines.locate(3), (2, 1, "é [x](y)"));
    }
}
