//! Where a site's pages live: its `content/` folder, or, for a bare folder of markdown
//! with no `content/`, the site root itself (minus the output and the site's other
//! folders), so a writer's first `folio build` of a folder of notes just works.

use std::path::{Path, PathBuf};

/// Folders of the site root that keep their own role in a bare folder.
const SITE_FOLDERS: [&str; 3] = ["templates", "static", "data"];

/// The folder pages are read from, and what is left out of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentDir {
    /// Canonical path of the folder.
    pub path: PathBuf,
    /// How its files are named in messages: `content` or, for a bare folder, nothing.
    pub shown: PathBuf,
    /// Folders inside `path` that are not content (a bare folder's output, templates...).
    pub skipped: Vec<PathBuf>,
}

impl ContentDir {
    /// `root/content` when it is a folder; else the root itself when it holds markdown
    /// (`output` is the output folder, left out); else `None`. `root` must be canonical.
    pub fn find(root: &Path, output: &Path) -> Option<ContentDir> {
        let content = root.join("content");
        if content.is_dir() {
            return Some(ContentDir {
                path: content,
                shown: PathBuf::from("content"),
                skipped: Vec::new(),
            });
        }
        let mut skipped: Vec<PathBuf> = SITE_FOLDERS.iter().map(|f| root.join(f)).collect();
        skipped.push(root.join(output));
        let bare = ContentDir {
            path: root.to_path_buf(),
            shown: PathBuf::new(),
            skipped,
        };
        bare.holds_markdown().then_some(bare)
    }

    /// Whether this is the site root itself (a bare folder of markdown).
    pub fn is_bare(&self) -> bool {
        self.shown.as_os_str().is_empty()
    }

    /// Another source folder of the site (`static`, `templates`), walked like the content.
    pub fn source_folder(root: &Path, name: &str) -> ContentDir {
        ContentDir {
            path: root.join(name),
            shown: PathBuf::from(name),
            skipped: Vec::new(),
        }
    }

    /// A content-relative path as messages show it (`content/a.md`, or `a.md`).
    pub fn shown(&self, rel_path: &str) -> PathBuf {
        self.shown.join(rel_path)
    }

    /// Whether the walk leaves `path` out: a skipped folder, or in a bare folder anything
    /// hidden (`.git`, staging folders).
    pub fn skips(&self, path: &Path) -> bool {
        if self.skipped.iter().any(|s| path.starts_with(s)) {
            return true;
        }
        let inside = path.strip_prefix(&self.path).unwrap_or(path);
        self.is_bare()
            && inside
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    }

    fn holds_markdown(&self) -> bool {
        let walk = walkdir::WalkDir::new(&self.path).follow_links(false);
        walk.into_iter()
            .filter_entry(|e| !self.skips(e.path()))
            .filter_map(Result::ok)
            .any(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_content_folder_wins_and_a_bare_folder_skips_its_output_and_hidden_folders() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        assert_eq!(ContentDir::find(&root, Path::new("public")), None);
        std::fs::create_dir_all(root.join(".git")).expect("mkdir");
        std::fs::write(root.join(".git/x.md"), "").expect("write");
        assert_eq!(ContentDir::find(&root, Path::new("public")), None);
        std::fs::write(root.join("notes.md"), "# Notes\n").expect("write");
        let bare = ContentDir::find(&root, Path::new("public")).expect("bare");
        assert!(bare.is_bare());
        assert!(bare.skips(&root.join("public/index.html")));
        assert!(bare.skips(&root.join(".git/x.md")));
        assert!(!bare.skips(&root.join("notes.md")));
        assert_eq!(bare.shown("notes.md"), PathBuf::from("notes.md"));
        std::fs::create_dir_all(root.join("content")).expect("mkdir");
        let content = ContentDir::find(&root, Path::new("public")).expect("content");
        assert_eq!(content.shown("a.md"), PathBuf::from("content/a.md"));
        assert!(!content.skips(&root.join("content/.hidden.md")));
    }
}
