//! The computed support matrix: every line of every product with its status on a date,
//! its window, Kubernetes range and pairings. `folio versions` prints it and the built
//! site publishes it as `/api/versions.json` for other tools.

use jiff::civil::Date;
use serde::Serialize;

use super::policy::{self, Status};
use super::{Dataset, Product};

#[derive(Debug, Serialize)]
pub struct Matrix {
    pub as_of: String,
    pub products: Vec<ProductRow>,
}

#[derive(Debug, Serialize)]
pub struct ProductRow {
    pub id: String,
    pub name: String,
    /// Lines supported at once, or `null` when the product has no policy.
    pub support_window: Option<usize>,
    pub latest_line: Option<String>,
    pub latest_release: Option<String>,
    /// Newest first.
    pub lines: Vec<LineRow>,
}

#[derive(Debug, Serialize)]
pub struct LineRow {
    pub line: String,
    pub ga: Option<String>,
    /// `supported`, `expires-next`, `ended`, `unreleased` or `no-policy`.
    pub status: &'static str,
    pub support_ended: Option<String>,
    /// The date support ends or ended (the GA of the line that moves this one out of the
    /// window), also when it is still ahead; `null` while no such line is dated.
    pub support_ends: Option<String>,
    pub latest_release: Option<String>,
    pub releases: Vec<String>,
    /// The lines supported while this one is the newest, newest first.
    pub window: Vec<String>,
    /// The line whose support ended when this one became available.
    pub ended_support_for: Option<String>,
    pub kubernetes: Option<KubernetesRow>,
    /// Paired lines of other products, as `product: line`.
    pub pairs_with: Vec<PairRow>,
    pub docs: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct KubernetesRow {
    pub min: String,
    pub max: String,
    pub default: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PairRow {
    pub product: String,
    pub line: String,
}

/// The matrix on `as_of`, for every product or only `only`.
pub fn matrix(dataset: &Dataset, as_of: Date, only: Option<usize>) -> Matrix {
    let products = (0..dataset.products.len())
        .filter(|p| only.is_none_or(|o| o == *p))
        .map(|p| product_row(dataset, p, as_of))
        .collect();
    Matrix {
        as_of: as_of.to_string(),
        products,
    }
}

fn product_row(dataset: &Dataset, index: usize, as_of: Date) -> ProductRow {
    let product = &dataset.products[index];
    let latest = policy::latest_line(product, as_of);
    ProductRow {
        id: product.id.clone(),
        name: product.name.clone(),
        support_window: product.window,
        latest_line: latest.map(|l| product.lines[l].version.to_string()),
        latest_release: policy::latest_release(product, as_of).map(ToString::to_string),
        lines: (0..product.lines.len())
            .rev()
            .map(|line| line_row(dataset, index, line, as_of))
            .collect(),
    }
}

fn line_row(dataset: &Dataset, product_index: usize, index: usize, as_of: Date) -> LineRow {
    let product = &dataset.products[product_index];
    let line = &product.lines[index];
    let status = policy::status(product, index, as_of);
    LineRow {
        line: line.version.to_string(),
        ga: line.ga.map(|d| d.to_string()),
        status: status_key(status),
        support_ended: match status {
            Status::Ended { on, .. } => on.map(|d| d.to_string()),
            _ => None,
        },
        support_ends: policy::support_end(product, index).map(|d| d.to_string()),
        latest_release: line.latest_release().map(|r| r.version.to_string()),
        releases: line
            .releases
            .iter()
            .map(|r| r.version.to_string())
            .collect(),
        window: line_names(product, &policy::window(product, index)),
        ended_support_for: policy::expired_at_ga(product, index)
            .map(|l| product.lines[l].version.to_string()),
        kubernetes: line.kubernetes.as_ref().map(|k| KubernetesRow {
            min: k.min.to_string(),
            max: k.max.to_string(),
            default: line.kubernetes_default().map(ToString::to_string),
        }),
        pairs_with: pairs_with(dataset, product_index, index),
        docs: line.docs.clone(),
    }
}

/// A stable key for a status, as JSON and CSS classes use it.
pub fn status_key(status: Status) -> &'static str {
    match status {
        Status::Unreleased => "unreleased",
        Status::Supported => "supported",
        Status::ExpiresNext => "expires-next",
        Status::Ended { .. } => "ended",
        Status::NoPolicy => "no-policy",
    }
}

fn line_names(product: &Product, lines: &[usize]) -> Vec<String> {
    lines
        .iter()
        .map(|&l| product.lines[l].version.to_string())
        .collect()
}

fn pairs_with(dataset: &Dataset, product: usize, line: usize) -> Vec<PairRow> {
    let mut rows = Vec::new();
    for pairing in policy::pairings_of(dataset, product) {
        let own_side_first = pairing.deploys == product;
        let other = &dataset.products[if own_side_first {
            pairing.on
        } else {
            pairing.deploys
        }];
        for &(deploys, on) in &pairing.pairs {
            let (own, theirs) = if own_side_first {
                (deploys, on)
            } else {
                (on, deploys)
            };
            if own == line {
                rows.push(PairRow {
                    product: other.id.clone(),
                    line: other.lines[theirs].version.to_string(),
                });
            }
        }
    }
    rows
}
