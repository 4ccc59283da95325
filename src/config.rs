//! `folio.yaml`: the site's settings. Every key is optional; a bare folder of markdown
//! builds with the defaults.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::Diagnostic;

pub const CONFIG_FILE: &str = "folio.yaml";

/// The parsed `folio.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Shown in the header and the `<title>` of every page.
    pub title: String,
    /// Where the site is published, e.g. `https://docs.example.com/docs/`. Its path part
    /// prefixes every URL folio writes.
    pub base_url: String,
    /// Output folder, relative to the site root.
    pub output: PathBuf,
    /// Front matter `layout` value -> template file, e.g. `landing.pug: landing.html`.
    pub layouts: BTreeMap<String, String>,
    /// Template used by pages with no `layout` key.
    pub default_layout: String,
    /// Named build environments (`--env NAME`).
    pub environments: BTreeMap<String, Environment>,
    /// The versions dataset, relative to the site root.
    pub dataset: PathBuf,
    /// How much each check of `folio check` matters: `error`, `warning` or `off`.
    pub checks: BTreeMap<CheckName, CheckLevel>,
    /// Whether the build writes a search index and the theme shows a search box.
    pub search: bool,
    /// Whether fenced code is syntax-highlighted at build time.
    pub highlight: bool,
    /// Where a page's "last updated" date (and its sitemap `lastmod`) comes from.
    pub lastmod: LastmodSource,
    /// Where a page's source can be edited: the page's path below `content/` is
    /// appended (`https://github.com/org/repo/edit/main/content/`).
    pub edit_url: Option<String>,
    /// Whether pages of a line whose support has ended get `noindex` and stay out of the
    /// sitemap.
    pub noindex_ended: bool,
    /// How heading ids are made from heading text: `markdown-it` (the default, the ids
    /// of sites built with markdown-it-anchor, such as the old Metalsmith sites) or
    /// `github`.
    pub heading_ids: crate::markdown::heading_id::HeadingIds,
    /// The most megabytes a page may grow to as its `#include`s are expanded.
    pub page_size_limit_mb: usize,
}

/// `lastmod:` in folio.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LastmodSource {
    /// The last commit touching the page when the site is a git checkout; the file's
    /// modification time for files git does not know.
    #[default]
    Git,
    /// The file's modification time.
    File,
    /// No dates at all.
    None,
}

/// The checks whose severity `checks:` in folio.yaml can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckName {
    BrokenLink,
    BrokenAnchor,
    CrossVersionLink,
    ExternalLink,
    MissingParent,
    HiddenParent,
    VersionClaim,
    StaleClaim,
}

impl CheckName {
    /// The diagnostic code the check reports under.
    pub fn code(self) -> &'static str {
        match self {
            CheckName::BrokenLink => "broken-link",
            CheckName::BrokenAnchor => "broken-anchor",
            CheckName::CrossVersionLink => "cross-version-link",
            CheckName::ExternalLink => "external-link",
            CheckName::MissingParent => "missing-parent",
            CheckName::HiddenParent => "hidden-parent",
            CheckName::VersionClaim => "version-claim",
            CheckName::StaleClaim => "stale-claim",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckLevel {
    Error,
    Warning,
    Off,
}

/// What changes when building for one environment.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Environment {
    /// Content paths (relative to `content/`, folder or file) left out of the build.
    pub exclude: Vec<String>,
    /// Whether pages with `draft: true` are built. Unset, the command decides: `build`
    /// and `check` leave drafts out, `serve` shows them; `--drafts` always takes them.
    pub drafts: Option<bool>,
}

impl Environment {
    /// Whether this build takes drafts: `--drafts`, else the environment, else the
    /// command's default.
    pub fn resolve_drafts(&mut self, flag: bool, command_default: bool) {
        self.drafts = Some(flag || self.drafts.unwrap_or(command_default));
    }

    /// Whether pages with `draft: true` are in this build.
    pub fn takes_drafts(&self) -> bool {
        self.drafts.unwrap_or(false)
    }
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Documentation".into(),
            base_url: "/".into(),
            output: PathBuf::from("public"),
            layouts: BTreeMap::new(),
            default_layout: "page.html".into(),
            environments: BTreeMap::new(),
            dataset: PathBuf::from("data/versions.yaml"),
            checks: BTreeMap::new(),
            search: true,
            highlight: true,
            lastmod: LastmodSource::default(),
            edit_url: None,
            noindex_ended: true,
            heading_ids: Default::default(),
            page_size_limit_mb: 32,
        }
    }
}

impl SiteConfig {
    /// Reads `ROOT/folio.yaml`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<SiteConfig, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        if !path.exists() {
            return Ok(SiteConfig::default());
        }
        let text = crate::fsutil::read_to_string(&path)
            .map_err(|e| Diagnostic::error("config", e.to_string()).in_file(CONFIG_FILE))?;
        if text.trim().is_empty() {
            return Ok(SiteConfig::default());
        }
        let config: SiteConfig =
            crate::yaml::parse(&text, Path::new(CONFIG_FILE), &text, 1, "config")?;
        match base_url_problem(&config.base_url) {
            None => Ok(config),
            Some(problem) => Err(base_url_error(&text, &problem)),
        }
    }

    /// `https://docs.example.com` when `base_url` is an absolute URL: what canonical
    /// links and the sitemap put before each page's path.
    pub fn origin(&self) -> Option<&str> {
        let (scheme, rest) = self.base_url.split_once("://")?;
        let host_len = rest.find('/').unwrap_or(rest.len());
        let valid = !scheme.is_empty() && host_len > 0;
        valid.then(|| &self.base_url[..scheme.len() + 3 + host_len])
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let after_scheme = match self.base_url.split_once("://") {
            Some((_, rest)) => rest.split_once('/').map_or("", |(_, path)| path),
            None => self.base_url.as_str(),
        };
        let trimmed = after_scheme.trim_matches('/');
        if trimmed.is_empty() {
            "/".into()
        } else {
            format!("/{trimmed}/")
        }
    }
}

/// Why `url` cannot be a `base_url`: it must be an `http(s)://host/...` URL or a path
/// starting with `/`, without spaces.
pub fn base_url_problem(url: &str) -> Option<String> {
    if url.chars().any(char::is_whitespace) {
        return Some(format!("`{url}` holds spaces"));
    }
    if url.starts_with('/') && !url.starts_with("//") {
        return None;
    }
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map(|rest| rest.split('/').next().unwrap_or(""));
    match host {
        Some(host) if !host.is_empty() => None,
        Some(_) => Some(format!("`{url}` has no host")),
        None => Some(format!("`{url}` is neither an http(s) URL nor a path")),
    }
}

fn base_url_error(text: &str, problem: &str) -> Diagnostic {
    let diagnostic = Diagnostic::error("config", format!("base_url {problem}"))
        .in_file(CONFIG_FILE)
        .with_help("write the address the site is published at, e.g. `base_url: https://docs.example.com/docs/`, or a path such as `/docs/`");
    let line = text.lines().position(|l| l.starts_with("base_url:"));
    match line {
        Some(index) => diagnostic.at(text, crate::diag::Position::new(index + 1, 1, 8)),
        None => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_http_urls_or_paths() {
        assert_eq!(base_url_problem("https://docs.example.com/v/"), None);
        assert_eq!(base_url_problem("/docs/"), None);
        assert!(base_url_problem("not a url").is_some());
        assert!(base_url_problem("docs.example.com").is_some());
        assert!(base_url_problem("https:///x").is_some());
        assert!(base_url_problem("//cdn.example.com").is_some());
    }

    fn with_base(url: &str) -> SiteConfig {
        SiteConfig {
            base_url: url.into(),
            ..SiteConfig::default()
        }
    }

    #[test]
    fn base_path_comes_from_the_url_path() {
        assert_eq!(with_base("https://docs.example.com").base_path(), "/");
        assert_eq!(with_base("https://docs.example.com/").base_path(), "/");
        assert_eq!(with_base("https://example.com/docs").base_path(), "/docs/");
        assert_eq!(with_base("/docs/v2/").base_path(), "/docs/v2/");
    }

    #[test]
    fn the_origin_is_the_scheme_and_host_of_an_absolute_base_url() {
        let origin = |url| with_base(url).origin().map(str::to_string);
        assert_eq!(
            origin("https://example.com/docs/").as_deref(),
            Some("https://example.com")
        );
        assert_eq!(
            origin("http://localhost:8080").as_deref(),
            Some("http://localhost:8080")
        );
        assert_eq!(origin("/docs/"), None);
        assert_eq!(origin("https:///docs/"), None);
    }
}
