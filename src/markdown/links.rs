//! Link destinations as writers type them, turned into URLs of the built site, in one
//! pass over a page's finished HTML so markdown links, raw HTML and shortcode output all
//! follow the same rules:
//! - a link to a `.md` file becomes that page's URL;
//! - a root-absolute path (`/img/x.png`) gets the site's base path;
//! - a relative path resolves from the folder of the page's source file, as on GitHub:
//!   `![](pic.png)` in `a/b.md` is `a/pic.png`. For `a/b/index.md` that folder is the
//!   page's own URL, so the link stays as written; for `a/b.md` (URL `/a/b/`) it is
//!   written out as a root-absolute URL.

use std::cell::RefCell;
use std::collections::HashSet;

use lol_html::{HtmlRewriter, Settings, element};

use crate::load::page::url_for;

/// A link destination as the writer typed it and as it ends up in the HTML.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourceLink {
    pub written: String,
    pub rendered: String,
}

/// A page's HTML with its links rewritten, every link in document order, and every
/// `id` (and `<a name>`) anchors can reach.
#[derive(Debug, Default)]
pub struct RewrittenHtml {
    pub html: String,
    pub links: Vec<SourceLink>,
    pub ids: HashSet<String>,
}

/// Whether raw HTML in markdown `text` may hold an attribute the pass over the finished
/// HTML reads (`href`, `src`, `id`, `name`): some `<` and some `=` after one of those
/// names. Loose on purpose (`?id=3` in a link counts too): a false yes costs a pass.
pub fn may_hold_link_attributes(text: &str) -> bool {
    if !text.contains('<') {
        return false;
    }
    let bytes = text.as_bytes();
    text.match_indices('=').any(|(at, _)| {
        let before = bytes[..at].trim_ascii_end();
        let word_start = before
            .iter()
            .rposition(|b| !b.is_ascii_alphanumeric() && *b != b'-')
            .map_or(0, |i| i + 1);
        let word = &before[word_start..];
        ["href", "src", "id", "name"]
            .iter()
            .any(|name| word.eq_ignore_ascii_case(name.as_bytes()))
    })
}

/// Rewrites every `href` and `src` of `html` (see the module docs) and collects ids.
pub fn rewrite_html(html: &str, page_rel_path: &str, base_path: &str) -> RewrittenHtml {
    let found = RefCell::new(RewrittenHtml::default());
    let mut out = Vec::with_capacity(html.len() + html.len() / 16);
    let settings = Settings::new()
        .append_element_content_handler(element!("[href], [src]", |el| {
            for name in ["href", "src"] {
                let Some(raw) = el.get_attribute(name) else {
                    continue;
                };
                let written = unescape(&raw);
                let rendered = rewrite(&written, page_rel_path, base_path);
                if let Some(url) = &rendered {
                    el.set_attribute(name, &super::html::escape(url))?;
                }
                let rendered = rendered.unwrap_or_else(|| written.clone());
                found
                    .borrow_mut()
                    .links
                    .push(SourceLink { written, rendered });
            }
            Ok(())
        }))
        .append_element_content_handler(element!("[id], a[name]", |el| {
            let mut found = found.borrow_mut();
            found
                .ids
                .extend(el.get_attribute("id").map(|id| unescape(&id)));
            if el.tag_name() == "a" {
                found
                    .ids
                    .extend(el.get_attribute("name").map(|n| unescape(&n)));
            }
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| out.extend_from_slice(chunk));
    let written = rewriter
        .write(html.as_bytes())
        .and_then(|()| rewriter.end());
    let mut result = found.into_inner();
    result.html = match (written, String::from_utf8(out)) {
        (Ok(()), Ok(text)) => text,
        // lol_html only fails on memory limits we do not set; keep the page as it was.
        _ => html.to_string(),
    };
    result
}

/// The rewritten destination, or `None` to keep `url` as written.
pub fn rewrite(url: &str, page_rel_path: &str, base_path: &str) -> Option<String> {
    if is_external(url) || url.starts_with('#') || url.is_empty() {
        return None;
    }
    let (path, suffix) = split_suffix(url);
    if path.is_empty() {
        return None;
    }
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
        Some(_) => None,
        None if is_index_page(page_rel_path) => None,
        None => {
            let source = resolve_source(path, page_rel_path)?;
            let slash = if path.ends_with('/') && !source.is_empty() {
                "/"
            } else {
                ""
            };
            Some(format!("{base_path}{source}{slash}{suffix}"))
        }
    }
}

/// `index.md` pages: their URL is their source folder, so relative links need nothing.
fn is_index_page(page_rel_path: &str) -> bool {
    page_rel_path == "index.md" || page_rel_path.ends_with("/index.md")
}

/// The five entities pulldown-cmark writes in attributes, and what writers type in raw
/// HTML, decoded (`amp&amp;er.md` is the file `amp&er.md`).
fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
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
    fn only_raw_html_with_link_or_id_attributes_needs_the_html_pass() {
        assert!(!may_hold_link_attributes("a <br> b, x = 1, [l](a.md)"));
        assert!(!may_hold_link_attributes("no markup, id=3"));
        for text in [
            "<a href=\"x\">",
            "<IMG SRC = 'x'>",
            "<span id=top>",
            "<a name=\"old\">",
            "<br> [l](a?id=3)",
        ] {
            assert!(may_hold_link_attributes(text), "{text}");
        }
        assert!(!may_hold_link_attributes("<p data-id=\"x\" hidden=1>"));
    }

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
    fn relative_links_resolve_from_the_source_folder() {
        assert_eq!(
            rewrite("pic.png", "a/b.md", "/").as_deref(),
            Some("/a/pic.png")
        );
        assert_eq!(
            rewrite("../img.png", "a/b.md", "/docs/").as_deref(),
            Some("/docs/img.png")
        );
        assert_eq!(rewrite("sub/", "a/b.md", "/").as_deref(), Some("/a/sub/"));
        assert_eq!(rewrite("pic.png", "a/b/index.md", "/"), None);
        assert_eq!(rewrite("pic.png", "index.md", "/"), None);
    }

    #[test]
    fn the_html_pass_rewrites_raw_html_and_keeps_every_occurrence() {
        let html = "<p><a href=\"/x/\">x</a> <img src=\"/img/a.png\"> <a href=\"c.md\">c</a> <a href=\"/x/\">again</a> <a href=\"amp&amp;er.md\">amp</a></p><h2 id=\"top\">T</h2>";
        let done = rewrite_html(html, "a/index.md", "/v/");
        assert!(done.html.contains("href=\"/v/x/\""), "{}", done.html);
        assert!(done.html.contains("src=\"/v/img/a.png\""), "{}", done.html);
        assert!(done.html.contains("href=\"/v/a/c/\""), "{}", done.html);
        assert!(
            done.html.contains("href=\"/v/a/amp&amp;er/\""),
            "{}",
            done.html
        );
        let written: Vec<&str> = done.links.iter().map(|l| l.written.as_str()).collect();
        assert_eq!(written, ["/x/", "/img/a.png", "c.md", "/x/", "amp&er.md"]);
        assert!(done.ids.contains("top"));
    }

    #[test]
    fn other_links_keep_their_form() {
        assert_eq!(rewrite("https://example.com/a.md", "a.md", "/"), None);
        assert_eq!(rewrite("#anchor", "a.md", "/"), None);
        assert_eq!(rewrite("?q=1", "a/b.md", "/"), None);
        assert_eq!(rewrite("../img.png", "a/b/index.md", "/"), None);
        assert_eq!(rewrite("/img.png", "a/b.md", "/"), None);
        assert_eq!(
            rewrite("/img.png", "a/b.md", "/docs/").as_deref(),
            Some("/docs/img.png")
        );
    }
}
