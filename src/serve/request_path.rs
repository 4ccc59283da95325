//! Request paths to keys of the built site held in memory. Only keys of that map are ever
//! looked up, so nothing outside the output can be served; traversal attempts are still
//! refused outright so they show up as bad requests rather than as missing pages.

use percent_encoding::percent_decode_str;

/// A request path that tries to leave the site or hides what it asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused;

/// Where a request path points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Below the base path: the path relative to it, decoded (`a/b/`, `a/b`, ``).
    InSite(String),
    /// The base path without its trailing slash (`/docs` for `/docs/`).
    BaseWithoutSlash,
    /// Outside the base path.
    Outside,
}

/// Decodes `raw` (a URL path without its query) and places it relative to `base_path`
/// (which starts and ends with `/`).
pub fn target(raw: &str, base_path: &str) -> Result<Target, Refused> {
    let decoded = percent_decode_str(raw).decode_utf8().map_err(|_| Refused)?;
    if !decoded.starts_with('/') || decoded.contains(['\0', '\\']) {
        return Err(Refused);
    }
    let inner = &decoded[1..];
    let bad_segment = |s: &str| s == ".." || s == "." || looks_like_drive(s);
    // An empty segment anywhere but at the end (`//etc/passwd`, `/a//b`) is an absolute
    // path in disguise or a mistake; neither names a page.
    let segments: Vec<&str> = inner.split('/').collect();
    let last = segments.len() - 1;
    let empty_inside = segments
        .iter()
        .enumerate()
        .any(|(i, s)| s.is_empty() && i != last);
    if empty_inside || segments.iter().any(|s| bad_segment(s)) {
        return Err(Refused);
    }
    Ok(match decoded.strip_prefix(base_path) {
        Some(rest) => Target::InSite(rest.to_string()),
        None if decoded == base_path.trim_end_matches('/') => Target::BaseWithoutSlash,
        None => Target::Outside,
    })
}

/// `C:` and the like: a Windows drive, never part of a page path.
fn looks_like_drive(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    bytes.len() == 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

/// The key of the file a site path names: folders mean their `index.html`.
pub fn file_key(site_path: &str) -> String {
    if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        site_path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_site(path: &str) -> Result<Target, Refused> {
        target(path, "/")
    }

    #[test]
    fn plain_paths_are_relative_to_the_base() {
        assert_eq!(in_site("/a/b/"), Ok(Target::InSite("a/b/".into())));
        assert_eq!(in_site("/"), Ok(Target::InSite(String::new())));
        assert_eq!(
            target("/docs/a/", "/docs/"),
            Ok(Target::InSite("a/".into()))
        );
        assert_eq!(target("/docs", "/docs/"), Ok(Target::BaseWithoutSlash));
        assert_eq!(target("/other/", "/docs/"), Ok(Target::Outside));
        assert_eq!(in_site("/caf%C3%A9/"), Ok(Target::InSite("café/".into())));
    }

    #[test]
    fn traversal_in_any_spelling_is_refused() {
        for path in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/..%2f..%2fetc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E%5c%2E%2E%5cwindows",
            "//etc/passwd",
            "/a//b",
            "/./a",
            "/C:/Windows/win.ini",
            "/a%00.html",
            "/%ff%fe",
            "relative/path",
        ] {
            assert_eq!(in_site(path), Err(Refused), "{path}");
        }
    }

    #[test]
    fn folders_mean_their_index_page() {
        assert_eq!(file_key(""), "index.html");
        assert_eq!(file_key("a/b/"), "a/b/index.html");
        assert_eq!(file_key("_folio/style.css"), "_folio/style.css");
    }
}
