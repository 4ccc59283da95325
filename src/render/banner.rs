//! Support banners: every page of a docs tree whose line is out of support on the build
//! date says so, and links to the same page in the product's latest line (or to that
//! line's landing page when the page does not exist there). Pages of a line that is not
//! released yet say they are a preview.

use std::collections::HashSet;
use std::sync::Arc;

use jiff::civil::Date;

use crate::dataset::policy::{self, Status};
use crate::dataset::{Dataset, Scope};
use crate::load::Page;
use crate::markdown::html::escape;
use crate::render::context::Banner;
use crate::render::latest::newest_documented;

/// Decides each page's banner. Built once per build; each page costs a hash lookup.
#[derive(Debug)]
pub struct SupportBanners {
    dataset: Arc<Dataset>,
    as_of: Date,
    base_path: String,
    /// Every page URL of the site (without base path), to find a page's twin.
    urls: HashSet<String>,
}

impl SupportBanners {
    pub fn new(dataset: Arc<Dataset>, as_of: Date, base_path: &str, pages: &[Page]) -> Self {
        SupportBanners {
            dataset,
            as_of,
            base_path: base_path.to_string(),
            urls: pages.iter().map(|p| p.url.clone()).collect(),
        }
    }

    pub fn for_page(&self, page: &Page, scope: Option<Scope>) -> Option<Banner> {
        let scope = scope?;
        let line = scope.line?;
        let product = &self.dataset.products[scope.product];
        let name = format!("{} {}", escape(&product.name), product.lines[line].version);
        match policy::status(product, line, self.as_of) {
            Status::Ended { on, .. } => {
                let latest = policy::latest_line(product, self.as_of)?;
                let ended = on.map(|d| format!(" on {d}")).unwrap_or_default();
                let link = self.latest_link(page, scope.product, line, latest);
                Some(Banner {
                    kind: "unsupported".into(),
                    html: format!(
                        "<p>{name} is no longer supported: its support ended{ended}.{link}</p>"
                    ),
                })
            }
            Status::Unreleased => Some(Banner {
                kind: "preview".into(),
                html: format!(
                    "<p>{name} is not released yet: this page is a preview and may change.</p>"
                ),
            }),
            _ => None,
        }
    }

    /// " Read this page for Konvoy 2.1." linking to the twin page in the newest line that
    /// has docs on this site, or to that line's landing page; empty when there is none.
    fn latest_link(&self, page: &Page, product_index: usize, line: usize, latest: usize) -> String {
        let product = &self.dataset.products[product_index];
        let Some(old) = &product.lines[line].docs else {
            return String::new();
        };
        let documented = newest_documented(product, latest, |url| self.urls.contains(url));
        let Some((newest, landing)) = documented.filter(|(newest, _)| *newest > line) else {
            return String::new();
        };
        let newest_name = format!(
            "{} {}",
            escape(&product.name),
            product.lines[newest].version
        );
        let twin = page
            .url
            .strip_prefix(&format!("/{old}/"))
            .map(|rest| format!("{landing}{rest}"))
            .filter(|url| self.urls.contains(url.as_str()));
        let (url, text) = match twin {
            Some(url) => (url, format!("Read this page for {newest_name}")),
            None => (landing, format!("Go to the {newest_name} documentation")),
        };
        format!(
            " <a href=\"{}{}\">{text}</a>, the newest documented line.",
            self.base_path,
            escape(url.trim_start_matches('/'))
        )
    }
}
