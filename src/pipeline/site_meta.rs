//! The pipeline's site-meta stage: each page's canonical URL, `noindex`, edit link and
//! last-change date before rendering; after rendering, the redirects (`latest` URLs and
//! front matter `aliases`) and the sitemap with `robots.txt`.

use crate::dataset::Dataset;
use crate::diag::Diagnostics;
use crate::load::{Sources, aliases, lastmod};
use crate::output::OutputFile;
use crate::output::redirects::{self, Redirect, SiteRoot};
use crate::output::sitemap;
use crate::pipeline::{BuildOptions, LoadedSite};
use crate::render::page_meta::{self, MetaInput, PageMeta};

/// The `git log` of the last-change dates, started before the pages are loaded.
pub(crate) fn start_commit_dates(options: &BuildOptions) -> lastmod::CommitDates {
    lastmod::CommitDates::start(&content_dir(options), options.config.lastmod)
}

/// The folder the last-change dates are read for.
fn content_dir(options: &BuildOptions) -> std::path::PathBuf {
    options.root.join("content")
}

/// Each page's meta facts, in the order of `sources.pages`.
pub(crate) fn page_meta(
    options: &BuildOptions,
    sources: &Sources,
    commits: lastmod::CommitDates,
    base_path: &str,
    scopes: Vec<Option<crate::dataset::Scope>>,
    dataset: Option<&Dataset>,
) -> Vec<PageMeta> {
    let content_dir = content_dir(options);
    let dates = lastmod::page_dates(&content_dir, &sources.pages, commits, options.as_of);
    page_meta::page_meta(&MetaInput {
        config: &options.config,
        base_path,
        pages: &sources.pages,
        scopes,
        dataset,
        as_of: options.as_of,
        dates,
    })
}

/// Adds the redirects of `latest` and of every page's aliases, then the sitemap and
/// `robots.txt`, to the site's `files`.
pub(crate) fn add_site_meta_files(
    loaded: &LoadedSite,
    options: &BuildOptions,
    latest: Vec<Redirect>,
    files: &mut Vec<OutputFile>,
    diags: &mut Diagnostics,
) {
    let root = SiteRoot {
        base_path: &loaded.base_path,
        origin: options.config.origin(),
    };
    let moved = aliases::page_aliases(&loaded.sources.pages, &latest, files, diags);
    let mut all = latest;
    all.extend(moved);
    redirects::redirect_files(&all, root, files, diags);
    sitemap::add_sitemap(&loaded.meta, root, files);
}
