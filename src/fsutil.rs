//! File system calls that always name the path they failed on.

use std::path::{Path, PathBuf};

/// An I/O failure and the path it happened on.
#[derive(Debug, thiserror::Error)]
#[error("{action} `{}`: {source}", path.display())]
pub struct FsError {
    pub action: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

pub type FsResult<T> = Result<T, FsError>;

fn wrap<T>(action: &'static str, path: &Path, result: std::io::Result<T>) -> FsResult<T> {
    result.map_err(|source| FsError {
        action,
        path: path.to_path_buf(),
        source,
    })
}

pub fn read_to_string(path: &Path) -> FsResult<String> {
    wrap("cannot read", path, std::fs::read_to_string(path))
}

pub fn read(path: &Path) -> FsResult<Vec<u8>> {
    wrap("cannot read", path, std::fs::read(path))
}

pub fn write(path: &Path, contents: impl AsRef<[u8]>) -> FsResult<()> {
    wrap("cannot write", path, std::fs::write(path, contents))
}

pub fn create_dir_all(path: &Path) -> FsResult<()> {
    wrap("cannot create folder", path, std::fs::create_dir_all(path))
}

pub fn copy(from: &Path, to: &Path) -> FsResult<()> {
    wrap("cannot copy", from, std::fs::copy(from, to)).map(|_| ())
}

pub fn rename(from: &Path, to: &Path) -> FsResult<()> {
    wrap("cannot rename", from, std::fs::rename(from, to))
}

pub fn remove_dir_all(path: &Path) -> FsResult<()> {
    wrap("cannot remove", path, std::fs::remove_dir_all(path))
}

pub fn canonicalize(path: &Path) -> FsResult<PathBuf> {
    wrap("cannot resolve", path, std::fs::canonicalize(path))
}
