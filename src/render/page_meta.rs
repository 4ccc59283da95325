//! What a page says about itself to search engines and readers, beside its content: its
//! canonical URL, whether it is kept out of search indexes (`noindex`: drafts, the 404
//! page, and pages of a line whose support has ended unless `noindex_ended: false`),
//! where to edit its source and when it last changed. Templates read these as
//! `page.canonical`, `page.noindex`, `page.edit_url` and `page.last_updated`; the sitemap
//! lists the pages that are not `noindex`.

use jiff::civil::Date;

use crate::config::SiteConfig;
use crate::dataset::policy::{self, Status};
use crate::dataset::{Dataset, Scope};
use crate::load::Page;
use crate::render::context::page_url;

/// One page's meta facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    /// Absolute (`https://docs.example.com/a/`) when `base_url` is, else from the root.
    pub canonical: String,
    pub noindex: bool,
    pub edit_url: Option<String>,
    pub last_updated: Option<Date>,
}

/// What the meta facts of every page are computed from.
#[derive(Debug)]
pub struct MetaInput<'a> {
    pub config: &'a SiteConfig,
    pub base_path: &'a str,
    pub pages: &'a [Page],
    /// Each page's scope in the dataset (same order as `pages`).
    pub scopes: Vec<Option<Scope>>,
    pub dataset: Option<&'a Dataset>,
    pub as_of: Date,
    /// Each page's last-change date (same order as `pages`).
    pub dates: Vec<Option<Date>>,
}

/// Each page's meta facts, in the order of `input.pages`.
pub fn page_meta(input: &MetaInput) -> Vec<PageMeta> {
    let origin = input.config.origin().unwrap_or("");
    input
        .pages
        .iter()
        .enumerate()
        .map(|(index, page)| {
            let ended = input.config.noindex_ended && input.is_ended(input.scopes[index]);
            PageMeta {
                canonical: format!("{origin}{}", page_url(page, input.base_path)),
                noindex: ended || page.front.draft || page.url == crate::load::url::NOT_FOUND_URL,
                edit_url: input.config.edit_url.as_deref().map(|e| edit_url(e, page)),
                last_updated: input.dates[index],
            }
        })
        .collect()
}

impl MetaInput<'_> {
    /// Whether a page of `scope` documents a line whose support has ended.
    fn is_ended(&self, scope: Option<Scope>) -> bool {
        let (Some(dataset), Some(scope)) = (self.dataset, scope) else {
            return false;
        };
        let Some(line) = scope.line else {
            return false;
        };
        let status = policy::status(&dataset.products[scope.product], line, self.as_of);
        matches!(status, Status::Ended { .. })
    }
}

/// `edit_url` with the page's source path below `content/` appended.
fn edit_url(base: &str, page: &Page) -> String {
    let separator = if base.ends_with('/') { "" } else { "/" };
    let path = crate::load::url::encode_path(&page.rel_path);
    format!("{base}{separator}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rel_path: &str, front: &str) -> Page {
        crate::testing::page(rel_path, &format!("---\ntitle: T\n{front}---\n"))
    }

    fn meta_of(config: &SiteConfig, pages: &[Page]) -> Vec<PageMeta> {
        page_meta(&MetaInput {
            config,
            base_path: &config.base_path(),
            pages,
            scopes: vec![None; pages.len()],
            dataset: None,
            as_of: jiff::civil::date(2026, 1, 1),
            dates: vec![None; pages.len()],
        })
    }

    #[test]
    fn canonical_urls_carry_the_origin_and_base_path() {
        let config = SiteConfig {
            base_url: "https://example.com/docs".into(),
            ..SiteConfig::default()
        };
        let meta = meta_of(&config, &[page("a/b.md", "")]);
        assert_eq!(meta[0].canonical, "https://example.com/docs/a/b/");
        let relative = meta_of(&SiteConfig::default(), &[page("a/b.md", "")]);
        assert_eq!(relative[0].canonical, "/a/b/");
    }

    #[test]
    fn edit_urls_append_the_encoded_source_path() {
        let config = SiteConfig {
            edit_url: Some("https://git.example.com/edit/main/content".into()),
            ..SiteConfig::default()
        };
        let meta = meta_of(
            &config,
            &[page("a b/c.md", ""), page("d.md", "draft: true\n")],
        );
        assert_eq!(
            meta[0].edit_url.as_deref(),
            Some("https://git.example.com/edit/main/content/a%20b/c.md")
        );
        assert!(!meta[0].noindex);
        assert!(meta[1].noindex, "drafts are kept out of search indexes");
    }
}
