//! Walks `content/` into the list of source files, following symbolic links that stay
//! inside the site root. Git checkouts made without symlink support leave a link as a tiny
//! file holding its target path (the corpus has two); those are followed the same way:
//! every file git records as a link, and outside git, extensionless files whose whole
//! text is a `../` path.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::ContentDir;

/// What a file under `content/` is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A markdown page (`.md`).
    Page,
    /// A fragment only reached through `#include` (`.tmpl`); never published on its own.
    Include,
    /// Anything else: copied beside its page.
    Asset,
}

/// One file found under `content/`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as the site sees it, relative to `content/`, with `/` separators. For a file
    /// reached through a link this is the path through the link.
    pub rel_path: String,
    /// Where the bytes are on disk.
    pub abs_path: PathBuf,
    pub kind: SourceKind,
}

/// The largest file taken for a link stub; real stubs hold one short relative path.
const MAX_LINK_STUB_LEN: u64 = 512;

/// Walks `content_dir` (or `static/`, `templates/`: any source folder), returning its
/// files sorted by `rel_path`. `site_root` must be canonical.
pub fn walk_content(
    site_root: &Path,
    content: &ContentDir,
    diags: &mut Diagnostics,
) -> Vec<SourceFile> {
    let git_links = super::git_links::recorded_links(&content.path);
    let walker = Walker {
        site_root,
        content,
        git_links,
    };
    let mut files = Vec::new();
    let mut chain = HashSet::new();
    walker.walk(&content.path, "", &mut chain, &mut files, diags);
    files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    files
}

struct Walker<'a> {
    /// Canonical, so resolved link targets can be compared with it.
    site_root: &'a Path,
    content: &'a ContentDir,
    /// Files git records as symbolic links (see `git_links`).
    git_links: HashSet<PathBuf>,
}

impl Walker<'_> {
    /// Walks `dir`, naming what it finds `prefix` + path inside `dir`. `chain` holds the
    /// link-stub targets being walked through, to catch loops that walkdir cannot see.
    fn walk(
        &self,
        dir: &Path,
        prefix: &str,
        chain: &mut HashSet<PathBuf>,
        files: &mut Vec<SourceFile>,
        diags: &mut Diagnostics,
    ) {
        let mut entries = WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !self.content.skips(e.path()));
        while let Some(entry) = entries.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    diags.push(self.walk_error(&err));
                    continue;
                }
            };
            if entry.path_is_symlink()
                && !self.target_inside_root(entry.path(), entry.path(), diags)
            {
                if entry.file_type().is_dir() {
                    entries.skip_current_dir();
                }
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let inner = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel_path = join_rel(prefix, inner);
            if let Some(target) = self.link_stub_target(entry.path()) {
                self.follow_stub(entry.path(), &target, &rel_path, chain, files, diags);
            } else {
                let kind = kind_of(entry.path());
                files.push(SourceFile {
                    rel_path,
                    abs_path: entry.path().to_path_buf(),
                    kind,
                });
            }
        }
    }

    fn follow_stub(
        &self,
        stub: &Path,
        target: &Path,
        rel_path: &str,
        chain: &mut HashSet<PathBuf>,
        files: &mut Vec<SourceFile>,
        diags: &mut Diagnostics,
    ) {
        let Ok(canonical) = target.canonicalize() else {
            return;
        };
        if !self.target_inside_root(stub, &canonical, diags) {
            return;
        }
        let stub_dir = stub.parent().and_then(|p| p.canonicalize().ok());
        let loops =
            stub_dir.is_some_and(|d| d.starts_with(&canonical)) || chain.contains(&canonical);
        if loops {
            diags.push(
                Diagnostic::error(
                    "symlink-loop",
                    format!("link `{rel_path}` leads back into itself"),
                )
                .in_file(self.shown(stub))
                .with_help("point the link at a folder that does not contain it"),
            );
            return;
        }
        if canonical.is_dir() {
            chain.insert(canonical.clone());
            self.walk(&canonical, rel_path, chain, files, diags);
            chain.remove(&canonical);
        } else {
            let kind = kind_of(&canonical);
            files.push(SourceFile {
                rel_path: rel_path.to_string(),
                abs_path: canonical,
                kind,
            });
        }
    }

    /// The target of a link stub: a small file whose whole text is a relative path to
    /// something that exists, and that git records as a link (or, outside git, that has
    /// no extension and points up with `..`).
    fn link_stub_target(&self, path: &Path) -> Option<PathBuf> {
        let recorded = self.git_links.contains(path);
        if (!recorded && path.extension().is_some())
            || std::fs::metadata(path).ok()?.len() > MAX_LINK_STUB_LEN
        {
            return None;
        }
        let text = std::fs::read_to_string(path).ok()?;
        let text = text.trim();
        let is_relative_path = !text.is_empty()
            && !text.contains(['\n', '\0'])
            && Path::new(text).is_relative()
            && (recorded || text.starts_with(".."));
        let target = path.parent()?.join(text);
        (is_relative_path && target.exists()).then_some(target)
    }

    /// Whether `target` resolves inside the site root; when it does not, pushes the error
    /// at `link`.
    fn target_inside_root(&self, link: &Path, target: &Path, diags: &mut Diagnostics) -> bool {
        let resolved = target
            .canonicalize()
            .unwrap_or_else(|_| target.to_path_buf());
        if resolved.starts_with(self.site_root) {
            return true;
        }
        diags.push(
            Diagnostic::error(
                "symlink-outside-root",
                format!(
                    "link points outside the site root, to `{}`",
                    resolved.display()
                ),
            )
            .in_file(self.shown(link))
            .with_help(format!(
                "links in {} may only point at files inside the site; copy the file in instead",
                self.folder_name()
            )),
        );
        false
    }

    fn walk_error(&self, err: &walkdir::Error) -> Diagnostic {
        let file = err.path().map(|p| self.shown(p));
        let diagnostic = if let Some(ancestor) = err.loop_ancestor() {
            Diagnostic::error(
                "symlink-loop",
                format!(
                    "symbolic link loop: this link leads back to `{}`",
                    self.shown(ancestor).display()
                ),
            )
        } else if let Some(target) = err.path().and_then(dangling_target) {
            Diagnostic::error(
                "symlink-dangling",
                format!(
                    "link points at `{}`, which does not exist",
                    target.display()
                ),
            )
            .with_help("point the link at an existing file, or remove it")
        } else {
            let reason = err
                .io_error()
                .map_or_else(|| err.to_string(), ToString::to_string);
            Diagnostic::error("walk", format!("cannot read this entry: {reason}"))
                .with_help("check the file's permissions")
        };
        match file {
            Some(file) => diagnostic.in_file(file),
            None => diagnostic,
        }
    }

    /// A path as shown in messages: relative to the site root.
    /// `content/`, `static/`... as help texts name the folder walked.
    fn folder_name(&self) -> String {
        match self.content.is_bare() {
            true => "the site's folder".into(),
            false => format!("{}/", self.content.shown.display()),
        }
    }

    fn shown(&self, path: &Path) -> PathBuf {
        crate::diag::relative_to(self.site_root, path)
    }
}

/// The target of `path` when it is a symbolic link to nothing.
fn dangling_target(path: &Path) -> Option<PathBuf> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    (is_link && !path.exists())
        .then(|| std::fs::read_link(path).ok())
        .flatten()
}

fn kind_of(path: &Path) -> SourceKind {
    match path.extension().and_then(|e| e.to_str()) {
        Some("md") => SourceKind::Page,
        Some("tmpl") => SourceKind::Include,
        _ => SourceKind::Asset,
    }
}

/// `prefix` joined with `inner`, using `/` whatever the platform.
fn join_rel(prefix: &str, inner: &Path) -> String {
    let mut rel = prefix.to_string();
    for component in inner.components() {
        if let Component::Normal(name) = component {
            if !rel.is_empty() {
                rel.push('/');
            }
            rel.push_str(&name.to_string_lossy());
        }
    }
    rel
}
