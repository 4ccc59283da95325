//! `latest` URLs: `/dkp/konvoy/latest/install/` reaches the same page of the product's
//! newest line on the build date, so links and bookmarks never go stale. Pages become
//! small redirect pages (with a canonical link to the real one); files are copied. When
//! the newest line has no docs on the site yet, `latest` stays on the newest line that has.

use std::collections::HashSet;

use jiff::civil::Date;

use crate::dataset::{Dataset, Product, policy};
use crate::load::Page;
use crate::load::walk::SourceFile;
use crate::markdown::html::escape;
use crate::output::OutputFile;

/// The `latest` alias of every page and file of each product's newest documented line.
pub fn latest_aliases(
    dataset: &Dataset,
    as_of: Date,
    pages: &[Page],
    assets: &[SourceFile],
    base_path: &str,
) -> Vec<OutputFile> {
    let urls: HashSet<&str> = pages.iter().map(|p| p.url.as_str()).collect();
    let mut files = Vec::new();
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
                let target = format!("{base_path}{}", page.url.trim_start_matches('/'));
                files.push(OutputFile::Bytes {
                    path: format!("{to}{rest}index.html"),
                    bytes: redirect_page(&target).into_bytes(),
                });
            }
        }
        for asset in assets {
            if let Some(rest) = asset.rel_path.strip_prefix(from) {
                files.push(OutputFile::Copy {
                    path: format!("{to}{rest}"),
                    from: asset.abs_path.clone(),
                });
            }
        }
    }
    files
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

fn redirect_page(target: &str) -> String {
    let target = escape(target);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting to {target}</title>\n<link rel=\"canonical\" href=\"{target}\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p>This page moved to <a href=\"{target}\">{target}</a>.</p>\n</body>\n</html>\n"
    )
}
