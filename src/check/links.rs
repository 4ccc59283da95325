//! Internal links and anchors: every link in a page's content must reach a page or file
//! of the built site, and every `#fragment` an id on the target page.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;
use rayon::prelude::*;

use crate::check::place;
use crate::dataset::{Dataset, Scope};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Page;
use crate::markdown::RenderedMarkdown;
use crate::markdown::heading_id::HeadingIds;
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
    /// How the site makes heading ids, for suggesting the id a fragment meant.
    pub heading_ids: HeadingIds,
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
    // Made on the first finding: most pages have none. A page whose body was dropped
    // after it was rendered is read again then.
    let full = std::cell::OnceCell::new();
    let mut places = None;
    for link in &md.links {
        let nth = occurrences.entry(link.written.as_str()).or_default();
        *nth += 1;
        let (href, written) = (link.rendered.as_str(), link.written.as_str());
        let found = match problem_with(href, page, &md.ids, index) {
            Some(problem) => Some(problem.into_diagnostic(written)),
            None => cross_version(href, page, scope, index, written),
        };
        if let Some(diagnostic) = found {
            let places = places.get_or_insert_with(|| {
                let page = full.get_or_init(|| page.with_body().unwrap_or(Cow::Borrowed(page)));
                place::PagePlaces::new(page, md.included.as_ref())
            });
            diags.push(places.locate_nth(diagnostic, written, *nth));
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
        /// The id the link most likely meant.
        near: Option<String>,
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
                near,
            } => {
                let help = match near {
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
        Some(ids) if !ids.contains(&fragment) => Some(Problem::NoAnchor {
            target: format!("{}{}", index.base_path, page_key.trim_start_matches('/')),
            near: nearest_id(&fragment, ids, index.heading_ids),
            fragment,
        }),
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

/// The id a fragment most likely meant: the id its text makes in the site's style
/// (`#Install_Konvoy` -> `install-konvoy`), else the nearest id by spelling.
fn nearest_id(wanted: &str, ids: &HashSet<String>, style: HeadingIds) -> Option<String> {
    let slug = style.slug(wanted);
    if ids.contains(&slug) {
        return Some(slug);
    }
    ids.iter()
        .map(|id| (strsim::levenshtein(wanted, id), id))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, id)| id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_written_as_heading_text_suggests_its_id() {
        let ids: HashSet<String> = ["install-konvoy-21x".to_string(), "setup".into()].into();
        let near = |w: &str, s| nearest_id(w, &ids, s);
        assert_eq!(
            near("Install_Konvoy_2.1.x", HeadingIds::MarkdownIt).as_deref(),
            Some("install-konvoy-21x")
        );
        assert_eq!(near("setpu", HeadingIds::Github).as_deref(), Some("setup"));
        assert_eq!(near("unrelated-words", HeadingIds::MarkdownIt), None);
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
