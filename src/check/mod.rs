//! `folio check`: the checks that run on a built site before it is published. They
//! reuse the build pipeline's result and write nothing.

pub mod claims;
pub mod external;
pub mod levels;
pub mod links;
pub mod place;
pub mod structure;

use std::collections::{BTreeMap, HashMap};

use crate::config::SiteConfig;
use crate::diag::{Diagnostics, Severity};
use crate::pipeline::BuiltSite;

/// Everything a check run reports: the build's own problems and every check's findings,
/// each at the level `checks:` in folio.yaml sets.
/// `external` adds the external link check, which needs the network.
pub fn findings(site: &BuiltSite, config: &SiteConfig, external: bool) -> Diagnostics {
    let mut diags = run_checks(site, config, external);
    diags.extend(site.diags.iter().cloned());
    levels::apply(diags, &config.checks)
}

/// Runs every check on `site`, built with `config`.
pub fn run_checks(site: &BuiltSite, config: &SiteConfig, external: bool) -> Diagnostics {
    let mut diags = internal_links(site, config);
    diags.extend(structure::check(&site.pages));
    diags.extend(claims::check(site));
    if external {
        let options = external::ExternalOptions::default();
        diags.extend(external::check(&site.pages, &site.markdown, options));
    }
    diags
}

/// What `folio build` reports without `--strict`: broken internal links and anchors, as
/// warnings (the site is still written; `--strict` and `folio check` fail on them).
pub fn build_warnings(site: &BuiltSite, config: &SiteConfig) -> Diagnostics {
    let found = internal_links(site, config);
    let mut warnings = Diagnostics::default();
    for mut diagnostic in levels::apply(found, &config.checks) {
        diagnostic.severity = Severity::Warning;
        warnings.push(diagnostic);
    }
    warnings
}

/// The internal link and anchor findings of every page.
fn internal_links(site: &BuiltSite, config: &SiteConfig) -> Diagnostics {
    let base_path = config.base_path();
    // Every page counts as a target even when its template failed: that failure is
    // reported once, not again for each link to the page.
    let page_outputs: Vec<String> = site
        .pages
        .iter()
        .map(|p| crate::load::url::output_path(&p.url))
        .collect();
    let files = site.files.iter().map(|f| f.path());
    let outputs = files
        .chain(page_outputs.iter().map(String::as_str))
        .collect();
    let ids: HashMap<&str, _> = site
        .pages
        .iter()
        .zip(&site.markdown)
        .filter_map(|(page, md)| Some((page.url.as_str(), &md.as_ref()?.ids)))
        .collect();
    let index = links::SiteIndex {
        outputs,
        ids,
        base_path: &base_path,
        dataset: site.dataset.as_deref(),
        heading_ids: config.heading_ids,
    };
    links::check(&site.pages, &site.markdown, &index)
}

/// `broken-link: 3, missing-parent: 1` for the summary line.
pub fn counts_by_code(diags: &Diagnostics) -> String {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for d in diags.iter() {
        let entry = counts.entry(d.code).or_default();
        match d.severity {
            Severity::Error => entry.0 += 1,
            Severity::Warning => entry.1 += 1,
        }
    }
    let parts: Vec<String> = counts
        .into_iter()
        .map(|(code, (e, w))| format!("{code}: {}", e + w))
        .collect();
    parts.join(", ")
}
