//! The output folder's replacement. The site is written into a staging folder beside the
//! output folder, under a lock on that output (two builds of it never meet), and swapped
//! in at the end with one atomic exchange (`renameat2(RENAME_EXCHANGE)` on Linux): at
//! every instant the output path holds a whole site, the old one or the new one. Where
//! the exchange is not available the swap takes two renames, and a build killed between
//! them leaves the old site as `.NAME.folio-old-PID`, which the next build puts back.
//! SIGINT and SIGTERM remove the staging folder before the process ends.

use std::collections::HashMap;
use std::fs::File;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::OutputFile;
use crate::fsutil::{self, FsError, FsResult};

/// The staging folder of the running build, for the signal handler; held while the
/// commit renames, so a signal never lands between the two renames of the fallback.
static ACTIVE: Mutex<Option<PathBuf>> = Mutex::new(None);

/// The marks in the names of a build's staging folder and of an old site left between
/// the fallback's two renames: `.NAME` + mark + process id, beside the output.
const STAGING_MARK: &str = ".folio-staging-";
const OLD_MARK: &str = ".folio-old-";

/// Whether `dir` is named like a site a build swapped out: its staging folder after an
/// exchange, or an old site.
pub(super) fn is_swapped_out(dir: &Path) -> bool {
    let name = dir.file_name().map(|n| n.to_string_lossy().to_string());
    name.is_some_and(|n| n.starts_with('.') && (n.contains(STAGING_MARK) || n.contains(OLD_MARK)))
}

/// Set by SIGINT or SIGTERM while a staging folder exists: writing stops at the next
/// file, and the staging folder goes with the build.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The output folder of one build, claimed at its start: resolved, locked (a second
/// build of it waits, saying which process holds it) and tidied, with an old site that
/// a killed build left between two renames put back.
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    lock: File,
}

impl OutputDir {
    /// Claims `target`, or the folder a symlink `target` points at (a deploy link keeps
    /// pointing at the updated site).
    pub fn claim(target: &Path) -> FsResult<OutputDir> {
        let target = resolve_target(target)?;
        let parent = parent_of(&target);
        fsutil::create_dir_all(&parent)?;
        let lock = lock_output(&parent, &stem(&target))?;
        recover_or_remove_stale(&parent, &stem(&target), &target)?;
        Ok(OutputDir { target, lock })
    }
}

/// A staging folder that becomes the output folder on [`Staging::commit`] and is removed
/// if dropped before that.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// The previous site, when there is one: files whose bytes it already holds are
    /// hard-linked from it rather than written again.
    previous: Option<PathBuf>,
    /// The previous build's copies by output path, set once they are read, and this
    /// build's: a copy whose source did not change is linked from the previous site.
    copies_before: OnceLock<HashMap<String, CopyStamp>>,
    copies: Mutex<Vec<(String, CopyStamp)>>,
    committed: bool,
    /// The lock on the output, held until the staging folder is gone or committed.
    lock: File,
}

/// A file copied into the output: the stamps of its source and of the copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CopyStamp {
    pub source: FileStamp,
    pub output: FileStamp,
}

/// Which file a path holds: a built file is never written again, only linked, so the same
/// inode, size and modification time mean the same bytes (a file edited by hand or
/// written anew has another).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileStamp {
    inode: u64,
    len: u64,
    modified_ns: u128,
}

impl FileStamp {
    fn of(meta: &std::fs::Metadata) -> FileStamp {
        let modified = meta.modified().ok();
        let since_epoch = modified.and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok());
        FileStamp {
            inode: inode(meta),
            len: meta.len(),
            modified_ns: since_epoch.map_or(0, |d| d.as_nanos()),
        }
    }
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

/// What a commit could not finish after the new site went live.
#[derive(Debug)]
pub struct Leftover(pub FsError);

impl Staging {
    /// Makes an empty staging folder beside the claimed output folder.
    pub fn create(output: OutputDir) -> FsResult<Staging> {
        let OutputDir { target, lock } = output;
        let dir = parent_of(&target).join(format!(
            ".{}{STAGING_MARK}{}",
            stem(&target),
            std::process::id()
        ));
        fsutil::create_dir_all(&dir)?;
        set_active(Some(dir.clone()));
        let previous = target.is_dir().then(|| target.clone());
        Ok(Staging {
            dir,
            target,
            previous,
            copies_before: OnceLock::new(),
            copies: Mutex::new(Vec::new()),
            committed: false,
            lock,
        })
    }

    /// The copies the previous build made (from its cache), by output path.
    pub fn set_previous_copies(&self, copies: HashMap<String, CopyStamp>) {
        let _ = self.copies_before.set(copies);
    }

    /// The copies this build made, by output path, for the next build.
    pub fn take_copies(&self) -> Vec<(String, CopyStamp)> {
        std::mem::take(&mut *self.copies.lock().unwrap_or_else(|e| e.into_inner()))
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
            stop_if_interrupted(&self.dir)?;
            fsutil::create_dir_all(&self.dir.join(dir))?;
        }
        files.par_iter().try_for_each(|file| self.write(file))
    }

    /// Writes a file of bytes at once, making its folder, so its bytes need not stay in
    /// memory until [`Staging::write_all`]: `Ok` with its path and stamp once it is
    /// written, or the file back when it could not be (`write_all` tries again and
    /// reports why), or is a copy (left to `write_all`).
    pub fn put(&self, file: OutputFile) -> Result<(String, FileStamp), OutputFile> {
        let OutputFile::Bytes { path, bytes } = &file else {
            return Err(file);
        };
        let written = self
            .place(path)
            .and_then(|to| self.write_bytes(path, bytes, &to));
        match written {
            Ok(stamp) => Ok((path.clone(), stamp)),
            Err(_) => Err(file),
        }
    }

    /// Where what this build made each page from is kept for the next build of the same
    /// output: `.NAME.folio-cache` beside it (inside, it would be published).
    pub fn cache_file(&self) -> PathBuf {
        parent_of(&self.target).join(format!(".{}.folio-cache", stem(&self.target)))
    }

    /// Whether the previous site's file at `path` is still the one `stamp` describes and
    /// is now hard-linked at the same path here, making its folder: a page whose inputs
    /// did not change is taken as it is, unread.
    pub fn link_previous(&self, path: &str, stamp: &FileStamp) -> bool {
        self.place(path)
            .is_ok_and(|to| self.link_old(path, stamp, &to))
    }

    /// Where the file at `path` goes here, its folder made, unless a signal stopped the
    /// build (for one file at a time; [`Staging::write_all`] makes all folders first).
    fn place(&self, path: &str) -> FsResult<PathBuf> {
        let to = self.dir.join(path);
        to.parent().map_or(Ok(()), fsutil::create_dir_all)?;
        stop_if_interrupted(&to)?;
        Ok(to)
    }

    /// Whether the previous site's file at `path` is the one `stamp` describes and is
    /// now hard-linked at `to` (whose folder exists).
    fn link_old(&self, path: &str, stamp: &FileStamp, to: &Path) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        let old = previous.join(path);
        let unchanged = std::fs::symlink_metadata(&old).is_ok_and(|m| FileStamp::of(&m) == *stamp);
        unchanged && std::fs::hard_link(&old, to).is_ok()
    }

    fn write(&self, file: &OutputFile) -> FsResult<()> {
        let to = self.dir.join(file.path());
        stop_if_interrupted(&to)?;
        match file {
            OutputFile::Bytes { path, bytes } => self.write_bytes(path, bytes, &to).map(|_| ()),
            OutputFile::Copy { path, from } => self.copy(path, from, &to),
        }
    }

    /// Copies `from` to `to` (output path `path`), or links the previous site's copy when
    /// the source is the file it was copied from; records the copy's stamps.
    fn copy(&self, path: &str, from: &Path, to: &Path) -> FsResult<()> {
        let source = std::fs::metadata(from).map(|m| FileStamp::of(&m)).ok();
        let before = self.copies_before.get().and_then(|c| c.get(path));
        let stamps = match (before, source) {
            (Some(before), Some(source))
                if before.source == source && self.link_old(path, &before.output, to) =>
            {
                Some(*before)
            }
            _ => {
                fsutil::copy(from, to)?;
                let output = std::fs::symlink_metadata(to).map(|m| FileStamp::of(&m));
                source
                    .zip(output.ok())
                    .map(|(source, output)| CopyStamp { source, output })
            }
        };
        if let Some(stamps) = stamps {
            let mut copies = self.copies.lock().unwrap_or_else(|e| e.into_inner());
            copies.push((path.to_string(), stamps));
        }
        Ok(())
    }

    /// Writes `bytes` at `to` (the previous site's file at `path` linked there when it
    /// holds them), and gives the stamp of the file now there.
    fn write_bytes(&self, path: &str, bytes: &[u8], to: &Path) -> FsResult<FileStamp> {
        if let Some(stamp) = self.link_unchanged(path, bytes, to) {
            return Ok(stamp);
        }
        let wrap = |source| FsError {
            action: "cannot write",
            path: to.to_path_buf(),
            source,
        };
        let mut written = File::create(to).map_err(wrap)?;
        written.write_all(bytes).map_err(wrap)?;
        // Asked of the open file: cheaper than looking the path up again.
        let meta = written.metadata().map_err(wrap)?;
        Ok(FileStamp::of(&meta))
    }

    /// The stamp of the previous site's file at `path`, now hard-linked at `to`, when it
    /// holds `bytes`. Nothing ever writes into a built file, so sharing it is safe; it
    /// saves writing the file again and lets removing the previous site free nothing
    /// that is kept.
    fn link_unchanged(&self, path: &str, bytes: &[u8], to: &Path) -> Option<FileStamp> {
        let old = self.previous.as_ref()?.join(path);
        let meta = std::fs::symlink_metadata(&old).ok()?;
        let same = meta.is_file()
            && meta.len() == bytes.len() as u64
            && std::fs::read(&old).is_ok_and(|held| held == bytes)
            && std::fs::hard_link(&old, to).is_ok();
        same.then(|| FileStamp::of(&meta))
    }

    /// Puts the staging folder in the output's place, and has the old site removed: by a
    /// detached run of `remover` (the folio binary; see [`super::old_site`]), or here.
    /// `Ok(Some(_))` when the new site is live but the old one could not be removed here
    /// (the next build tries again).
    pub fn commit(mut self, remover: Option<&Path>) -> FsResult<Option<Leftover>> {
        let old = {
            let _held = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
            stop_if_interrupted(&self.target)?;
            let old = swap_in(&self.dir, &self.target)?;
            self.committed = true;
            old
        };
        set_active(None);
        Ok(old.and_then(|old| super::old_site::remove(&old, &self.lock, remover)))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
            set_active(None);
        }
    }
}

/// Moves `staging` to `target`; returns where the old output went, if there was one.
fn swap_in(staging: &Path, target: &Path) -> FsResult<Option<PathBuf>> {
    if !target.exists() {
        return fsutil::rename(staging, target).map(|()| None);
    }
    match exchange(staging, target) {
        Ok(()) => return Ok(Some(staging.to_path_buf())),
        Err(err) if !exchange_unsupported(&err) => {
            return Err(FsError {
                action: "cannot swap in the new output at",
                path: target.to_path_buf(),
                source: err,
            });
        }
        Err(_) => {}
    }
    let old = parent_of(target).join(format!(".{}{OLD_MARK}{}", stem(target), std::process::id()));
    fsutil::rename(target, &old)?;
    if let Err(err) = fsutil::rename(staging, target) {
        let _ = std::fs::rename(&old, target);
        return Err(err);
    }
    Ok(Some(old))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(ErrorKind::Unsupported))
}

/// The kernel or the file system has no atomic exchange: use two renames.
fn exchange_unsupported(err: &std::io::Error) -> bool {
    matches!(err.kind(), ErrorKind::Unsupported | ErrorKind::InvalidInput)
        || err.raw_os_error() == Some(38) // ENOSYS
}

/// The output folder to replace: `target` itself, or the folder a symlink `target`
/// points at (a deploy link keeps pointing at the updated site). A file, or a link to
/// one or to nothing, is refused.
fn resolve_target(target: &Path) -> FsResult<PathBuf> {
    let refuse = |why: &str| FsError {
        action: "refusing to replace",
        path: target.to_path_buf(),
        source: std::io::Error::other(format!("{why}; choose another --output")),
    };
    let Ok(meta) = std::fs::symlink_metadata(target) else {
        return Ok(target.to_path_buf());
    };
    if meta.is_dir() {
        return Ok(target.to_path_buf());
    }
    if !meta.file_type().is_symlink() {
        return Err(refuse("it is a file, not a folder"));
    }
    match std::fs::metadata(target) {
        Ok(followed) if followed.is_dir() => fsutil::canonicalize(target),
        Ok(_) => Err(refuse("it is a symlink to a file, not to a folder")),
        Err(_) => Err(refuse("it is a symlink to nothing")),
    }
}

/// Takes `.NAME.folio-lock` beside the output, waiting (and saying so) while another
/// build holds it; the holder's process id is written in it.
fn lock_output(parent: &Path, name: &str) -> FsResult<File> {
    let path = parent.join(format!(".{name}.folio-lock"));
    let wrap = |source| FsError {
        action: "cannot lock",
        path: path.clone(),
        source,
    };
    let mut file = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(wrap)?;
    if file.try_lock().is_err() {
        let holder = std::fs::read_to_string(&path).unwrap_or_default();
        eprintln!(
            "waiting for another build of this output (process {}) to finish...",
            holder.trim()
        );
        file.lock().map_err(wrap)?;
    }
    file.set_len(0).map_err(wrap)?;
    write!(file, "{}", std::process::id()).map_err(wrap)?;
    Ok(file)
}

/// Under the lock, nothing else uses `.NAME.folio-*` folders: a staging folder is a
/// killed build's (or, after an exchange, the previous site) and goes; an old output is
/// put back when the output is missing (a kill between the fallback's renames), else goes;
/// a half-written build cache (`.NAME.folio-cache-XXXXXX`) goes.
fn recover_or_remove_stale(parent: &Path, name: &str, target: &Path) -> FsResult<()> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let (staging, old, cache) = (
        format!(".{name}{STAGING_MARK}"),
        format!(".{name}{OLD_MARK}"),
        format!(".{name}.folio-cache-"),
    );
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().to_string();
        if file_name.starts_with(&old) && !target.exists() {
            fsutil::rename(&entry.path(), target)?;
        } else if file_name.starts_with(&staging) || file_name.starts_with(&old) {
            let _ = remove_tree(&entry.path());
        } else if file_name.starts_with(&cache) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// Removes a folder tree: one walk (each folder listed once, after its contents), its
/// files deleted in parallel (a large site has thousands), then its folders, deepest
/// first. What could not go is reported by a last `remove_dir_all` of `dir`.
pub(super) fn remove_tree(dir: &Path) -> FsResult<()> {
    let (folders, files): (Vec<_>, Vec<_>) = WalkDir::new(dir)
        .contents_first(true)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .partition(|e| e.file_type().is_dir());
    files.par_iter().for_each(|file| {
        let _ = std::fs::remove_file(file.path());
    });
    for folder in &folders {
        let _ = std::fs::remove_dir(folder.path());
    }
    fsutil::remove_dir_all(dir)
}

/// What SIGINT and SIGTERM do during a build: end it at once while it has no staging
/// folder (nothing is written yet, or the new site is already live); else stop the
/// writing, whose error path removes the staging folder, and remove it here if the build
/// has not ended within two seconds.
pub fn interrupt() -> ! {
    let active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let Some(dir) = active else {
        std::process::exit(130);
    };
    INTERRUPTED.store(true, Ordering::SeqCst);
    std::thread::sleep(Duration::from_secs(2));
    let _ = std::fs::remove_dir_all(dir);
    std::process::exit(130);
}

/// Whether a signal stopped the build.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

fn stop_if_interrupted(path: &Path) -> FsResult<()> {
    match interrupted() {
        false => Ok(()),
        true => Err(FsError {
            action: "stopped by a signal before writing",
            path: path.to_path_buf(),
            source: std::io::Error::from(ErrorKind::Interrupted),
        }),
    }
}

fn set_active(dir: Option<PathBuf>) {
    *ACTIVE.lock().unwrap_or_else(|e| e.into_inner()) = dir;
}

fn parent_of(target: &Path) -> PathBuf {
    target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

fn stem(target: &Path) -> String {
    target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(bytes: &str) -> OutputFile {
        OutputFile::Bytes {
            path: "a/index.html".into(),
            bytes: bytes.as_bytes().to_vec(),
        }
    }

    #[test]
    fn commit_replaces_the_old_output_and_drop_cleans_up() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let target = tmp.path().join("public");
        std::fs::create_dir_all(&target).expect("mkdir");
        std::fs::write(target.join("old.html"), "old").expect("write");

        let abandoned =
            Staging::create(OutputDir::claim(&target).expect("claim")).expect("staging");
        let abandoned_dir = abandoned.dir().to_path_buf();
        drop(abandoned);
        assert!(!abandoned_dir.exists());

        let staging = Staging::create(OutputDir::claim(&target).expect("claim")).expect("staging");
        staging.write_all(&[page("new")]).expect("write");
        assert!(staging.commit(None).expect("commit").is_none());
        assert!(!target.join("old.html").exists());
        let read = std::fs::read_to_string(target.join("a/index.html")).expect("read");
        assert_eq!(read, "new");
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(
            names.contains(&".public.folio-lock".to_string()),
            "{names:?}"
        );
    }

    #[test]
    fn an_old_output_left_between_two_renames_is_put_back() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let target = tmp.path().join("public");
        let old = tmp.path().join(".public.folio-old-99999");
        std::fs::create_dir_all(&old).expect("mkdir");
        std::fs::write(old.join("kept.html"), "old").expect("write");
        let staging = Staging::create(OutputDir::claim(&target).expect("claim")).expect("staging");
        assert!(target.join("kept.html").exists());
        assert!(!old.exists());
        drop(staging);
    }

    #[test]
    #[cfg(unix)]
    fn a_file_or_a_link_to_nothing_is_refused_and_a_link_to_a_folder_followed() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let file = tmp.path().join("file");
        std::fs::write(&file, "x").expect("write");
        let err = OutputDir::claim(&file).expect_err("a file");
        assert!(
            err.to_string().contains("it is a file, not a folder"),
            "{err}"
        );
        let dangling = tmp.path().join("dangling");
        std::os::unix::fs::symlink(tmp.path().join("nowhere"), &dangling).expect("link");
        let err = OutputDir::claim(&dangling).expect_err("dangling");
        assert!(err.to_string().contains("a symlink to nothing"), "{err}");

        let real = tmp.path().join("releases/v2");
        std::fs::create_dir_all(&real).expect("mkdir");
        let link = tmp.path().join("live");
        std::os::unix::fs::symlink(&real, &link).expect("link");
        let staging = Staging::create(OutputDir::claim(&link).expect("claim")).expect("staging");
        staging.write_all(&[page("new")]).expect("write");
        staging.commit(None).expect("commit");
        assert!(std::fs::symlink_metadata(&link).expect("meta").is_symlink());
        assert!(real.join("a/index.html").exists());
    }
}
