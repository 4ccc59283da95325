//! The output stage: writes the built site into a staging folder beside the output
//! folder and swaps it in only when everything succeeded, so a failed or killed build
//! never leaves a half-written site where the old one was.

pub mod calendar;
pub mod old_site;
pub mod redirects;
pub mod sitemap;
mod staging;

use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;
use crate::load::ContentDir;

pub use staging::{CopyStamp, FileStamp, Leftover, OutputDir, Staging, interrupt, interrupted};

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

/// The files of `static/`, copied to the output root. Links in it are followed while they
/// stay inside the site root, as in `content/`; others are errors.
pub fn static_files(site_root: &Path, diags: &mut Diagnostics) -> Vec<OutputFile> {
    let folder = ContentDir::source_folder(site_root, "static");
    if !folder.path.is_dir() {
        return Vec::new();
    }
    let files = crate::load::walk::walk_content(site_root, &folder, diags);
    files
        .into_iter()
        .map(|file| OutputFile::Copy {
            path: file.rel_path,
            from: file.abs_path,
        })
        .collect()
}
