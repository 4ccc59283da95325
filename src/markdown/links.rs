//! Link destinations as writers type them, turned into URLs of the built site: `.md`
//! files become page URLs and root-absolute paths get the site's base path.

use crate::load::page::url_for;

/// The rewritten destination, or `None` to keep `url` as written.
pub fn rewrite(url: &str, page_rel_path: &str, base_path: &str) -> Option<String> {
    if is_external(url) || url.starts_with('#') || url.is_empty() {
        return None;
    }
    let (path, suffix) = split_suffix(url);
    if path.ends_with(".md") {
        let source = resolve_source(path, page_rel_path)?;
        return Some(format!(
            "{}{}{suffix}",
            base_path,
            url_for(&source).trim_start_matches('/')
        ));
    }
    match path.strip_prefix('/') {
        Some(rest) if base_path != "/" => Some(format!("{base_path}{rest}{suffix}")),
        _ => None,
    }
}

/// A URL with a scheme (`https:`, `mailto:`) or protocol-relative (`//host`).
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Splits `path?query#fragment` into the path and the rest.
pub fn split_suffix(url: &str) -> (&str, &str) {
    let cut = url.find(['?', '#']).unwrap_or(url.len());
    (&url[..cut], &url[cut..])
}

/// A `.md` path as a content-relative source path: root-absolute from the content
/// root, otherwise relative to the folder of the linking page. `None` if it climbs out.
pub fn resolve_source(path: &str, page_rel_path: &str) -> Option<String> {
    let mut parts: Vec<&str> = match path.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => page_rel_path.split('/').collect(),
    };
    if !path.starts_with('/') {
        parts.pop();
    }
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md_links_become_page_urls() {
        assert_eq!(
            rewrite("install.md", "dkp/konvoy/2.1/index.md", "/").as_deref(),
            Some("/dkp/konvoy/2.1/install/")
        );
        assert_eq!(
            rewrite("../2.0/index.md#top", "dkp/konvoy/2.1/index.md", "/").as_deref(),
            Some("/dkp/konvoy/2.0/#top")
        );
        assert_eq!(
            rewrite("/a/b.md", "x/y.md", "/docs/").as_deref(),
            Some("/docs/a/b/")
        );
    }

    #[test]
    fn other_links_keep_their_form() {
        assert_eq!(rewrite("https://example.com/a.md", "a.md", "/"), None);
        assert_eq!(rewrite("#anchor", "a.md", "/"), None);
        assert_eq!(rewrite("../img.png", "a/b.md", "/"), None);
        assert_eq!(rewrite("/img.png", "a/b.md", "/"), None);
        assert_eq!(
            rewrite("/img.png", "a/b.md", "/docs/").as_deref(),
            Some("/docs/img.png")
        );
    }
}
