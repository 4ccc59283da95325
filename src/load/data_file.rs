//! Data files pages read: a Mustache page's `model` and the `load_data` template
//! function. A path is relative to the page's folder, or starts at the content root with
//! `/`, and never leaves the content folder (the same check includes make). YAML, JSON,
//! TOML and CSV (rows as maps keyed by the header row) parse to one JSON value.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diag::{Diagnostic, Position};

/// A data file's formats, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFormat {
    Yaml,
    Json,
    Toml,
    Csv,
}

impl DataFormat {
    pub fn of(path: &str) -> Option<DataFormat> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "yaml" | "yml" => Some(DataFormat::Yaml),
            "json" => Some(DataFormat::Json),
            "toml" => Some(DataFormat::Toml),
            "csv" => Some(DataFormat::Csv),
            _ => None,
        }
    }
}

/// Why a data path cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathProblem {
    /// It climbs out of the content folder (or is empty).
    OutsideContent,
    /// No such file inside the content folder; the content-relative path it named.
    Missing(String),
}

/// A data file found inside the content folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataPath {
    /// Content-relative, with `/` separators.
    pub rel: String,
    /// Canonical path on disk.
    pub abs: PathBuf,
}

/// Resolves `target` as written on page `page_rel` (content-relative); `content_dir` is
/// canonical.
pub fn resolve(content_dir: &Path, page_rel: &str, target: &str) -> Result<DataPath, PathProblem> {
    let joined = match target.strip_prefix('/') {
        Some(from_root) => from_root.to_string(),
        None => match page_rel.rsplit_once('/') {
            Some((folder, _)) => format!("{folder}/{target}"),
            None => target.to_string(),
        },
    };
    let rel =
        crate::markdown::include::normalize_target(&joined).ok_or(PathProblem::OutsideContent)?;
    let abs = content_dir
        .join(&rel)
        .canonicalize()
        .map_err(|_| PathProblem::Missing(rel.clone()))?;
    if !abs.starts_with(content_dir) {
        return Err(PathProblem::OutsideContent);
    }
    if !abs.is_file() {
        return Err(PathProblem::Missing(rel));
    }
    Ok(DataPath { rel, abs })
}

/// Reads and parses `path` (shown as `shown` in messages) as `format`; errors carry
/// `code` and point into the file where the parser says.
pub fn read(
    path: &Path,
    shown: &Path,
    format: DataFormat,
    code: &'static str,
) -> Result<Value, Diagnostic> {
    let text = crate::fsutil::read_to_string(path).map_err(|e| {
        Diagnostic::error(code, e.to_string())
            .in_file(shown)
            .with_help("check the file's permissions and that it is UTF-8 text")
    })?;
    let text = crate::load::page::normalize(&text);
    match format {
        DataFormat::Yaml => crate::yaml::parse::<Value>(&text, shown, &text, 1, code),
        DataFormat::Json => serde_json::from_str(&text).map_err(|e| {
            let position = Position::new(e.line().max(1), e.column().max(1), 1);
            parse_error(code, shown, &text, &e.to_string(), Some(position))
        }),
        DataFormat::Toml => toml::from_str(&text).map_err(|e| {
            let position = e.span().map(|span| position_of(&text, span.start));
            parse_error(code, shown, &text, e.message(), position)
        }),
        DataFormat::Csv => csv_rows(&text).map_err(|e| {
            let line = e.position().map(|p| p.line() as usize);
            let position = line.map(|line| Position::new(line.max(1), 1, 1));
            parse_error(code, shown, &text, &e.to_string(), position)
        }),
    }
}

/// CSV rows as maps from the header row's names to the cells' text.
fn csv_rows(text: &str) -> Result<Value, csv::Error> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers()?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        let row: Map<String, Value> = headers
            .iter()
            .zip(record.iter())
            .map(|(name, cell)| (name.to_string(), Value::String(cell.to_string())))
            .collect();
        rows.push(Value::Object(row));
    }
    Ok(Value::Array(rows))
}

fn parse_error(
    code: &'static str,
    shown: &Path,
    text: &str,
    message: &str,
    position: Option<Position>,
) -> Diagnostic {
    let first_line = message.lines().next().unwrap_or(message);
    let diagnostic = Diagnostic::error(code, first_line.to_string())
        .in_file(shown)
        .with_help("fix the file's syntax; folio reads it by its extension");
    match position {
        Some(position) => diagnostic.at(text, position),
        None => diagnostic,
    }
}

/// The 1-based line and column of byte `offset` in `text`.
fn position_of(text: &str, offset: usize) -> Position {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position::new(line, before[line_start..].chars().count() + 1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let content = dir
            .path()
            .canonicalize()
            .expect("canonical")
            .join("content");
        std::fs::create_dir_all(content.join("a/b")).expect("mkdir");
        std::fs::write(content.join("a/b/m.yaml"), "x: 1\n").expect("write");
        std::fs::write(content.join("top.json"), "{\"x\": 2}").expect("write");
        std::fs::write(dir.path().join("secret.yaml"), "s: 1\n").expect("write");
        (dir, content)
    }

    #[test]
    fn paths_are_relative_to_the_page_or_rooted_and_stay_inside_content() {
        let (_dir, content) = site();
        let found = resolve(&content, "a/b/page.md", "m.yaml").expect("relative");
        assert_eq!(found.rel, "a/b/m.yaml");
        let rooted = resolve(&content, "a/b/page.md", "/top.json").expect("rooted");
        assert_eq!(rooted.rel, "top.json");
        let up = resolve(&content, "a/b/page.md", "../../top.json").expect("up");
        assert_eq!(up.rel, "top.json");
        assert_eq!(
            resolve(&content, "a/b/page.md", "../../../secret.yaml"),
            Err(PathProblem::OutsideContent)
        );
        assert_eq!(
            resolve(&content, "page.md", "nope.yaml"),
            Err(PathProblem::Missing("nope.yaml".into()))
        );
    }

    #[test]
    fn each_format_parses_and_errors_point_into_the_file() {
        let (dir, _) = site();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write");
            path
        };
        let csv = write("r.csv", "name,port\nweb,80\napi,8080\n");
        let rows = read(&csv, Path::new("r.csv"), DataFormat::Csv, "io").expect("csv");
        assert_eq!(rows[1]["port"], "8080");
        let toml = write("t.toml", "[server]\nport = 80\n");
        let value = read(&toml, Path::new("t.toml"), DataFormat::Toml, "io").expect("toml");
        assert_eq!(value["server"]["port"], 80);
        let bad = write("b.json", "{\n  \"a\": ,\n}");
        let err = read(&bad, Path::new("b.json"), DataFormat::Json, "io").expect_err("bad");
        assert_eq!(err.position.map(|p| p.line), Some(2));
        let bad = write("b.toml", "a = 1\nb = \n");
        let err = read(&bad, Path::new("b.toml"), DataFormat::Toml, "io").expect_err("bad");
        assert_eq!(err.position.map(|p| p.line), Some(2));
    }

    #[test]
    fn formats_come_from_the_extension() {
        assert_eq!(DataFormat::of("a/m.YML"), Some(DataFormat::Yaml));
        assert_eq!(DataFormat::of("m.json"), Some(DataFormat::Json));
        assert_eq!(DataFormat::of("m.txt"), None);
        assert_eq!(DataFormat::of("noext"), None);
    }
}
