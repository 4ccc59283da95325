//! Loads the Tera templates: the built-in theme (embedded in the binary, under the
//! `__folio/` prefix) and the site's own `templates/`, which override it file by file.

use std::path::Path;

use crate::load::ContentDir;
use tera::Tera;

use crate::diag::{Diagnostic, Diagnostics, Position};

/// Prefix of the built-in templates; Tera falls back to it when a name is not found.
pub const BUILTIN_PREFIX: &str = "__folio/";

/// Renders one sidebar entry off a page's branch with the theme's `folio.nav_item`, once
/// for the whole site (see `nav::template_value`). Not a theme file: no layout names it.
pub const NAV_ENTRY_TEMPLATE: &str = "__folio/nav_entry.html";
const NAV_ENTRY_SOURCE: &str = "{{ <folio.nav_item item={item} level={level} /> }}";

/// The built-in theme: (template name, source).
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("theme/base.html")),
    ("page.html", include_str!("theme/page.html")),
    ("404.html", include_str!("theme/404.html")),
    ("search_page.html", include_str!("theme/search_page.html")),
    (
        "shortcodes/experimental.html",
        include_str!("theme/shortcodes/experimental.html"),
    ),
    (
        "shortcodes/enterprise.html",
        include_str!("theme/shortcodes/enterprise.html"),
    ),
    (
        "shortcodes/beta.html",
        include_str!("theme/shortcodes/beta.html"),
    ),
    (
        "shortcodes/community.html",
        include_str!("theme/shortcodes/community.html"),
    ),
    (
        "shortcodes/oss.html",
        include_str!("theme/shortcodes/oss.html"),
    ),
    (
        "shortcodes/preview.html",
        include_str!("theme/shortcodes/preview.html"),
    ),
    (
        "shortcodes/techPreview.html",
        include_str!("theme/shortcodes/techPreview.html"),
    ),
    (
        "shortcodes/message.html",
        include_str!("theme/shortcodes/message.html"),
    ),
    (
        "shortcodes/button.html",
        include_str!("theme/shortcodes/button.html"),
    ),
    (
        "shortcodes/search.html",
        include_str!("theme/shortcodes/search.html"),
    ),
    // Each feature of the theme owns one partial; base.html includes them all.
    (
        "partials/badge.html",
        include_str!("theme/partials/badge.html"),
    ),
    (
        "partials/head_meta.html",
        include_str!("theme/partials/head_meta.html"),
    ),
    (
        "partials/search_box.html",
        include_str!("theme/partials/search_box.html"),
    ),
    (
        "partials/version_switcher.html",
        include_str!("theme/partials/version_switcher.html"),
    ),
    (
        "partials/page_meta.html",
        include_str!("theme/partials/page_meta.html"),
    ),
    (
        "partials/scripts.html",
        include_str!("theme/partials/scripts.html"),
    ),
];

/// The built-in stylesheet, written to `_folio/style.css`: the base theme, then one part
/// per feature.
pub const THEME_CSS: &str = concat!(
    include_str!("theme/style.css"),
    include_str!("theme/css/search.css"),
    include_str!("theme/css/highlight.css"),
    include_str!("theme/css/versions.css"),
    include_str!("theme/css/page_meta.css"),
    include_str!("theme/css/badges.css"),
);

/// The built-in theme's script (the dark mode toggle), written to `_folio/theme.js`.
pub const THEME_JS: &str = include_str!("theme/theme.js");

/// A site template: its name (path under `templates/`) and source.
#[derive(Debug, Clone)]
pub struct SiteTemplate {
    pub name: String,
    pub source: String,
}

/// Reads every file under `templates/`; names use `/` whatever the platform. Links are
/// followed while they stay inside the site root, as in `content/`; others are errors.
pub fn read_site_templates(site_root: &Path, diags: &mut Diagnostics) -> Vec<SiteTemplate> {
    let folder = ContentDir::source_folder(site_root, "templates");
    if !folder.path.is_dir() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for file in crate::load::walk::walk_content(site_root, &folder, diags) {
        match crate::fsutil::read_to_string(&file.abs_path) {
            Ok(source) => found.push(SiteTemplate {
                name: file.rel_path,
                source,
            }),
            Err(err) => diags.push(
                Diagnostic::error("template", err.to_string())
                    .in_file(format!("templates/{}", file.rel_path)),
            ),
        }
    }
    found
}

/// Whether a site template can be a page's layout: shortcodes and partials cannot, so
/// a `templates/` folder holding only those still leaves unknown layouts to the
/// built-in page template.
pub fn is_page_template(name: &str) -> bool {
    !name.starts_with("shortcodes/") && !name.starts_with("partials/")
}

/// A Tera with the built-in theme and the site's templates. A site template with a
/// syntax error is reported and left out, and the others still load.
/// Builds Tera with the built-in and site templates; `functions` registers the template
/// functions first. A template that fails to compile is reported and stands as an empty
/// one, so the templates that extend or include it are not reported again for it.
pub fn build_tera(
    site: &[SiteTemplate],
    functions: &dyn Fn(&mut Tera),
    diags: &mut Diagnostics,
) -> Tera {
    let mut loading: Vec<SiteTemplate> = site.to_vec();
    let mut emptied: Vec<String> = Vec::new();
    loop {
        match try_build(&loading, functions) {
            Ok(tera) => return tera,
            Err(err) => {
                diags.push(template_error(&err, site));
                match failing_template(&err, &loading).filter(|n| !emptied.contains(n)) {
                    Some(name) => {
                        loading.retain(|t| t.name != name);
                        loading.push(SiteTemplate {
                            name: name.clone(),
                            source: String::new(),
                        });
                        emptied.push(name);
                    }
                    // The built-in theme itself fails: retrying cannot help.
                    None if loading.is_empty() => return Tera::new(),
                    None => loading.clear(),
                }
            }
        }
    }
}

fn try_build(site: &[SiteTemplate], functions: &dyn Fn(&mut Tera)) -> tera::TeraResult<Tera> {
    let mut tera = Tera::new();
    functions(&mut tera);
    tera.set_fallback_prefixes([BUILTIN_PREFIX])?;
    tera.autoescape_on([".html", ".htm", ".xml"]);
    let builtins = BUILTIN_TEMPLATES
        .iter()
        .map(|(name, source)| (format!("{BUILTIN_PREFIX}{name}"), *source));
    let own = site.iter().map(|t| (t.name.clone(), t.source.as_str()));
    let nav_entry = std::iter::once((NAV_ENTRY_TEMPLATE.to_string(), NAV_ENTRY_SOURCE));
    tera.add_raw_templates(builtins.chain(nav_entry).chain(own))?;
    Ok(tera)
}

/// The site template an error comes from, if it names one.
fn failing_template(err: &tera::Error, site: &[SiteTemplate]) -> Option<String> {
    let name = match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            report.filename().to_string()
        }
        tera::ErrorKind::MissingParent { current, .. }
        | tera::ErrorKind::CircularExtend { tpl: current, .. }
        | tera::ErrorKind::CircularInclude { tpl: current, .. } => current.clone(),
        _ => return None,
    };
    site.iter().any(|t| t.name == name).then_some(name)
}

/// A Tera error as a diagnostic pointing into the template file.
pub fn template_error(err: &tera::Error, site: &[SiteTemplate]) -> Diagnostic {
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let file = shown_template(report.filename());
            let span = report.span();
            let len = if span.start_line == span.end_line {
                span.end_col.saturating_sub(span.start_col)
            } else {
                1
            };
            let position = Position::new(span.start_line.max(1), span.start_col + 1, len);
            let source = template_source(report.filename(), site);
            Diagnostic::error("template", report.message().to_string())
                .in_file(file)
                .at(source, position)
        }
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            "template",
            format!("`{current}` extends `{parent}`, which does not exist"),
        )
        .in_file(shown_template(current))
        .with_help("create the parent template, or extend `base.html` from the built-in theme"),
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => template_loop(tpl, inheritance_chain, "extends", site),
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            template_loop(tpl, include_chain, "include", site)
        }
        other => Diagnostic::error("template", other.to_string()),
    }
}

/// Templates that extend or include each other in a loop, at the tag in `tpl` that
/// starts it (`{% include "b.html" %}`).
fn template_loop(tpl: &str, chain: &[String], tag: &str, site: &[SiteTemplate]) -> Diagnostic {
    let mut names: Vec<&str> = chain.iter().map(String::as_str).collect();
    if names.first() != Some(&tpl) {
        names.insert(0, tpl);
    }
    if names.len() == 1 || names.last() != Some(&tpl) {
        names.push(tpl);
    }
    let verb = if tag == "extends" {
        "extend"
    } else {
        "include"
    };
    let diagnostic = Diagnostic::error(
        "template",
        format!(
            "templates {verb} each other in a loop: {}",
            names.join(" -> ")
        ),
    )
    .in_file(shown_template(tpl))
    .with_help(format!(
        "remove one `{{% {tag} %}}` of this chain so it ends"
    ));
    let source = template_source(tpl, site);
    match tag_position(source, tag, names.get(1).copied().unwrap_or(tpl)) {
        Some(position) => diagnostic.at(source, position),
        None => diagnostic,
    }
}

/// Where `{% TAG "target" %}` is in `source`: its line and the column of the target.
fn tag_position(source: &str, tag: &str, target: &str) -> Option<Position> {
    source.lines().enumerate().find_map(|(index, line)| {
        let after_tag = line.find(tag)? + tag.len();
        let column = line[after_tag..].find(target)? + after_tag;
        Some(Position::new(index + 1, column + 1, target.len()))
    })
}

/// `templates/NAME` for a site template, `(built-in theme) NAME` for ours.
pub fn shown_template(name: &str) -> String {
    match name.strip_prefix(BUILTIN_PREFIX) {
        Some(builtin) => format!("(built-in theme) {builtin}"),
        None => format!("templates/{name}"),
    }
}

fn template_source<'s>(name: &str, site: &'s [SiteTemplate]) -> &'s str {
    let own = site
        .iter()
        .find(|t| t.name == name)
        .map(|t| t.source.as_str());
    own.or_else(|| {
        let builtin = name.strip_prefix(BUILTIN_PREFIX)?;
        BUILTIN_TEMPLATES
            .iter()
            .find(|(n, _)| *n == builtin)
            .map(|(_, s)| *s)
    })
    .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_theme_loads() {
        let mut diags = Diagnostics::default();
        let tera = build_tera(&[], &|_| {}, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        assert!(tera.contains_template("page.html"));
        assert!(tera.contains_template("shortcodes/button.html"));
    }

    #[test]
    fn shortcodes_and_partials_are_not_page_templates() {
        assert!(!is_page_template("shortcodes/swagger.html"));
        assert!(!is_page_template("partials/head_meta.html"));
        assert!(is_page_template("layout.html"));
        assert!(is_page_template("docs/landing.html"));
    }

    #[test]
    fn a_broken_site_template_is_reported_and_the_rest_loads() {
        let site = vec![
            SiteTemplate {
                name: "bad.html".into(),
                source: "line one\n{% if %}".into(),
            },
            SiteTemplate {
                name: "good.html".into(),
                source: "{% extends \"base.html\" %}".into(),
            },
        ];
        let mut diags = Diagnostics::default();
        let tera = build_tera(&site, &|_| {}, &mut diags);
        let error = diags.iter().next().expect("one error");
        assert_eq!(error.file.as_deref(), Some(Path::new("templates/bad.html")));
        assert_eq!(error.position.map(|p| p.line), Some(2));
        assert!(tera.contains_template("good.html"));
    }
}
