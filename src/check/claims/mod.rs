//! The version-claim audit: version statements typed by hand in a page's markdown (the
//! N-2 sentence, what expires with the next release, Kubernetes and compatibility tables,
//! "you cannot deploy X on Y", "X runs on Y", and product names in them) compared with
//! what the dataset computes for the page's product and line. Each claim is recognised by
//! its shape, never by file or by known sentence, so pages folio never saw are audited
//! too; [`general`] reads statements in any other wording from their parts. See
//! `docs/claims-audit.md`.

mod expiry;
mod general;
mod kubernetes;
mod patterns;
mod policy;
mod relations;
mod tables;
#[cfg(test)]
mod testing;
mod text;

use rayon::prelude::*;

use crate::dataset::{Dataset, Scope};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Page;
use crate::pipeline::BuiltSite;
use patterns::{Names, Written};
use text::Source;

/// The diagnostic code of a contradicted claim; the shape is named in the message.
pub const CODE: &str = "version-claim";

/// The code of a policy sentence on one line's page that makes another line current.
pub const STALE_CODE: &str = "stale-claim";

/// The kinds of claim the audit recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// "if the current version of X is A, ... supports A, B and C".
    Window,
    /// "When the next version releases, support continues for ...; support for C expires".
    Expiry,
    KubernetesTable,
    CompatibilityTable,
    /// "You cannot deploy X A on Y B".
    Unsupported,
    /// "X A ... can deploy on Y B".
    Compatible,
    RunsOn,
    /// A product named in a claim that is not the page's product.
    Product,
    KubernetesDefault,
    KubernetesRange,
    Prerequisite,
    ReleaseDate,
    /// "The latest Konvoy release is ...", "the current line is ...".
    Latest,
    /// "no longer supported", "supported until".
    Support,
    /// A line the dataset does not list.
    Unknown,
    /// Another line made current on a line's page.
    Stale,
    /// An upgrade path the dataset does not list.
    Upgrade,
    /// A component's compatibility matrix.
    Matrix,
}

impl Shape {
    pub fn label(self) -> &'static str {
        match self {
            Shape::Window => "N-2 sentence",
            Shape::Expiry => "expiry sentence",
            Shape::KubernetesTable => "Kubernetes table",
            Shape::CompatibilityTable => "compatibility table",
            Shape::Unsupported => "unsupported combination",
            Shape::Compatible => "compatible combination",
            Shape::RunsOn => "runs-on sentence",
            Shape::Product => "product name",
            Shape::KubernetesDefault => "Kubernetes default",
            Shape::KubernetesRange => "Kubernetes range",
            Shape::Prerequisite => "prerequisite",
            Shape::ReleaseDate => "release date",
            Shape::Latest => "latest version",
            Shape::Support => "support status",
            Shape::Unknown => "unknown version",
            Shape::Stale => "stale policy",
            Shape::Upgrade => "upgrade path",
            Shape::Matrix => "compatibility matrix",
        }
    }
}

/// One wrong claim: where it is (byte range in the file), what is wrong, what prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub shape: Shape,
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub help: String,
}

/// Audits every page of `site` against its dataset; a site without one has nothing to
/// compare with.
pub fn check(site: &BuiltSite) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let Some(dataset) = site.dataset.as_deref() else {
        return diags;
    };
    let mut auditor = Auditor::new(dataset);
    auditor.as_of = site.as_of;
    let found: Vec<Vec<Diagnostic>> = site.pages.par_iter().map(|p| auditor.audit(p)).collect();
    diags.extend(found.into_iter().flatten());
    diags
}

/// The recognisers, compiled once per run from the dataset's product names.
#[derive(Debug)]
pub struct Auditor<'d> {
    dataset: &'d Dataset,
    names: Names,
    policy: policy::Patterns,
    tables: tables::Patterns,
    relations: relations::Patterns,
    general: general::General,
    /// The build date "current", "latest" and "no longer supported" are judged on.
    pub as_of: Option<jiff::civil::Date>,
}

impl<'d> Auditor<'d> {
    pub fn new(dataset: &'d Dataset) -> Auditor<'d> {
        let names = Names::new(dataset);
        Auditor {
            dataset,
            policy: policy::Patterns::new(&names),
            tables: tables::Patterns::new(&names),
            relations: relations::Patterns::new(&names),
            general: general::General::new(dataset, &names),
            as_of: None,
            names,
        }
    }

    /// The findings on one page, as diagnostics pointing into its file.
    pub fn audit(&self, page: &Page) -> Vec<Diagnostic> {
        let source = Source::new(&page.text, page.body_start);
        let ctx = Ctx {
            dataset: self.dataset,
            names: &self.names,
            scope: self.dataset.scope_of(page),
            rel_path: &page.rel_path,
            as_of: self.as_of,
        };
        let mut found = Vec::new();
        // Text without a digit states no version; most paragraphs skip every pattern.
        let numbered: Vec<_> = source
            .paragraphs()
            .into_iter()
            .filter(|p| p.text.bytes().any(|b| b.is_ascii_digit()) || p.text.starts_with('#'))
            .collect();
        let paragraphs: Vec<_> = numbered
            .iter()
            .filter(|p| patterns::mentions_version(&p.text))
            .cloned()
            .collect();
        policy::audit(&self.policy, &ctx, &paragraphs, &mut found);
        relations::audit(&self.relations, &ctx, &paragraphs, &mut found);
        tables::audit(&self.tables, &ctx, &source, &mut found);
        let taken: Vec<usize> = found.iter().map(|f| f.start).collect();
        general::audit(&self.general, &ctx, &source, &numbered, &taken, &mut found);
        dedupe(&mut found);
        found
            .into_iter()
            .map(|f| diagnostic(f, page, &source))
            .collect()
    }
}

/// Keeps one finding where two recognisers read the same words.
fn dedupe(found: &mut Vec<Finding>) {
    found.sort_by_key(|f| (f.start, f.end));
    found.dedup_by(|later, kept| later.start < kept.end);
}

fn diagnostic(finding: Finding, page: &Page, source: &Source) -> Diagnostic {
    let note = if source.in_comment(finding.start) {
        " (this claim sits inside an HTML comment: readers do not see it, but writers copy it)"
    } else {
        ""
    };
    let message = format!("{}: {}{note}", finding.shape.label(), finding.message);
    let diagnostic = match finding.shape {
        Shape::Stale => Diagnostic::warning(STALE_CODE, message),
        _ => Diagnostic::error(CODE, message),
    };
    diagnostic
        .in_file(&page.file)
        .at(
            source.file_text(),
            source.position(finding.start, finding.end),
        )
        .with_help(finding.help)
}

/// What the recognisers know about the page being audited.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub dataset: &'a Dataset,
    pub names: &'a Names,
    pub scope: Option<Scope>,
    pub rel_path: &'a str,
    pub as_of: Option<jiff::civil::Date>,
}

impl Ctx<'_> {
    /// The product a claim is about: the one it names when it names only one (a page
    /// may state another product's policy), else the page's, else the first named.
    pub fn subject(&self, named: &[Option<Written>]) -> Option<usize> {
        let mut products = named
            .iter()
            .flatten()
            .filter_map(|w| self.names.product(w.text));
        let first = products.next();
        let consistent = first.filter(|&p| products.all(|other| other == p));
        consistent.or(self.scope.map(|s| s.product)).or(first)
    }

    /// The page's line when the page documents `product`.
    pub fn page_line(&self, product: usize) -> Option<usize> {
        self.scope.filter(|s| s.product == product)?.line
    }

    /// Reports every name in `named` that is not `product`, the page's product, when the
    /// claim names two different products where it means one.
    pub fn flag_other_products(
        &self,
        product: usize,
        named: &[Option<Written>],
        help: &str,
        out: &mut Vec<Finding>,
    ) {
        let named_products: Vec<usize> = named
            .iter()
            .flatten()
            .filter_map(|w| self.names.product(w.text))
            .collect();
        if named_products.iter().all(|&p| p == product) {
            return;
        }
        let expected = &self.dataset.products[product].name;
        for written in named.iter().flatten() {
            let Some(other) = self.names.product(written.text) else {
                continue;
            };
            if other != product {
                out.push(Finding {
                    shape: Shape::Product,
                    start: written.start,
                    end: written.end,
                    message: format!(
                        "this claim names {}, but the page documents {expected}",
                        self.dataset.products[other].name
                    ),
                    help: format!("write {expected}, or print the statement with {help}"),
                });
            }
        }
    }

    /// `product`'s name and the line at `line`: `Konvoy 2.0`.
    pub fn line_name(&self, product: usize, line: usize) -> String {
        let product = &self.dataset.products[product];
        format!("{} {}", product.name, product.lines[line].version)
    }

    /// A shortcode for `product` and `line`, leaving out what the page already implies.
    pub fn shortcode(&self, name: &str, product: usize, line: Option<usize>) -> String {
        self.shortcode_with(name, product, line, "")
    }

    /// [`Ctx::shortcode`] with more attributes (` release="1.8.3"`) at the end.
    pub fn shortcode_with(
        &self,
        name: &str,
        product: usize,
        line: Option<usize>,
        extra: &str,
    ) -> String {
        let mut attrs = String::new();
        let own_product = self.scope.is_some_and(|s| s.product == product);
        if !own_product {
            attrs.push_str(&format!(
                " product=\"{}\"",
                self.dataset.products[product].id
            ));
        }
        if let Some(line) = line.filter(|&l| !own_product || self.page_line(product) != Some(l)) {
            let version = self.dataset.products[product].lines[line].version;
            attrs.push_str(&format!(" line=\"{version}\""));
        }
        format!("`[{name}{attrs}{extra} /]`")
    }
}
