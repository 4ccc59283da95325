//! Test helpers: the seed pages' dataset and a one-page audit.

use super::Auditor;
use crate::dataset::Dataset;

/// The dataset of `tests/fixtures/seeds`.
pub fn dataset() -> Dataset {
    crate::testing::dataset(include_str!(
        "../../../tests/fixtures/seeds/data/versions.yaml"
    ))
}

/// The findings on a page at `rel_path` (below `content/`) whose whole text is `text`,
/// as `line:column message`.
pub fn audit(rel_path: &str, text: &str) -> Vec<String> {
    let dataset = dataset();
    let page = crate::testing::page(rel_path, text);
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
