//! The template stage: picks each page's layout, builds the context templates see, and
//! renders pages and shortcodes with Tera.

pub mod context;
pub mod templates;

use std::collections::BTreeSet;
use std::path::Path;

use tera::{Context, Tera, Value};

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Page;
use crate::markdown::ShortcodeRenderer;
use crate::markdown::shortcode::ShortcodeCall;
use templates::{BUILTIN_TEMPLATES, SiteTemplate};

/// Where page templates come from and how layout names map to them.
#[derive(Debug)]
pub struct Renderer {
    tera: Tera,
    site_templates: Vec<SiteTemplate>,
    /// Whether the site has a `templates/` folder: without one, an unknown layout falls
    /// back to the built-in page template.
    has_template_dir: bool,
    config: SiteConfig,
    shortcodes: BTreeSet<String>,
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
    pub fn new(site_root: &Path, config: &SiteConfig, diags: &mut Diagnostics) -> Renderer {
        let site_templates = templates::read_site_templates(site_root, diags);
        let tera = templates::build_tera(&site_templates, diags);
        let shortcodes = shortcode_names(&site_templates);
        let has_template_dir = site_root.join("templates").is_dir();
        Renderer {
            tera,
            site_templates,
            has_template_dir,
            config: config.clone(),
            shortcodes,
        }
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
        if self.has_template_dir {
            Layout::Missing {
                wanted,
                available: self.page_templates(),
            }
        } else {
            Layout::Fallback { wanted }
        }
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

    /// Renders `template` with `context`; an error points into the template.
    pub fn render(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, context)
            .map_err(|err| templates::template_error(&err, &self.site_templates))
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

fn shortcode_names(site: &[SiteTemplate]) -> BTreeSet<String> {
    let own = site.iter().map(|t| t.name.as_str());
    let builtin = BUILTIN_TEMPLATES.iter().map(|(n, _)| *n);
    own.chain(builtin)
        .filter_map(|n| n.strip_prefix("shortcodes/")?.strip_suffix(".html"))
        .map(String::from)
        .collect()
}

impl ShortcodeRenderer for Renderer {
    fn is_known(&self, name: &str) -> bool {
        self.shortcodes.contains(name)
    }

    fn names(&self) -> Vec<String> {
        self.shortcodes.iter().cloned().collect()
    }

    fn render(&self, call: &ShortcodeCall, body_html: &str, page: &Page) -> Result<String, String> {
        let mut context = Context::new();
        context.insert_value("body", Value::safe_string(body_html));
        context.insert("attrs", &call.attrs);
        context.insert("inline", &!call.block);
        context.insert(
            "page",
            &context::PageRef {
                title: &page.title,
                url: &page.url,
            },
        );
        let template = format!("shortcodes/{}.html", call.name);
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
