//! Site search through Pagefind: the rendered pages are fed to `pagefind::api` in memory
//! and its chunked index, with Pagefind's own search library, becomes files under
//! `pagefind/`. Every page of a versioned docs tree is indexed with its `product` and
//! `line` as filters, and its line's support status as metadata, so the theme's search
//! box (`_folio/search.js`) can keep results in the reader's line and mark ended ones.
//! `page` adds the search page; `background` re-indexes in `folio serve`.

mod background;
mod page;
mod parts;

pub use background::Reindexer;
pub use page::{SEARCH_URL, builtin_search_page, with_search_ui};

use std::collections::HashMap;

use jiff::civil::Date;
use pagefind::api::PagefindIndex;

use crate::dataset::Dataset;
use crate::dataset::policy::{self, Status};
use crate::load::Page;
use crate::markdown::html::escape;
use crate::output::OutputFile;
use crate::pipeline::{BuildOptions, BuiltSite};

/// The folder of the index below the output root.
pub const INDEX_DIR: &str = "pagefind";

/// The theme's search script, a built-in asset.
pub fn script_file() -> OutputFile {
    OutputFile::Bytes {
        path: "_folio/search.js".into(),
        bytes: include_str!("search.js").as_bytes().to_vec(),
    }
}

/// What a page documents, as search filters and result labels show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageScope {
    pub product: String,
    pub product_name: String,
    pub line: Option<String>,
    /// `ended`, `preview` or `supported`; `None` when the product has no policy.
    pub status: Option<&'static str>,
}

/// The pages to index: each page URL (below the base path) and what it documents.
#[derive(Debug, Default, Clone)]
pub struct SearchPages {
    base_path: String,
    scopes: HashMap<String, Option<PageScope>>,
}

impl SearchPages {
    pub fn new(pages: &[Page], dataset: Option<&Dataset>, as_of: Date, base_path: &str) -> Self {
        let scopes = pages
            .iter()
            .filter(|p| p.url != SEARCH_URL)
            .map(|p| (p.url.clone(), dataset.and_then(|d| scope_of(d, p, as_of))))
            .collect();
        SearchPages {
            base_path: base_path.to_string(),
            scopes,
        }
    }

    /// The URL (with base path) and scope of the page written to `output_path`, if it is
    /// a page to index.
    fn page_at(&self, output_path: &str) -> Option<(String, Option<&PageScope>)> {
        let dir = output_path.strip_suffix("index.html")?;
        let scope = self.scopes.get(&format!("/{dir}"))?;
        Some((crate::load::url::href(&self.base_path, dir), scope.as_ref()))
    }
}

fn scope_of(dataset: &Dataset, page: &Page, as_of: Date) -> Option<PageScope> {
    let scope = dataset.scope_of(page)?;
    let product = &dataset.products[scope.product];
    let status = scope
        .line
        .and_then(|line| match policy::status(product, line, as_of) {
            Status::Ended { .. } => Some("ended"),
            Status::Unreleased => Some("preview"),
            Status::Supported | Status::ExpiresNext => Some("supported"),
            Status::NoPolicy => None,
        });
    Some(PageScope {
        product: product.id.clone(),
        product_name: product.name.clone(),
        line: scope.line.map(|l| product.lines[l].version.to_string()),
        status,
    })
}

/// The index files and how big they are.
#[derive(Debug)]
pub struct SearchIndex {
    pub files: Vec<OutputFile>,
    pub pages: usize,
    pub bytes: usize,
}

/// Indexes the pages among `files` (output path and bytes) that `pages` lists.
pub fn build_index<'f>(
    pages: &SearchPages,
    files: impl Iterator<Item = (&'f str, &'f [u8])>,
) -> Result<SearchIndex, String> {
    let documents: Vec<(String, String)> = files
        .filter_map(|(path, bytes)| {
            let (url, scope) = pages.page_at(path)?;
            let html = std::str::from_utf8(bytes).ok()?;
            Some((url, indexed_html(html, scope)))
        })
        .collect();
    let count = documents.len();
    let files = parts::index_in_parts(documents, INDEX_DIR)
        .map_err(|e| format!("cannot build the search index: {e}"))?;
    let bytes = files.iter().map(output_len).sum();
    Ok(SearchIndex {
        files,
        pages: count,
        bytes,
    })
}

fn output_len(file: &OutputFile) -> usize {
    match file {
        OutputFile::Bytes { bytes, .. } => bytes.len(),
        OutputFile::Copy { .. } => 0,
    }
}

/// Pagefind's prebuilt search UIs: folio's theme has its own, so they are not written.
fn is_unused_ui(name: &std::path::Path) -> bool {
    let name = name.to_string_lossy();
    [
        "pagefind-ui.",
        "pagefind-modular-ui.",
        "pagefind-component-ui.",
    ]
    .iter()
    .any(|prefix| name.starts_with(prefix))
}

fn run_pagefind(
    documents: Vec<(String, String)>,
) -> anyhow::Result<Vec<pagefind::api::SyntheticFile>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let mut index = PagefindIndex::new(None)?;
        for (url, html) in documents {
            index.add_html_file(None, Some(url), html).await?;
        }
        index.get_files().await
    })
}

/// The page's HTML as Pagefind reads it: its head (language, title), the element marked
/// `data-pagefind-body` when the theme marks an `<article>` (the navigation is never
/// indexed, so it is not parsed either: it is two thirds of a corpus page), and the
/// page's scope as filters and metadata in a hidden element. The published page does not
/// need that element.
fn indexed_html(html: &str, scope: Option<&PageScope>) -> String {
    let markup = scope.map(scope_markup).unwrap_or_default();
    if let (Some(article), Some(body)) = (marked_article(html), html.find("<body")) {
        return format!("{}<body>{article}{markup}</body></html>", &html[..body]);
    }
    match html.rfind("</body>") {
        Some(at) => format!("{}{markup}{}", &html[..at], &html[at..]),
        None => format!("{html}{markup}"),
    }
}

/// The `<article data-pagefind-body>` element of a page, through its last `</article>`.
fn marked_article(html: &str) -> Option<&str> {
    let marker = html.find(" data-pagefind-body")?;
    let start = html[..marker].rfind("<article")?;
    if html[start..marker].contains('>') {
        return None;
    }
    let end = html.rfind("</article>")? + "</article>".len();
    (end > marker).then(|| &html[start..end])
}

fn scope_markup(scope: &PageScope) -> String {
    let mut filters = vec!["product[data-product]"];
    let mut meta = vec!["product[data-product]", "product_name[data-name]"];
    let mut attrs = format!(
        " data-product=\"{}\" data-name=\"{}\"",
        escape(&scope.product),
        escape(&scope.product_name)
    );
    if let Some(line) = &scope.line {
        filters.push("line[data-line]");
        meta.push("line[data-line]");
        attrs.push_str(&format!(" data-line=\"{}\"", escape(line)));
    }
    if let Some(status) = scope.status {
        meta.push("status[data-status]");
        attrs.push_str(&format!(" data-status=\"{status}\""));
    }
    format!(
        "<span hidden data-pagefind-filter=\"{}\" data-pagefind-meta=\"{}\"{attrs}></span>",
        filters.join(", "),
        meta.join(", ")
    )
}

/// The index of a built site; `None` when search is off.
pub fn index_built_site(
    built: &BuiltSite,
    options: &BuildOptions,
) -> Result<Option<SearchIndex>, String> {
    if !options.config.search {
        return Ok(None);
    }
    let base_path = options.config.base_path();
    let pages = SearchPages::new(
        &built.pages,
        built.dataset.as_deref(),
        options.as_of,
        &base_path,
    );
    let html = built.files.iter().filter_map(|file| match file {
        OutputFile::Bytes { path, bytes } => Some((path.as_str(), bytes.as_slice())),
        OutputFile::Copy { .. } => None,
    });
    build_index(&pages, html).map(Some)
}

/// "; search index: 41 files, 312.4 KB for 20 pages" for the build summary, or nothing.
pub fn summary(index: Option<&SearchIndex>) -> String {
    let Some(index) = index else {
        return String::new();
    };
    format!(
        "; search index: {} files, {:.1} KB for {} pages",
        index.files.len(),
        index.bytes as f64 / 1024.0,
        index.pages
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(line: Option<&str>, status: Option<&'static str>) -> PageScope {
        PageScope {
            product: "app".into(),
            product_name: "App <1>".into(),
            line: line.map(String::from),
            status,
        }
    }

    #[test]
    fn the_scope_goes_before_the_end_of_the_body_escaped() {
        let html = "<html><body><p>x</p></body></html>";
        let marked = indexed_html(html, Some(&scope(Some("1.0"), Some("ended"))));
        assert_eq!(
            marked,
            "<html><body><p>x</p><span hidden \
             data-pagefind-filter=\"product[data-product], line[data-line]\" \
             data-pagefind-meta=\"product[data-product], product_name[data-name], line[data-line], status[data-status]\" \
             data-product=\"app\" data-name=\"App &lt;1&gt;\" data-line=\"1.0\" data-status=\"ended\"></span></body></html>"
        );
        let landing = indexed_html(html, Some(&scope(None, None)));
        assert!(landing.contains("data-pagefind-filter=\"product[data-product]\" "));
        assert!(!landing.contains("data-line"));
        assert_eq!(indexed_html(html, None), html);
    }

    #[test]
    fn a_marked_article_is_all_pagefind_reads_of_the_body() {
        let html = "<html lang=\"en\"><head><title>T</title></head><body class=\"x\"><nav>menu</nav>\
                    <article class=\"page\" data-pagefind-body><h1>T</h1><article>inner</article></article>\
                    <footer>f</footer></body></html>";
        assert_eq!(
            indexed_html(html, None),
            "<html lang=\"en\"><head><title>T</title></head><body><article class=\"page\" \
             data-pagefind-body><h1>T</h1><article>inner</article></article></body></html>"
        );
        let text_only = "<html><body><p>write data-pagefind-body on it</p></body></html>";
        assert_eq!(indexed_html(text_only, None), text_only);
    }

    #[test]
    fn output_paths_map_to_page_urls_with_the_base_path() {
        let pages = SearchPages {
            base_path: "/docs/".into(),
            scopes: [("/a/".to_string(), None), ("/".to_string(), None)].into(),
        };
        assert_eq!(
            pages.page_at("a/index.html"),
            Some(("/docs/a/".into(), None))
        );
        assert_eq!(pages.page_at("index.html"), Some(("/docs/".into(), None)));
        assert_eq!(pages.page_at("b/index.html"), None);
        assert_eq!(pages.page_at("404.html"), None);
    }

    #[test]
    fn pagefind_indexes_pages_in_memory_with_their_filters() {
        let pages = SearchPages {
            base_path: "/".into(),
            scopes: [("/a/".to_string(), Some(scope(Some("1.0"), None)))].into(),
        };
        let html = b"<html lang=\"en\"><body><main data-pagefind-body><h1>Alpha</h1><p>words here</p></main></body></html>";
        let index = build_index(&pages, [("a/index.html", &html[..])].into_iter()).expect("index");
        assert_eq!(index.pages, 1);
        let paths: Vec<&str> = index.files.iter().map(OutputFile::path).collect();
        assert!(paths.contains(&"pagefind/pagefind.js"), "{paths:?}");
        assert!(paths.iter().any(|p| p.starts_with("pagefind/fragment/")));
        assert!(paths.iter().any(|p| p.starts_with("pagefind/filter/")));
        assert!(!paths.iter().any(|p| p.contains("pagefind-ui")));
        assert!(index.bytes > 0);
    }
}
