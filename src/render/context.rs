//! What templates see. Every key is always present (optional ones are `none`), because
//! Tera 2 treats an undefined variable as an error.

use indexmap::IndexMap;
use serde::Serialize;
use tera::{Context, Value};

use crate::config::SiteConfig;
use crate::load::Page;
use crate::markdown::{RenderedMarkdown, TocEntry};
use crate::nav::{NavLink, NavTree};

/// The page as a shortcode template sees it.
#[derive(Debug, Serialize)]
pub struct PageRef<'a> {
    pub title: &'a str,
    pub url: &'a str,
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
#[derive(Debug, Serialize)]
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
    badges: Vec<&'static str>,
    product: Option<&'a str>,
    line: Option<&'a str>,
    front_matter: &'a IndexMap<String, serde_json::Value>,
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
    context.insert("nav", &input.nav.view(input.index));
    context.insert("breadcrumbs", &input.nav.breadcrumbs(input.index));
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
        badges: badges(page),
        product: input.version.map(|v| v.product.as_str()),
        line: input.version.and_then(|v| v.line.as_deref()),
        front_matter: &page.front.all,
    };
    let mut map = Value::try_from_serializable(&fields)?
        .into_map()
        .unwrap_or_default();
    map.insert("content".into(), Value::safe_string(&input.markdown.html));
    map.insert("banner".into(), banner_value(input.banner));
    Ok(Value::from(map))
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
    format!("{base_path}{}", page.url.trim_start_matches('/'))
}

fn link_to(page: &Page, base_path: &str) -> NavLink {
    NavLink {
        title: page.nav_title().to_string(),
        url: Some(page_url(page, base_path)),
    }
}

/// The context of the built-in `404.html` when the site has no 404 page of its own.
pub fn not_found_context(site: &SiteContext, nav: &NavTree) -> Context {
    let mut page = tera::Map::new();
    page.insert("title".into(), Value::from("Page not found"));
    page.insert("navigation_title".into(), Value::from("Page not found"));
    page.insert(
        "url".into(),
        Value::from(format!("{}404.html", site.base_path)),
    );
    page.insert("content".into(), Value::safe_string(""));
    page.insert("toc".into(), Value::from(Vec::<Value>::new()));
    page.insert("badges".into(), Value::from(Vec::<Value>::new()));
    page.insert("banner".into(), Value::none());
    page.insert("excerpt".into(), Value::none());
    page.insert("product".into(), Value::none());
    page.insert("line".into(), Value::none());
    let mut context = Context::new();
    context.insert_value("page", Value::from(page));
    context.insert("site", site);
    context.insert("nav", &nav.top_level());
    context.insert("breadcrumbs", &Vec::<NavLink>::new());
    context.insert("prev", &None::<NavLink>);
    context.insert("next", &None::<NavLink>);
    context
}
