//! The build pipeline from a site folder to the files of the built site, in memory:
//! load -> markdown -> navigation -> templates. `build` writes the result; `check` and
//! `serve` reuse it.

mod layouts;
pub(crate) mod lazy;
mod pages;
mod reuse;
mod site_meta;

pub(crate) use layouts::resolve_layouts;
pub(crate) use pages::{PageStage, RenderedPages};
pub use reuse::BuildRecords;
use reuse::PageReuse;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Environment, SiteConfig};
use crate::dataset::{self, Dataset, Scope};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{self, ContentDir, Page, Sources};
use crate::markdown::highlight::{self, CodeHighlighter};
use crate::markdown::{MarkdownStage, RenderedMarkdown};
use crate::nav::NavTree;
use crate::output::{OutputFile, Staging, calendar};
use crate::render::banner::SupportBanners;
use crate::render::context::{PageVersion, SiteContext};
use crate::render::latest::latest_aliases;
use crate::render::page_meta::PageMeta;
use crate::render::switcher::{self, VersionSwitcher};
use crate::render::{FactSource, Renderer, templates};

/// Resolved inputs of one build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Canonical site root.
    pub root: PathBuf,
    /// Where the pages are: `content/`, or the root of a bare folder of markdown.
    pub content: ContentDir,
    pub config: SiteConfig,
    pub env: Environment,
    /// The date support status is computed for.
    pub as_of: jiff::civil::Date,
    /// Colours fenced code (`None` with `highlight: false`); kept by `serve` across
    /// rebuilds for its cache.
    pub highlighter: Option<Arc<CodeHighlighter>>,
    /// Whether each page's body is read again when the page is rendered rather than
    /// kept from the load on: a build that streams its pages and runs no claims audit
    /// then holds the bodies of the pages in flight only.
    pub drop_page_bodies: bool,
}

/// The built site, not yet written.
#[derive(Debug, Default)]
pub struct BuiltSite {
    pub files: Vec<OutputFile>,
    /// How many of `files` are pages, and how many other files.
    pub page_count: usize,
    pub asset_count: usize,
    /// The pages and their rendered markdown (`None` where it failed), for `check`.
    pub pages: Vec<Page>,
    pub markdown: Vec<Option<RenderedMarkdown>>,
    /// The versions dataset, when the site has one and it is valid.
    pub dataset: Option<Arc<Dataset>>,
    /// The date support status was computed for (`None` only for a default value).
    pub as_of: Option<jiff::civil::Date>,
    pub diags: Diagnostics,
    /// What each streamed page was made from, for the next build of the same output.
    pub records: Option<BuildRecords>,
}

/// The pipeline's state before pages go through their templates. `build_site` renders it
/// once; `serve` keeps it between rebuilds and re-renders only what an edit touches.
#[derive(Debug)]
pub struct LoadedSite {
    pub sources: Sources,
    pub renderer: Renderer,
    pub base_path: String,
    pub markdown: Vec<Option<RenderedMarkdown>>,
    pub nav: NavTree,
    pub site: SiteContext,
    /// Each page's template (`None` where it has none).
    pub layouts: Vec<Option<String>>,
    pub dataset: Option<Arc<Dataset>>,
    /// Each page's product and line, when the dataset maps it.
    pub versions: Vec<Option<(Scope, PageVersion)>>,
    pub banners: Option<SupportBanners>,
    pub switcher: Option<VersionSwitcher>,
    /// Each page's canonical URL, `noindex`, edit link and last-change date.
    pub meta: Vec<PageMeta>,
}

/// What a build reports as it goes, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The pages are loaded: this many go through their templates.
    Pages(usize),
    /// One more page went through its template.
    Rendered,
}

/// Runs the whole pipeline, telling `on_progress` how far it is.
pub fn build_site(options: &BuildOptions, on_progress: &(dyn Fn(Progress) + Sync)) -> BuiltSite {
    build_site_into(options, on_progress, None)
}

/// Runs the whole pipeline; with `staging`, each page is written into it as soon as it is
/// rendered and `files` keeps only the other files (the staging folder is only swapped
/// in when the build has no errors, so a failed build still changes nothing).
pub fn build_site_into(
    options: &BuildOptions,
    on_progress: &(dyn Fn(Progress) + Sync),
    staging: Option<&Staging>,
) -> BuiltSite {
    let mut diags = Diagnostics::default();
    let mut loaded = load_site_before_markdown(options, &mut diags);
    on_progress(Progress::Pages(loaded.sources.pages.len()));
    let on_page = || on_progress(Progress::Rendered);
    let (pages, records) = match staging {
        Some(staging) => stream_pages(&mut loaded, options, &on_page, staging, &mut diags),
        None => {
            loaded.markdown = all_markdown(&loaded, options, &mut diags);
            (all_pages(&loaded, &on_page, &mut diags), None)
        }
    };
    let site_files = site_files(&loaded, options, pages, &mut diags);
    BuiltSite {
        files: site_files.files,
        page_count: site_files.page_count,
        asset_count: site_files.asset_count,
        pages: loaded.sources.pages,
        markdown: loaded.markdown,
        dataset: loaded.dataset,
        as_of: Some(options.as_of),
        diags,
        records,
    }
}

/// One pass a page, in parallel: its markdown, its template, its file written into
/// `staging` (or the previous site's file linked there, when nothing it is made from
/// changed). Each page's HTML is dropped once written; its links and ids stay in
/// `loaded.markdown` for `check`. The records are for the next build.
fn stream_pages(
    loaded: &mut LoadedSite,
    options: &BuildOptions,
    on_page: &(dyn Fn() + Sync),
    staging: &Staging,
    diags: &mut Diagnostics,
) -> (RenderedPages, Option<BuildRecords>) {
    let markdown = markdown_stage(loaded, options);
    let markdown_of = |page: &Page, diags: &mut Diagnostics| {
        render_one_markdown(&markdown, &loaded.renderer, page, diags)
    };
    let (reuse, previous) = PageReuse::new(loaded, options, staging);
    let stage = loaded.page_stage();
    let layouts = &loaded.layouts;
    let streamed = stage.stream_pages(
        &markdown_of,
        layouts,
        on_page,
        (&reuse, previous),
        staging,
        diags,
    );
    diags.extend(unknown_languages(&streamed.markdown));
    loaded.markdown = streamed.markdown;
    let records = reuse.records(streamed.records, streamed.reused);
    (streamed.pages, Some(records))
}

/// Loads every source and the dataset, and renders every page's markdown.
pub(crate) fn load_site(options: &BuildOptions, diags: &mut Diagnostics) -> LoadedSite {
    let mut loaded = load_site_before_markdown(options, diags);
    loaded.markdown = all_markdown(&loaded, options, diags);
    loaded
}

/// Every page's markdown.
fn all_markdown(
    loaded: &LoadedSite,
    options: &BuildOptions,
    diags: &mut Diagnostics,
) -> Vec<Option<RenderedMarkdown>> {
    let all: Vec<usize> = (0..loaded.sources.pages.len()).collect();
    lazy::markdown_of(loaded, options, &all, diags)
}

/// Loads every source and the dataset, and makes what the templates need besides the
/// pages' markdown (`None` for every page).
pub(super) fn load_site_before_markdown(
    options: &BuildOptions,
    diags: &mut Diagnostics,
) -> LoadedSite {
    let commits = site_meta::start_commit_dates(options);
    let (root, content) = (&options.root, &options.content);
    let drop_bodies = options.drop_page_bodies;
    let sources = load::load_sources(root, content, &options.env, drop_bodies, diags);
    let dataset_load = load_dataset(options, diags);
    let dataset = dataset_load.clone().ok().flatten();
    let base_path = options.config.base_path();
    let facts = FactSource {
        dataset: dataset.clone(),
        dataset_invalid: dataset_load.is_err(),
        as_of: options.as_of,
        base_path: base_path.clone(),
    };
    let renderer = Renderer::new(&options.root, &options.config, facts, diags);
    let versions = page_versions(dataset.as_deref(), &sources.pages, diags);
    let (mut nav, switcher) = navigation(
        &sources.pages,
        &base_path,
        dataset.as_ref(),
        options.as_of,
        &versions,
    );
    nav.prerender_entries(&|item, level| renderer.render_nav_entry(item, level));
    let site = SiteContext::new(&options.config, &base_path);
    let layouts = resolve_layouts(&sources.pages, &renderer, diags);
    let banners = dataset
        .clone()
        .map(|d| SupportBanners::new(d, options.as_of, &base_path, &sources.pages));
    let scopes = versions.iter().map(|v| v.as_ref().map(|v| v.0)).collect();
    let dataset_ref = dataset.as_deref();
    let meta = site_meta::page_meta(options, &sources, commits, &base_path, scopes, dataset_ref);
    LoadedSite {
        markdown: vec![None; sources.pages.len()],
        sources,
        renderer,
        base_path,
        nav,
        site,
        layouts,
        dataset,
        versions,
        banners,
        switcher,
        meta,
    }
}

/// Every file of the built site and how many of them are pages.
pub(crate) fn render_site(
    loaded: &LoadedSite,
    options: &BuildOptions,
    on_page: &(dyn Fn() + Sync),
    diags: &mut Diagnostics,
) -> (Vec<OutputFile>, usize) {
    let pages = all_pages(loaded, on_page, diags);
    let site_files = site_files(loaded, options, pages, diags);
    (site_files.files, site_files.page_count)
}

/// Every page through its template, kept in memory.
fn all_pages(
    loaded: &LoadedSite,
    on_page: &(dyn Fn() + Sync),
    diags: &mut Diagnostics,
) -> RenderedPages {
    let all: Vec<usize> = (0..loaded.sources.pages.len()).collect();
    let stage = loaded.page_stage();
    RenderedPages {
        kept: stage.render_pages(&all, &loaded.layouts, on_page, diags),
        written: Vec::new(),
    }
}

/// The files of the built site, less the pages already written into `staging`.
struct SiteFiles {
    files: Vec<OutputFile>,
    /// Pages, written or in `files` (which holds those first).
    page_count: usize,
    asset_count: usize,
}

/// The rendered `pages` and every other file of the site.
fn site_files(
    loaded: &LoadedSite,
    options: &BuildOptions,
    pages: RenderedPages,
    diags: &mut Diagnostics,
) -> SiteFiles {
    let stage = loaded.page_stage();
    let mut files = pages.kept;
    files.extend(stage.not_found_page(diags));
    let kept_pages = files.len();
    let page_count = kept_pages + pages.written.len();
    files.extend(crate::search::builtin_search_page(loaded, diags));
    files.extend(asset_files(&loaded.sources));
    let mut latest = Vec::new();
    if let Some(dataset) = loaded.dataset.as_deref() {
        files.push(versions_api(dataset, options.as_of));
        let base_url = &options.config.base_url;
        files.extend(calendar::calendar_files(dataset, options.as_of, base_url));
        let pages = &loaded.sources.pages;
        let aliases = latest_aliases(dataset, options.as_of, pages, &loaded.sources.assets);
        files.extend(aliases.copies);
        latest = aliases.redirects;
    }
    files.push(OutputFile::Bytes {
        path: "_folio/style.css".into(),
        bytes: templates::THEME_CSS.as_bytes().to_vec(),
    });
    files.push(OutputFile::Bytes {
        path: "_folio/theme.js".into(),
        bytes: templates::THEME_JS.as_bytes().to_vec(),
    });
    files.push(OutputFile::Bytes {
        path: "_folio/code.js".into(),
        bytes: include_bytes!("../render/theme/js/code.js").to_vec(),
    });
    if options.config.search {
        files.push(crate::search::script_file());
    }
    files.extend(crate::output::static_files(&options.root, diags));
    site_meta::add_site_meta_files(loaded, options, latest, &mut files, diags);
    let files = without_duplicate_paths(&pages.written, files, diags);
    let asset_count = files.len() + pages.written.len() - page_count;
    SiteFiles {
        files,
        page_count,
        asset_count,
    }
}

impl LoadedSite {
    pub(crate) fn page_stage(&self) -> PageStage<'_> {
        PageStage {
            pages: &self.sources.pages,
            markdown: &self.markdown,
            nav: &self.nav,
            site: &self.site,
            renderer: &self.renderer,
            versions: &self.versions,
            banners: self.banners.as_ref(),
            switcher: self.switcher.as_ref(),
            meta: &self.meta,
        }
    }

    /// Rebuilds the navigation and the version switcher after pages came or went.
    pub(crate) fn refresh_navigation(&mut self, as_of: jiff::civil::Date) {
        let pages = &self.sources.pages;
        let dataset = self.dataset.as_ref();
        (self.nav, self.switcher) =
            navigation(pages, &self.base_path, dataset, as_of, &self.versions);
        let renderer = &self.renderer;
        self.nav
            .prerender_entries(&|item, level| renderer.render_nav_entry(item, level));
    }
}

/// The navigation tree, with the support status of each release line's folder page, and
/// the version switcher: both follow the pages, so they are built (and rebuilt) together.
fn navigation(
    pages: &[Page],
    base_path: &str,
    dataset: Option<&Arc<Dataset>>,
    as_of: jiff::civil::Date,
    versions: &[Option<(Scope, PageVersion)>],
) -> (NavTree, Option<VersionSwitcher>) {
    let scope_of = |i: usize| versions.get(i)?.as_ref().map(|v| v.0);
    let mut nav = NavTree::build(pages, base_path, &scope_of);
    let Some(dataset) = dataset else {
        return (nav, None);
    };
    for (page, status) in switcher::line_page_statuses(dataset, as_of, pages) {
        nav.set_line_status(page, status);
    }
    let switcher = VersionSwitcher::new(Arc::clone(dataset), as_of, base_path, pages);
    (nav, Some(switcher))
}

/// The dataset named in folio.yaml (default `data/versions.yaml`, which may be absent).
fn load_dataset(
    options: &BuildOptions,
    diags: &mut Diagnostics,
) -> Result<Option<Arc<Dataset>>, dataset::Invalid> {
    let path = &options.config.dataset;
    let explicit = path != &SiteConfig::default().dataset;
    dataset::load(&options.root, path, explicit, diags).map(|d| d.map(Arc::new))
}

/// Each page's product and line, as the dataset maps its folder (or its front matter).
fn page_versions(
    dataset: Option<&Dataset>,
    pages: &[Page],
    diags: &mut Diagnostics,
) -> Vec<Option<(Scope, PageVersion)>> {
    let Some(dataset) = dataset else {
        return vec![None; pages.len()];
    };
    diags.extend(pages.iter().filter_map(|p| dataset.front_matter_problem(p)));
    pages
        .iter()
        .map(|page| {
            let scope = dataset.scope_of(page)?;
            let product = &dataset.products[scope.product];
            let version = PageVersion {
                product: product.id.clone(),
                line: scope.line.map(|l| product.lines[l].version.to_string()),
            };
            Some((scope, version))
        })
        .collect()
}

/// `api/versions.json`: the computed support matrix, for other tools.
fn versions_api(dataset: &Dataset, as_of: jiff::civil::Date) -> OutputFile {
    let matrix = dataset::matrix::matrix(dataset, as_of, None);
    let mut bytes = serde_json::to_vec_pretty(&matrix).unwrap_or_default();
    bytes.push(b'\n');
    OutputFile::Bytes {
        path: "api/versions.json".into(),
        bytes,
    }
}

/// Renders the markdown of the pages at `indices` (results in the same order).
pub(crate) fn render_markdown(
    content: &ContentDir,
    sources: &Sources,
    renderer: &Renderer,
    highlighter: Option<&CodeHighlighter>,
    base_path: &str,
    indices: &[usize],
    diags: &mut Diagnostics,
) -> Vec<Option<RenderedMarkdown>> {
    let stage = MarkdownStage::new(content, sources, renderer, highlighter, base_path);
    let results: Vec<(Option<RenderedMarkdown>, Diagnostics)> = indices
        .par_iter()
        .map(|&index| {
            let mut local = Diagnostics::default();
            let page = &sources.pages[index];
            (
                render_one_markdown(&stage, renderer, page, &mut local),
                local,
            )
        })
        .collect();
    let markdown: Vec<Option<RenderedMarkdown>> = results
        .into_iter()
        .map(|(md, local)| {
            diags.extend(local);
            md
        })
        .collect();
    diags.extend(unknown_languages(&markdown));
    markdown
}

fn markdown_stage<'a>(loaded: &'a LoadedSite, options: &'a BuildOptions) -> MarkdownStage<'a> {
    let highlighter = options.highlighter.as_deref();
    let (sources, renderer) = (&loaded.sources, &loaded.renderer);
    MarkdownStage::new(
        &options.content,
        sources,
        renderer,
        highlighter,
        &loaded.base_path,
    )
}

fn render_one_markdown(
    stage: &MarkdownStage,
    renderer: &Renderer,
    page: &Page,
    diags: &mut Diagnostics,
) -> Option<RenderedMarkdown> {
    let markdown = stage.render_page(page, diags);
    crate::search::with_search_ui(renderer, page, markdown, diags)
}

/// One warning for each fenced-code language with no grammar.
fn unknown_languages(markdown: &[Option<RenderedMarkdown>]) -> Vec<Diagnostic> {
    let unknown = markdown
        .iter()
        .flatten()
        .flat_map(|md| &md.unknown_languages);
    highlight::unknown_language_warnings(unknown)
}

fn asset_files(sources: &Sources) -> Vec<OutputFile> {
    let assets = sources.assets.iter();
    assets
        .map(|a| OutputFile::Copy {
            path: a.rel_path.clone(),
            from: a.abs_path.clone(),
        })
        .collect()
}

/// Two files for one output path (a page and a static file, say): the first wins, and
/// pages already `written` come first.
fn without_duplicate_paths(
    written: &[String],
    files: Vec<OutputFile>,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let mut seen = std::collections::HashSet::new();
    for path in written {
        if !seen.insert(path.clone()) {
            diags.push(duplicate_output(path));
        }
    }
    let mut kept = Vec::with_capacity(files.len());
    for file in files {
        if seen.insert(file.path().to_string()) {
            kept.push(file);
        } else {
            diags.push(duplicate_output(file.path()));
        }
    }
    kept
}

fn duplicate_output(path: &str) -> Diagnostic {
    Diagnostic::error("duplicate-output", format!("two sources write `{path}`"))
        .with_help("rename the file in static/ or content/ so each output path has one source")
}

/// Why `output` may not be replaced, if it may not: it is, holds or sits inside a folder
/// of the site's sources (the root itself may hold it, and a bare folder's content may
/// hold a folder its walk leaves out), or it holds folio.yaml or the dataset.
pub fn output_conflict(options: &BuildOptions, output: &Path) -> Option<String> {
    let output = output
        .canonicalize()
        .unwrap_or_else(|_| output.to_path_buf());
    let root = &options.root;
    if root.starts_with(&output) {
        return Some("it holds the site's sources".into());
    }
    let content = &options.content;
    if output.starts_with(&content.path) && !content.skips(&output) {
        return Some("it is inside the site's pages".into());
    }
    let dataset = root.join(&options.config.dataset);
    let files = [root.join(crate::config::CONFIG_FILE), dataset.clone()];
    if let Some(file) = files.iter().find(|f| f.starts_with(&output)) {
        return Some(format!("it holds `{}`", shown(root, file)));
    }
    let mut folders = ["templates", "static", "data"]
        .map(|f| root.join(f))
        .to_vec();
    // The dataset's folder is one of the site's (`data/`, or another inside the root); a
    // dataset from elsewhere (`--dataset`) only keeps the output from holding it.
    let dataset_folder = dataset
        .parent()
        .filter(|d| d.starts_with(root) && *d != root.as_path());
    folders.extend(dataset_folder.map(Path::to_path_buf));
    folders.push(content.path.clone());
    let clash = folders
        .iter()
        .find(|f| f.starts_with(&output) || (output.starts_with(f) && *f != &content.path))?;
    Some(format!(
        "it collides with `{}/`, a folder of the site's sources",
        shown(root, clash)
    ))
}

fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
