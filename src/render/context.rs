//! What templates see. Every key is always present (optional ones are `none`), because
//! Tera 2 treats an undefined variable as an error.

use indexmap::IndexMap;
use serde::Serialize;
use tera::{Context, Value};

use crate::config::SiteConfig;
use crate::load::Page;
use crate::markdown::html::escape;
use crate::markdown::{RenderedMarkdown, TocEntry};
use crate::nav::{NavLink, NavTree};
use crate::render::page_meta::PageMeta;

/// The page as a shortcode template sees it.
#[derive(Debug, Serialize)]
pub struct PageRef<'a> {
    pub title: &'a str,
    pub url: &'a str,
    /// The page's source path below `content/`; `load_data` resolves paths from it.
    pub path: &'a str,
}

/// `site` in templates.
#[derive(Debug, Clone, Serialize)]
pub struct SiteContext {
    pub title: String,
    pub base_url: String,
    pub base_path: String,
    pub theme_css: String,
    /// Whether the site has search (`search:` in folio.yaml).
    pub search: bool,
}

impl SiteContext {
    pub fn new(config: &SiteConfig, base_path: &str) -> SiteContext {
        SiteContext {
            title: config.title.clone(),
            base_url: config.base_url.clone(),
            base_path: base_path.to_string(),
            theme_css: format!("{base_path}_folio/style.css"),
            search: config.search,
        }
    }
}

/// A notice shown above a page's content (support banners use it).
#[derive(Debug, Clone, Serialize)]
pub struct Banner {
    pub kind: String,
    pub html: String,
}

/// `page` in templates, except `content` and `banner.html`, which are added as safe HTML.
#[derive(Debug, Default, Serialize)]
struct PageContext<'a> {
    title: &'a str,
    navigation_title: &'a str,
    url: String,
    path: &'a str,
    layout: Option<&'a str>,
    menu_weight: Option<i64>,
    excerpt: Option<&'a str>,
    beta: bool,
    enterprise: bool,
    draft: bool,
    toc: &'a [TocEntry],
    /// Whether the theme's table of contents lists anything (see `toc_lists_anything`).
    has_toc: bool,
    badges: Vec<&'static str>,
    product: Option<&'a str>,
    line: Option<&'a str>,
    front_matter: FrontMatter<'a>,
}

/// A page's whole front matter; none (an empty map) for the built-in 404's stand-in.
#[derive(Debug, Default)]
struct FrontMatter<'a>(Option<&'a IndexMap<String, serde_json::Value>>);

impl Serialize for FrontMatter<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(all) => all.serialize(serializer),
            None => IndexMap::<String, serde_json::Value>::new().serialize(serializer),
        }
    }
}

/// Everything one page template needs.
#[derive(Debug)]
pub struct PageInput<'a> {
    pub site: &'a SiteContext,
    pub pages: &'a [Page],
    pub index: usize,
    pub markdown: &'a RenderedMarkdown,
    pub nav: &'a NavTree,
    pub banner: Option<&'a Banner>,
    /// The product id and line the page documents, from the dataset.
    pub version: Option<&'a PageVersion>,
    /// The version switcher, on pages of a release line's docs folder.
    pub versions: Option<&'a crate::render::switcher::VersionSwitch>,
    /// Canonical URL, `noindex`, edit link and last-change date.
    pub meta: &'a PageMeta,
}

/// `page.product` and `page.line` in templates; version fact functions read them.
#[derive(Debug, Clone)]
pub struct PageVersion {
    pub product: String,
    pub line: Option<String>,
}

/// The full context for rendering page `input.index`.
pub fn page_context(input: &PageInput) -> Result<Context, tera::Error> {
    let mut context = Context::new();
    context.insert_value("page", page_value(input)?);
    context.insert("site", input.site);
    context.insert_value("nav", input.nav.view_value(input.index));
    context.insert("breadcrumbs", &input.nav.breadcrumbs(input.index));
    context.insert("versions", &input.versions);
    let (prev, next) = input.nav.neighbours(input.index);
    context.insert(
        "prev",
        &prev.map(|i| link_to(&input.pages[i], &input.site.base_path)),
    );
    context.insert(
        "next",
        &next.map(|i| link_to(&input.pages[i], &input.site.base_path)),
    );
    Ok(context)
}

fn page_value(input: &PageInput) -> Result<Value, tera::Error> {
    let page = &input.pages[input.index];
    let fields = PageContext {
        title: &page.title,
        navigation_title: page.nav_title(),
        url: page_url(page, &input.site.base_path),
        path: &page.rel_path,
        layout: page.front.layout.as_deref(),
        menu_weight: page.front.menu_weight,
        excerpt: page.front.excerpt.as_deref(),
        beta: page.front.beta,
        enterprise: page.front.enterprise,
        draft: page.front.draft,
        toc: &input.markdown.toc,
        has_toc: toc_lists_anything(&input.markdown.toc),
        badges: badges(page),
        product: input.version.map(|v| v.product.as_str()),
        line: input.version.and_then(|v| v.line.as_deref()),
        front_matter: FrontMatter(Some(&page.front.all)),
    };
    page_map(&fields, input.markdown, input.banner, Some(input.meta))
}

/// `page`: its fields, its content (whole, and split at a leading `<h1>`), banner and
/// meta (canonical URL, `noindex`, edit link, last update).
fn page_map(
    fields: &PageContext,
    markdown: &RenderedMarkdown,
    banner: Option<&Banner>,
    meta: Option<&PageMeta>,
) -> Result<Value, tera::Error> {
    let mut map = Value::try_from_serializable(fields)?
        .into_map()
        .unwrap_or_default();
    let html = &markdown.html;
    let (h1, rest) = html.split_at(markdown.leading_h1_end.unwrap_or(0));
    let h1 = Some(h1.trim()).filter(|h| !h.is_empty());
    map.insert("content".into(), Value::safe_string(html));
    map.insert(
        "content_h1".into(),
        h1.map_or_else(Value::none, Value::safe_string),
    );
    map.insert("content_without_h1".into(), Value::safe_string(rest));
    map.insert("banner".into(), banner_value(banner));
    insert_meta(&mut map, meta);
    Ok(Value::from(map))
}

/// The theme lists headings of levels 2 and 3, at the top or below a level-1 heading.
fn toc_lists_anything(entries: &[TocEntry]) -> bool {
    entries
        .iter()
        .any(|e| matches!(e.level, 2 | 3) || (e.level < 2 && toc_lists_anything(&e.children)))
}

fn banner_value(banner: Option<&Banner>) -> Value {
    let Some(banner) = banner else {
        return Value::none();
    };
    let mut map = tera::Map::new();
    map.insert("kind".into(), Value::from(banner.kind.as_str()));
    map.insert("html".into(), Value::safe_string(&banner.html));
    Value::from(map)
}

/// `page.canonical`, `page.noindex`, `page.edit_url` and `page.last_updated`; the 404
/// page (`None`) has no canonical URL and is never indexed.
fn insert_meta(map: &mut tera::Map, meta: Option<&PageMeta>) {
    let text = |t: Option<String>| t.map_or_else(Value::none, Value::from);
    map.insert("canonical".into(), text(meta.map(|m| m.canonical.clone())));
    map.insert(
        "noindex".into(),
        Value::from(meta.is_none_or(|m| m.noindex)),
    );
    map.insert(
        "edit_url".into(),
        text(meta.and_then(|m| m.edit_url.clone())),
    );
    let updated = meta.and_then(|m| m.last_updated).map(|d| d.to_string());
    map.insert("last_updated".into(), text(updated));
}

fn badges(page: &Page) -> Vec<&'static str> {
    let mut badges = Vec::new();
    if page.front.beta {
        badges.push("beta");
    }
    if page.front.enterprise {
        badges.push("enterprise");
    }
    if page.front.draft {
        badges.push("draft");
    }
    badges
}

/// A page's URL with the site's base path.
pub fn page_url(page: &Page, base_path: &str) -> String {
    crate::load::url::href(base_path, &page.url)
}

fn link_to(page: &Page, base_path: &str) -> NavLink {
    NavLink {
        title: page.nav_title().to_string(),
        url: Some(page_url(page, base_path)),
    }
}

/// The context of the built-in `404.html` when the site has no 404 page of its own: a
/// stand-in page with every field a page has, so that the site's own page template,
/// which the built-in 404 goes through, can render it.
pub fn not_found_context(site: &SiteContext, nav: &NavTree) -> Result<Context, tera::Error> {
    let fields = PageContext {
        title: "Page not found",
        navigation_title: "Page not found",
        url: format!("{}404.html", site.base_path),
        path: "404.html",
        ..PageContext::default()
    };
    let markdown = RenderedMarkdown {
        html: not_found_html(site),
        ..RenderedMarkdown::default()
    };
    let mut context = Context::new();
    context.insert_value("page", page_map(&fields, &markdown, None, None)?);
    context.insert("site", site);
    context.insert("nav", &nav.top_level());
    context.insert("breadcrumbs", &Vec::<NavLink>::new());
    context.insert("versions", &None::<crate::render::switcher::VersionSwitch>);
    context.insert("prev", &None::<NavLink>);
    context.insert("next", &None::<NavLink>);
    Ok(context)
}

/// The text of the built-in 404 page, as its `page.content`.
fn not_found_html(site: &SiteContext) -> String {
    let title = escape(&site.title);
    format!(
        "<div class=\"not-found\">\n<p>Nothing lives at this address. The page may have moved, or the link that brought you here may be out of date.</p>\n<p><a class=\"button\" href=\"{}\">Go to the {title} home page</a></p>\n</div>\n",
        escape(&site.base_path)
    )
}
