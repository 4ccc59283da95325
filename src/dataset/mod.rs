//! The versions dataset: products, their release lines in release order, Kubernetes
//! ranges, pairings between products, "runs on" relations and prerequisites. Loaded from
//! `data/versions.yaml` (see `docs/dataset.md`), validated strictly, then read by the
//! policy functions ([`policy`]) that every sentence and table on the site comes from.

pub mod matrix;
pub mod policy;
pub mod raw;
mod validate;
#[cfg(test)]
mod validate_tests;
pub mod version;

use std::collections::HashMap;
use std::path::Path;

use jiff::civil::Date;
use semver::Version;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Page;
use version::{Bound, ReleaseLine, Requirement};

/// The validated dataset.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Who gives support, as sentences name it ("D2iQ supports ...").
    pub vendor: String,
    pub terms_url: Option<String>,
    pub products: Vec<Product>,
    pub pairings: Vec<Pairing>,
    pub runs_on: Vec<RunsOn>,
    pub compatibility: Vec<Matrix>,
    /// Content folder (`dkp/konvoy/2.0`) -> what it documents.
    folders: HashMap<String, Scope>,
}

#[derive(Debug, Clone)]
pub struct Product {
    pub id: String,
    pub name: String,
    /// The name as a policy sentence first prints it (`Konvoy&reg;`); raw HTML.
    pub trademark: String,
    /// Other names pages give the product, as the audit reads them.
    pub aliases: Vec<String>,
    /// Content folder of the product's docs (`dkp/konvoy`).
    pub docs: Option<String>,
    /// Lines supported at once: 3 for an N-2 policy; `None` when there is no policy.
    pub window: Option<usize>,
    /// Oldest first.
    pub lines: Vec<Line>,
    pub prerequisites: Vec<Prerequisite>,
}

#[derive(Debug, Clone)]
pub struct Line {
    pub version: ReleaseLine,
    /// Content folder documenting this line (`dkp/konvoy/2.0`): the product's folder and
    /// the line's `docs` (default: the line itself).
    pub docs: Option<String>,
    pub released: bool,
    pub ga: Option<Date>,
    pub kubernetes: Option<KubernetesRange>,
    /// Oldest first.
    pub releases: Vec<Release>,
    pub prerequisites: Vec<Prerequisite>,
    /// Earlier lines that may upgrade to this one directly (indexes into the lines).
    pub upgrades_from: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Release {
    pub version: Version,
    pub date: Option<Date>,
    pub kubernetes_default: Option<Version>,
}

/// The Kubernetes versions a line supports; `default` is what it installs.
#[derive(Debug, Clone)]
pub struct KubernetesRange {
    pub min: Bound,
    pub max: Bound,
    pub default: Option<Version>,
}

#[derive(Debug, Clone)]
pub struct Prerequisite {
    pub name: String,
    pub requirement: Requirement,
    pub note: Option<String>,
}

/// Each line of `deploys` runs on its paired line of `on`, and on no other.
#[derive(Debug, Clone)]
pub struct Pairing {
    pub deploys: usize,
    pub on: usize,
    /// (line of `deploys`, line of `on`), as indexes into each product's lines.
    pub pairs: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct RunsOn {
    pub product: usize,
    pub line: usize,
    pub release: Option<Version>,
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone)]
pub enum Target {
    Product {
        product: usize,
        versions: Vec<String>,
        /// The last of `versions` and every later one.
        or_later: bool,
    },
    Platform(String),
}

/// How versions of a component outside the products work with a product's lines.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub component: String,
    pub product: usize,
    pub rows: Vec<MatrixRow>,
}

/// A version of the component and the lines (indexes) it supports fully or in part.
#[derive(Debug, Clone)]
pub struct MatrixRow {
    pub version: Version,
    pub full: Vec<usize>,
    pub partial: Vec<usize>,
}

impl MatrixRow {
    /// `full`, `partial` or `none`: how this version works with `line`.
    pub fn support(&self, line: usize) -> &'static str {
        if self.full.contains(&line) {
            "full"
        } else if self.partial.contains(&line) {
            "partial"
        } else {
            "none"
        }
    }
}

/// What a page documents: a product, and a line of it when the page is in a line's folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub product: usize,
    pub line: Option<usize>,
}

impl Dataset {
    pub fn product(&self, id: &str) -> Option<usize> {
        self.products.iter().position(|p| p.id == id)
    }

    /// Every product id, for messages: `konvoy, kommander`.
    pub fn product_ids(&self) -> String {
        let ids: Vec<&str> = self.products.iter().map(|p| p.id.as_str()).collect();
        ids.join(", ")
    }

    /// The scope of a page: its front matter `product`/`line` when set, else the deepest
    /// dataset folder that holds it. Walks up the page's folders, so the cost does not
    /// grow with the number of pages or products.
    pub fn scope_of(&self, page: &Page) -> Option<Scope> {
        let from_folder = self.scope_of_path(&page.rel_path);
        let product = match page.front.product.as_deref() {
            Some(id) => self.product(id)?,
            None => from_folder?.product,
        };
        let line = match page.front.line.as_deref() {
            Some(line) => self.line_index(product, line),
            None => from_folder.filter(|s| s.product == product)?.line,
        };
        Some(Scope { product, line })
    }

    /// A front matter `product` or `line` the dataset does not have, as an error at the key.
    pub fn front_matter_problem(&self, page: &Page) -> Option<Diagnostic> {
        let (key, message, help) = match (&page.front.product, &page.front.line) {
            (Some(id), _) if self.product(id).is_none() => (
                "product",
                format!("front matter `product: {id}` names no product of the versions dataset"),
                format!("products in the dataset: {}", self.product_ids()),
            ),
            (_, Some(line)) => {
                let product = match &page.front.product {
                    Some(id) => self.product(id),
                    None => self.scope_of_path(&page.rel_path).map(|s| s.product),
                }?;
                if self.line_index(product, line).is_some() {
                    return None;
                }
                let product = &self.products[product];
                (
                    "line",
                    format!(
                        "front matter `line: {line}` is not a line of {}",
                        product.name
                    ),
                    format!("{} lines: {}", product.name, product.line_list()),
                )
            }
            _ => return None,
        };
        let diagnostic = Diagnostic::error("front-matter-version", message)
            .in_file(&page.file)
            .with_help(help);
        Some(match page.front.position_of(key) {
            Some(position) => diagnostic.at(&page.text, position),
            None => diagnostic,
        })
    }

    /// The scope of the folder holding `rel_path` (a path below `content/`).
    pub fn scope_of_path(&self, rel_path: &str) -> Option<Scope> {
        let mut folder = rel_path;
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if let Some(scope) = self.folders.get(parent) {
                return Some(*scope);
            }
            folder = parent;
        }
        None
    }

    /// The index of `line` (`2.1`) among the product's lines.
    pub fn line_index(&self, product: usize, line: &str) -> Option<usize> {
        let wanted = ReleaseLine::parse(line)?;
        self.products[product]
            .lines
            .iter()
            .position(|l| l.version == wanted)
    }
}

impl Product {
    /// Every line, oldest first, for messages: `1.8, 2.0, 2.1`.
    pub fn line_list(&self) -> String {
        let lines: Vec<String> = self.lines.iter().map(|l| l.version.to_string()).collect();
        lines.join(", ")
    }
}

impl Line {
    /// The newest release, when the line lists any.
    pub fn latest_release(&self) -> Option<&Release> {
        self.releases.last()
    }

    /// The Kubernetes default of the newest release that states one, else the line's own.
    pub fn kubernetes_default(&self) -> Option<&Version> {
        let from_releases = self
            .releases
            .iter()
            .rev()
            .find_map(|r| r.kubernetes_default.as_ref());
        from_releases.or(self.kubernetes.as_ref()?.default.as_ref())
    }
}

/// Loads the dataset at `root/path`. A missing file at the default path means the site has
/// no dataset; any problem in the file is reported, all of them in one run.
/// `Err(Invalid)` when there is a dataset but it cannot be used: its problems are in
/// `diags`, and facts should not add one more error each.
pub fn load(
    root: &Path,
    path: &Path,
    explicit: bool,
    diags: &mut Diagnostics,
) -> Result<Option<Dataset>, Invalid> {
    let file = root.join(path);
    let source = match std::fs::read_to_string(&file) {
        Ok(source) => source,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && !explicit => return Ok(None),
        Err(err) => {
            diags.push(
                Diagnostic::error(
                    "dataset-io",
                    format!("cannot read the versions dataset: {err}"),
                )
                .in_file(path)
                .with_help("create the file, or fix `dataset:` in folio.yaml"),
            );
            return Err(Invalid);
        }
    };
    parse(&source, path, diags).map(Some).ok_or(Invalid)
}

/// A dataset file that exists but failed to read or validate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid;

/// Parses and validates dataset `source`, reported as `file`.
pub fn parse(source: &str, file: &Path, diags: &mut Diagnostics) -> Option<Dataset> {
    let raw = match crate::yaml::parse::<raw::RawDataset>(source, file, source, 1, "dataset") {
        Ok(raw) => raw,
        Err(diagnostic) => {
            diags.push(diagnostic);
            return None;
        }
    };
    let mut found = Vec::new();
    let dataset = validate::validate(raw, &mut validate::Reporter::new(file, source, &mut found));
    let failed = !found.is_empty();
    diags.extend(found);
    if failed { None } else { dataset }
}
