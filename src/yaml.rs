//! YAML parsing shared by `folio.yaml`, front matter and the versions dataset: one place
//! that turns serde-saphyr errors into diagnostics with file, line and column.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{Error, MessageFormatter, UserMessageFormatter};

use crate::diag::{Diagnostic, Position};

/// Parses `text` as `T`. On failure the diagnostic points into `source` (the whole file),
/// where `text` starts on line `first_line` (1 for a whole file).
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    source: &str,
    first_line: usize,
    code: &'static str,
) -> Result<T, Diagnostic> {
    let options = serde_saphyr::options! { strict_booleans: true, with_snippet: false };
    serde_saphyr::from_str_with_options(text, options)
        .map_err(|err| to_diagnostic(&err, file, source, first_line, code))
}

fn to_diagnostic(
    err: &serde_saphyr::Error,
    file: &Path,
    source: &str,
    first_line: usize,
    code: &'static str,
) -> Diagnostic {
    let (message, help) = explain(original(err));
    let mut diagnostic = Diagnostic::error(code, message).in_file(file);
    if let Some(help) = help {
        diagnostic = diagnostic.with_help(help);
    }
    match err.location() {
        Some(loc) if loc.line() > 0 => {
            let line = first_line + loc.line() as usize - 1;
            let position = Position::new(line, loc.column().max(1) as usize, 1);
            let position = match is_tab_error(err) {
                true => first_tab_from(source, line).unwrap_or(position),
                false => position,
            };
            diagnostic.at(source, position)
        }
        _ => diagnostic,
    }
}

fn is_tab_error(err: &Error) -> bool {
    UserMessageFormatter
        .format_message(original(err))
        .contains("found a tab")
}

/// The first tab on line `line` or after it: the parser reports a tab at the end of the
/// value before it, the reader needs to see the tab itself.
fn first_tab_from(source: &str, line: usize) -> Option<Position> {
    let lines = source.lines().enumerate().skip(line.saturating_sub(1));
    lines
        .filter_map(|(index, text)| Some((index, text.find('\t')?)))
        .map(|(index, at)| Position::new(index + 1, at + 1, 1))
        .next()
}

/// The error itself, inside the wrappers that add a snippet or an alias's two places.
fn original(mut err: &Error) -> &Error {
    while let Error::AliasError { error, .. } | Error::WithSnippet { error, .. } = err {
        err = error;
    }
    err
}

/// What went wrong, in words for the person who wrote the file, and how to fix it when
/// folio can say. serde-saphyr's own texts for these cases show Rust debug output or
/// advice for programmers (`set DuplicateKeyPolicy in Options`).
fn explain(err: &Error) -> (String, Option<String>) {
    match err {
        Error::DuplicateMappingKey { key, .. } => {
            let key = key
                .as_deref()
                .map_or("a key".to_string(), |k| format!("`{k}`"));
            (
                format!("{key} appears twice in the same mapping; YAML allows each key once"),
                Some("keep one of the two lines, or merge their values".into()),
            )
        }
        Error::Budget { breach, .. } => (too_big(breach), Some(TOO_BIG_HELP.into())),
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. } => (
            "the YAML's aliases (`*name`) expand to too many values".into(),
            Some(TOO_BIG_HELP.into()),
        ),
        other => {
            let message = first_line_of(&UserMessageFormatter.format_message(other));
            if message.contains("found a tab") {
                return (
                    "a tab character where YAML expects spaces".into(),
                    Some("indent with spaces: YAML does not allow tabs for indentation".into()),
                );
            }
            let help = help_for(&message);
            if message.contains("recursion limit") {
                return ("the YAML nests lists and mappings too deeply".into(), help);
            }
            (in_words(message), help)
        }
    }
}

const TOO_BIG_HELP: &str = "split the file, or use fewer aliases and less nesting; folio stops reading YAML this large to stay fast and safe";

/// A size or complexity limit, said without the library's debug text.
fn too_big(breach: &BudgetBreach) -> String {
    match breach {
        BudgetBreach::Nodes { nodes } => {
            format!("the YAML holds too many values (folio stopped reading at {nodes})")
        }
        BudgetBreach::Depth { depth } => {
            format!("the YAML nests too deeply ({depth} levels of lists and mappings)")
        }
        BudgetBreach::Events { .. } | BudgetBreach::ScalarBytes { .. } => {
            "the YAML is too large to read".into()
        }
        BudgetBreach::Aliases { .. }
        | BudgetBreach::Anchors { .. }
        | BudgetBreach::AliasAnchorRatio { .. } => {
            "the YAML uses too many anchors or aliases (`&name`, `*name`)".into()
        }
        _ => "the YAML is too large or too complex to read".into(),
    }
}

/// The parser's "expected mapping start" as a reader says it.
fn in_words(message: String) -> String {
    let wanted = match message.as_str() {
        "expected mapping start" => "a mapping (`key: value` lines)",
        "expected sequence start" => "a list (`- item` lines)",
        "expected scalar" | "expected string scalar" => "a single value",
        _ => return message,
    };
    format!("{wanted} is expected here")
}

/// How to fix the syntax errors people make most.
fn help_for(message: &str) -> Option<String> {
    let help = if message.contains("recursion limit") {
        "check for a run of unclosed `[` or `{`, or flatten the structure"
    } else if message.contains("mapping values are not allowed") {
        "a `key:` here is indented unlike its neighbours, or a value holds `: `; line the keys up, or put the value in quotes"
    } else if message.contains("unclosed quote") || message.contains("unexpected end") {
        "a quoted value starts here and is never closed; add the closing quote"
    } else if message.contains("did not find expected") {
        "a list or mapping here is not closed or not lined up; check the brackets and the indentation"
    } else {
        return None;
    };
    Some(help.into())
}

/// serde-saphyr appends its own " at line X column Y"; the diagnostic carries the
/// position already, so keep the message itself.
fn first_line_of(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // fields exist only to be deserialized
    struct Sample {
        name: String,
        count: i64,
    }

    fn error_of(text: &str) -> Diagnostic {
        parse::<serde_json::Value>(text, Path::new("a.yaml"), text, 1, "yaml").expect_err("bad")
    }

    #[test]
    fn a_duplicate_key_is_a_sentence_at_the_second_key() {
        let err = error_of("title: A\nweight: 1\ntitle: B\n");
        assert_eq!(
            err.message,
            "`title` appears twice in the same mapping; YAML allows each key once"
        );
        assert_eq!(err.position.map(|p| p.line), Some(3));
        assert!(!err.message.contains("DuplicateKeyPolicy"));
    }

    #[test]
    fn limits_are_sentences_without_debug_text() {
        let many = format!("x: [{}]\n", vec!["1"; 260_000].join(","));
        let err = error_of(&many);
        assert!(
            err.message.starts_with("the YAML holds too many values"),
            "{}",
            err.message
        );
        assert!(
            !err.message.contains('{') && !err.message.contains("Nodes"),
            "{}",
            err.message
        );
        let deep = format!("a: 1\nx: {}{}\n", "[".repeat(300), "]".repeat(300));
        let err = error_of(&deep);
        assert_eq!(err.position.map(|p| p.line), Some(2), "{err:?}");
        assert_eq!(err.message, "the YAML nests lists and mappings too deeply");
        assert!(err.help.is_some_and(|h| h.contains("unclosed `[`")));
    }

    #[test]
    fn syntax_errors_point_at_their_line_with_help() {
        let err = error_of("title: A\n  bad: indent\n");
        assert_eq!(err.position.map(|p| p.line), Some(2));
        assert!(err.help.is_some(), "{err:?}");
    }

    #[test]
    fn a_list_where_a_mapping_belongs_is_said_in_words() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)] // deserialized only
        struct Products {
            products: std::collections::BTreeMap<String, String>,
        }
        let text = "products:\n  - a\n";
        let err = parse::<Products>(text, Path::new("v.yaml"), text, 1, "yaml").expect_err("list");
        assert_eq!(
            err.message,
            "a mapping (`key: value` lines) is expected here"
        );
        assert_eq!(err.position.map(|p| p.line), Some(2));
    }

    #[test]
    fn error_points_into_the_whole_file() {
        let source = "---\nname: a\ncount: many\n---\n";
        let text = "name: a\ncount: many\n";
        let err =
            parse::<Sample>(text, Path::new("a.md"), source, 2, "yaml").expect_err("bad count");
        let pos = err.position.expect("position");
        assert_eq!(pos.line, 3, "{err:?}");
        assert_eq!(err.source_line.as_deref(), Some("count: many"));
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }
}
