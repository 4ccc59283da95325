//! Loads the Tera templates: the built-in theme (embedded in the binary, under the
//! `__folio/` prefix) and the site's own `templates/`, which override it file by file.

use std::path::Path;

use tera::Tera;
use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics, Position};

/// Prefix of the built-in templates; Tera falls back to it when a name is not found.
pub const BUILTIN_PREFIX: &str = "__folio/";

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

/// Reads every file under `templates/`; names use `/` whatever the platform.
pub fn read_site_templates(site_root: &Path, diags: &mut Diagnostics) -> Vec<SiteTemplate> {
    let dir = site_root.join("templates");
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for entry in WalkDir::new(&dir).follow_links(true).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_file() || !inside(site_root, entry.path()) {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        match crate::fsutil::read_to_string(entry.path()) {
            Ok(source) => found.push(SiteTemplate { name, source }),
            Err(err) => diags.push(
                Diagnostic::error("template", err.to_string()).in_file(format!("templates/{name}")),
            ),
        }
    }
    found
}

fn inside(site_root: &Path, path: &Path) -> bool {
    path.canonicalize().is_ok_and(|p| p.starts_with(site_root))
}

/// A Tera with the built-in theme and the site's templates. A site template with a
/// syntax error is reported and left out, and the others still load.
/// Builds Tera with the built-in and site templates; `functions` registers the template
/// functions first. A template that fails to compile is reported and left out.
pub fn build_tera(
    site: &[SiteTemplate],
    functions: &dyn Fn(&mut Tera),
    diags: &mut Diagnostics,
) -> Tera {
    let mut remaining: Vec<&SiteTemplate> = site.iter().collect();
    loop {
        match try_build(&remaining, functions) {
            Ok(tera) => return tera,
            Err(err) => {
                let failed = failing_template(&err, &remaining);
                diags.push(template_error(&err, site));
                match failed {
                    Some(name) => remaining.retain(|t| t.name != name),
                    // The built-in theme itself fails: retrying cannot help.
                    None if remaining.is_empty() => return Tera::new(),
                    None => remaining.clear(),
                }
            }
        }
    }
}

fn try_build(site: &[&SiteTemplate], functions: &dyn Fn(&mut Tera)) -> tera::TeraResult<Tera> {
    let mut tera = Tera::new();
    functions(&mut tera);
    tera.set_fallback_prefixes([BUILTIN_PREFIX])?;
    tera.autoescape_on([".html", ".htm", ".xml"]);
    let builtins = BUILTIN_TEMPLATES
        .iter()
        .map(|(name, source)| (format!("{BUILTIN_PREFIX}{name}"), *source));
    let own = site.iter().map(|t| (t.name.clone(), t.source.as_str()));
    tera.add_raw_templates(builtins.chain(own))?;
    Ok(tera)
}

/// The site template an error comes from, if it names one.
fn failing_template(err: &tera::Error, site: &[&SiteTemplate]) -> Option<String> {
    let name = match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            report.filename().to_string()
        }
        tera::ErrorKind::MissingParent { current, .. }
        | tera::ErrorKind::CircularExtend { tpl: current, .. } => current.clone(),
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
        other => Diagnostic::error("template", other.to_string()),
    }
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
