//! Rendering diagnostics at the edge: rustc-style snippets for people, one JSON object a
//! line for tools, and GitHub Actions annotations for CI logs.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{Diagnostic, Severity};

/// How the command prints its diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Human,
    Json,
    Github,
}

/// Renders one diagnostic in `format`; `color` only affects the human format.
pub fn render(diagnostic: &Diagnostic, format: Format, color: bool) -> String {
    match format {
        Format::Human => human(diagnostic, color),
        Format::Json => serde_json::to_string(&JsonDiagnostic::from(diagnostic))
            .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")),
        Format::Github => github(diagnostic),
    }
}

fn human(d: &Diagnostic, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(d.message.as_str()).id(d.code);
    let mut group = Group::with_title(title);
    let path = d.file.as_ref().map(|f| f.display().to_string());
    if let (Some(path), Some(pos), Some(line)) = (&path, d.position, &d.source_line) {
        let span = char_span(line, pos.column, pos.len);
        group = group.element(
            Snippet::source(line.as_str())
                .line_start(pos.line)
                .path(path.as_str())
                .annotation(AnnotationKind::Primary.span(span)),
        );
    } else if let Some(location) = d.location() {
        group = group.element(annotate_snippets::Origin::path(location));
    }
    for note in &d.notes {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&[group])
}

/// Byte range of `len` characters starting at 1-based character `column` in `line`.
fn char_span(line: &str, column: usize, len: usize) -> std::ops::Range<usize> {
    let byte_at = |chars: usize| {
        line.char_indices()
            .nth(chars)
            .map_or(line.len(), |(i, _)| i)
    };
    let start = byte_at(column.saturating_sub(1));
    let end = byte_at(column.saturating_sub(1) + len).max(start);
    start..end
}

fn github(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if let Some(file) = &d.file {
        props.push(format!(
            "file={}",
            escape_property(&file.display().to_string())
        ));
    }
    if let Some(p) = d.position {
        props.push(format!("line={},col={}", p.line, p.column));
    }
    props.push(format!("title={}", escape_property(d.code)));
    let mut message = d.message.clone();
    for note in &d.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{kind} {}::{}", props.join(","), escape_data(&message))
}

/// GitHub workflow-command escaping for the message part.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub workflow-command escaping for property values.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The version of the JSON shape below; it changes only when a field changes meaning or
/// goes away (new fields may be added within a version).
pub const JSON_VERSION: u32 = 1;

/// The stable JSON shape of a diagnostic (docs/diagnostics.md documents it).
#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    version: u32,
    severity: Severity,
    code: &'a str,
    file: Option<String>,
    /// 1-based line and column (in characters) and how many characters the finding spans.
    position: Option<crate::diag::Position>,
    message: &'a str,
    help: Option<&'a str>,
    /// Left out when there are none.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            version: JSON_VERSION,
            severity: d.severity,
            code: d.code,
            file: d.file.as_ref().map(|f| f.display().to_string()),
            position: d.position,
            message: &d.message,
            help: d.help.as_deref(),
            notes: &d.notes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Position;

    fn sample() -> Diagnostic {
        Diagnostic::error("front-matter-type", "`menuWeight` must be a whole number")
            .in_file("content/a.md")
            .at("---\nmenuWeight: high\n---\n", Position::new(2, 13, 4))
            .with_help("write `menuWeight: 10`")
    }

    #[test]
    fn human_shows_location_snippet_and_help() {
        let text = render(&sample(), Format::Human, false);
        assert!(text.contains("error[front-matter-type]"), "{text}");
        assert!(text.contains("content/a.md:2:13"), "{text}");
        assert!(text.contains("menuWeight: high"), "{text}");
        assert!(text.contains("^^^^"), "{text}");
        assert!(text.contains("help: write `menuWeight: 10`"), "{text}");
    }

    #[test]
    fn github_annotation_escapes_newlines() {
        let text = render(&sample(), Format::Github, false);
        assert_eq!(
            text,
            "::error file=content/a.md,line=2,col=13,title=front-matter-type::\
             `menuWeight` must be a whole number%0Ahelp: write `menuWeight: 10`"
        );
    }

    #[test]
    fn json_has_stable_fields() {
        let text = render(&sample(), Format::Json, false);
        let value: serde_json::Value = serde_json::from_str(&text).expect("valid json");
        assert_eq!(value["version"], 1);
        assert_eq!(value["position"]["line"], 2);
        assert_eq!(value["position"]["column"], 13);
        assert_eq!(value["position"]["len"], 4);
        assert_eq!(value["code"], "front-matter-type");
        assert_eq!(value["file"], "content/a.md");
    }

    #[test]
    fn notes_are_shown_in_every_format() {
        let noted = sample().with_note("included by content/b.md");
        let human = render(&noted, Format::Human, false);
        assert!(human.contains("note: included by content/b.md"), "{human}");
        let github = render(&noted, Format::Github, false);
        assert!(
            github.contains("%0Anote: included by content/b.md%0Ahelp:"),
            "{github}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render(&noted, Format::Json, false)).expect("json");
        assert_eq!(json["notes"][0], "included by content/b.md");
        let plain = render(&sample(), Format::Json, false);
        assert!(!plain.contains("notes"), "{plain}");
    }

    #[test]
    fn char_span_counts_characters_not_bytes() {
        assert_eq!(char_span("é high", 3, 4), 3..7);
    }
}
