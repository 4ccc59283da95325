//! The general audit: version statements in any wording, read from their parts rather
//! than from sentence templates. A paragraph (sentence, list item, heading) is split into
//! sentences; [`mentions`] finds the products, components, versions and dates in each;
//! [`claim`] and [`between`] combine them, by the [`words`] between, into claims;
//! [`compare`], [`ranges`], [`targets`], [`support`] and [`window`] hold each claim
//! against the dataset; [`table`] reads the rows of a table as claims, its columns found
//! from the header, and [`matrix`] checks compatibility matrices.

mod between;
mod claim;
mod compare;
mod matrix;
mod mentions;
mod ranges;
mod support;
mod table;
mod targets;
mod window;
mod words;

use super::patterns::Names;
use super::text::{Paragraph, Source};
use super::{Ctx, Finding};
use crate::dataset::Dataset;
use mentions::Parts;
use words::Words;

/// The recognisers, compiled once per run.
#[derive(Debug)]
pub struct General {
    parts: Parts,
    words: Words,
}

impl General {
    pub fn new(dataset: &Dataset, names: &Names) -> General {
        General {
            parts: Parts::new(dataset, names),
            words: Words::new(names),
        }
    }
}

/// Audits the prose and tables of one page. A block where the shape-based audit already
/// reported (`taken`: offsets of its findings) is left to it.
pub fn audit(
    general: &General,
    ctx: &Ctx,
    source: &Source,
    paragraphs: &[Paragraph],
    taken: &[usize],
    out: &mut Vec<Finding>,
) {
    let free = |start: usize, end: usize| !taken.iter().any(|&t| t >= start && t < end);
    let mut prerequisites = false;
    for paragraph in paragraphs {
        let end = paragraph.start + paragraph.text.len();
        let (offset, heading) = marker(&paragraph.text);
        if heading {
            let title = paragraph.text.to_ascii_lowercase();
            prerequisites = title.contains("prerequisite") || title.contains("requirement");
        }
        // A heading without a digit only opens a section; a table is read by [`table`].
        let numbered = paragraph.text.bytes().any(|b| b.is_ascii_digit());
        if paragraph.text.trim_start().starts_with('|') || !numbered {
            continue;
        }
        // Where the shape-based audit reported, only the line made current is read: a
        // stale page is a finding of its own.
        let read = Reading {
            open: free(paragraph.start, end),
            heading,
            prerequisite_item: offset > 0 && !heading && prerequisites,
        };
        let text = plain(&paragraph.text[offset..]);
        for (at, sentence) in sentences(&text) {
            let found = audit_sentence(general, ctx, sentence, read);
            let by = paragraph.start + offset + at;
            out.extend(found.into_iter().map(|f| shifted(f, by)));
        }
    }
    table::audit(general, ctx, source, &free, out);
}

/// How a sentence is read: wholly (`open`) or only for the line it makes current; as a
/// heading; as an item of a prerequisites list.
#[derive(Debug, Clone, Copy)]
struct Reading {
    open: bool,
    heading: bool,
    prerequisite_item: bool,
}

/// The findings of one sentence, with offsets in the sentence.
fn audit_sentence(general: &General, ctx: &Ctx, sentence: &str, read: Reading) -> Vec<Finding> {
    let (parts, words) = (&general.parts, &general.words);
    if !words.any_name.is_match(sentence) {
        return Vec::new();
    }
    let mut claims = match read.open {
        true => claim::read(parts, ctx.names, words, sentence, read.heading),
        false => claim::examples(words, ctx.names, sentence),
    };
    if read.open && read.prerequisite_item {
        claims.extend(between::needs(parts, ctx.names, words, sentence));
    }
    let mut found = Vec::new();
    for claim in &claims {
        compare::check(ctx, claim, &mut found);
    }
    window::check(ctx, &claims, sentence, &mut found);
    found
}

fn shifted(finding: Finding, by: usize) -> Finding {
    Finding {
        start: finding.start + by,
        end: finding.end + by,
        ..finding
    }
}

/// How many bytes of list or heading marker start `text`, and whether it is a heading.
fn marker(text: &str) -> (usize, bool) {
    let lead = text.len() - text.trim_start().len();
    let rest = &text[lead..];
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    if hashes > 0 {
        return (lead + hashes, true);
    }
    let bullet = ["- ", "* ", "+ ", "> "]
        .iter()
        .find(|m| rest.starts_with(**m));
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let ordered = digits > 0 && matches!(&rest.as_bytes()[digits..], [b'.' | b')', b' ', ..]);
    match (bullet, ordered) {
        (Some(m), _) => (lead + m.len(), false),
        (None, true) => (lead + digits + 1, false),
        _ => (lead, false),
    }
}

/// `text` with emphasis and code marks turned into spaces, so offsets stay those of the
/// file: `**Konvoy 2.1**` reads as `Konvoy 2.1`.
fn plain(text: &str) -> String {
    text.chars()
        .map(|c| if matches!(c, '*' | '`' | '_') { ' ' } else { c })
        .collect()
}

/// The sentences of `text` with their byte offsets: a sentence ends at `.`, `!` or `?`
/// followed by a space (a version's dots are not).
fn sentences(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let ends = matches!(b, b'.' | b'!' | b'?') && bytes.get(i + 1).is_some_and(|&n| n == b' ');
        if ends {
            found.push((start, &text[start..=i]));
            start = i + 1;
        }
    }
    if start < text.len() {
        found.push((start, &text[start..]));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_stops_not_at_version_dots() {
        let found = sentences("Konvoy 2.1 is out. It supports 1.21.6! Next");
        let texts: Vec<&str> = found.iter().map(|s| s.1).collect();
        assert_eq!(
            texts,
            ["Konvoy 2.1 is out.", " It supports 1.21.6!", " Next"]
        );
        assert_eq!(marker("## Title"), (2, true));
        assert_eq!(marker("- item"), (2, false));
        assert_eq!(marker("12. item"), (3, false));
    }
}
