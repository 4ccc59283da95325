//! Helpers the unit tests of several modules share: a dataset from its YAML and a page
//! from its whole text, made as the loader makes them.

use std::path::Path;

use crate::dataset::Dataset;
use crate::diag::Diagnostics;
use crate::load::Page;

/// `yaml` as a dataset; panics with its problems when it is not valid.
pub fn dataset(yaml: &str) -> Dataset {
    let mut diags = Diagnostics::default();
    let parsed = crate::dataset::parse(yaml, Path::new("versions.yaml"), &mut diags);
    parsed.unwrap_or_else(|| panic!("test dataset: {:?}", diags.sorted()))
}

/// The page at `rel_path` below `content/` whose file holds `text`.
pub fn page(rel_path: &str, text: &str) -> Page {
    let file = Path::new("content").join(rel_path);
    let mut diags = Diagnostics::default();
    crate::load::page::load_page(rel_path, file, text.as_bytes(), &mut diags)
        .unwrap_or_else(|| panic!("test page {rel_path}: {:?}", diags.sorted()))
}
