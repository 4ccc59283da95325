//! YAML parsing shared by `folio.yaml`, front matter and the versions dataset: one place
//! that turns serde-saphyr errors into diagnostics with file, line and column.

use std::path::Path;

use serde::de::DeserializeOwned;

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
    let message = first_line_of(&err.without_snippet().to_string());
    let diagnostic = Diagnostic::error(code, message).in_file(file);
    match err.location() {
        Some(loc) if loc.line() > 0 => {
            let line = first_line + loc.line() as usize - 1;
            diagnostic.at(source, Position::new(line, loc.column().max(1) as usize, 1))
        }
        _ => diagnostic,
    }
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
