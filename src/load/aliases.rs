//! Front matter `aliases`: the old paths of a moved page, each redirected to it. An alias
//! is a path from the site root (`old/path/` or `/old/path/`; one whose last part has a
//! dot, `old/page.html`, names a file), never a URL with a scheme, a `..` or a query. An
//! alias that shadows a page, a `latest` URL, a file of the site or another alias is an
//! error (`alias-conflict`), as is a malformed one (`bad-alias`), in `folio check` and
//! `folio build` alike, pointing at the alias in the front matter.

use std::collections::HashMap;

use crate::diag::{Diagnostic, Diagnostics, Position};
use crate::load::Page;
use crate::output::OutputFile;
use crate::output::redirects::Redirect;

/// The redirects of every valid alias. `latest` and `files` are what the site already
/// publishes; an alias may not write over any of it.
pub fn page_aliases(
    pages: &[Page],
    latest: &[Redirect],
    files: &[OutputFile],
    diags: &mut Diagnostics,
) -> Vec<Redirect> {
    let mut taken = published(pages, latest, files);
    let mut redirects = Vec::new();
    for page in pages {
        for alias in &page.front.aliases {
            match checked(page, alias, &taken) {
                Ok(redirect) => {
                    taken.insert(redirect.output_path(), own_alias(page));
                    redirects.push(redirect);
                }
                Err(problem) => diags.push(problem),
            }
        }
    }
    redirects
}

/// The redirect of one alias of `page`, or why it cannot be one.
fn checked(
    page: &Page,
    alias: &str,
    taken: &HashMap<String, String>,
) -> Result<Redirect, Diagnostic> {
    let from = normalize(alias).map_err(|reason| bad_alias(page, alias, reason))?;
    if from == page.url {
        return Err(bad_alias(page, alias, "is this page's own URL"));
    }
    let redirect = Redirect {
        from,
        to: page.url.clone(),
    };
    match taken.get(&redirect.output_path()) {
        Some(shadowed) => Err(conflict(page, alias, shadowed)),
        None => Ok(redirect),
    }
}

/// What each output path of the site already holds, in words for messages.
fn published(pages: &[Page], latest: &[Redirect], files: &[OutputFile]) -> HashMap<String, String> {
    let mut taken: HashMap<String, String> = files
        .iter()
        .map(|f| (f.path().to_string(), format!("the file `{}`", f.path())))
        .collect();
    for redirect in latest {
        let what = format!("the `latest` URL `{}`", redirect.from);
        taken.insert(redirect.output_path(), what);
    }
    for page in pages {
        let path = format!("{}index.html", page.url.trim_start_matches('/'));
        taken.insert(path, format!("the page `{}`", page.file.display()));
    }
    taken
}

fn own_alias(page: &Page) -> String {
    format!("an alias of `{}`", page.file.display())
}

/// `old/path` -> `/old/path/`; `old/page.html` -> `/old/page.html`; or why it is no path.
fn normalize(alias: &str) -> Result<String, &'static str> {
    let path = alias.trim();
    if path.contains("://") || path.starts_with("//") || has_scheme(path) {
        return Err("is a URL; an alias is a path inside the site");
    }
    if path
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "?#\\\"".contains(c))
    {
        return Err("holds a space, quote, backslash, `?` or `#`");
    }
    let inner = path.trim_start_matches('/').trim_end_matches('/');
    if inner.is_empty() {
        return Err("is the site root, which is the home page");
    }
    let segments: Vec<&str> = inner.split('/').collect();
    if segments.iter().any(|s| matches!(*s, "" | "." | "..")) {
        return Err("has an empty, `.` or `..` part; an alias stays inside the site");
    }
    let names_file = !path.ends_with('/') && segments.last().is_some_and(|s| s.contains('.'));
    Ok(if names_file {
        format!("/{inner}")
    } else {
        format!("/{inner}/")
    })
}

/// `mailto:x` or `c:/x`: a colon before the first `/`.
fn has_scheme(path: &str) -> bool {
    let first = path.split('/').next().unwrap_or("");
    first.contains(':')
}

fn bad_alias(page: &Page, alias: &str, reason: &str) -> Diagnostic {
    let diagnostic = Diagnostic::error("bad-alias", format!("alias `{alias}` {reason}"))
        .with_help("write the page's old path from the site root, e.g. `aliases: [old/path/]`");
    at_alias(diagnostic, page, alias)
}

fn conflict(page: &Page, alias: &str, shadowed: &str) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        "alias-conflict",
        format!("alias `{alias}` shadows {shadowed}"),
    )
    .with_help(
        "an alias may only name a path nothing else publishes: remove it, or move what is there",
    );
    at_alias(diagnostic, page, alias)
}

/// Points at the alias in the front matter: its own text when it can be found below the
/// `aliases` key, else the key.
fn at_alias(diagnostic: Diagnostic, page: &Page, alias: &str) -> Diagnostic {
    let diagnostic = diagnostic.in_file(&page.file);
    let Some(key) = page.front.position_of("aliases") else {
        return diagnostic;
    };
    let lines = page
        .text
        .lines()
        .enumerate()
        .take(page.body_line.saturating_sub(1));
    let found = lines
        .skip(key.line.saturating_sub(1))
        .find_map(|(index, line)| {
            let byte = line.find(alias).filter(|_| !alias.is_empty())?;
            let column = line[..byte].chars().count() + 1;
            Some(Position::new(index + 1, column, alias.chars().count()))
        });
    diagnostic.at(&page.text, found.unwrap_or(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_paths_from_the_site_root() {
        assert_eq!(normalize("old/path").as_deref(), Ok("/old/path/"));
        assert_eq!(normalize("/old/path/").as_deref(), Ok("/old/path/"));
        assert_eq!(normalize("old/page.html").as_deref(), Ok("/old/page.html"));
        assert_eq!(normalize("v1.2/").as_deref(), Ok("/v1.2/"));
        for bad in [
            "https://x.com/a/",
            "//x.com/a",
            "mailto:a",
            "../a/",
            "a/../b",
            "a//b",
            "/",
            "a b",
            "a?x=1",
        ] {
            assert!(normalize(bad).is_err(), "{bad} accepted");
        }
    }
}
