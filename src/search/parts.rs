//! A large site's index in parts: Pagefind's in-memory API indexes one page at a time, so
//! the pages are cut into parts of about [`PAGES_PER_PART`] pages, each indexed by its own
//! Pagefind on its own thread. The first part is the index at `pagefind/`; the others are
//! whole Pagefind bundles in `pagefind/part-N/`, listed in `pagefind/folio-parts.json`,
//! which the theme's search script merges into the first (Pagefind's `mergeIndex`). The
//! cut depends only on the pages, never on the machine, so builds stay reproducible.

use crate::output::OutputFile;

/// Pages per part: below this a site has one index, as Pagefind writes it.
pub const PAGES_PER_PART: usize = 1000;

/// The list of extra parts the search script reads, below the index folder.
pub const PARTS_FILE: &str = "folio-parts.json";

/// `documents` (URL, HTML) indexed in parts, as files below `index_dir`.
pub fn index_in_parts(
    documents: Vec<(String, String)>,
    index_dir: &str,
) -> anyhow::Result<Vec<OutputFile>> {
    let parts = cut(documents);
    let indexed: Vec<anyhow::Result<Vec<pagefind::api::SyntheticFile>>> =
        std::thread::scope(|scope| {
            let running: Vec<_> = parts
                .into_iter()
                .map(|part| scope.spawn(move || super::run_pagefind(part)))
                .collect();
            running
                .into_iter()
                .map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|_| Err(anyhow::anyhow!("indexing stopped")))
                })
                .collect()
        });
    let mut files = Vec::new();
    let mut extra = Vec::new();
    for (number, part) in indexed.into_iter().enumerate() {
        let folder = match number {
            0 => index_dir.to_string(),
            n => {
                extra.push(format!("part-{}/", n + 1));
                format!("{index_dir}/part-{}", n + 1)
            }
        };
        files.extend(
            part?
                .into_iter()
                .filter(|f| !super::is_unused_ui(&f.filename))
                .map(|f| OutputFile::Bytes {
                    path: format!(
                        "{folder}/{}",
                        f.filename.to_string_lossy().replace('\\', "/")
                    ),
                    bytes: f.contents,
                }),
        );
    }
    files.push(OutputFile::Bytes {
        path: format!("{index_dir}/{PARTS_FILE}"),
        bytes: serde_json::to_vec(&extra).unwrap_or_default(),
    });
    Ok(files)
}

/// `documents` in consecutive parts of equal size, [`PAGES_PER_PART`] pages or fewer each.
fn cut(documents: Vec<(String, String)>) -> Vec<Vec<(String, String)>> {
    let count = documents.len().div_ceil(PAGES_PER_PART).max(1);
    let size = documents.len().div_ceil(count).max(1);
    let mut parts: Vec<Vec<(String, String)>> = Vec::with_capacity(count);
    for document in documents {
        match parts.last_mut() {
            Some(part) if part.len() < size => part.push(document),
            _ => parts.push(vec![document]),
        }
    }
    if parts.is_empty() {
        parts.push(Vec::new());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn documents(n: usize) -> Vec<(String, String)> {
        (0..n).map(|i| (format!("/p{i}/"), String::new())).collect()
    }

    #[test]
    fn sites_are_cut_into_even_parts_of_at_most_the_part_size() {
        let sizes = |n| cut(documents(n)).iter().map(Vec::len).collect::<Vec<_>>();
        assert_eq!(sizes(0), [0]);
        assert_eq!(sizes(999), [999]);
        assert_eq!(sizes(1000), [1000]);
        assert_eq!(sizes(1001), [501, 500]);
        assert_eq!(sizes(2187), [729, 729, 729]);
    }
}
