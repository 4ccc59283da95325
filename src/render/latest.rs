//! `latest` URLs: `/dkp/konvoy/latest/install/` reaches the same page of the product's
//! newest line on the build date, so links and bookmarks never go stale. Pages become
//! redirects (`output::redirects` writes their pages and server rules); files are copied. When
//! the newest line has no docs on the site yet, `latest` stays on the newest line that has.

use std::collections::HashSet;

use jiff::civil::Date;

use crate::dataset::{Dataset, Product, policy};
use crate::load::Page;
use crate::load::walk::SourceFile;
use crate::output::OutputFile;
use crate::output::redirects::Redirect;

/// The `latest` aliases of each product's newest documented line: a redirect for every
/// page, a copy of every file.
#[derive(Debug, Default)]
pub struct LatestAliases {
    pub redirects: Vec<Redirect>,
    pub copies: Vec<OutputFile>,
}

/// The `latest` alias of every page and file of each product's newest documented line.
pub fn latest_aliases(
    dataset: &Dataset,
    as_of: Date,
    pages: &[Page],
    assets: &[SourceFile],
) -> LatestAliases {
    let urls: HashSet<&str> = pages.iter().map(|p| p.url.as_str()).collect();
    let mut aliases = LatestAliases::default();
    for product in &dataset.products {
        let (Some(docs), Some(latest)) = (&product.docs, policy::latest_line(product, as_of))
        else {
            continue;
        };
        let Some((_, landing)) = newest_documented(product, latest, |url| urls.contains(url))
        else {
            continue;
        };
        let from = landing.trim_start_matches('/');
        let to = format!("{docs}/latest/");
        for page in pages {
            if let Some(rest) = page.url.trim_start_matches('/').strip_prefix(from) {
                aliases.redirects.push(Redirect {
                    from: format!("/{to}{rest}"),
                    to: page.url.clone(),
                });
            }
        }
        for asset in assets {
            if let Some(rest) = asset.rel_path.strip_prefix(from) {
                aliases.copies.push(OutputFile::Copy {
                    path: format!("{to}{rest}"),
                    from: asset.abs_path.clone(),
                });
            }
        }
    }
    aliases
}

/// The newest line up to `latest` that has a landing page on the site, and that page's
/// URL (`/dkp/konvoy/2.1/`): a line released before its docs are written leaves readers
/// on the line before it.
pub(crate) fn newest_documented(
    product: &Product,
    latest: usize,
    has_page: impl Fn(&str) -> bool,
) -> Option<(usize, String)> {
    (0..=latest).rev().find_map(|index| {
        let landing = format!("/{}/", product.lines[index].docs.as_ref()?);
        has_page(&landing).then_some((index, landing))
    })
}
