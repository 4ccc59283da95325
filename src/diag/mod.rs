//! Diagnostics as data. Every stage of the pipeline pushes [`Diagnostic`]s into a
//! [`Diagnostics`] list and keeps going where it can, so one run reports every problem;
//! the command that runs the pipeline chooses how to render them (see [`render`]).

pub mod codes;
pub mod render;

use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a finding is. Errors fail the build; warnings are reported and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A place in a source file: 1-based line and column (in characters), and how many
/// characters to underline (at least one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

impl Position {
    pub fn new(line: usize, column: usize, len: usize) -> Self {
        Position {
            line,
            column,
            len: len.max(1),
        }
    }
}

/// One problem found in the site, with where it is, what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable kebab-case name for the kind of problem, e.g. `front-matter-type`.
    pub code: &'static str,
    /// Path relative to the site root, when the problem lives in a file.
    pub file: Option<PathBuf>,
    pub position: Option<Position>,
    pub message: String,
    pub help: Option<String>,
    /// More that a reader may need: where an included fragment was included, say.
    pub notes: Vec<String>,
    /// The text of the source line at `position`, for rendering a snippet.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        debug_assert!(
            codes::explain(code).is_some(),
            "diagnostic code `{code}` is not in docs/diagnostics.md"
        );
        Diagnostic {
            severity,
            code,
            file: None,
            position: None,
            message: message.into(),
            help: None,
            notes: Vec::new(),
            source_line: None,
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Points at `position` and keeps the text of that line from `source` for the snippet.
    pub fn at(self, source: &str, position: Position) -> Self {
        let line = source
            .lines()
            .nth(position.line.saturating_sub(1))
            .unwrap_or("");
        self.at_line_text(line, position)
    }

    /// Points at `position`, whose line reads `line_text`.
    pub fn at_line_text(mut self, line_text: &str, position: Position) -> Self {
        self.source_line = Some(line_text.trim_end_matches('\r').to_string());
        self.position = Some(position);
        self
    }

    /// Points at a line without a snippet (when the source text is not at hand).
    pub fn at_line(mut self, line: usize) -> Self {
        self.position = Some(Position::new(line, 1, 1));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// `file:line:col`, or as much of it as is known.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?.display().to_string();
        Some(match self.position {
            Some(p) => format!("{file}:{}:{}", p.line, p.column),
            None => file,
        })
    }
}

/// The diagnostics of one run, in the order they were found until [`Diagnostics::sorted`].
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted by file, then position, so output is the same on every run whatever the
    /// order parallel work finished in. A finding reported more than once (in a fragment
    /// that several pages include) is kept once, with the notes of every report.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.file, a.position, &a.message, a.code, a.severity)
                .cmp(&(&b.file, b.position, &b.message, b.code, b.severity))
        });
        let mut kept: Vec<Diagnostic> = Vec::with_capacity(self.items.len());
        for diagnostic in self.items {
            match kept.last_mut() {
                Some(last) if last.same_finding(&diagnostic) => last.absorb_notes(diagnostic),
                _ => kept.push(diagnostic),
            }
        }
        kept
    }

    /// The same list, each finding once: what is printed and what the summary counts.
    pub fn deduplicated(self) -> Diagnostics {
        Diagnostics {
            items: self.sorted(),
        }
    }
}

impl Diagnostic {
    /// Whether `other` reports the same problem at the same place (notes aside).
    fn same_finding(&self, other: &Diagnostic) -> bool {
        (
            self.severity,
            self.code,
            &self.file,
            self.position,
            &self.message,
            &self.help,
        ) == (
            other.severity,
            other.code,
            &other.file,
            other.position,
            &other.message,
            &other.help,
        )
    }

    fn absorb_notes(&mut self, other: Diagnostic) {
        for note in other.notes {
            if !self.notes.contains(&note) {
                self.notes.push(note);
            }
        }
        // Reports arrive in whatever order parallel work finished: sort for stable output.
        self.notes.sort();
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// A path shown relative to `root` when it lies inside it.
pub fn relative_to(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_reported_twice_is_kept_once_with_both_notes() {
        let finding = |note: &str| {
            Diagnostic::error("broken-link", "link `x` leads nowhere")
                .in_file("content/_part.md")
                .at_line(3)
                .with_note(note)
        };
        let mut diags = Diagnostics::default();
        diags.push(finding("included by content/b.md"));
        diags.push(Diagnostic::error("broken-link", "other").in_file("content/a.md"));
        diags.push(finding("included by content/a.md"));
        diags.push(finding("included by content/a.md"));
        let diags = diags.deduplicated();
        assert_eq!(diags.count(Severity::Error), 2);
        let merged = diags.iter().find(|d| d.notes.len() == 2).expect("merged");
        assert_eq!(
            merged.notes,
            ["included by content/a.md", "included by content/b.md"]
        );
    }
}
