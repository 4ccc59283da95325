//! The output stage: writes the built site into a staging folder beside the output
//! folder and swaps it in only when everything succeeded, so a failed or killed build
//! never leaves a half-written site where the old one was.

pub mod calendar;
pub mod redirects;
pub mod sitemap;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::fsutil::{self, FsError, FsResult};

/// One file of the built site: its path below the output root and its bytes or source.
#[derive(Debug)]
pub enum OutputFile {
    Bytes { path: String, bytes: Vec<u8> },
    Copy { path: String, from: PathBuf },
}

impl OutputFile {
    pub fn path(&self) -> &str {
        match self {
            OutputFile::Bytes { path, .. } | OutputFile::Copy { path, .. } => path,
        }
    }
}

/// A staging folder that becomes the output folder on [`Staging::commit`] and is removed
/// if dropped before that.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Makes an empty staging folder beside `target`, first clearing any left by a build
    /// that was killed.
    pub fn create(target: &Path) -> FsResult<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fsutil::create_dir_all(parent)?;
        remove_stale(parent, &stem(target));
        let dir = parent.join(format!(
            ".{}.folio-staging-{}",
            stem(target),
            std::process::id()
        ));
        if dir.exists() {
            fsutil::remove_dir_all(&dir)?;
        }
        fsutil::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `files` (paths are unique) in parallel.
    pub fn write_all(&self, files: &[OutputFile]) -> FsResult<()> {
        let mut dirs: Vec<&str> = files
            .iter()
            .filter_map(|f| f.path().rsplit_once('/').map(|(d, _)| d))
            .collect();
        dirs.sort_unstable();
        dirs.dedup();
        for dir in dirs {
            fsutil::create_dir_all(&self.dir.join(dir))?;
        }
        files.par_iter().try_for_each(|file| self.write(file))
    }

    fn write(&self, file: &OutputFile) -> FsResult<()> {
        let to = self.dir.join(file.path());
        match file {
            OutputFile::Bytes { bytes, .. } => fsutil::write(&to, bytes),
            OutputFile::Copy { from, .. } => fsutil::copy(from, &to),
        }
    }

    /// Replaces the output folder with the staging folder.
    pub fn commit(mut self) -> FsResult<()> {
        let old = self.dir.with_file_name(format!(
            ".{}.folio-old-{}",
            stem(&self.target),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            fsutil::rename(&self.target, &old)?;
        }
        if let Err(err) = fsutil::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(err);
        }
        self.committed = true;
        if had_old {
            remove_tree(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes a folder tree, deleting its files in parallel (a large site has thousands).
fn remove_tree(dir: &Path) -> FsResult<()> {
    let files: Vec<PathBuf> = WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect();
    files.par_iter().for_each(|file| {
        let _ = std::fs::remove_file(file);
    });
    fsutil::remove_dir_all(dir)
}

fn stem(target: &Path) -> String {
    target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into())
}

/// Removes `.NAME.folio-staging-*` and `.NAME.folio-old-*` folders left by killed builds.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let stale = [
            format!(".{name}.folio-staging-"),
            format!(".{name}.folio-old-"),
        ];
        if stale.iter().any(|p| file_name.starts_with(p.as_str())) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The files of `static/`, copied to the output root.
pub fn static_files(site_root: &Path) -> Result<Vec<OutputFile>, FsError> {
    let dir = site_root.join("static");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(&dir).follow_links(true).sort_by_file_name() {
        let entry = entry.map_err(|e| FsError {
            action: "cannot read",
            path: e.path().unwrap_or(&dir).to_path_buf(),
            source: e.into(),
        })?;
        let inside = entry
            .path()
            .canonicalize()
            .is_ok_and(|p| p.starts_with(site_root));
        if entry.file_type().is_file() && inside {
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let path = rel.to_string_lossy().replace('\\', "/");
            files.push(OutputFile::Copy {
                path,
                from: entry.path().to_path_buf(),
            });
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_the_old_output_and_drop_cleans_up() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let target = tmp.path().join("public");
        std::fs::create_dir_all(&target).expect("mkdir");
        std::fs::write(target.join("old.html"), "old").expect("write");

        let abandoned = Staging::create(&target).expect("staging");
        let abandoned_dir = abandoned.dir().to_path_buf();
        drop(abandoned);
        assert!(!abandoned_dir.exists());

        let staging = Staging::create(&target).expect("staging");
        staging
            .write_all(&[OutputFile::Bytes {
                path: "a/index.html".into(),
                bytes: b"new".to_vec(),
            }])
            .expect("write");
        staging.commit().expect("commit");
        assert!(!target.join("old.html").exists());
        assert_eq!(
            std::fs::read_to_string(target.join("a/index.html")).expect("read"),
            "new"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).expect("ls").count(), 1);
    }
}
