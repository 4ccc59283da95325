//! Fenced code in a language folio has no grammar for: found per page, then reported
//! once per language for the whole build, at its first block, with the block count.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{LANGUAGES, language_word};
use crate::diag::{Diagnostic, Position};
use crate::markdown::include::Expanded;

/// One language a page uses without folio having a grammar for it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnknownLanguage {
    /// As written in the first block.
    pub language: String,
    pub blocks: usize,
    /// Where the first block's fence is (file, position, line text).
    pub file: PathBuf,
    pub position: Option<Position>,
    pub line_text: String,
}

/// The unknown languages of one page, from the languages of its blocks in order;
/// `locate` finds a language's first fence in the page.
pub fn page_unknown_languages(
    written: &[String],
    locate: impl Fn(&str) -> (PathBuf, Option<Position>, String),
) -> Vec<UnknownLanguage> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for language in written {
        match counts.iter_mut().find(|(l, _)| l == language) {
            Some((_, n)) => *n += 1,
            None => counts.push((language, 1)),
        }
    }
    counts
        .into_iter()
        .map(|(language, blocks)| {
            let (file, position, line_text) = locate(language);
            UnknownLanguage {
                language: language.to_string(),
                blocks,
                file,
                position,
                line_text,
            }
        })
        .collect()
}

/// Where the first fence of `language` is in a page's expanded text (its file and
/// line, through includes).
pub fn first_fence(expanded: &Expanded, language: &str) -> (PathBuf, Option<Position>, String) {
    let mut offset = 0;
    for line in expanded.text.split_inclusive('\n') {
        let after_indent = line.trim_start();
        let after_fence = after_indent.trim_start_matches(['`', '~']);
        let info = after_fence.trim_start();
        if after_indent.len() - after_fence.len() >= 3 && language_word(info) == language {
            let column = line.len() - info.len();
            let (file, position, text) =
                crate::markdown::locate(expanded, offset + column, language.len());
            return (file, Some(position), text);
        }
        offset += line.len();
    }
    (expanded.origin(1).0, None, String::new())
}

/// One `unknown-language` warning per language (lowercased) across `pages`, at its
/// first block, with the number of blocks.
pub fn unknown_language_warnings<'a>(
    pages: impl IntoIterator<Item = &'a UnknownLanguage>,
) -> Vec<Diagnostic> {
    let mut first: BTreeMap<String, (&UnknownLanguage, usize, usize)> = BTreeMap::new();
    for (order, unknown) in pages.into_iter().enumerate() {
        let entry = first
            .entry(unknown.language.to_ascii_lowercase())
            .or_insert((unknown, 0, order));
        entry.1 += unknown.blocks;
    }
    let mut found: Vec<_> = first.into_values().collect();
    found.sort_by_key(|(_, _, order)| *order);
    found
        .into_iter()
        .map(|(unknown, blocks, _)| unknown_language(unknown, blocks))
        .collect()
}

fn unknown_language(unknown: &UnknownLanguage, blocks: usize) -> Diagnostic {
    let count = if blocks == 1 {
        "1 block".to_string()
    } else {
        format!("{blocks} blocks")
    };
    let known: Vec<&str> = LANGUAGES.iter().map(|(alias, _)| *alias).collect();
    let diagnostic = Diagnostic::warning(
        "unknown-language",
        format!(
            "no syntax highlighting for language `{}`: {count} left plain (this is the first)",
            unknown.language
        ),
    )
    .in_file(&unknown.file)
    .with_help(format!(
        "use one of: {}; or `text` for plain code without this warning",
        known.join(", ")
    ));
    match unknown.position {
        Some(position) => diagnostic.at_line_text(&unknown.line_text, position),
        None => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_warning_per_language_counts_every_block() {
        let locate =
            |language: &str| (PathBuf::from(format!("{language}.md")), None, String::new());
        let page_a = page_unknown_languages(&["cue".into(), "cue".into(), "dhall".into()], locate);
        let page_b = page_unknown_languages(&["CUE".into()], locate);
        let warnings = unknown_language_warnings(page_a.iter().chain(&page_b));
        assert_eq!(warnings.len(), 2);
        assert!(
            warnings[0].message.contains("`cue`: 3 blocks"),
            "{}",
            warnings[0].message
        );
        assert_eq!(warnings[1].file, Some(PathBuf::from("dhall.md")));
        assert!(warnings[1].message.contains("1 block left"));
    }
}
