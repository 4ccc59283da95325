//! Structure: pages that navigation cannot reach in the way their folders suggest.

use std::collections::HashSet;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Page;

/// Pages without a parent index page, and visible pages under a hidden one.
pub fn check(pages: &[Page]) -> Diagnostics {
    let urls: HashSet<&str> = pages.iter().map(|p| p.url.as_str()).collect();
    let hidden: HashSet<&str> = pages
        .iter()
        .filter(|p| p.hidden())
        .map(|p| p.url.as_str())
        .collect();
    let mut diags = Diagnostics::default();
    for page in pages {
        let Some(parent) = parent_url(&page.url) else {
            continue;
        };
        if !urls.contains(parent) {
            diags.push(
                Diagnostic::warning("missing-parent", format!("`{}` has no parent page `{parent}`", page.url))
                    .in_file(&page.file)
                    .with_help(format!("add `content{parent}index.md` so navigation and breadcrumbs have a page for that folder")),
            );
        } else if hidden.contains(parent) && !page.hidden() {
            diags.push(
                Diagnostic::warning("hidden-parent", format!("`{}` is in navigation but its parent `{parent}` is hidden (`menuWeight: -1`)", page.url))
                    .in_file(&page.file)
                    .with_help("readers cannot reach it from navigation; hide it too, or show its parent"),
            );
        }
    }
    diags
}

/// `/a/b/` -> `/a/`; the home page has no parent.
fn parent_url(url: &str) -> Option<&str> {
    let trimmed = url.trim_end_matches('/');
    if trimmed.is_empty() {
        return None;
    }
    trimmed.rfind('/').map(|i| &url[..=i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_are_one_folder_up() {
        assert_eq!(parent_url("/a/b/"), Some("/a/"));
        assert_eq!(parent_url("/a/"), Some("/"));
        assert_eq!(parent_url("/"), None);
    }
}
