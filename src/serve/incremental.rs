//! The site kept in memory between rebuilds. An edit re-renders only what it touches: a
//! page edit re-renders that page, plus the pages whose navigation changed when its
//! title, navigation title or weight did; an include fragment re-renders the pages that
//! include something; a template re-renders the pages using it (all pages for a template
//! others extend). Settings, the dataset and files appearing or going rebuild everything,
//! and so does any edit after a failed rebuild, so a fix never leaves a stale error behind.

use std::collections::{BTreeSet, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cli::SiteArgs;
use crate::cmd::{Stop, resolve_site};
use crate::config::CONFIG_FILE;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{self, Page};
use crate::markdown::RenderedMarkdown;
use crate::output::OutputFile;
use crate::pipeline::lazy::{load_structure, markdown_of};
use crate::pipeline::{
    BuildOptions, LoadedSite, load_site, render_markdown, render_site, resolve_layouts,
};
use crate::render::Renderer;
use crate::render::context::page_url;
use crate::serve::live::Changed;

/// What one changed path means for the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A page's markdown (path relative to `content/`).
    Page(String),
    /// An include fragment.
    Include,
    /// A file under `templates/` changed, appeared or went (its template name).
    Template(String),
    /// A file copied as it is: browsers reload, nothing is rebuilt.
    Copied,
    /// Settings, the dataset, or files appearing or going.
    Everything,
}

/// The result of one rebuild.
#[derive(Debug)]
pub struct Rebuild {
    /// Files that are new or changed; the whole site when `complete`.
    pub files: Vec<OutputFile>,
    pub complete: bool,
    pub changed: Changed,
    pub diags: Diagnostics,
    pub base_path: String,
    /// How many pages went through their templates.
    pub pages_rendered: usize,
    /// Open pages may patch themselves with their new HTML: only pages changed, no
    /// template, style or script (which the new HTML alone cannot bring in).
    pub patchable: bool,
}

/// The loaded site and what is needed to update it.
#[derive(Debug)]
pub struct IncrementalSite {
    args: SiteArgs,
    options: BuildOptions,
    loaded: LoadedSite,
    /// For each page, a hash of the navigation it shows: a page is re-rendered for a
    /// navigation change only when its hash changes.
    nav_views: Vec<u64>,
    /// Source paths of the files served as they are.
    copied: HashSet<PathBuf>,
    /// The last rebuild failed: the next one starts from scratch.
    broken: bool,
}

/// What an incremental rebuild has to do.
#[derive(Debug, Default)]
struct Plan {
    markdown: BTreeSet<usize>,
    templates: BTreeSet<usize>,
    changed_templates: Vec<String>,
    nav_changed: bool,
    reload_all: bool,
}

impl IncrementalSite {
    /// Builds the site once. `args` is kept to re-read `folio.yaml` when it changes.
    pub fn build(args: SiteArgs, options: BuildOptions) -> (IncrementalSite, Rebuild) {
        let (mut site, mut diags) = IncrementalSite::load(args, options);
        let all: Vec<usize> = (0..site.loaded.sources.pages.len()).collect();
        let markdown = markdown_of(&site.loaded, &site.options, &all, &mut diags);
        site.set_markdown(markdown);
        let rebuild = site.render_everything(diags);
        (site, rebuild)
    }

    /// Loads the site without rendering any page's markdown (`serve::warm` renders it,
    /// then hands it to `set_markdown`, then the files to `first_build`).
    pub fn load(args: SiteArgs, options: BuildOptions) -> (IncrementalSite, Diagnostics) {
        let mut diags = Diagnostics::default();
        let loaded = load_structure(&options, &mut diags);
        let site = IncrementalSite {
            args,
            options,
            loaded,
            nav_views: Vec::new(),
            copied: HashSet::new(),
            broken: false,
        };
        (site, diags)
    }

    /// Every page's rendered markdown, in page order.
    pub fn set_markdown(&mut self, markdown: Vec<Option<RenderedMarkdown>>) {
        self.loaded.markdown = markdown;
    }

    /// The site as last loaded.
    pub fn loaded(&self) -> &LoadedSite {
        &self.loaded
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// What a changed path means; `None` when it does not matter (an editor's temp file
    /// that came and went, a folder's own event).
    pub fn classify(&self, path: &Path) -> Option<Change> {
        let rel = path.strip_prefix(&self.options.root).ok()?;
        let dataset = rel.starts_with(&self.options.config.dataset) || rel.starts_with("data");
        if rel == Path::new(CONFIG_FILE) || dataset {
            return Some(Change::Everything);
        }
        if let Ok(name) = rel.strip_prefix("templates") {
            // A template or folder that went may have overridden a shortcode whose output
            // is baked into page bodies: only a full rebuild drops it.
            if !path.is_file() {
                return Some(Change::Everything);
            }
            return Some(Change::Template(slashed(name)));
        }
        if rel.starts_with("static") {
            return self.classify_copied(path);
        }
        let content = &self.options.content;
        match rel.strip_prefix(&content.shown) {
            Ok(in_content) if !content.skips(path) => {
                self.classify_content(path, &slashed(in_content))
            }
            _ => None,
        }
    }

    fn classify_content(&self, path: &Path, rel: &str) -> Option<Change> {
        let files = &self.loaded.sources.files;
        if path.is_file() && files.contains_key(rel) {
            if self.page_index(rel).is_some() {
                return Some(Change::Page(rel.to_string()));
            }
            if rel.ends_with(".tmpl") {
                return Some(Change::Include);
            }
            // Mustache models and `load_data` files feed pages nobody tracks.
            if crate::load::data_file::DataFormat::of(rel).is_some() {
                return Some(Change::Everything);
            }
        }
        let below = format!("{rel}/");
        let known = rel.is_empty()
            || files.contains_key(rel)
            || files.keys().any(|k| k.starts_with(&below));
        self.classify_other(path, known)
    }

    fn classify_copied(&self, path: &Path) -> Option<Change> {
        let copied = &self.copied;
        let known = copied.contains(path) || copied.iter().any(|c| c.starts_with(path));
        self.classify_other(path, known)
    }

    /// A path that is no known page or fragment: an edited copied file only needs a
    /// reload; anything appearing or going rebuilds everything.
    fn classify_other(&self, path: &Path, known: bool) -> Option<Change> {
        if !path.exists() {
            return known.then_some(Change::Everything);
        }
        if path.is_dir() {
            return (!known).then_some(Change::Everything);
        }
        if self.copied.contains(path) {
            Some(Change::Copied)
        } else {
            Some(Change::Everything)
        }
    }

    fn page_index(&self, rel: &str) -> Option<usize> {
        let pages = &self.loaded.sources.pages;
        pages.iter().position(|p| p.rel_path == rel)
    }

    /// Brings the site up to date with `changes`.
    pub fn apply(&mut self, changes: &[Change]) -> Rebuild {
        let shortcode =
            |c: &Change| matches!(c, Change::Template(n) if n.starts_with("shortcodes/"));
        let everything = changes
            .iter()
            .any(|c| *c == Change::Everything || shortcode(c));
        if self.broken || everything {
            return self.rebuild_everything();
        }
        let mut diags = Diagnostics::default();
        let mut plan = Plan::default();
        for change in changes {
            match change {
                Change::Page(rel) => {
                    if self.reload_page(rel, &mut plan, &mut diags).is_err() {
                        return self.rebuild_everything();
                    }
                }
                Change::Include => plan.markdown.extend(self.pages_with_includes()),
                Change::Template(name) => plan.changed_templates.push(name.clone()),
                Change::Copied => plan.reload_all = true,
                Change::Everything => return self.rebuild_everything(),
            }
        }
        self.render_plan(plan, diags)
    }

    /// Re-reads one page. Errors go to `diags`.
    fn reload_page(
        &mut self,
        rel: &str,
        plan: &mut Plan,
        diags: &mut Diagnostics,
    ) -> Result<(), NeedsEverything> {
        let index = self.page_index(rel).ok_or(NeedsEverything)?;
        let abs = self.loaded.sources.files.get(rel).ok_or(NeedsEverything)?;
        let shown = self.options.content.shown(rel);
        let Some(page) = load::read_page(rel, abs, shown, diags) else {
            return Ok(());
        };
        if page.front.draft && !self.options.env.takes_drafts() {
            return Err(NeedsEverything);
        }
        let old = &self.loaded.sources.pages[index];
        // The page now documents another product or line: its banner, facts and links
        // are all computed from that.
        if (&old.front.product, &old.front.line) != (&page.front.product, &page.front.line) {
            return Err(NeedsEverything);
        }
        // New or dropped aliases add or remove redirect pages and rules.
        if old.front.aliases != page.front.aliases {
            return Err(NeedsEverything);
        }
        plan.nav_changed |= nav_entry(old) != nav_entry(&page);
        self.loaded.sources.pages[index] = page;
        plan.markdown.insert(index);
        Ok(())
    }

    fn pages_with_includes(&self) -> Vec<usize> {
        let pages = self.loaded.sources.pages.iter().enumerate();
        pages
            .filter(|(_, page)| page.body().contains("#include"))
            .map(|(index, _)| index)
            .collect()
    }

    fn render_plan(&mut self, mut plan: Plan, mut diags: Diagnostics) -> Rebuild {
        if !plan.changed_templates.is_empty() {
            self.reload_templates(&mut plan, &mut diags);
        }
        self.rerender_markdown(&plan.markdown, &mut diags);
        plan.templates.extend(&plan.markdown);
        if plan.nav_changed {
            plan.templates.extend(self.rebuild_nav());
        }
        let indices: Vec<usize> = plan.templates.into_iter().collect();
        let stage = self.loaded.page_stage();
        let mut files = stage.render_pages(&indices, &self.loaded.layouts, &|| {}, &mut diags);
        files.extend(stage.not_found_page(&mut diags));
        self.broken = diags.has_errors();
        if self.broken {
            // Nothing of a failed rebuild is served.
            files.clear();
        }
        let changed = if plan.reload_all {
            Changed::All
        } else {
            Changed::Urls(self.urls_of(&indices))
        };
        let patchable = !plan.reload_all && plan.changed_templates.is_empty();
        let mut rebuild = self.rebuild(files, false, changed, diags, indices.len());
        rebuild.patchable = patchable;
        rebuild
    }

    /// Reloads every template and finds the pages whose template changed.
    fn reload_templates(&mut self, plan: &mut Plan, diags: &mut Diagnostics) {
        let facts = self.loaded.renderer.facts().clone();
        let renderer = Renderer::new(&self.options.root, &self.options.config, facts, diags);
        let layouts = resolve_layouts(&self.loaded.sources.pages, &renderer, diags);
        let is_layout = |name: &String| layouts.iter().any(|l| l.as_ref() == Some(name));
        // A template no page names directly (a base others extend) can change any page.
        let all = !plan.changed_templates.iter().all(is_layout);
        for (index, layout) in layouts.iter().enumerate() {
            let named = layout
                .as_ref()
                .is_some_and(|l| plan.changed_templates.contains(l));
            if all || named || *layout != self.loaded.layouts[index] {
                plan.templates.insert(index);
            }
        }
        self.loaded.renderer = renderer;
        self.loaded.layouts = layouts;
    }

    fn rerender_markdown(&mut self, indices: &BTreeSet<usize>, diags: &mut Diagnostics) {
        if indices.is_empty() {
            return;
        }
        let indices: Vec<usize> = indices.iter().copied().collect();
        let loaded = &self.loaded;
        let markdown = render_markdown(
            &self.options.content,
            &loaded.sources,
            &loaded.renderer,
            self.options.highlighter.as_deref(),
            &loaded.base_path,
            &indices,
            diags,
        );
        let pages: Vec<Page> = indices
            .iter()
            .map(|&i| loaded.sources.pages[i].clone())
            .collect();
        let layouts = resolve_layouts(&pages, &loaded.renderer, diags);
        for ((index, md), layout) in indices.into_iter().zip(markdown).zip(layouts) {
            self.loaded.markdown[index] = md;
            self.loaded.layouts[index] = layout;
        }
    }

    /// Rebuilds the navigation; returns the pages whose navigation now looks different.
    fn rebuild_nav(&mut self) -> Vec<usize> {
        self.loaded.refresh_navigation(self.options.as_of);
        let views = nav_views(&self.loaded);
        let changed = views
            .iter()
            .zip(&self.nav_views)
            .enumerate()
            .filter(|(_, (new, old))| new != old)
            .map(|(index, _)| index)
            .collect();
        self.nav_views = views;
        changed
    }

    fn urls_of(&self, indices: &[usize]) -> Vec<String> {
        let pages = &self.loaded.sources.pages;
        let base_path = &self.loaded.base_path;
        indices
            .iter()
            .map(|&i| page_url(&pages[i], base_path))
            .collect()
    }

    /// Re-reads `folio.yaml` and builds everything again.
    fn rebuild_everything(&mut self) -> Rebuild {
        let mut diags = Diagnostics::default();
        match resolve_site(&self.args) {
            Ok(mut options) => {
                // The highlighted blocks stay cached across a `folio.yaml` edit.
                if options.highlighter.is_some() && self.options.highlighter.is_some() {
                    options.highlighter = self.options.highlighter.clone();
                }
                self.options = options;
            }
            Err(Stop::Usage(message)) => diags.push(Diagnostic::error("serve", message)),
            Err(Stop::Site(problems)) => diags.extend(problems),
        }
        if diags.has_errors() {
            self.broken = true;
            return self.rebuild(Vec::new(), false, Changed::All, diags, 0);
        }
        self.loaded = load_site(&self.options, &mut diags);
        self.render_everything(diags)
    }

    fn render_everything(&mut self, mut diags: Diagnostics) -> Rebuild {
        let (files, page_count) = render_site(&self.loaded, &self.options, &|| {}, &mut diags);
        self.first_build(files, page_count, diags)
    }

    /// Takes in the files of a whole build (`render_site` of the loaded site).
    pub fn first_build(
        &mut self,
        files: Vec<OutputFile>,
        page_count: usize,
        diags: Diagnostics,
    ) -> Rebuild {
        self.broken = diags.has_errors();
        self.copied = files
            .iter()
            .filter_map(|f| match f {
                OutputFile::Copy { from, .. } => Some(from.clone()),
                OutputFile::Bytes { .. } => None,
            })
            .collect();
        self.nav_views = nav_views(&self.loaded);
        self.rebuild(files, true, Changed::All, diags, page_count)
    }

    fn rebuild(
        &self,
        files: Vec<OutputFile>,
        complete: bool,
        changed: Changed,
        diags: Diagnostics,
        pages_rendered: usize,
    ) -> Rebuild {
        Rebuild {
            files,
            complete,
            changed,
            diags,
            base_path: self.loaded.base_path.clone(),
            pages_rendered,
            patchable: false,
        }
    }
}

/// An incremental rebuild cannot handle the change.
#[derive(Debug)]
struct NeedsEverything;

/// What navigation shows of a page.
fn nav_entry(page: &Page) -> (&str, &str, Option<i64>) {
    (&page.title, page.nav_title(), page.front.menu_weight)
}

fn nav_views(loaded: &LoadedSite) -> Vec<u64> {
    (0..loaded.sources.pages.len())
        .into_par_iter()
        .map(|index| nav_view(loaded, index))
        .collect()
}

/// A hash of everything navigation puts on page `index`.
fn nav_view(loaded: &LoadedSite, index: usize) -> u64 {
    let (nav, pages) = (&loaded.nav, &loaded.sources.pages);
    let (prev, next) = nav.neighbours(index);
    let link = |i: Option<usize>| i.map(|i| (pages[i].nav_title(), &pages[i].url));
    let scope = loaded.versions[index].as_ref().map(|v| v.0);
    let switch = loaded.switcher.as_ref();
    let shown = (
        nav.view(index),
        nav.breadcrumbs(index),
        link(prev),
        link(next),
        switch.and_then(|s| s.for_page(&pages[index], scope)),
    );
    let mut hasher = DefaultHasher::new();
    serde_json::to_string(&shown)
        .unwrap_or_default()
        .hash(&mut hasher);
    hasher.finish()
}

/// A relative path with `/` separators.
fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::render::Format;

    fn write(root: &Path, path: &str, text: &str) {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
    }

    fn site() -> (tempfile::TempDir, IncrementalSite) {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "content/index.md", "---\ntitle: Home\n---\nHome\n");
        write(root, "content/a.md", "---\ntitle: A\n---\nA body\n");
        write(
            root,
            "content/b.md",
            "---\ntitle: B\n---\n#include /part.tmpl\n",
        );
        write(root, "content/part.tmpl", "A part\n");
        write(root, "content/img.png", "png");
        write(root, "content/api.yaml", "routes: []\n");
        write(root, "static/site.css", "body {}\n");
        let args = SiteArgs {
            root: root.to_path_buf(),
            env: None,
            format: Format::Human,
            as_of: Some(jiff::civil::date(2026, 1, 1)),
            dataset: None,
            drafts: false,
            drafts_by_default: true,
        };
        let options = resolve_site(&args).expect("options");
        let (site, first) = IncrementalSite::build(args, options);
        assert!(!first.diags.has_errors(), "{:?}", first.diags);
        (dir, site)
    }

    #[test]
    fn changed_paths_are_classified_by_what_they_are() {
        let (_dir, site) = site();
        let root = site.root().to_path_buf();
        write(&root, "content/new.md", "---\ntitle: New\n---\n");
        write(&root, "templates/page.html", "{% extends \"base.html\" %}");
        let cases = [
            ("content/a.md", Some(Change::Page("a.md".into()))),
            ("content/part.tmpl", Some(Change::Include)),
            ("content/img.png", Some(Change::Copied)),
            ("content/api.yaml", Some(Change::Everything)),
            ("static/site.css", Some(Change::Copied)),
            (
                "templates/page.html",
                Some(Change::Template("page.html".into())),
            ),
            ("templates/shortcodes", Some(Change::Everything)),
            ("folio.yaml", Some(Change::Everything)),
            ("data/versions.yaml", Some(Change::Everything)),
            ("content/new.md", Some(Change::Everything)),
            ("content/gone.md", None),
            ("content", None),
            ("public/index.html", None),
        ];
        for (path, expected) in cases {
            assert_eq!(site.classify(&root.join(path)), expected, "{path}");
        }
        std::fs::remove_file(root.join("content/a.md")).expect("remove");
        assert_eq!(
            site.classify(&root.join("content/a.md")),
            Some(Change::Everything)
        );
    }

    #[test]
    fn a_body_edit_re_renders_only_its_page() {
        let (_dir, mut site) = site();
        write(
            site.root(),
            "content/a.md",
            "---\ntitle: A\n---\nNew body\n",
        );
        let rebuild = site.apply(&[Change::Page("a.md".into())]);
        assert!(!rebuild.complete && !rebuild.diags.has_errors());
        assert_eq!(rebuild.changed, Changed::Urls(vec!["/a/".into()]));
        let paths: Vec<&str> = rebuild.files.iter().map(OutputFile::path).collect();
        assert_eq!(paths, ["a/index.html", "404.html"]);
    }

    #[test]
    fn a_title_edit_re_renders_the_pages_showing_it() {
        let (_dir, mut site) = site();
        write(
            site.root(),
            "content/a.md",
            "---\ntitle: Renamed\n---\nA body\n",
        );
        let rebuild = site.apply(&[Change::Page("a.md".into())]);
        let Changed::Urls(urls) = rebuild.changed else {
            panic!("expected a list of pages");
        };
        assert_eq!(urls, ["/a/", "/b/", "/"]);
    }

    #[test]
    fn after_a_failed_edit_the_next_rebuild_is_complete() {
        let (_dir, mut site) = site();
        write(site.root(), "content/a.md", "---\ntitle: [\n---\n");
        let failed = site.apply(&[Change::Page("a.md".into())]);
        assert!(failed.diags.has_errors() && failed.files.is_empty());
        write(site.root(), "content/a.md", "---\ntitle: A\n---\nFixed\n");
        let fixed = site.apply(&[Change::Page("a.md".into())]);
        assert!(fixed.complete && !fixed.diags.has_errors());
        assert_eq!(fixed.changed, Changed::All);
    }

    #[test]
    fn an_include_edit_re_renders_the_pages_with_includes() {
        let (_dir, mut site) = site();
        write(site.root(), "content/part.tmpl", "A changed part\n");
        let rebuild = site.apply(&[Change::Include]);
        assert_eq!(rebuild.changed, Changed::Urls(vec!["/b/".into()]));
    }
}
