//! The page stage: each page through its template, with its banner and version scope,
//! plus the site's 404 page.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::reuse::{PageRecord, PageReuse, Previous};
use crate::dataset::Scope;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Page;
use crate::load::url::{NOT_FOUND_URL, output_path};
use crate::markdown::RenderedMarkdown;
use crate::nav::NavTree;
use crate::output::{OutputFile, Staging};
use crate::render::banner::SupportBanners;
use crate::render::context::{self, Banner, PageInput, PageVersion, SiteContext};
use crate::render::page_meta::PageMeta;
use crate::render::switcher::VersionSwitcher;
use crate::render::{Layout, Renderer};

/// The rendered pages: those still in memory, and the paths of those already written.
#[derive(Debug, Default)]
pub(crate) struct RenderedPages {
    pub kept: Vec<OutputFile>,
    pub written: Vec<String>,
}

/// What [`PageStage::stream_pages`] gives back: each page's markdown as check reads it,
/// the pages written, and each page's record for the next build.
#[derive(Debug)]
pub(crate) struct StreamedPages {
    pub markdown: Vec<Option<RenderedMarkdown>>,
    pub pages: RenderedPages,
    pub records: Vec<Option<PageRecord>>,
    /// How many pages were taken from the previous site.
    pub reused: usize,
}

/// A streamed page's markdown, its problems and its record.
type StreamedPage = (Option<RenderedMarkdown>, Diagnostics, Option<PageRecord>);

/// A page written into a staging folder (`Ok(path)`) or kept (`Err(file)`); `None` when
/// it failed for a reason already reported.
type PageOutcome = Result<Option<Result<String, OutputFile>>, Diagnostic>;

/// Renders pages through their templates.
pub(crate) struct PageStage<'a> {
    pub(super) pages: &'a [Page],
    pub(super) markdown: &'a [Option<RenderedMarkdown>],
    pub(super) nav: &'a NavTree,
    pub(super) site: &'a SiteContext,
    pub(super) renderer: &'a Renderer,
    pub(super) versions: &'a [Option<(Scope, PageVersion)>],
    pub(super) banners: Option<&'a SupportBanners>,
    pub(super) switcher: Option<&'a VersionSwitcher>,
    pub(super) meta: &'a [PageMeta],
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
        let results: Vec<PageOutcome> = indices
            .par_iter()
            .map(|&index| {
                let markdown = self.markdown[index].as_ref();
                let result = self.render_page(index, markdown, layouts[index].as_deref());
                on_page();
                result.map(|file| file.map(Err))
            })
            .collect();
        collect_pages(self.pages, indices, results, diags).kept
    }

    /// Renders each page's markdown (`markdown_of`) and then its template, and writes it
    /// into `staging`, one page after the other on each thread: a page's HTML lives only
    /// while it is made. A page whose inputs are those of its `previous` entry is taken
    /// from the previous site instead. The markdown comes back with only what check
    /// reads, but for the site's own 404 page, which [`PageStage::not_found_page`]
    /// renders again; each page's record is for the next build.
    pub(crate) fn stream_pages(
        &self,
        markdown_of: &(dyn Fn(&Page, &mut Diagnostics) -> Option<RenderedMarkdown> + Sync),
        layouts: &[Option<String>],
        on_page: &(dyn Fn() + Sync),
        (reuse, previous): (&PageReuse, Vec<Option<Previous>>),
        staging: &Staging,
        diags: &mut Diagnostics,
    ) -> StreamedPages {
        let indices: Vec<usize> = (0..self.pages.len()).collect();
        let reused = AtomicUsize::new(0);
        let (done, results): (Vec<_>, Vec<_>) = indices
            .par_iter()
            .zip(previous)
            .map(|(&index, previous)| {
                let page = &self.pages[index];
                let taken = previous.and_then(|p| reuse.take(page, &self.meta[index], p, staging));
                let streamed = match taken {
                    Some((markdown, record)) => {
                        reused.fetch_add(1, Ordering::Relaxed);
                        let written = Ok(Some(Ok(output_path(&page.url))));
                        (
                            (Some(markdown), Diagnostics::default(), Some(record)),
                            written,
                        )
                    }
                    None => self.stream_page(index, markdown_of, layouts, reuse, staging),
                };
                on_page();
                streamed
            })
            .unzip();
        let mut markdown = Vec::with_capacity(done.len());
        let mut records = Vec::with_capacity(done.len());
        for (page_markdown, local, record) in done {
            diags.extend(local);
            markdown.push(page_markdown);
            records.push(record);
        }
        let pages = collect_pages(self.pages, &indices, results, diags);
        StreamedPages {
            markdown,
            pages,
            records,
            reused: reused.into_inner(),
        }
    }

    /// One page through its markdown (with its body, read again if it was dropped) and
    /// template into `staging`, with its record when it was written without a problem.
    fn stream_page(
        &self,
        index: usize,
        markdown_of: &(dyn Fn(&Page, &mut Diagnostics) -> Option<RenderedMarkdown> + Sync),
        layouts: &[Option<String>],
        reuse: &PageReuse,
        staging: &Staging,
    ) -> (StreamedPage, PageOutcome) {
        let mut local = Diagnostics::default();
        let page = match self.pages[index].with_body() {
            Ok(page) => page,
            Err(unreadable) => {
                local.push(unreadable);
                return ((None, local, None), Ok(None));
            }
        };
        let mut markdown = markdown_of(&page, &mut local);
        let result = self.render_page(index, markdown.as_ref(), layouts[index].as_deref());
        if page.url != NOT_FOUND_URL {
            markdown
                .iter_mut()
                .for_each(RenderedMarkdown::keep_for_check);
        }
        let mut written = None;
        let result = result.map(|file| {
            file.map(|file| {
                let (path, stamp) = staging.put(file)?;
                written = Some(stamp);
                Ok(path)
            })
        });
        let record = match (&markdown, written) {
            (Some(md), Some(stamp)) if local.is_empty() => {
                reuse.record(&self.pages[index], &self.meta[index], md, stamp)
            }
            _ => None,
        };
        ((markdown, local, record), result)
    }

    /// `Ok(None)` when the page cannot be rendered for a reason already reported.
    fn render_page(
        &self,
        index: usize,
        markdown: Option<&RenderedMarkdown>,
        layout: Option<&str>,
    ) -> Result<Option<OutputFile>, Diagnostic> {
        let (Some(markdown), Some(layout)) = (markdown, layout) else {
            return Ok(None);
        };
        let scope = self.versions[index].as_ref().map(|v| v.0);
        let banner = self
            .banners
            .and_then(|b| b.for_page(&self.pages[index], scope));
        let switch = self
            .switcher
            .and_then(|s| s.for_page(&self.pages[index], scope));
        let mut input = self.input(index, markdown, banner.as_ref());
        input.versions = switch.as_ref();
        let context = context::page_context(&input)
            .map_err(|e| Diagnostic::error("template", e.to_string()))?;
        let html = self.renderer.render(layout, &context)?;
        Ok(Some(OutputFile::Bytes {
            path: output_path(&self.pages[index].url),
            bytes: html.into_bytes(),
        }))
    }

    /// What the template of page `index` sees.
    fn input<'s>(
        &'s self,
        index: usize,
        markdown: &'s RenderedMarkdown,
        banner: Option<&'s Banner>,
    ) -> PageInput<'s> {
        PageInput {
            site: self.site,
            pages: self.pages,
            index,
            markdown,
            nav: self.nav,
            banner,
            version: self.versions[index].as_ref().map(|v| &v.1),
            versions: None,
            meta: &self.meta[index],
        }
    }

    /// `404.html` at the root: the site's 404 page when it has one (a page with the
    /// `404` layout), else the built-in one.
    pub(crate) fn not_found_page(&self, diags: &mut Diagnostics) -> Option<OutputFile> {
        let own = self.pages.iter().position(|p| p.url == NOT_FOUND_URL);
        let html = match own.and_then(|index| self.markdown[index].as_ref().map(|md| (index, md))) {
            Some((index, markdown)) => {
                let context = context::page_context(&self.input(index, markdown, None)).ok()?;
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
            None => self.built_in_not_found(),
        };
        match html {
            Ok(html) => Some(OutputFile::Bytes {
                path: "404.html".into(),
                bytes: html.into_bytes(),
            }),
            Err(err) => {
                // The built-in 404 goes through the site's templates: an error in them is
                // reported once, for the pages.
                let known = diags
                    .iter()
                    .any(|d| d.message == err.message && d.location() == err.location());
                if !known {
                    diags.push(err);
                }
                None
            }
        }
    }
}

impl PageStage<'_> {
    /// The built-in 404 page: through the site's page template, so that it has the
    /// site's look; through the built-in one when the site's needs what only real pages
    /// have (front matter keys, a product).
    fn built_in_not_found(&self) -> Result<String, Diagnostic> {
        let context = context::not_found_context(self.site, self.nav)
            .map_err(|e| Diagnostic::error("template", e.to_string()))?;
        self.renderer.render_stand_in("404.html", &context)
    }
}

/// The outcome of each page: a page is `Ok(path)` once written into a staging folder,
/// `Err(file)` while kept in memory. One diagnostic per distinct failure.
fn collect_pages(
    pages: &[Page],
    indices: &[usize],
    results: Vec<PageOutcome>,
    diags: &mut Diagnostics,
) -> RenderedPages {
    let mut rendered = RenderedPages::default();
    let mut failures: BTreeMap<(Option<String>, String), (Diagnostic, usize)> = BTreeMap::new();
    for (&index, result) in indices.iter().zip(results) {
        match result {
            Ok(Some(Ok(path))) => rendered.written.push(path),
            Ok(Some(Err(file))) => rendered.kept.push(file),
            Ok(None) => {}
            Err(err) => {
                let key = (err.location(), err.message.clone());
                failures
                    .entry(key)
                    .or_insert_with(|| (with_page_note(err, &pages[index]), 0))
                    .1 += 1;
            }
        }
    }
    diags.extend(
        failures
            .into_values()
            .map(|(d, count)| with_count(d, count)),
    );
    rendered
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
