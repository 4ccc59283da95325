//! `#include /path/from/content/root.tmpl` lines: replaced by the file's text, recursively,
//! with comments stripped in each file. Every line of the result remembers which file and
//! line it came from, so later errors point at the right place.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, Position};
use crate::markdown::prepass;

/// How deep includes may nest before folio assumes something is wrong.
pub const MAX_DEPTH: usize = 32;

/// Text with includes expanded, and the origin of each of its lines.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Expanded {
    pub text: String,
    /// For line `i` (0-based) of `text`: the file (shown path) and 1-based line.
    pub origins: Vec<(usize, usize)>,
    /// Shown paths, indexed by `origins`.
    pub files: Vec<PathBuf>,
}

impl Expanded {
    /// The source file and line of 1-based line `line` of the expanded text.
    pub fn origin(&self, line: usize) -> (PathBuf, usize) {
        let (file, source_line) = self
            .origins
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or((0, line));
        (
            self.files.get(file).cloned().unwrap_or_default(),
            source_line,
        )
    }
}

/// Where include targets are looked up.
#[derive(Debug)]
pub struct IncludeResolver<'a> {
    /// Canonical `content/` folder.
    pub content_dir: &'a Path,
    /// How content paths are shown in messages (`content`, or nothing in a bare folder).
    pub shown_prefix: &'a Path,
    /// Files found by the walk, by content-relative path.
    pub files: &'a HashMap<String, PathBuf>,
    /// The most bytes a page may grow to as its includes are expanded (ten files of ten
    /// includes each, nested eight deep, would otherwise make 10^8 lines).
    pub max_bytes: usize,
}

/// One file being expanded: its shown path, content-relative path and prepared text.
struct Frame<'t> {
    shown: PathBuf,
    rel: String,
    text: &'t str,
    /// Lines of the file before `text` starts (front matter).
    first_line: usize,
    /// Whether included files have their comments stripped (not for Mustache pages,
    /// which are prepared after rendering).
    prepare: bool,
}

impl IncludeResolver<'_> {
    /// Expands the includes of a page body whose prepared text starts at `first_line`.
    pub fn expand(
        &self,
        shown: &Path,
        rel: &str,
        text: &str,
        first_line: usize,
    ) -> Result<Expanded, Diagnostic> {
        self.expand_frame(shown, rel, text, first_line, true)
    }

    /// Like [`IncludeResolver::expand`], for a raw body whose included files stay raw.
    pub fn expand_raw(
        &self,
        shown: &Path,
        rel: &str,
        text: &str,
        first_line: usize,
    ) -> Result<Expanded, Diagnostic> {
        self.expand_frame(shown, rel, text, first_line, false)
    }

    fn expand_frame(
        &self,
        shown: &Path,
        rel: &str,
        text: &str,
        first_line: usize,
        prepare: bool,
    ) -> Result<Expanded, Diagnostic> {
        let mut out = Expanded::default();
        let frame = Frame {
            shown: shown.to_path_buf(),
            rel: rel.to_string(),
            text,
            first_line,
            prepare,
        };
        self.expand_into(&frame, &mut Vec::new(), &mut out)?;
        Ok(out)
    }

    fn expand_into(
        &self,
        frame: &Frame,
        chain: &mut Vec<String>,
        out: &mut Expanded,
    ) -> Result<(), Diagnostic> {
        chain.push(frame.rel.clone());
        out.files.push(frame.shown.clone());
        let file_index = out.files.len() - 1;
        let code = prepass::LazyCodeRanges::new(frame.text);
        let commented = CommentedLines::of(frame);
        let mut offset = 0;
        for (index, line) in frame.text.split_inclusive('\n').enumerate() {
            let line_no = frame.first_line + index;
            let at = offset;
            offset += line.len();
            let directive = include_target(line).filter(|_| !code.contains(at));
            match directive.filter(|_| !commented.hides(index)) {
                Some((indent, target)) => {
                    self.include(frame, line_no, indent, target, chain, out)?
                }
                None => {
                    out.text.push_str(line);
                    out.origins.push((file_index, line_no));
                }
            }
            if out.text.len() > self.max_bytes {
                return Err(self.too_large(frame, line_no, chain));
            }
        }
        if !frame.text.is_empty() && !frame.text.ends_with('\n') {
            out.text.push('\n');
        }
        chain.pop();
        Ok(())
    }

    fn include(
        &self,
        frame: &Frame,
        line_no: usize,
        indent: &str,
        target: &str,
        chain: &mut Vec<String>,
        out: &mut Expanded,
    ) -> Result<(), Diagnostic> {
        let error = |code, message: String, help: &str| {
            let line = frame_line(frame, line_no);
            let column = line.find(target).map_or(1, |i| i + 1);
            Diagnostic::error(code, message)
                .in_file(&frame.shown)
                .at_line_text(line, Position::new(line_no, column, target.len()))
                .with_help(help.to_string())
        };
        let Some(rel) = normalize_target(target) else {
            return Err(error(
                "include-outside-root",
                format!("`#include {target}` leaves the content folder"),
                "include only files inside content/, with a path from the content root such as `/shared/intro.tmpl`",
            ));
        };
        let shown_chain = || {
            let shown: Vec<String> = chain
                .iter()
                .chain(std::iter::once(&rel))
                .map(|p| self.shown_prefix.join(p).display().to_string())
                .collect();
            shown.join(" -> ")
        };
        if chain.contains(&rel) {
            return Err(error(
                "include-cycle",
                format!("include cycle: {}", shown_chain()),
                "remove one of these includes so the chain ends",
            ));
        }
        if chain.len() >= MAX_DEPTH {
            return Err(error(
                "include-depth",
                format!(
                    "include depth limit: includes nest more than {MAX_DEPTH} levels deep: {}",
                    shown_chain()
                ),
                "flatten the includes: a fragment that includes fragments that include fragments is hard to follow",
            ));
        }
        let Some(abs) = self.locate(&rel) else {
            return Err(error(
                "include-missing",
                format!("included file `content/{rel}` does not exist"),
                "include paths start from the content folder: `#include /dkp/shared/intro.tmpl` reads `content/dkp/shared/intro.tmpl`",
            ));
        };
        let text = crate::fsutil::read_to_string(&abs).map_err(|e| {
            error(
                "include-missing",
                e.to_string(),
                "check the file's permissions and encoding",
            )
        })?;
        let normalized = crate::load::page::normalize(&text);
        let prepared = if frame.prepare {
            prepass::prepare(&normalized).0
        } else {
            normalized
        };
        let indented = indent_lines(&prepared, indent);
        let child = Frame {
            shown: self.shown_prefix.join(&rel),
            rel,
            text: &indented,
            first_line: 1,
            prepare: frame.prepare,
        };
        self.expand_into(&child, chain, out)
    }

    /// The error of a page that outgrew [`IncludeResolver::max_bytes`], at the line of
    /// `frame` where it did, with the chain of includes that led there.
    fn too_large(&self, frame: &Frame, line_no: usize, chain: &[String]) -> Diagnostic {
        let through: Vec<String> = chain
            .iter()
            .map(|p| self.shown_prefix.join(p).display().to_string())
            .collect();
        let megabytes = self.max_bytes / (1024 * 1024);
        Diagnostic::error(
            "page-too-large",
            format!(
                "the page grows past {megabytes} MB as its includes are expanded, here in {}",
                through.join(" -> ")
            ),
        )
        .in_file(&frame.shown)
        .at_line_text(frame_line(frame, line_no), Position::new(line_no, 1, 1))
        .with_help(format!(
            "an include is repeated many times over (each level multiplies the ones below); include less, or raise `page_size_limit_mb` in folio.yaml (now {megabytes})"
        ))
    }

    /// The file for a content-relative path, if it exists inside the content folder.
    fn locate(&self, rel: &str) -> Option<PathBuf> {
        if let Some(path) = self.files.get(rel) {
            return Some(path.clone());
        }
        let candidate = self.content_dir.join(rel).canonicalize().ok()?;
        (candidate.starts_with(self.content_dir) && candidate.is_file()).then_some(candidate)
    }
}

/// In a raw frame, which lines an HTML comment hides: an `#include` there stays text
/// (and goes with the comment later), as it does in a prepared frame.
struct CommentedLines(Option<Vec<bool>>);

impl CommentedLines {
    fn of(frame: &Frame) -> CommentedLines {
        if frame.prepare || !frame.text.contains("<!--") {
            return CommentedLines(None);
        }
        // Preparing keeps the line count, so line `i` is line `i` of the raw text.
        let (prepared, _) = prepass::prepare(frame.text);
        let hidden = prepared
            .split_inclusive('\n')
            .map(|l| include_target(l).is_none());
        CommentedLines(Some(hidden.collect()))
    }

    fn hides(&self, index: usize) -> bool {
        self.0
            .as_ref()
            .is_some_and(|lines| lines.get(index).copied().unwrap_or(true))
    }
}

fn frame_line<'t>(frame: &Frame<'t>, line_no: usize) -> &'t str {
    frame
        .text
        .lines()
        .nth(line_no - frame.first_line)
        .unwrap_or("")
}

/// For an `#include` line, its indentation and target path.
fn include_target(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start();
    let rest = trimmed.strip_prefix("#include")?;
    let target = rest.trim();
    let is_directive = rest.starts_with([' ', '\t'])
        && !target.is_empty()
        && !target.contains(char::is_whitespace);
    is_directive.then(|| (&line[..line.len() - trimmed.len()], target))
}

/// `target` as a content-relative path with `.` and `..` resolved, or `None` when it
/// climbs out of the content folder.
pub(crate) fn normalize_target(target: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for component in Path::new(target.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// An include inside a list item keeps the item's indentation on every line.
fn indent_lines(text: &str, indent: &str) -> String {
    if indent.is_empty() {
        return text.to_string();
    }
    text.split_inclusive('\n')
        .map(|line| {
            if line.trim().is_empty() {
                line.to_string()
            } else {
                format!("{indent}{line}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_lines_are_recognised() {
        assert_eq!(
            include_target("#include /a/b.tmpl\n"),
            Some(("", "/a/b.tmpl"))
        );
        assert_eq!(
            include_target("   #include x.tmpl"),
            Some(("   ", "x.tmpl"))
        );
        assert_eq!(include_target("#included text\n"), None);
        assert_eq!(include_target("# include x\n"), None);
    }

    #[test]
    fn targets_cannot_climb_out() {
        assert_eq!(normalize_target("/a/../b.tmpl").as_deref(), Some("b.tmpl"));
        assert_eq!(normalize_target("/../secret"), None);
        assert_eq!(normalize_target("a/../../x"), None);
    }
}
