//! Internal links and anchors: every link in a page's content must reach a page or file
//! of the built site, and every `#fragment` an id on the target page.

use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;
use rayon::prelude::*;

use crate::dataset::{Dataset, Scope};
use crate::diag::{Diagnostic, Diagnostics, Position};
use crate::load::Page;
use crate::markdown::RenderedMarkdown;
use crate::markdown::links::{is_external, split_suffix};

/// What the built site holds: every output path, and the ids of every page.
#[derive(Debug)]
pub struct SiteIndex<'a> {
    pub outputs: HashSet<&'a str>,
    /// Page URL (below the base path, like `/a/b/`) -> ids on it.
    pub ids: HashMap<&'a str, &'a HashSet<String>>,
    pub base_path: &'a str,
    /// Says which product line each page documents, for cross-version links.
    pub dataset: Option<&'a Dataset>,
}

/// Checks every page's content links.
pub fn check(
    pages: &[Page],
    markdown: &[Option<RenderedMarkdown>],
    index: &SiteIndex,
) -> Diagnostics {
    let found: Vec<Diagnostics> = pages
        .par_iter()
        .zip(markdown.par_iter())
        .map(|(page, md)| match md {
            Some(md) => check_page(page, md, index),
            None => Diagnostics::default(),
        })
        .collect();
    let mut all = Diagnostics::default();
    found.into_iter().for_each(|d| all.extend(d));
    all
}

/// Every link of the page, each occurrence reported at its own place.
fn check_page(page: &Page, md: &RenderedMarkdown, index: &SiteIndex) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let mut occurrences: HashMap<&str, usize> = HashMap::new();
    let scope = index.dataset.and_then(|d| d.scope_of(page));
    for link in &md.links {
        let nth = occurrences.entry(link.written.as_str()).or_default();
        *nth += 1;
        let (href, written) = (link.rendered.as_str(), link.written.as_str());
        let found = match problem_with(href, page, &md.ids, index) {
            Some(problem) => Some(problem.into_diagnostic(written)),
            None => cross_version(href, page, scope, index, written),
        };
        if let Some(diagnostic) = found {
            diags.push(locate_nth(diagnostic, page, written, *nth));
        }
    }
    diags
}

/// A working link from one line's docs into another line of the same product: readers
/// follow it and silently switch versions.
fn cross_version(
    href: &str,
    page: &Page,
    scope: Option<Scope>,
    index: &SiteIndex,
    written: &str,
) -> Option<Diagnostic> {
    let (dataset, scope) = (index.dataset?, scope?);
    let from_line = scope.line?;
    let (path, _) = split_suffix(href);
    if href.is_empty() || is_external(href) || path.is_empty() {
        return None;
    }
    let target = resolve(path, &page.url, index.base_path)?;
    let last = target.rsplit('/').next().unwrap_or("");
    if last.contains('.') && !last.ends_with(".html") {
        return None; // an image or download, not a page the reader moves to
    }
    let target_scope = dataset.scope_of_path(&format!("{}/_", target.trim_matches('/')))?;
    let to_line = target_scope.line?;
    if target_scope.product != scope.product || to_line == from_line {
        return None;
    }
    let product = &dataset.products[scope.product];
    Some(
        Diagnostic::warning(
            "cross-version-link",
            format!(
                "link `{written}` leaves the {name} {} docs for {name} {}",
                product.lines[from_line].version,
                product.lines[to_line].version,
                name = product.name
            ),
        )
        .with_help(
            "link to the page of this line instead, or say in the text that the link leads to another version",
        ),
    )
}

/// Why a link does not work.
#[derive(Debug, PartialEq, Eq)]
enum Problem {
    NoTarget {
        target: String,
    },
    NoAnchor {
        target: String,
        fragment: String,
        ids: Vec<String>,
    },
}

impl Problem {
    fn into_diagnostic(self, written: &str) -> Diagnostic {
        match self {
            Problem::NoTarget { target } => Diagnostic::error(
                "broken-link",
                format!(
                    "link `{written}` leads nowhere: the site has no page or file at `{target}`"
                ),
            )
            .with_help(
                "fix the path, or create the page; relative links start from the folder of the page's source file",
            ),
            Problem::NoAnchor {
                target,
                fragment,
                ids,
            } => {
                let help = match closest(&fragment, &ids) {
                    Some(near) => format!("did you mean `#{near}`?"),
                    None => "link to a heading id of that page (shown by its `#` permalink)".into(),
                };
                Diagnostic::error(
                    "broken-anchor",
                    format!("link `{written}`: `{target}` has no id `{fragment}`"),
                )
                .with_help(help)
            }
        }
    }
}

fn problem_with(
    href: &str,
    page: &Page,
    own_ids: &HashSet<String>,
    index: &SiteIndex,
) -> Option<Problem> {
    if href.is_empty() || is_external(href) {
        return None;
    }
    let (path, suffix) = split_suffix(href);
    let fragment = suffix
        .split_once('#')
        .map(|(_, f)| decode(f))
        .filter(|f| !f.is_empty());
    let target = if path.is_empty() {
        page.url.clone()
    } else {
        resolve(path, &page.url, index.base_path)?
    };
    let file = target.trim_start_matches('/');
    let exists = if target.ends_with('/') {
        index.outputs.contains(format!("{file}index.html").as_str()) || file.is_empty()
    } else {
        index.outputs.contains(file)
            || index
                .outputs
                .contains(format!("{file}/index.html").as_str())
    };
    if !exists {
        return Some(Problem::NoTarget {
            target: format!("{}{file}", index.base_path),
        });
    }
    let fragment = fragment?;
    let page_key = if target.ends_with('/') {
        target.clone()
    } else {
        format!("{target}/")
    };
    let ids = if path.is_empty() {
        Some(own_ids)
    } else {
        index.ids.get(page_key.as_str()).copied()
    };
    match ids {
        Some(ids) if !ids.contains(&fragment) => {
            let mut ids: Vec<String> = ids.iter().cloned().collect();
            ids.sort();
            Some(Problem::NoAnchor {
                target: format!("{}{}", index.base_path, page_key.trim_start_matches('/')),
                fragment,
                ids,
            })
        }
        _ => None,
    }
}

/// The site path (below the base path, starting with `/`) a link points at; `None` for
/// links that cannot be checked (outside the base path).
fn resolve(path: &str, page_url: &str, base_path: &str) -> Option<String> {
    let decoded = decode(path);
    let (start, rest): (Vec<&str>, &str) = match decoded.strip_prefix('/') {
        Some(_) => (
            Vec::new(),
            decoded
                .strip_prefix(base_path)
                .or_else(|| (base_path == "/").then_some(&decoded[1..]))?,
        ),
        None => (
            page_url.split('/').filter(|s| !s.is_empty()).collect(),
            decoded.as_str(),
        ),
    };
    let mut parts = start;
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let trailing =
        if rest.ends_with('/') || rest.is_empty() || rest.ends_with("/.") || rest.ends_with("..") {
            "/"
        } else {
            ""
        };
    let joined = parts.join("/");
    Some(if joined.is_empty() {
        "/".into()
    } else {
        format!("/{joined}{trailing}")
    })
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

fn closest<'i>(wanted: &str, ids: &'i [String]) -> Option<&'i str> {
    ids.iter()
        .map(|id| (strsim::levenshtein(wanted, id), id))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, id)| id.as_str())
}

/// Points a finding at the first place the page's source writes the link.
pub fn locate(diagnostic: Diagnostic, page: &Page, written: &str) -> Diagnostic {
    locate_nth(diagnostic, page, written, 1)
}

/// Points a finding at the `nth` place (from 1) the page's source writes the link, in
/// any form (`](x)`, `href="x"`, `src='x'`, `[label]: x`); the last one when the source
/// holds fewer (a link from an include or a template).
pub fn locate_nth(diagnostic: Diagnostic, page: &Page, written: &str, nth: usize) -> Diagnostic {
    let diagnostic = diagnostic.in_file(&page.file);
    let places = places_written(&page.text, written);
    let Some(&offset) = places.get(nth - 1).or(places.last()) else {
        return diagnostic;
    };
    let before = &page.text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    diagnostic.at(
        &page.text,
        Position::new(line, column, written.chars().count()),
    )
}

/// The byte offsets where `text` writes `written` as a link destination, in order.
fn places_written(text: &str, written: &str) -> Vec<usize> {
    const LEADS: [&str; 6] = ["](", "href=\"", "src=\"", "href='", "src='", "]: "];
    let mut places: Vec<usize> = LEADS
        .iter()
        .flat_map(|lead| {
            let needle = format!("{lead}{written}");
            let found: Vec<usize> = text
                .match_indices(&needle)
                .map(|(i, _)| i + lead.len())
                .collect();
            found
        })
        .collect();
    places.sort_unstable();
    places
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_form_of_a_link_is_found_in_order() {
        let text = "[a](/x/)\n<a href=\"/x/\">b</a>\n[c]: /x/\n";
        assert_eq!(places_written(text, "/x/"), [4, 18, 34]);
    }

    #[test]
    fn relative_links_resolve_from_the_page_url() {
        assert_eq!(resolve("../b/", "/a/x/", "/").as_deref(), Some("/a/b/"));
        assert_eq!(
            resolve("img.png", "/a/x/", "/").as_deref(),
            Some("/a/x/img.png")
        );
        assert_eq!(resolve("/docs/a/", "/q/", "/docs/").as_deref(), Some("/a/"));
        assert_eq!(resolve("/other/", "/q/", "/docs/"), None);
        assert_eq!(resolve("..", "/a/b/", "/").as_deref(), Some("/a/"));
        assert_eq!(resolve("caf%C3%A9/", "/", "/").as_deref(), Some("/café/"));
    }
}
