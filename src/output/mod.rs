//! The output stage: writes the built site into a staging folder beside the output
//! folder and swaps it in only when everything succeeded, so a failed or killed build
//! never leaves a half-written site where the old one was.

pub mod calendar;
pub mod redirects;
pub mod sitemap;
mod staging;

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::fsutil::FsError;

pub use staging::{Leftover, OutputDir, Staging, interrupt, interrupted};

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
