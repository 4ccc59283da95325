//! The template stage: picks each page's layout, builds the context templates see, and
//! renders pages and shortcodes with Tera.

pub mod banner;
pub mod context;
pub mod facts;
#[cfg(test)]
mod facts_tests;
pub mod latest;
pub mod load_data;
pub mod page_meta;
pub mod switcher;
pub mod templates;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use tera::{Context, Tera, Value};

use crate::config::SiteConfig;
use crate::dataset::Dataset;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Page;
use crate::markdown::ShortcodeRenderer;
use crate::markdown::shortcode::ShortcodeCall;
use facts::{FACT_NAMES, FactArgs, Facts};
use templates::{BUILTIN_TEMPLATES, SiteTemplate};

/// The dataset and date version facts are computed from; shared with Tera's functions.
#[derive(Debug, Clone)]
pub struct FactSource {
    pub dataset: Option<Arc<Dataset>>,
    /// The site has a dataset file that failed validation: its errors are reported
    /// already, so facts print nothing rather than one more error each.
    pub dataset_invalid: bool,
    pub as_of: jiff::civil::Date,
    /// The site's base path (`/docs/`), for links facts print.
    pub base_path: String,
}

impl FactSource {
    /// Renders fact `name`; a site without a dataset gets an error saying how to add one.
    pub fn render(
        &self,
        name: &str,
        args: &FactArgs,
        page: Option<crate::dataset::Scope>,
    ) -> Result<String, String> {
        if self.dataset_invalid {
            return Ok(String::new());
        }
        let dataset = self.dataset.as_deref().ok_or_else(|| {
            format!("`{name}` needs the versions dataset, and this site has none: create data/versions.yaml (see docs/dataset.md)")
        })?;
        let facts = Facts {
            dataset,
            as_of: self.as_of,
            base_path: &self.base_path,
        };
        facts.render(name, args, page)
    }
}

/// Where page templates come from and how layout names map to them.
#[derive(Debug)]
pub struct Renderer {
    tera: Tera,
    site_templates: Vec<SiteTemplate>,
    /// Whether the site has page templates of its own (not only shortcodes or
    /// partials): without them, an unknown layout falls back to the built-in page template.
    has_page_templates: bool,
    config: SiteConfig,
    /// Shortcode template names by lowercase name (`techpreview` -> `techPreview`).
    shortcodes: BTreeMap<String, String>,
    facts: FactSource,
}

/// How a page's `layout` resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    Found(String),
    /// Not found; the built-in page template stands in (site without `templates/`).
    Fallback {
        wanted: String,
    },
    /// Not found, and the site has templates of its own: an error.
    Missing {
        wanted: String,
        available: Vec<String>,
    },
}

impl Renderer {
    pub fn new(
        site_root: &Path,
        config: &SiteConfig,
        facts: FactSource,
        diags: &mut Diagnostics,
    ) -> Renderer {
        let site_templates = templates::read_site_templates(site_root, diags);
        let data_files = Arc::new(load_data::DataFiles::new(site_root));
        let register = |tera: &mut Tera| {
            register_fact_functions(tera, &facts);
            load_data::register(tera, &data_files);
        };
        let tera = templates::build_tera(&site_templates, &register, diags);
        let shortcodes = shortcode_names(&site_templates);
        let has_page_templates = site_templates
            .iter()
            .any(|t| templates::is_page_template(&t.name));
        Renderer {
            tera,
            site_templates,
            has_page_templates,
            config: config.clone(),
            shortcodes,
            facts,
        }
    }

    /// The site's own templates, as read from `templates/`.
    pub fn site_templates(&self) -> &[SiteTemplate] {
        &self.site_templates
    }

    /// The template for a page's `layout` value: mapped in `folio.yaml`, else the name
    /// with its extension swapped for `.html` (`layout.pug` -> `layout.html`).
    pub fn resolve_layout(&self, layout: Option<&str>) -> Layout {
        let wanted = layout.map(str::trim).filter(|l| !l.is_empty());
        let name = match wanted {
            None => self.config.default_layout.clone(),
            Some(l) => self
                .config
                .layouts
                .get(l)
                .cloned()
                .unwrap_or_else(|| layout_template_name(l)),
        };
        if self.tera.contains_template(&name) {
            return Layout::Found(name);
        }
        let wanted = wanted.unwrap_or(&name).to_string();
        if self.has_page_templates {
            Layout::Missing {
                wanted,
                available: self.page_templates(),
            }
        } else {
            Layout::Fallback { wanted }
        }
    }

    /// Whether the site has its own template `name` under `templates/`.
    pub fn has_site_template(&self, name: &str) -> bool {
        self.site_templates.iter().any(|t| t.name == name)
    }

    /// The site's settings.
    pub fn config(&self) -> &SiteConfig {
        &self.config
    }

    /// The dataset and date the version facts are computed from.
    pub fn facts(&self) -> &FactSource {
        &self.facts
    }

    /// Templates a layout can name: the site's and the built-in ones, not shortcodes.
    fn page_templates(&self) -> Vec<String> {
        let own = self.site_templates.iter().map(|t| t.name.as_str());
        let builtin = BUILTIN_TEMPLATES.iter().map(|(n, _)| *n);
        let names: BTreeSet<&str> = own
            .chain(builtin)
            .filter(|n| !n.starts_with("shortcodes/"))
            .collect();
        names.into_iter().map(String::from).collect()
    }

    /// Renders a built-in page with a stand-in `page` (404, search): through the site's
    /// page template, so that it has the site's look; through the built-in one when the
    /// site's needs what only real pages have (front matter keys, a product) and the site
    /// does not replace `template` itself.
    pub fn render_stand_in(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        let through_site = self.render(template, context);
        if through_site.is_ok() || self.has_site_template(template) {
            return through_site;
        }
        self.render(&format!("{}page.html", templates::BUILTIN_PREFIX), context)
    }

    /// The theme's HTML for a sidebar entry `item` at `level`; `None` when the templates
    /// could not render it (the page's own render then reports why).
    pub fn render_nav_entry(&self, item: &tera::Value, level: usize) -> Option<String> {
        let mut context = Context::new();
        context.insert_value("item", item.clone());
        context.insert("level", &level);
        self.tera
            .render(templates::NAV_ENTRY_TEMPLATE, &context)
            .ok()
    }

    /// Renders `template` with `context`; an error points into the template.
    pub fn render(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera.render(template, context).map_err(|err| {
            let diagnostic = templates::template_error(&err, &self.site_templates);
            match diagnostic.file {
                Some(_) => diagnostic,
                // Tera names no template for some errors (component recursion): the
                // one rendered is where to start looking.
                None => diagnostic
                    .in_file(templates::shown_template(template))
                    .with_help(
                        "the cause is in this template or in one it includes, extends or calls",
                    ),
            }
        })
    }
}

/// `layout.pug` -> `layout.html`; a name without extension gets `.html`.
pub fn layout_template_name(layout: &str) -> String {
    let stem = match layout.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => layout,
    };
    format!("{stem}.html")
}

fn shortcode_names(site: &[SiteTemplate]) -> BTreeMap<String, String> {
    let own = site.iter().map(|t| t.name.as_str());
    let builtin = BUILTIN_TEMPLATES.iter().map(|(n, _)| *n);
    builtin
        .chain(own)
        .filter_map(|n| n.strip_prefix("shortcodes/")?.strip_suffix(".html"))
        .map(|n| (n.to_ascii_lowercase(), n.to_string()))
        .collect()
}

/// Makes every version fact a template function of the same name: `{{ supported_lines() }}`
/// for the page's own product and line, `{{ kubernetes_table(product="konvoy", line="2.0") }}`
/// for named ones.
fn register_fact_functions(tera: &mut Tera, facts: &FactSource) {
    for name in FACT_NAMES {
        let facts = facts.clone();
        tera.register_function(*name, move |kwargs: tera::Kwargs, state: &tera::State| {
            let args = FactArgs {
                product: kwargs.get::<String>("product")?,
                line: kwargs.get::<String>("line")?,
                release: kwargs.get::<String>("release")?,
                part: kwargs.get::<String>("part")?,
            };
            let scope = template_page_scope(&facts, state);
            facts
                .render(name, &args, scope)
                .map(|html| Value::safe_string(&html))
                .map_err(tera::Error::message)
        });
    }
}

/// The scope of the page being rendered, from `page.product` and `page.line`.
fn template_page_scope(facts: &FactSource, state: &tera::State) -> Option<crate::dataset::Scope> {
    let dataset = facts.dataset.as_deref()?;
    let page = state.get::<Value>("page").ok()??;
    let product = dataset.product(page.get_from_path("product")?.as_str()?)?;
    let line = page
        .get_from_path("line")
        .and_then(Value::as_str)
        .and_then(|line| dataset.line_index(product, line));
    Some(crate::dataset::Scope { product, line })
}

/// The arguments of a fact shortcode; an attribute facts do not take is an error.
fn fact_args(call: &ShortcodeCall) -> Result<FactArgs, String> {
    let mut args = FactArgs::default();
    for (key, value) in &call.attrs {
        let slot = match key.as_str() {
            "product" => &mut args.product,
            "line" => &mut args.line,
            "release" => &mut args.release,
            "part" => &mut args.part,
            other => {
                return Err(format!(
                    "`{}` takes no attribute `{other}`; it takes product, line, release and part",
                    call.name
                ));
            }
        };
        *slot = Some(value.clone());
    }
    Ok(args)
}

impl ShortcodeRenderer for Renderer {
    fn is_known(&self, name: &str) -> bool {
        self.shortcodes.contains_key(name) || FACT_NAMES.contains(&name)
    }

    fn has_site_template(&self, name: &str) -> bool {
        let stem = self.shortcodes.get(name).map_or(name, String::as_str);
        let template = format!("shortcodes/{stem}.html");
        self.site_templates.iter().any(|t| t.name == template)
    }

    fn names(&self) -> Vec<String> {
        let facts = FACT_NAMES.iter().map(|n| n.to_string());
        let all: BTreeSet<String> = self.shortcodes.values().cloned().chain(facts).collect();
        all.into_iter().collect()
    }

    fn render(&self, call: &ShortcodeCall, body_html: &str, page: &Page) -> Result<String, String> {
        if FACT_NAMES.contains(&call.name.as_str()) {
            let scope = self.facts.dataset.as_deref().and_then(|d| d.scope_of(page));
            return self.facts.render(&call.name, &fact_args(call)?, scope);
        }
        let mut context = Context::new();
        context.insert_value("body", Value::safe_string(body_html));
        context.insert("attrs", &call.attrs);
        context.insert("inline", &!call.block);
        context.insert(
            "page",
            &context::PageRef {
                title: &page.title,
                url: &page.url,
                path: &page.rel_path,
            },
        );
        let stem = self.shortcodes.get(&call.name).unwrap_or(&call.name);
        let template = format!("shortcodes/{stem}.html");
        self.tera.render(&template, &context).map_err(|err| {
            let diagnostic = templates::template_error(&err, &self.site_templates);
            match diagnostic.location() {
                Some(at) => format!("{} (at {at})", diagnostic.message),
                None => diagnostic.message,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_names_swap_their_extension() {
        assert_eq!(layout_template_name("layout.pug"), "layout.html");
        assert_eq!(layout_template_name("landing"), "landing.html");
        assert_eq!(layout_template_name("404.pug"), "404.html");
    }
}
