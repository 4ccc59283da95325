//! The version switcher: on every page of a release line's docs folder, each line of the
//! product with its status on the build date, linking to the same page in that line, else
//! to the nearest page above it there (the line's landing page at worst). Computed from
//! the dataset's folder mapping and one index of page URLs built once per build, so a
//! page costs a few hash lookups per line. Also the status labels the sidebar shows.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;

use crate::dataset::policy::{self, Status};
use crate::dataset::{Dataset, Product, Scope};
use crate::load::Page;
use crate::nav::LineStatus;

/// `versions` in templates: the switcher of one page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct VersionSwitch {
    /// The product's name (`Konvoy`).
    pub product: String,
    /// The page's own line.
    pub current: SwitchEntry,
    /// Every line of the product, newest first.
    pub lines: Vec<SwitchEntry>,
}

/// One line in the switcher.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SwitchEntry {
    /// `2.1`.
    pub line: String,
    pub status: LineStatus,
    /// Where the entry leads, with the base path; `None` when the line has no pages.
    pub url: Option<String>,
    /// The title of the page `url` leads to.
    pub target_title: Option<String>,
    /// Whether `url` is the same page in that line (not an ancestor standing in).
    pub same_page: bool,
    /// The page's own line.
    pub current: bool,
}

/// Decides each page's switcher. Built once per build.
#[derive(Debug)]
pub struct VersionSwitcher {
    dataset: Arc<Dataset>,
    base_path: String,
    /// Every page URL (without base path) and its title.
    titles: HashMap<String, String>,
    /// Each line's status, by product and line: the same on every page.
    statuses: Vec<Vec<LineStatus>>,
}

impl VersionSwitcher {
    pub fn new(dataset: Arc<Dataset>, as_of: Date, base_path: &str, pages: &[Page]) -> Self {
        let titles = pages
            .iter()
            .map(|p| (p.url.clone(), p.title.clone()))
            .collect();
        let statuses = dataset
            .products
            .iter()
            .map(|p| {
                (0..p.lines.len())
                    .map(|l| line_status(p, l, as_of))
                    .collect()
            })
            .collect();
        VersionSwitcher {
            dataset,
            base_path: base_path.to_string(),
            titles,
            statuses,
        }
    }

    /// The switcher of `page`, when it sits in a line's docs folder.
    pub fn for_page(&self, page: &Page, scope: Option<Scope>) -> Option<VersionSwitch> {
        let scope = scope?;
        let own = scope.line?;
        let product = &self.dataset.products[scope.product];
        let own_folder = format!("/{}/", product.lines[own].docs.as_ref()?);
        let rest = page.url.strip_prefix(&own_folder)?;
        let lines: Vec<SwitchEntry> = (0..product.lines.len())
            .rev()
            .map(|line| self.entry(scope.product, line, rest, line == own))
            .collect();
        let current = lines.iter().find(|e| e.current)?.clone();
        Some(VersionSwitch {
            product: product.name.clone(),
            current,
            lines,
        })
    }

    fn entry(&self, product_index: usize, line: usize, rest: &str, current: bool) -> SwitchEntry {
        let product = &self.dataset.products[product_index];
        let target = product.lines[line]
            .docs
            .as_ref()
            .and_then(|folder| self.nearest_page(folder, rest));
        let same_page = target.as_ref().is_some_and(|(_, same)| *same);
        let url = target.as_ref().map(|(url, _)| url);
        SwitchEntry {
            line: product.lines[line].version.to_string(),
            status: self.statuses[product_index][line].clone(),
            url: url.map(|u| crate::load::url::href(&self.base_path, u)),
            target_title: url.and_then(|u| self.titles.get(u)).cloned(),
            same_page,
            current,
        }
    }

    /// `/{folder}/{rest}` when it is a page, else its nearest ancestor page down to
    /// `/{folder}/`; with whether it is the page itself.
    fn nearest_page(&self, folder: &str, rest: &str) -> Option<(String, bool)> {
        let mut rest = rest.trim_end_matches('/');
        let mut same = true;
        loop {
            let url = match rest {
                "" => format!("/{folder}/"),
                rest => format!("/{folder}/{rest}/"),
            };
            if self.titles.contains_key(&url) {
                return Some((url, same));
            }
            if rest.is_empty() {
                return None;
            }
            rest = rest.rsplit_once('/').map_or("", |(parent, _)| parent);
            same = false;
        }
    }
}

/// How a line's status reads in the switcher, the sidebar and the landing cards.
pub fn line_status(product: &Product, line: usize, as_of: Date) -> LineStatus {
    let status = policy::status(product, line, as_of);
    let latest = policy::latest_line(product, as_of) == Some(line);
    let (kind, label) = match status {
        Status::Unreleased => ("preview", "preview".to_string()),
        _ if latest => ("latest", "latest".to_string()),
        Status::Supported => ("supported", "supported".to_string()),
        Status::ExpiresNext => ("expires-next", "ends with the next release".to_string()),
        Status::Ended { on: Some(on), .. } => ("ended", format!("ended on {on}")),
        Status::Ended { on: None, .. } => ("ended", "ended".to_string()),
        Status::NoPolicy => ("older", "older line".to_string()),
    };
    LineStatus {
        kind: kind.to_string(),
        label,
    }
}

/// The status of every page that is a line's folder page (`dkp/konvoy/2.1/`), by page
/// index, for the sidebar and the landing cards.
pub fn line_page_statuses(
    dataset: &Dataset,
    as_of: Date,
    pages: &[Page],
) -> Vec<(usize, LineStatus)> {
    let mut by_folder: HashMap<String, LineStatus> = HashMap::new();
    for product in &dataset.products {
        for (index, line) in product.lines.iter().enumerate() {
            if let Some(folder) = &line.docs {
                by_folder.insert(format!("/{folder}/"), line_status(product, index, as_of));
            }
        }
    }
    let found = pages.iter().enumerate();
    found
        .filter_map(|(index, page)| Some((index, by_folder.get(&page.url)?.clone())))
        .collect()
}

#[cfg(test)]
mod tests {

    use super::*;

    const DATASET: &str = "products:\n  p:\n    name: P\n    docs: p\n    support_window: 2\n    lines:\n      - {line: \"1.0\", ga: 2020-01-01}\n      - {line: \"2.0\", ga: 2021-01-01}\n      - {line: \"3.0\", ga: 2022-01-01}\n      - {line: \"4.0\", status: unreleased}\n";

    fn page(rel: &str) -> Page {
        crate::testing::page(rel, &format!("---\ntitle: {rel}\n---\n"))
    }

    fn switcher(pages: &[Page]) -> VersionSwitcher {
        let dataset = crate::testing::dataset(DATASET);
        VersionSwitcher::new(Arc::new(dataset), jiff::civil::date(2023, 1, 1), "/", pages)
    }

    #[test]
    fn entries_fall_back_to_the_nearest_page_above() {
        let pages: Vec<Page> = ["p/1.0/index.md", "p/2.0/a/index.md", "p/3.0/a/b.md"]
            .into_iter()
            .map(page)
            .collect();
        let switcher = switcher(&pages);
        let scope = switcher.dataset.scope_of(&pages[2]);
        let switch = switcher.for_page(&pages[2], scope).expect("a switcher");
        let targets: Vec<(&str, Option<&str>, bool)> = switch
            .lines
            .iter()
            .map(|e| (e.line.as_str(), e.url.as_deref(), e.same_page))
            .collect();
        assert_eq!(
            targets,
            [
                ("4.0", None, false),
                ("3.0", Some("/p/3.0/a/b/"), true),
                ("2.0", Some("/p/2.0/a/"), false),
                ("1.0", Some("/p/1.0/"), false),
            ]
        );
        assert_eq!(switch.current.line, "3.0");
    }

    #[test]
    fn labels_name_the_latest_line_and_the_end_date() {
        let switcher = switcher(&[]);
        let label = |line: usize| switcher.statuses[0][line].clone();
        assert_eq!(label(3).label, "preview");
        assert_eq!(label(2).kind, "latest");
        assert_eq!(label(1).label, "ends with the next release");
        assert_eq!(label(0).label, "ended on 2022-01-01");
    }
}
