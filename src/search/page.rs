//! The search page at `/search/`: the site's own page when it has one (the search UI is
//! added after its content unless the page places it with `[search /]`), else a
//! built-in page that holds only `[search /]`.

use std::path::PathBuf;

use indexmap::IndexMap;

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Page;
use crate::load::page::load_page;
use crate::markdown::shortcode::ShortcodeCall;
use crate::markdown::{RenderedMarkdown, ShortcodeRenderer};
use crate::render::Renderer;

/// The search page's URL below the base path.
pub const SEARCH_URL: &str = "/search/";

/// Every rendering of the search UI carries this attribute; `search.js` finds it by it.
const UI_MARKER: &str = "data-folio-search";

/// The source of the built-in page: hidden from navigation (`menuWeight: -1`).
const BUILTIN_SOURCE: &str = "---\ntitle: Search\nmenuWeight: -1\n---\n\n[search /]\n";

/// Adds the built-in search page to `pages` (sorted by source path) when search is on
/// and no page of the site has the URL `/search/`.
pub fn builtin_search_page(pages: &mut Vec<Page>, config: &SiteConfig, diags: &mut Diagnostics) {
    if !config.search || pages.iter().any(|p| p.url == SEARCH_URL) {
        return;
    }
    let file = PathBuf::from("(built-in) search/index.md");
    let Some(page) = load_page("search/index.md", file, BUILTIN_SOURCE.as_bytes(), diags) else {
        return;
    };
    let at = pages.partition_point(|p| p.rel_path < page.rel_path);
    pages.insert(at, page);
}

/// The site's own search page with the search UI after its content, when the page does
/// not show it already (the corpus's `search/index.md` is empty and expects its theme
/// to supply it). Other pages pass through unchanged.
pub fn with_search_ui(
    renderer: &Renderer,
    page: &Page,
    markdown: Option<RenderedMarkdown>,
    diags: &mut Diagnostics,
) -> Option<RenderedMarkdown> {
    let mut markdown = markdown?;
    let wanted = page.url == SEARCH_URL && renderer.config().search;
    if !wanted || markdown.html.contains(UI_MARKER) {
        return Some(markdown);
    }
    let call = ShortcodeCall {
        name: "search".into(),
        attrs: IndexMap::new(),
        body: None,
        block: true,
        offset: 0,
    };
    match ShortcodeRenderer::render(renderer, &call, "", page) {
        Ok(html) => markdown.html.push_str(&html),
        Err(message) => diags.push(
            Diagnostic::error("template", format!("cannot add the search box: {message}"))
                .in_file(&page.file)
                .with_help(
                    "fix `templates/shortcodes/search.html`, or remove it to use the built-in one",
                ),
        ),
    }
    Some(markdown)
}
