//! The pipeline in two halves, for `serve`'s start: first everything a page's template
//! needs from the whole site (sources, front matter, dataset, navigation, layouts, page
//! meta), then the markdown, page by page or all at once. `load_site` is the two run one
//! after the other; `serve` answers the first requests between them, rendering only the
//! pages asked for, so each page's bytes are those of a full build.

use crate::diag::Diagnostics;
use crate::load::url::{NOT_FOUND_URL, output_path};
use crate::markdown::RenderedMarkdown;
use crate::output::OutputFile;

use super::{BuildOptions, LoadedSite, PageStage, render_markdown, render_site};

/// Where the site's 404 page is written.
const NOT_FOUND: &str = "404.html";

/// What `render_on_demand` found at a path.
#[derive(Debug)]
pub(crate) enum OnDemand {
    Page(OutputFile),
    /// A page is written there, but it does not render: the full build says why.
    Failed,
    /// No page is written there.
    NoPage,
}

/// Loads every source and the dataset, and builds navigation, layouts and page meta; no
/// page's markdown is rendered yet (`markdown` holds `None` for every page).
pub(crate) fn load_structure(options: &BuildOptions, diags: &mut Diagnostics) -> LoadedSite {
    super::load_site_before_markdown(options, diags)
}

/// The rendered markdown of the pages at `indices` (in that order).
pub(crate) fn markdown_of(
    loaded: &LoadedSite,
    options: &BuildOptions,
    indices: &[usize],
    diags: &mut Diagnostics,
) -> Vec<Option<RenderedMarkdown>> {
    render_markdown(
        &options.content,
        &loaded.sources,
        &loaded.renderer,
        options.highlighter.as_deref(),
        &loaded.base_path,
        indices,
        diags,
    )
}

impl LoadedSite {
    /// Every file of the site but its pages and its 404 page, which `render_on_demand`
    /// gives: what `render_site` gives while no page has its markdown, minus those.
    /// Meant for a site fresh from `load_structure`; its problems are the full build's
    /// to report.
    pub(crate) fn files_besides_pages(&self, options: &BuildOptions) -> Vec<OutputFile> {
        let (mut files, _) = render_site(self, options, &|| {}, &mut Diagnostics::default());
        files.retain(|f| f.path() != NOT_FOUND);
        files
    }

    /// The page (or the 404 page) written at `path`, rendered now, its markdown first
    /// when it has none yet (that markdown is not kept).
    pub(crate) fn render_on_demand(&self, options: &BuildOptions, path: &str) -> OnDemand {
        let pages = &self.sources.pages;
        let index = if path == NOT_FOUND {
            pages.iter().position(|p| p.url == NOT_FOUND_URL)
        } else {
            match pages.iter().position(|p| output_path(&p.url) == path) {
                Some(index) => Some(index),
                None => return OnDemand::NoPage,
            }
        };
        let mut diags = Diagnostics::default();
        let sparse = self.markdown_for(options, index, &mut diags);
        let stage = PageStage {
            markdown: sparse.as_deref().unwrap_or(&self.markdown),
            ..self.page_stage()
        };
        let file = match index {
            Some(index) if path != NOT_FOUND => stage
                .render_pages(&[index], &self.layouts, &|| {}, &mut diags)
                .pop(),
            _ => stage.not_found_page(&mut diags),
        };
        match file {
            Some(file) if !diags.has_errors() => OnDemand::Page(file),
            _ => OnDemand::Failed,
        }
    }

    /// When page `index` has no markdown yet: every page's markdown as it is, with that
    /// page's rendered.
    fn markdown_for(
        &self,
        options: &BuildOptions,
        index: Option<usize>,
        diags: &mut Diagnostics,
    ) -> Option<Vec<Option<RenderedMarkdown>>> {
        let index = index.filter(|&i| self.markdown[i].is_none())?;
        let mut sparse = vec![None; self.markdown.len()];
        sparse[index] = markdown_of(self, options, &[index], diags).pop().flatten();
        Some(sparse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::SiteArgs;
    use crate::diag::render::Format;

    fn site_with_pages() -> (tempfile::TempDir, BuildOptions) {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |path: &str, text: &str| {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
            std::fs::write(full, text).expect("write");
        };
        write("content/index.md", "---\ntitle: Home\n---\nHome\n");
        write(
            "content/guide/a.md",
            "---\ntitle: A\nmenuWeight: 1\n---\n## First\n\nSee [B](../b/).\n\n## Second\n",
        );
        write(
            "content/guide/b.md",
            "---\ntitle: B\nmenuWeight: 2\n---\nB\n",
        );
        write("content/404.md", "---\ntitle: Lost\n---\nNothing here.\n");
        let args = SiteArgs {
            root: dir.path().to_path_buf(),
            env: None,
            format: Format::Human,
            as_of: Some(jiff::civil::date(2026, 1, 1)),
            dataset: None,
            drafts: false,
            drafts_by_default: false,
        };
        let options = crate::cmd::resolve_site(&args).expect("options");
        (dir, options)
    }

    fn bytes(file: &OutputFile) -> &[u8] {
        match file {
            OutputFile::Bytes { bytes, .. } => bytes,
            OutputFile::Copy { .. } => panic!("a page is bytes"),
        }
    }

    #[test]
    fn a_page_rendered_on_demand_is_the_full_builds_page() {
        let (_dir, options) = site_with_pages();
        let mut diags = Diagnostics::default();
        let full = super::super::load_site(&options, &mut diags);
        let (files, _) = render_site(&full, &options, &|| {}, &mut diags);
        let lazy = load_structure(&options, &mut Diagnostics::default());
        for path in ["guide/a/index.html", "index.html", "404.html"] {
            let built = files.iter().find(|f| f.path() == path).expect(path);
            let OnDemand::Page(now) = lazy.render_on_demand(&options, path) else {
                panic!("{path} did not render");
            };
            assert_eq!(bytes(&now), bytes(built), "{path}");
        }
        assert!(matches!(
            lazy.render_on_demand(&options, "guide/c/index.html"),
            OnDemand::NoPage
        ));
    }

    #[test]
    fn the_files_besides_pages_are_the_full_builds_other_files() {
        let (_dir, options) = site_with_pages();
        let mut diags = Diagnostics::default();
        let full = super::super::load_site(&options, &mut diags);
        let (files, _) = render_site(&full, &options, &|| {}, &mut diags);
        let pages: Vec<String> = full
            .sources
            .pages
            .iter()
            .map(|p| output_path(&p.url))
            .collect();
        let others: Vec<&str> = files
            .iter()
            .map(OutputFile::path)
            .filter(|p| !pages.iter().any(|page| page == p) && *p != NOT_FOUND)
            .collect();
        let lazy = load_structure(&options, &mut Diagnostics::default());
        let early = lazy.files_besides_pages(&options);
        let early: Vec<&str> = early.iter().map(OutputFile::path).collect();
        assert!(!others.is_empty());
        assert_eq!(early, others);
    }
}
