//! Loading: walks `content/`, reads every page and its front matter, and sorts the other
//! files into assets and include fragments. Hands a [`Sources`] to the markdown stage.

pub mod aliases;
pub mod content_dir;
pub mod data_file;
pub mod front_matter;
pub mod git_links;
pub mod lastmod;
pub mod page;
pub mod url;
pub mod walk;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use crate::config::Environment;
use crate::diag::{Diagnostic, Diagnostics};
pub use content_dir::ContentDir;
pub use page::Page;
pub use walk::{SourceFile, SourceKind};

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Sources {
    /// Pages sorted by source path.
    pub pages: Vec<Page>,
    /// Files copied as they are, sorted by path.
    pub assets: Vec<SourceFile>,
    /// Every file by its content-relative path, for includes.
    pub files: HashMap<String, PathBuf>,
}

/// Walks and reads the content folder, leaving out what `env` excludes; with
/// `drop_bodies`, each page keeps only its front matter (see [`Page::with_body`]).
pub fn load_sources(
    site_root: &Path,
    content: &ContentDir,
    env: &Environment,
    drop_bodies: bool,
    diags: &mut Diagnostics,
) -> Sources {
    let excluded = exclusion_set(&env.exclude, diags);
    let files: Vec<SourceFile> = walk::walk_content(site_root, content, diags)
        .into_iter()
        .filter(|f| !excluded.is_match(&f.rel_path))
        .collect();
    let by_path = files
        .iter()
        .map(|f| (f.rel_path.clone(), f.abs_path.clone()))
        .collect();
    let (pages, rest): (Vec<_>, Vec<_>) =
        files.into_iter().partition(|f| f.kind == SourceKind::Page);
    let assets = rest
        .into_iter()
        .filter(|f| f.kind == SourceKind::Asset)
        .collect();
    let pages = read_pages(content, &pages, drop_bodies, diags)
        .into_iter()
        .filter(|p| env.takes_drafts() || !p.front.draft)
        .collect();
    let pages = without_duplicate_urls(pages, diags);
    Sources {
        pages,
        assets,
        files: by_path,
    }
}

fn read_pages(
    content: &ContentDir,
    files: &[SourceFile],
    drop_bodies: bool,
    diags: &mut Diagnostics,
) -> Vec<Page> {
    let loaded: Vec<(Option<Page>, Diagnostics)> = files
        .par_iter()
        .map(|file| {
            let mut local = Diagnostics::default();
            let shown = content.shown(&file.rel_path);
            let mut page = read_page(&file.rel_path, &file.abs_path, shown, &mut local);
            if drop_bodies {
                page.iter_mut().for_each(|p| p.drop_body(&file.abs_path));
            }
            (page, local)
        })
        .collect();
    let mut pages = Vec::with_capacity(loaded.len());
    for (page, local) in loaded {
        diags.extend(local);
        pages.extend(page);
    }
    pages
}

/// Reads one page, named `shown` in messages; `None` when it cannot be used (the reason
/// is in `diags`).
pub fn read_page(
    rel_path: &str,
    abs_path: &Path,
    shown: PathBuf,
    diags: &mut Diagnostics,
) -> Option<Page> {
    match crate::fsutil::read(abs_path) {
        Ok(bytes) => page::load_page(rel_path, shown, &bytes, diags),
        Err(err) => {
            diags.push(Diagnostic::error("io", err.to_string()).in_file(shown));
            None
        }
    }
}

/// Two sources for one URL (`a.md` and `a/index.md`) is an error; the first one wins.
fn without_duplicate_urls(pages: Vec<Page>, diags: &mut Diagnostics) -> Vec<Page> {
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut kept = Vec::with_capacity(pages.len());
    for page in pages {
        if let Some(first) = seen.get(&page.url) {
            diags.push(
                Diagnostic::error(
                    "duplicate-url",
                    format!(
                        "`{}` and `{}` both become the page `{}`",
                        first.display(),
                        page.file.display(),
                        page.url
                    ),
                )
                .in_file(&page.file)
                .with_help("rename or remove one of them"),
            );
            continue;
        }
        seen.insert(page.url.clone(), page.file.clone());
        kept.push(page);
    }
    kept
}

/// Exclude patterns match a path or anything below it (`drafts` and `drafts/**`).
fn exclusion_set(patterns: &[String], diags: &mut Diagnostics) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let trimmed = pattern.trim_matches('/');
        for candidate in [trimmed.to_string(), format!("{trimmed}/**")] {
            match Glob::new(&candidate) {
                Ok(glob) => {
                    builder.add(glob);
                }
                Err(err) => diags.push(
                    Diagnostic::error("config", format!("bad exclude pattern `{pattern}`: {err}"))
                        .in_file("folio.yaml"),
                ),
            }
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}
