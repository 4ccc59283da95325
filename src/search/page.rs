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
/// the built-in `search_page.html` (which goes through the site's page template, as the
/// built-in 404 page does) with a stand-in `page` whose content is the search UI.
pub fn builtin_search_page(loaded: &LoadedSite, diags: &mut Diagnostics) -> Option<OutputFile> {
    let own = loaded.sources.pages.iter().any(|p| p.url == SEARCH_URL);
    if own || !loaded.renderer.config().search {
        return None;
    }
    let url = format!(
        "{}{}",
        loaded.site.base_path,
        SEARCH_URL.trim_start_matches('/')
    );
    let rendered = search_ui(&loaded.renderer, &url).and_then(|ui| {
        let mut context = not_found_context(&loaded.site, &loaded.nav)
            .map_err(|e| Diagnostic::error("template", e.to_string()))?;
        context.insert_value("page", search_page_value(&context, &url, &ui));
        loaded
            .renderer
            .render_stand_in("search_page.html", &context)
    });
    match rendered {
        Ok(html) => Some(OutputFile::Bytes {
            path: crate::load::url::output_path(SEARCH_URL),
            bytes: html.into_bytes(),
        }),
        Err(err) => {
            diags.push(err);
            None
        }
    }
}

/// The `[search /]` shortcode's HTML for the page at `url`.
fn search_ui(renderer: &Renderer, url: &str) -> Result<String, Diagnostic> {
    let mut context = tera::Context::new();
    context.insert_value("body", Value::safe_string(""));
    context.insert("attrs", &IndexMap::<String, String>::new());
    context.insert("inline", &false);
    context.insert(
        "page",
        &crate::render::context::PageRef {
            title: "Search",
            url,
            path: "",
        },
    );
    renderer.render("shortcodes/search.html", &context)
}

/// The stand-in page of `context` as the search page: its title, URL and content.
fn search_page_value(context: &tera::Context, url: &str, ui: &str) -> Value {
    let mut page = context
        .get("page")
        .cloned()
        .and_then(Value::into_map)
        .unwrap_or_default();
    page.insert("title".into(), Value::from("Search"));
    page.insert("navigation_title".into(), Value::from("Search"));
    page.insert("url".into(), Value::from(url));
    page.insert("content".into(), Value::safe_string(ui));
    page.insert("content_without_h1".into(), Value::safe_string(ui));
    Value::from(page)
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
