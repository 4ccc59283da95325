//! Redirects: the `latest` URLs and the old paths of moved pages (front matter
//! `aliases`). Each becomes a small HTML page (meta refresh, canonical link, `noindex`)
//! that works on any static host, plus a 301 rule in `_redirects` (Netlify and Cloudflare
//! Pages syntax, at the output root) and in `_folio/nginx-redirects.conf` (one
//! `location = /old/ { return 301 /new/; }` per redirect, for an nginx `include`). A
//! `_redirects` the site ships itself keeps its lines first (the first matching rule
//! wins on both hosts), and folio's rules follow.

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::url::encode_path;
use crate::markdown::html::escape;
use crate::output::OutputFile;

/// Where the nginx snippet is written, below the output root.
pub const NGINX_SNIPPET: &str = "_folio/nginx-redirects.conf";

/// One permanent redirect between two URL paths of the site, both without the base path
/// (`/dkp/konvoy/latest/install/` -> `/dkp/konvoy/2.1/install/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub from: String,
    pub to: String,
}

impl Redirect {
    /// The file that answers `from`: `old/index.html` for a folder URL, else the path.
    pub fn output_path(&self) -> String {
        let path = self.from.trim_start_matches('/');
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        }
    }
}

/// Where the site is published: the base path (`/docs/`) and, when `base_url` is
/// absolute, its origin (`https://docs.example.com`).
#[derive(Debug, Clone, Copy)]
pub struct SiteRoot<'a> {
    pub base_path: &'a str,
    pub origin: Option<&'a str>,
}

impl SiteRoot<'_> {
    /// `path` (from the site root, `/a b/`) with the base path, encoded: `/docs/a%20b/`.
    pub fn path(&self, path: &str) -> String {
        crate::load::url::href(self.base_path, path)
    }

    /// [`SiteRoot::path`] as it is, not encoded, as nginx matches it.
    fn decoded_path(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }

    /// `path` as an absolute URL when the origin is known, else from the root.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.origin.unwrap_or(""), self.path(path))
    }
}

/// The redirect pages, `_redirects` and the nginx snippet for `redirects`. `files` is
/// the rest of the site: a `_redirects` among them is the site's own, and is merged.
pub fn redirect_files(
    redirects: &[Redirect],
    root: SiteRoot,
    files: &mut Vec<OutputFile>,
    diags: &mut Diagnostics,
) {
    if redirects.is_empty() {
        return;
    }
    let own_rules = take_site_rules(files, diags);
    files.extend(redirects.iter().map(|r| OutputFile::Bytes {
        path: r.output_path(),
        bytes: redirect_page(r, root).into_bytes(),
    }));
    files.push(OutputFile::Bytes {
        path: "_redirects".into(),
        bytes: redirects_file(redirects, root, own_rules.as_deref()).into_bytes(),
    });
    files.push(OutputFile::Bytes {
        path: NGINX_SNIPPET.into(),
        bytes: nginx_snippet(redirects, root).into_bytes(),
    });
}

/// Removes the site's own `_redirects` (from `static/` or `content/`) and returns its text.
fn take_site_rules(files: &mut Vec<OutputFile>, diags: &mut Diagnostics) -> Option<String> {
    let index = files.iter().position(|f| f.path() == "_redirects")?;
    match files.remove(index) {
        OutputFile::Bytes { bytes, .. } => Some(String::from_utf8_lossy(&bytes).into_owned()),
        OutputFile::Copy { from, .. } => match crate::fsutil::read_to_string(&from) {
            Ok(text) => Some(text),
            Err(err) => {
                diags.push(Diagnostic::error("io", err.to_string()));
                None
            }
        },
    }
}

/// A page that sends browsers on to the target and tells search engines where it is.
pub fn redirect_page(redirect: &Redirect, root: SiteRoot) -> String {
    let target = escape(&root.path(&redirect.to));
    let canonical = escape(&root.url(&redirect.to));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting to {target}</title>\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p>This page moved to <a href=\"{target}\">{target}</a>.</p>\n</body>\n</html>\n"
    )
}

/// `_redirects`: the site's own lines, then one `FROM TO 301` line per redirect.
fn redirects_file(redirects: &[Redirect], root: SiteRoot, own: Option<&str>) -> String {
    let mut text = String::new();
    if let Some(own) = own.filter(|o| !o.trim().is_empty()) {
        text.push_str(own.trim_end());
        text.push_str("\n\n");
    }
    text.push_str("# Written by folio: `latest` URLs and front matter `aliases`.\n");
    for redirect in redirects {
        let (from, to) = (root.path(&redirect.from), root.path(&redirect.to));
        text.push_str(&format!("{from} {to} 301\n"));
    }
    text
}

/// The nginx snippet: exact `location` blocks, for `include` inside a `server` block.
fn nginx_snippet(redirects: &[Redirect], root: SiteRoot) -> String {
    let mut text = String::from(
        "# Written by folio: `latest` URLs and front matter `aliases` as permanent redirects.\n\
         # Use it inside the site's server block: include /path/to/site/_folio/nginx-redirects.conf;\n",
    );
    for redirect in redirects {
        let from = nginx_location(&root.decoded_path(&redirect.from));
        let to = root.path(&redirect.to);
        text.push_str(&format!("location = {from} {{ return 301 {to}; }}\n"));
    }
    text
}

/// nginx matches `location` against the decoded path: written as it is, quoted when it
/// holds anything but plain URL characters.
fn nginx_location(path: &str) -> String {
    if encode_path(path) == path {
        return path.to_string();
    }
    format!("\"{}\"", path.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: SiteRoot = SiteRoot {
        base_path: "/docs/",
        origin: Some("https://example.com"),
    };

    fn moved(from: &str, to: &str) -> Redirect {
        Redirect {
            from: from.into(),
            to: to.into(),
        }
    }

    #[test]
    fn rules_carry_the_base_path_and_encode_what_hosts_need_encoded() {
        let redirects = [moved("/old/", "/new/"), moved("/a b/", "/c/")];
        let file = redirects_file(&redirects, ROOT, Some("/x /y 302\n"));
        assert!(file.starts_with("/x /y 302\n\n# Written by folio"));
        assert!(file.contains("\n/docs/old/ /docs/new/ 301\n"));
        assert!(file.contains("\n/docs/a%20b/ /docs/c/ 301\n"));
        let nginx = nginx_snippet(&redirects, ROOT);
        assert!(nginx.contains("\nlocation = /docs/old/ { return 301 /docs/new/; }\n"));
        assert!(nginx.contains("\nlocation = \"/docs/a b/\" { return 301 /docs/c/; }\n"));
    }

    #[test]
    fn folder_urls_get_an_index_page_and_file_urls_their_own_name() {
        assert_eq!(moved("/old/", "/").output_path(), "old/index.html");
        assert_eq!(moved("/old/page.html", "/").output_path(), "old/page.html");
        let page = redirect_page(&moved("/old/", "/new/"), ROOT);
        assert!(page.contains("<link rel=\"canonical\" href=\"https://example.com/docs/new/\">"));
        assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
        assert!(page.contains("content=\"0; url=/docs/new/\""));
    }
}
