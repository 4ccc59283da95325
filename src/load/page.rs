//! The page model: one markdown file with its front matter, its URL and its title.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::front_matter::{self, FrontMatter};

/// A markdown page as loaded, before any markdown is rendered.
#[derive(Debug, Clone)]
pub struct Page {
    /// Source path relative to `content/`, with `/` separators.
    pub rel_path: String,
    /// Path relative to the site root, as shown in messages (`content/a/b.md`).
    pub file: PathBuf,
    /// URL path below the site's base path: `/a/b/` for `a/b.md` and `a/b/index.md`.
    pub url: String,
    pub front: FrontMatter,
    /// The title: front matter `title`, else the first heading, else the file name.
    pub title: String,
    /// The whole file, without BOM and with `\n` line ends.
    pub text: String,
    /// Byte offset and 1-based line where the markdown body starts.
    pub body_start: usize,
    pub body_line: usize,
    /// Set when the body was dropped after loading (`text` then ends at `body_start`),
    /// to read it again with [`Page::with_body`]. A streamed build keeps no page's body
    /// longer than the page takes to render.
    pub dropped_body: Option<DroppedBody>,
}

/// Where a dropped body is, and what the whole file held.
#[derive(Debug, Clone)]
pub struct DroppedBody {
    pub path: PathBuf,
    /// [`Page::text_hash`] of the file as loaded.
    pub text_hash: u128,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Drops the body, to be read again from `abs_path` when needed.
    pub fn drop_body(&mut self, abs_path: &Path) {
        let text_hash = self.text_hash();
        self.text.truncate(self.body_start);
        self.text.shrink_to_fit();
        self.dropped_body = Some(DroppedBody {
            path: abs_path.to_path_buf(),
            text_hash,
        });
    }

    /// XXH3-128 of the whole file as loaded, body and all: what a rebuild compares to
    /// tell whether the page changed, without reading a dropped body again.
    pub fn text_hash(&self) -> u128 {
        match &self.dropped_body {
            Some(dropped) => dropped.text_hash,
            None => xxhash_rust::xxh3::xxh3_128(self.text.as_bytes()),
        }
    }

    /// The page with its body: itself, or, when the body was dropped, a copy with the
    /// file read again (as it is now, should it have changed since).
    pub fn with_body(&self) -> Result<Cow<'_, Page>, Diagnostic> {
        let Some(DroppedBody { path: abs_path, .. }) = &self.dropped_body else {
            return Ok(Cow::Borrowed(self));
        };
        let in_file = |d: Diagnostic| d.in_file(&self.file);
        let bytes = crate::fsutil::read(abs_path)
            .map_err(|err| in_file(Diagnostic::error("io", err.to_string())))?;
        let text = page_text(&bytes).map_err(in_file)?;
        let split = front_matter::split(&text).map_err(in_file)?;
        let (body_start, body_line) = (text.len() - split.body.len(), split.body_line);
        Ok(Cow::Owned(Page {
            text,
            body_start,
            body_line,
            dropped_body: None,
            ..self.clone()
        }))
    }

    /// The label in navigation: `navigationTitle`, else the title.
    pub fn nav_title(&self) -> &str {
        self.front
            .navigation_title
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(&self.title)
    }

    /// Whether navigation leaves this page out (`menuWeight: -1`, the site's convention).
    pub fn hidden(&self) -> bool {
        self.front.menu_weight == Some(-1)
    }
}

/// The encoding error at the first byte that is not UTF-8 (`valid` bytes before it).
fn not_utf8(bytes: &[u8], valid: usize) -> Diagnostic {
    let before = String::from_utf8_lossy(&bytes[..valid]);
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let line_end = bytes[valid..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |at| valid + at);
    let line_text = String::from_utf8_lossy(&bytes[line_start..line_end]);
    let line = before.matches('\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    Diagnostic::error(
        "encoding",
        format!(
            "page is not valid UTF-8: byte 0x{:02X} cannot start a character here",
            bytes[valid]
        ),
    )
    .at_line_text(&line_text, crate::diag::Position::new(line, column, 1))
    .with_help(
        "save the file as UTF-8 (a Latin-1 or Windows-1252 editor setting writes bytes like this)",
    )
}

/// Builds the page for `rel_path` from its raw bytes; `None` when the file cannot be used.
pub fn load_page(
    rel_path: &str,
    file: PathBuf,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<Page> {
    let text = match page_text(bytes) {
        Ok(text) => text,
        Err(diagnostic) => {
            diags.push(diagnostic.in_file(&file));
            return None;
        }
    };
    let split = match front_matter::split(&text) {
        Ok(split) => split,
        Err(diagnostic) => {
            diags.push(diagnostic.in_file(&file));
            return None;
        }
    };
    let front = match split.yaml {
        Some(yaml) => front_matter::parse(yaml, &file, &text, diags)?,
        None => FrontMatter::default(),
    };
    let body_start = text.len() - split.body.len();
    let title = resolve_title(&front, split.yaml.is_some(), split.body, &file).unwrap_or_else(
        |(title, warning)| {
            // At the `title` key, else the opening fence of the block that lacks it.
            let fence = split.yaml.map(|_| crate::diag::Position::new(1, 1, 3));
            let warning = match front.position_of("title").or(fence) {
                Some(position) => warning.at(&text, position),
                None => warning,
            };
            diags.push(warning);
            title
        },
    );
    let body_line = split.body_line;
    Some(Page {
        url: url_for(rel_path),
        rel_path: rel_path.to_string(),
        file,
        front,
        title,
        text,
        body_start,
        body_line,
        dropped_body: None,
    })
}

/// A page file's bytes as its text: UTF-8 (else the error at the first byte that is not),
/// [`normalize`]d.
fn page_text(bytes: &[u8]) -> Result<String, Diagnostic> {
    let text = std::str::from_utf8(bytes).map_err(|err| not_utf8(bytes, err.valid_up_to()))?;
    Ok(normalize(text))
}

/// Drops a UTF-8 byte order mark and turns CRLF into LF (line numbers do not change).
pub fn normalize(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    }
}

/// The page's title, or the title taken from elsewhere with a warning saying so.
fn resolve_title(
    front: &FrontMatter,
    has_block: bool,
    body: &str,
    file: &Path,
) -> Result<String, (String, Diagnostic)> {
    if let Some(title) = front.title.as_ref().filter(|t| !t.trim().is_empty()) {
        return Ok(title.trim().to_string());
    }
    let (title, from) = match first_heading(body) {
        Some(heading) => (heading, "its first heading"),
        None => (file_stem_title(file), "its file name"),
    };
    let message = match (has_block, &front.title) {
        (_, Some(_)) => "`title` is empty",
        (true, None) => "page has no `title`",
        (false, None) => "page has no front matter",
    };
    let warning = Diagnostic::warning(
        "missing-title",
        format!("{message}; its title is taken from {from}: `{title}`"),
    )
    .in_file(file)
    .at_line(1)
    .with_help("add front matter with a title:\n---\ntitle: ...\n---");
    Err((title, warning))
}

/// The text of the first ATX heading outside fenced code.
fn first_heading(body: &str) -> Option<String> {
    let mut in_fence = false;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence && trimmed.starts_with('#') {
            let text = trimmed.trim_start_matches('#');
            if text.starts_with(' ') || text.is_empty() {
                return Some(text.trim().trim_end_matches('#').trim().to_string())
                    .filter(|t| !t.is_empty());
            }
        }
    }
    None
}

fn file_stem_title(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    if stem == "index" {
        return file
            .parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or(stem);
    }
    stem
}

/// The URL path of a page from its source path: `a/b.md` and `a/b/index.md` are `/a/b/`.
pub fn url_for(rel_path: &str) -> String {
    let without_ext = rel_path.strip_suffix(".md").unwrap_or(rel_path);
    let dir = match without_ext.strip_suffix("index") {
        Some(parent) if parent.is_empty() || parent.ends_with('/') => parent.trim_end_matches('/'),
        _ => without_ext,
    };
    if dir.is_empty() {
        "/".into()
    } else {
        format!("/{dir}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_drop_index_and_extension() {
        assert_eq!(url_for("index.md"), "/");
        assert_eq!(url_for("a/b/index.md"), "/a/b/");
        assert_eq!(url_for("a/b.md"), "/a/b/");
        assert_eq!(url_for("a/reindex.md"), "/a/reindex/");
    }

    #[test]
    fn bom_and_crlf_are_normalized() {
        assert_eq!(
            normalize("\u{feff}---\r\ntitle: A\r\n---\r\n"),
            "---\ntitle: A\n---\n"
        );
    }

    #[test]
    fn a_page_without_front_matter_takes_its_first_heading() {
        let mut diags = Diagnostics::default();
        let page = load_page(
            "a.md",
            "content/a.md".into(),
            b"```\n# not\n```\n# Real title\n",
            &mut diags,
        )
        .expect("page");
        assert_eq!(page.title, "Real title");
        assert_eq!(diags.iter().next().map(|d| d.code), Some("missing-title"));
    }
}
