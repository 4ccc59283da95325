//! Front matter `aliases`: the old paths of a moved page, each redirected to it. An alias
//! is a path from the site root (`old/path/` or `/old/path/`; one whose last part ends in
//! a lettered extension, `old/page.html`, names a file, while `konvoy/1.5` is a folder),
//! never a URL with a scheme, a `..` or a query. An alias that shadows a page, a `latest`
//! URL, a file of the site or another alias (or needs a folder where one of those is a
//! file, or the reverse) is an error (`alias-conflict`), as is a malformed one
//! (`bad-alias`), in `folio check` and `folio build` alike, pointing at the alias in the
//! front matter.

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
    let mut taken = Published::of(pages, latest, files);
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
fn checked(page: &Page, alias: &str, taken: &Published) -> Result<Redirect, Diagnostic> {
    let from = normalize(alias).map_err(|reason| bad_alias(page, alias, reason))?;
    if from == page.url {
        return Err(bad_alias(page, alias, "is this page's own URL"));
    }
    let redirect = Redirect {
        from,
        to: page.url.clone(),
    };
    match taken.clash(&redirect.output_path()) {
        Some(shadowed) => Err(conflict(page, alias, &shadowed)),
        None => Ok(redirect),
    }
}

/// What the site already publishes: each output file, in words for messages, and each
/// folder those files need.
struct Published {
    files: HashMap<String, String>,
    folders: HashMap<String, String>,
}

impl Published {
    fn of(pages: &[Page], latest: &[Redirect], files: &[OutputFile]) -> Published {
        let mut published = Published {
            files: HashMap::new(),
            folders: HashMap::new(),
        };
        for file in files {
            published.insert(
                file.path().to_string(),
                format!("the file `{}`", file.path()),
            );
        }
        for redirect in latest {
            let what = format!("the `latest` URL `{}`", redirect.from);
            published.insert(redirect.output_path(), what);
        }
        for page in pages {
            let path = super::url::output_path(&page.url);
            published.insert(path, format!("the page `{}`", page.file.display()));
        }
        published
    }

    fn insert(&mut self, path: String, what: String) {
        for (index, _) in path.match_indices('/') {
            let folder = &path[..index];
            if !self.folders.contains_key(folder) {
                self.folders.insert(folder.to_string(), what.clone());
            }
        }
        self.files.insert(path, what);
    }

    /// What writing `path` would collide with: the same file, a folder of that name, or a
    /// file where `path` needs a folder.
    fn clash(&self, path: &str) -> Option<String> {
        if let Some(what) = self.files.get(path) {
            return Some(what.clone());
        }
        if let Some(what) = self.folders.get(path) {
            return Some(format!("the folder `{path}/` of {what}"));
        }
        let mut parents = path.match_indices('/').map(|(index, _)| &path[..index]);
        parents.find_map(|folder| self.files.get(folder).cloned())
    }
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
    let names_file = !path.ends_with('/') && segments.last().is_some_and(|s| has_extension(s));
    Ok(if names_file {
        format!("/{inner}")
    } else {
        format!("/{inner}/")
    })
}

/// `page.html` or `notes.php`, but not `1.5` or `v2.0`: version folders have dots too.
fn has_extension(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(stem, extension)| {
        !stem.is_empty()
            && !extension.is_empty()
            && extension.chars().all(|c| c.is_ascii_alphabetic())
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
    fn a_file_where_a_folder_is_needed_and_the_reverse_clash() {
        let mut published = Published {
            files: HashMap::new(),
            folders: HashMap::new(),
        };
        published.insert("app/3.0/index.html".into(), "the page".into());
        published.insert("notes.txt".into(), "the file".into());
        assert_eq!(
            published.clash("app/3.0/index.html").as_deref(),
            Some("the page")
        );
        assert_eq!(
            published.clash("app/3.0").as_deref(),
            Some("the folder `app/3.0/` of the page")
        );
        assert_eq!(
            published.clash("notes.txt/index.html").as_deref(),
            Some("the file")
        );
        assert_eq!(published.clash("app/2.0/index.html"), None);
    }

    #[test]
    fn aliases_are_paths_from_the_site_root() {
        assert_eq!(normalize("old/path").as_deref(), Ok("/old/path/"));
        assert_eq!(normalize("/old/path/").as_deref(), Ok("/old/path/"));
        assert_eq!(normalize("old/page.html").as_deref(), Ok("/old/page.html"));
        assert_eq!(normalize("v1.2/").as_deref(), Ok("/v1.2/"));
        assert_eq!(normalize("konvoy/1.5").as_deref(), Ok("/konvoy/1.5/"));
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
