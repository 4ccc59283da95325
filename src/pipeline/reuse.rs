//! Skipping the pages an edit did not touch. A streamed build keeps, beside its output, a
//! hash of everything each page was made from and what check reads of the page; the
//! next build of that output hard-links the old file of every page whose inputs hash the
//! same into its staging folder, and renders only the others. The swap stays atomic,
//! and the site is byte for byte what a build without the cache makes.
//!
//! A page's inputs are its own file and meta facts, the files it includes, and the
//! site's: folio itself, the settings, the dataset, the templates, the content's data
//! files (`load_data`, Mustache models) and every page's path, URL, title and front
//! matter (navigation shows them all), so editing a title renders every page again and
//! editing a body renders one.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::{BuildOptions, LoadedSite};
use crate::load::Page;
use crate::load::url::{NOT_FOUND_URL, output_path};
use crate::markdown::RenderedMarkdown;
use crate::markdown::highlight::UnknownLanguage;
use crate::markdown::include::Expanded;
use crate::markdown::links::SourceLink;
use crate::output::{CopyStamp, FileStamp, Staging};
use crate::render::page_meta::PageMeta;

/// Changed whenever what the cache file holds changes shape.
const FORMAT: u32 = 1;

/// Extensions of the content files templates and Mustache pages read as data.
const DATA_EXTENSIONS: [&str; 5] = ["yaml", "yml", "json", "toml", "csv"];

/// XXH3's 128 bits: a change detector, not a defence (whoever can change a page's inputs
/// can change the page anyway).
type Hash = u128;

/// What a page was made from, and its file in the output.
#[derive(Debug, Clone)]
pub(crate) struct PageRecord {
    key: Hash,
    /// Shown paths of the files it includes (their bytes are in `key`).
    includes: Vec<PathBuf>,
    output: FileStamp,
}

/// The records of one streamed build, saved beside its output before the swap.
#[derive(Debug)]
pub struct BuildRecords {
    /// How many pages this build took from the previous site unchanged.
    pub reused: usize,
    site: Hash,
    pages: Vec<Option<PageRecord>>,
    file: PathBuf,
}

/// The cache file: one entry per page that can be taken as it is next time, and the
/// stamps of every copied file (a copy depends on its source alone).
#[derive(Serialize, Deserialize)]
struct CacheFile<'a> {
    format: u32,
    site: Hash,
    pages: Vec<CachedPage<'a>>,
    copies: Cow<'a, [(String, CopyStamp)]>,
}

/// One page's entry: the hash of its inputs, the stamp of its output file, and what check
/// reads of it (borrowed from the build when saved, owned when read back).
#[derive(Serialize, Deserialize)]
struct CachedPage<'a> {
    output_path: Cow<'a, str>,
    key: Hash,
    includes: Cow<'a, [PathBuf]>,
    output: FileStamp,
    links: Cow<'a, [SourceLink]>,
    ids: Cow<'a, HashSet<String>>,
    unknown_languages: Cow<'a, [UnknownLanguage]>,
    included: Option<Cow<'a, Expanded>>,
}

/// How a build tells whether a page may be taken from the previous site, and what it
/// records of each page for the next one.
#[derive(Debug)]
pub(crate) struct PageReuse<'a> {
    root: &'a Path,
    site: Hash,
    file: PathBuf,
}

/// A previous entry, taken out for the page whose output path it has.
#[derive(Debug)]
pub(crate) struct Previous(CachedPage<'static>);

impl std::fmt::Debug for CachedPage<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedPage")
            .field("output_path", &self.output_path)
            .finish_non_exhaustive()
    }
}

impl<'a> PageReuse<'a> {
    /// The reuse for a build of `loaded` into `staging`, and the previous entry of each
    /// page (none when the cache is missing, unreadable, or of other site inputs).
    pub(crate) fn new(
        loaded: &LoadedSite,
        options: &'a BuildOptions,
        staging: &Staging,
    ) -> (PageReuse<'a>, Vec<Option<Previous>>) {
        let site = site_key(loaded, options);
        let file = staging.cache_file();
        let (mut previous, copies) = read_cache(&file, &site);
        staging.set_previous_copies(copies);
        let pages = &loaded.sources.pages;
        let entries = pages
            .iter()
            .map(|page| previous.remove(&output_path(&page.url)).map(Previous))
            .collect();
        let reuse = PageReuse {
            root: &options.root,
            site,
            file,
        };
        (reuse, entries)
    }

    /// The page's markdown as check reads it, when its inputs are those of `previous`
    /// and its old file is now linked into `staging`; its record for the next build.
    pub(crate) fn take(
        &self,
        page: &Page,
        meta: &PageMeta,
        previous: Previous,
        staging: &Staging,
    ) -> Option<(RenderedMarkdown, PageRecord)> {
        let entry = previous.0;
        let key = self.page_key(page, meta, &entry.includes)?;
        let linked = key == entry.key && staging.link_previous(&entry.output_path, &entry.output);
        if !linked {
            return None;
        }
        let record = PageRecord {
            key,
            includes: entry.includes.into_owned(),
            output: entry.output,
        };
        let markdown = RenderedMarkdown {
            html: String::new(),
            toc: Vec::new(),
            links: entry.links.into_owned(),
            ids: entry.ids.into_owned(),
            leading_h1_end: None,
            unknown_languages: entry.unknown_languages.into_owned(),
            included: entry.included.map(Cow::into_owned),
        };
        Some((markdown, record))
    }

    /// The record of a page rendered without a problem and written as the file `output`
    /// describes. The site's 404 page is rendered again by every build, so it has none.
    pub(crate) fn record(
        &self,
        page: &Page,
        meta: &PageMeta,
        markdown: &RenderedMarkdown,
        output: FileStamp,
    ) -> Option<PageRecord> {
        if page.url == NOT_FOUND_URL {
            return None;
        }
        let includes: Vec<PathBuf> = match &markdown.included {
            Some(expanded) => expanded.files.iter().skip(1).cloned().collect(),
            None => Vec::new(),
        };
        Some(PageRecord {
            key: self.page_key(page, meta, &includes)?,
            output,
            includes,
        })
    }

    /// The records to save beside the output before the swap.
    pub(crate) fn records(self, pages: Vec<Option<PageRecord>>, reused: usize) -> BuildRecords {
        BuildRecords {
            reused,
            site: self.site,
            pages,
            file: self.file,
        }
    }

    /// The hash of a page's inputs; `None` when an included file cannot be read.
    fn page_key(&self, page: &Page, meta: &PageMeta, includes: &[PathBuf]) -> Option<Hash> {
        let mut hasher = Xxh3::new();
        hasher.update(&self.site.to_le_bytes());
        hasher.update(&page.text_hash().to_le_bytes());
        hash_str(&mut hasher, &format!("{meta:?}"));
        for include in includes {
            hash_str(&mut hasher, &include.to_string_lossy());
            hash_bytes(&mut hasher, &std::fs::read(self.root.join(include)).ok()?);
        }
        Some(hasher.digest128())
    }
}

impl BuildRecords {
    /// Writes the cache file beside the output (through a temporary file, so a reader
    /// never sees half of it). `pages` and `markdown` are the build's, in order, and
    /// `copies` the files it copied.
    pub fn save(
        &self,
        pages: &[Page],
        markdown: &[Option<RenderedMarkdown>],
        copies: &[(String, CopyStamp)],
    ) -> std::io::Result<()> {
        let entries = pages.iter().zip(markdown).zip(&self.pages);
        let cached = entries.filter_map(|((page, markdown), record)| {
            let (markdown, record) = (markdown.as_ref()?, record.as_ref()?);
            Some(CachedPage {
                output_path: Cow::Owned(output_path(&page.url)),
                key: record.key,
                includes: Cow::Borrowed(&record.includes),
                output: record.output,
                links: Cow::Borrowed(&markdown.links),
                ids: Cow::Borrowed(&markdown.ids),
                unknown_languages: Cow::Borrowed(&markdown.unknown_languages),
                included: markdown.included.as_ref().map(Cow::Borrowed),
            })
        });
        let file = CacheFile {
            format: FORMAT,
            site: self.site,
            pages: cached.collect(),
            copies: Cow::Borrowed(copies),
        };
        let bytes = postcard::to_stdvec(&file).map_err(std::io::Error::other)?;
        let folder = self.file.parent().unwrap_or(Path::new("."));
        // `.NAME.folio-cache-XXXXXX`: a build killed before the rename leaves it, and the
        // next build of the output removes it.
        let name = self.file.file_name().unwrap_or_default().to_string_lossy();
        let prefix = format!("{name}-");
        let mut temporary = tempfile::Builder::new()
            .prefix(&prefix)
            .tempfile_in(folder)?;
        std::io::Write::write_all(&mut temporary, &bytes)?;
        temporary.persist(&self.file).map_err(|e| e.error)?;
        Ok(())
    }
}

/// The previous page entries by output path (when the cache file was made from the same
/// site inputs) and copies by output path, when the cache file is readable.
fn read_cache(file: &Path, site: &Hash) -> (HashMap<String, CachedPage<'static>>, CopyStamps) {
    let Ok(bytes) = std::fs::read(file) else {
        return Default::default();
    };
    // Serde reads a `Cow` as owned, so the entries outlive `bytes`.
    let cache = match postcard::from_bytes::<CacheFile<'static>>(&bytes) {
        Ok(cache) if cache.format == FORMAT => cache,
        _ => return Default::default(),
    };
    let copies = cache.copies.into_owned().into_iter().collect();
    if cache.site != *site {
        return (HashMap::new(), copies);
    }
    let pages = cache.pages.into_iter();
    let pages = pages
        .map(|page| (page.output_path.to_string(), page))
        .collect();
    (pages, copies)
}

type CopyStamps = HashMap<String, CopyStamp>;

/// The hash of what every page shares: folio, the settings, the dataset, the templates,
/// the content's data files, and the path, URL, title and front matter of every page.
fn site_key(loaded: &LoadedSite, options: &BuildOptions) -> Hash {
    let mut hasher = Xxh3::new();
    hasher.update(&FORMAT.to_le_bytes());
    hash_str(&mut hasher, env!("CARGO_PKG_VERSION"));
    hash_str(&mut hasher, &folio_itself());
    let settings = format!(
        "{:?} {:?} {} {:?} {}",
        options.config,
        options.env,
        options.as_of,
        options.content,
        options.highlighter.is_some()
    );
    hash_str(&mut hasher, &settings);
    let dataset = std::fs::read(options.root.join(&options.config.dataset)).unwrap_or_default();
    hash_bytes(&mut hasher, &dataset);
    for template in loaded.renderer.site_templates() {
        hash_str(&mut hasher, &template.name);
        hash_str(&mut hasher, &template.source);
    }
    for page in &loaded.sources.pages {
        hash_str(&mut hasher, &page.rel_path);
        hash_str(&mut hasher, &page.url);
        hash_str(&mut hasher, &page.title);
        hash_str(&mut hasher, &page.text[..page.body_start]);
    }
    for asset in &loaded.sources.assets {
        hash_str(&mut hasher, &asset.rel_path);
        if is_data_file(&asset.rel_path) {
            hash_bytes(
                &mut hasher,
                &std::fs::read(&asset.abs_path).unwrap_or_default(),
            );
        }
    }
    hasher.digest128()
}

/// The running binary's size and modification time: another folio may render otherwise.
fn folio_itself() -> String {
    let meta = std::env::current_exe().and_then(std::fs::metadata);
    match meta {
        Ok(meta) => format!("{} {:?}", meta.len(), meta.modified().ok()),
        Err(_) => String::new(),
    }
}

fn is_data_file(rel_path: &str) -> bool {
    let extension = rel_path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase());
    extension.is_some_and(|e| DATA_EXTENSIONS.contains(&e.as_str()))
}

/// Length-prefixed, so that two fields never run into each other.
fn hash_str(hasher: &mut Xxh3, text: &str) {
    hash_bytes(hasher, text.as_bytes());
}

fn hash_bytes(hasher: &mut Xxh3, bytes: &[u8]) {
    hasher.update(&(bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}
