//! Test helpers: the seed pages' dataset and a one-page audit.

use std::path::Path;

use super::Auditor;
use crate::dataset::{self, Dataset};
use crate::diag::Diagnostics;
use crate::load::page::load_page;

/// The dataset of `tests/fixtures/seeds`.
pub fn dataset() -> Dataset {
    let source = include_str!("../../../tests/fixtures/seeds/data/versions.yaml");
    let mut diags = Diagnostics::default();
    let parsed = dataset::parse(source, Path::new("versions.yaml"), &mut diags);
    parsed.unwrap_or_else(|| panic!("test dataset: {:?}", diags.sorted()))
}

/// The findings on a page at `rel_path` (below `content/`) whose whole text is `text`,
/// as `line:column message`.
pub fn audit(rel_path: &str, text: &str) -> Vec<String> {
    let dataset = dataset();
    let mut diags = Diagnostics::default();
    let page = load_page(rel_path, rel_path.into(), text.as_bytes(), &mut diags).expect("page");
    Auditor::new(&dataset)
        .audit(&page)
        .into_iter()
        .map(|d| {
            let at = d
                .position
                .map(|p| format!("{}:{}", p.line, p.column))
                .unwrap_or_default();
            format!("{at} {}", d.message)
        })
        .collect()
}
