//! The search page at `/search/`: the site's own page when it has one (the search UI is
//! added after its content unless the page places it with `[search /]`), else a
//! built-in page that holds only the search UI of the `[search /]` shortcode.

use indexmap::IndexMap;
use tera::Value;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Page;
use crate::markdown::shortcode::ShortcodeCall;
use crate::markdown::{RenderedMarkdown, ShortcodeRenderer};
use crate::output::OutputFile;
use crate::pipeline::LoadedSite;
use crate::render::Renderer;
use crate::render::context::not_found_context;

/// The search page's URL below the base path.
pub const SEARCH_URL: &str = "/search/";

/// Every rendering of the search UI carries this attribute; `search.js` finds it by it.
const UI_MARKER: &str = "data-folio-search";

/// folio's own search page, written where no page of the site has the URL `/search/`:
/// the built-in `search_page.html` with a stand-in `page`, as the built-in 404 page is
/// rendered, so a site's own `base.html` serves it too.
pub fn builtin_search_page(loaded: &LoadedSite, diags: &mut Diagnostics) -> Option<OutputFile> {
    let own = loaded.sources.pages.iter().any(|p| p.url == SEARCH_URL);
    if own || !loaded.renderer.config().search {
        return None;
    }
    let mut context = not_found_context(&loaded.site, &loaded.nav);
    let mut page = context.get("page").cloned()?.into_map()?;
    page.insert("title".into(), Value::from("Search"));
    page.insert("navigation_title".into(), Value::from("Search"));
    let url = format!(
        "{}{}",
        loaded.site.base_path,
        SEARCH_URL.trim_start_matches('/')
    );
    page.insert("url".into(), Value::from(url));
    context.insert_value("page", Value::from(page));
    match loaded.renderer.render("search_page.html", &context) {
        Ok(html) => Some(OutputFile::Bytes {
            path: format!("{}index.html", SEARCH_URL.trim_start_matches('/')),
            bytes: html.into_bytes(),
        }),
        Err(err) => {
            diags.push(err);
            None
        }
    }
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
