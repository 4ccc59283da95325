//! The build pipeline from a site folder to the files of the built site, in memory:
//! load -> markdown -> navigation -> templates. `build` writes the result; `check` and
//! `serve` reuse it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Environment, SiteConfig};
use crate::dataset::{self, Dataset, Scope};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{self, Page, Sources};
use crate::markdown::include::IncludeResolver;
use crate::markdown::{MarkdownStage, RenderedMarkdown};
use crate::nav::NavTree;
use crate::output::OutputFile;
use crate::render::banner::SupportBanners;
use crate::render::context::{self, PageInput, PageVersion, SiteContext};
use crate::render::latest::latest_aliases;
use crate::render::{FactSource, Layout, Renderer, templates};

/// Resolved inputs of one build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Canonical site root.
    pub root: PathBuf,
    pub config: SiteConfig,
    pub env: Environment,
    /// The date support status is computed for.
    pub as_of: jiff::civil::Date,
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
    pub diags: Diagnostics,
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
}

/// Runs the whole pipeline. `on_page` is called once per rendered page (progress).
pub fn build_site(options: &BuildOptions, on_page: &(dyn Fn() + Sync)) -> BuiltSite {
    let mut diags = Diagnostics::default();
    let loaded = load_site(options, &mut diags);
    let (files, page_count) = render_site(&loaded, options, on_page, &mut diags);
    let asset_count = files.len() - page_count;
    BuiltSite {
        files,
        page_count,
        asset_count,
        pages: loaded.sources.pages,
        markdown: loaded.markdown,
        dataset: loaded.dataset,
        diags,
    }
}

/// Loads every source and the dataset, and renders every page's markdown.
pub(crate) fn load_site(options: &BuildOptions, diags: &mut Diagnostics) -> LoadedSite {
    let sources = load::load_sources(&options.root, &options.env, diags);
    let errors_before = diags.count(crate::diag::Severity::Error);
    let dataset = load_dataset(options, diags);
    let facts = FactSource {
        dataset: dataset.clone(),
        dataset_invalid: diags.count(crate::diag::Severity::Error) > errors_before,
        as_of: options.as_of,
    };
    let renderer = Renderer::new(&options.root, &options.config, facts, diags);
    let base_path = options.config.base_path();
    let all: Vec<usize> = (0..sources.pages.len()).collect();
    let markdown = render_markdown(&options.root, &sources, &renderer, &base_path, &all, diags);
    let nav = NavTree::build(&sources.pages, &base_path);
    let site = SiteContext::new(&options.config, &base_path);
    let layouts = resolve_layouts(&sources.pages, &renderer, diags);
    let versions = page_versions(dataset.as_deref(), &sources.pages);
    let banners = dataset
        .clone()
        .map(|d| SupportBanners::new(d, options.as_of, &base_path, &sources.pages));
    LoadedSite {
        sources,
        renderer,
        base_path,
        markdown,
        nav,
        site,
        layouts,
        dataset,
        versions,
        banners,
    }
}

/// Every file of the built site and how many of them are pages.
pub(crate) fn render_site(
    loaded: &LoadedSite,
    options: &BuildOptions,
    on_page: &(dyn Fn() + Sync),
    diags: &mut Diagnostics,
) -> (Vec<OutputFile>, usize) {
    let stage = loaded.page_stage();
    let all: Vec<usize> = (0..loaded.sources.pages.len()).collect();
    let mut files = stage.render_pages(&all, &loaded.layouts, on_page, diags);
    files.extend(stage.not_found_page(diags));
    let page_count = files.len();
    files.extend(asset_files(&loaded.sources));
    if let Some(dataset) = loaded.dataset.as_deref() {
        files.push(versions_api(dataset, options.as_of));
        files.extend(latest_aliases(
            dataset,
            options.as_of,
            &loaded.sources.pages,
            &loaded.sources.assets,
            &loaded.base_path,
        ));
    }
    files.push(OutputFile::Bytes {
        path: "_folio/style.css".into(),
        bytes: templates::THEME_CSS.as_bytes().to_vec(),
    });
    match crate::output::static_files(&options.root) {
        Ok(statics) => files.extend(statics),
        Err(err) => diags.push(Diagnostic::error("io", err.to_string())),
    }
    (without_duplicate_paths(files, diags), page_count)
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
        }
    }
}

/// The dataset named in folio.yaml (default `data/versions.yaml`, which may be absent).
fn load_dataset(options: &BuildOptions, diags: &mut Diagnostics) -> Option<Arc<Dataset>> {
    let path = &options.config.dataset;
    let explicit = path != &SiteConfig::default().dataset;
    dataset::load(&options.root, path, explicit, diags).map(Arc::new)
}

/// Each page's product and line, as the dataset maps its folder (or its front matter).
fn page_versions(dataset: Option<&Dataset>, pages: &[Page]) -> Vec<Option<(Scope, PageVersion)>> {
    let Some(dataset) = dataset else {
        return vec![None; pages.len()];
    };
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
    root: &Path,
    sources: &Sources,
    renderer: &Renderer,
    base_path: &str,
    indices: &[usize],
    diags: &mut Diagnostics,
) -> Vec<Option<RenderedMarkdown>> {
    let content_dir = root.join("content");
    let includes = IncludeResolver {
        content_dir: &content_dir,
        files: &sources.files,
    };
    let stage = MarkdownStage {
        includes,
        shortcodes: renderer,
        base_path,
    };
    let results: Vec<(Option<RenderedMarkdown>, Diagnostics)> = indices
        .par_iter()
        .map(|&index| {
            let mut local = Diagnostics::default();
            (stage.render_page(&sources.pages[index], &mut local), local)
        })
        .collect();
    results
        .into_iter()
        .map(|(md, local)| {
            diags.extend(local);
            md
        })
        .collect()
}

/// Each page's template. An unknown layout on a site without templates falls back to
/// the built-in page template with one warning per layout name.
pub(crate) fn resolve_layouts(
    pages: &[Page],
    renderer: &Renderer,
    diags: &mut Diagnostics,
) -> Vec<Option<String>> {
    let mut fallbacks: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut chosen = Vec::with_capacity(pages.len());
    for (index, page) in pages.iter().enumerate() {
        match renderer.resolve_layout(page.front.layout.as_deref()) {
            Layout::Found(name) => chosen.push(Some(name)),
            Layout::Fallback { wanted } => {
                fallbacks.entry(wanted).or_insert((index, 0)).1 += 1;
                chosen.push(Some("page.html".into()));
            }
            Layout::Missing { wanted, available } => {
                diags.push(missing_layout(page, &wanted, &available));
                chosen.push(None);
            }
        }
    }
    for (wanted, (first, count)) in fallbacks {
        diags.push(fallback_warning(&pages[first], &wanted, count));
    }
    chosen
}

fn missing_layout(page: &Page, wanted: &str, available: &[String]) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        "unknown-layout",
        format!("layout `{wanted}` has no template"),
    )
    .in_file(&page.file)
    .with_help(format!(
        "create `templates/{}`, map it in folio.yaml under `layouts:`, or use one of: {}",
        crate::render::layout_template_name(wanted),
        available.join(", ")
    ));
    at_key(diagnostic, page, "layout")
}

fn fallback_warning(first: &Page, wanted: &str, count: usize) -> Diagnostic {
    let pages = if count == 1 {
        "1 page uses".to_string()
    } else {
        format!("{count} pages use")
    };
    let diagnostic = Diagnostic::warning(
        "unknown-layout",
        format!("layout `{wanted}` has no template; {pages} the built-in page template instead"),
    )
    .in_file(&first.file)
    .with_help(format!(
        "add `templates/{}` to give these pages their own look",
        crate::render::layout_template_name(wanted)
    ));
    at_key(diagnostic, first, "layout")
}

fn at_key(diagnostic: Diagnostic, page: &Page, key: &str) -> Diagnostic {
    match page.front.position_of(key) {
        Some(position) => diagnostic.at(&page.text, position),
        None => diagnostic,
    }
}

/// Renders pages through their templates.
pub(crate) struct PageStage<'a> {
    pages: &'a [Page],
    markdown: &'a [Option<RenderedMarkdown>],
    nav: &'a NavTree,
    site: &'a SiteContext,
    renderer: &'a Renderer,
    versions: &'a [Option<(Scope, PageVersion)>],
    banners: Option<&'a SupportBanners>,
}

impl PageStage<'_> {
    /// Renders the pages at `indices`; one diagnostic per distinct failure.
    pub(crate) fn render_pages(
        &self,
        indices: &[usize],
        layouts: &[Option<String>],
        on_page: &(dyn Fn() + Sync),
        diags: &mut Diagnostics,
    ) -> Vec<OutputFile> {
        let results: Vec<Result<Option<OutputFile>, Diagnostic>> = indices
            .par_iter()
            .map(|&index| {
                let result = self.render_page(index, layouts[index].as_deref());
                on_page();
                result
            })
            .collect();
        let mut files = Vec::with_capacity(results.len());
        let mut failures: BTreeMap<(Option<String>, String), (Diagnostic, usize)> = BTreeMap::new();
        for (&index, result) in indices.iter().zip(results) {
            match result {
                Ok(file) => files.extend(file),
                Err(err) => {
                    let key = (err.location(), err.message.clone());
                    failures
                        .entry(key)
                        .or_insert_with(|| (with_page_note(err, &self.pages[index]), 0))
                        .1 += 1;
                }
            }
        }
        diags.extend(
            failures
                .into_values()
                .map(|(d, count)| with_count(d, count)),
        );
        files
    }

    /// `Ok(None)` when the page cannot be rendered for a reason already reported.
    fn render_page(
        &self,
        index: usize,
        layout: Option<&str>,
    ) -> Result<Option<OutputFile>, Diagnostic> {
        let (Some(markdown), Some(layout)) = (self.markdown[index].as_ref(), layout) else {
            return Ok(None);
        };
        let version = self.versions[index].as_ref();
        let banner = self
            .banners
            .and_then(|b| b.for_page(&self.pages[index], version.map(|v| v.0)));
        let input = PageInput {
            site: self.site,
            pages: self.pages,
            index,
            markdown,
            nav: self.nav,
            banner: banner.as_ref(),
            version: version.map(|v| &v.1),
        };
        let context = context::page_context(&input)
            .map_err(|e| Diagnostic::error("template", e.to_string()))?;
        let html = self.renderer.render(layout, &context)?;
        let path = format!(
            "{}index.html",
            self.pages[index].url.trim_start_matches('/')
        );
        Ok(Some(OutputFile::Bytes {
            path,
            bytes: html.into_bytes(),
        }))
    }

    /// `404.html` at the root: the site's 404 page when it has one (a page with the
    /// `404` layout), else the built-in one.
    pub(crate) fn not_found_page(&self, diags: &mut Diagnostics) -> Option<OutputFile> {
        let own = self.pages.iter().position(|p| p.url == "/404/");
        let html = match own.and_then(|index| self.markdown[index].as_ref().map(|md| (index, md))) {
            Some((index, markdown)) => {
                let input = PageInput {
                    site: self.site,
                    pages: self.pages,
                    index,
                    markdown,
                    nav: self.nav,
                    banner: None,
                    version: self.versions[index].as_ref().map(|v| &v.1),
                };
                let context = context::page_context(&input).ok()?;
                let layout = self
                    .renderer
                    .resolve_layout(self.pages[index].front.layout.as_deref());
                let template = if let Layout::Found(name) = layout {
                    name
                } else {
                    "404.html".into()
                };
                self.renderer.render(&template, &context)
            }
            None => self
                .renderer
                .render("404.html", &context::not_found_context(self.site, self.nav)),
        };
        match html {
            Ok(html) => Some(OutputFile::Bytes {
                path: "404.html".into(),
                bytes: html.into_bytes(),
            }),
            Err(err) => {
                diags.push(err);
                None
            }
        }
    }
}

fn with_page_note(diagnostic: Diagnostic, page: &Page) -> Diagnostic {
    let help = format!("while rendering `{}`", page.file.display());
    match diagnostic.help.clone() {
        Some(existing) => diagnostic.with_help(format!("{existing}; {help}")),
        None => diagnostic.with_help(help),
    }
}

fn with_count(diagnostic: Diagnostic, count: usize) -> Diagnostic {
    if count < 2 {
        return diagnostic;
    }
    let help = format!(
        "{} (and {} more pages)",
        diagnostic.help.clone().unwrap_or_default(),
        count - 1
    );
    diagnostic.with_help(help)
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

/// Two files for one output path (a page and a static file, say): the first wins.
fn without_duplicate_paths(files: Vec<OutputFile>, diags: &mut Diagnostics) -> Vec<OutputFile> {
    let mut seen = std::collections::HashSet::new();
    let mut kept = Vec::with_capacity(files.len());
    for file in files {
        if seen.insert(file.path().to_string()) {
            kept.push(file);
        } else {
            diags.push(
                Diagnostic::error(
                    "duplicate-output",
                    format!("two sources write `{}`", file.path()),
                )
                .with_help(
                    "rename the file in static/ or content/ so each output path has one source",
                ),
            );
        }
    }
    kept
}

/// Whether `output` may be replaced: not the site root, nor a folder holding it.
pub fn output_is_safe(root: &Path, output: &Path) -> bool {
    let output = output
        .canonicalize()
        .unwrap_or_else(|_| output.to_path_buf());
    !root.starts_with(&output) && !output.starts_with(root.join("content"))
}
