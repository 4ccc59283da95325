//! `sitemap.xml` and `robots.txt`. The sitemap lists every page that is not `noindex`
//! (drafts, the 404 page and, by default, pages of ended lines are left out) by its
//! absolute URL, with its last-change date as `lastmod`. Past 50,000 URLs (the protocol's
//! limit) the pages go into `sitemap-1.xml`, `sitemap-2.xml`... and `sitemap.xml` becomes
//! their index. A sitemap needs absolute URLs: with a relative `base_url` neither file is
//! written and `folio build` says so. A `sitemap.xml` or `robots.txt` the site ships
//! itself (in `static/` or `content/`) is published as it is, in place of folio's.

use std::io;

use jiff::civil::Date;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Position};
use crate::output::OutputFile;
use crate::output::redirects::SiteRoot;
use crate::render::page_meta::PageMeta;

/// The most URLs one sitemap file may hold.
pub const URLS_PER_SITEMAP: usize = 50_000;

const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// One `<url>` (or, in an index, one `<sitemap>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    pub loc: String,
    pub lastmod: Option<Date>,
}

/// Adds `sitemap.xml` (and its parts) and `robots.txt` to `files`, unless `base_url` is
/// relative; a file of that name already in `files` is the site's own and is kept.
pub fn add_sitemap(meta: &[PageMeta], root: SiteRoot, files: &mut Vec<OutputFile>) {
    if root.origin.is_none() {
        return;
    }
    let taken = |name: &str| files.iter().any(|f| f.path() == name);
    let (own_sitemap, own_robots) = (taken("sitemap.xml"), taken("robots.txt"));
    if !own_robots {
        files.push(OutputFile::Bytes {
            path: "robots.txt".into(),
            bytes: robots_txt(&root.url("sitemap.xml")).into_bytes(),
        });
    }
    if own_sitemap {
        return;
    }
    let entries: Vec<SitemapEntry> = meta
        .iter()
        .filter(|m| !m.noindex)
        .map(|m| SitemapEntry {
            loc: m.canonical.clone(),
            lastmod: m.last_updated,
        })
        .collect();
    files.extend(sitemap_files(&entries, root, URLS_PER_SITEMAP));
}

/// The warning `folio build` gives when it can write no sitemap, at the `base_url` line
/// of `config_text` (folio.yaml, when `base_url` comes from there).
pub fn relative_base_warning(config: &SiteConfig, config_text: Option<&str>) -> Option<Diagnostic> {
    if config.origin().is_some() {
        return None;
    }
    let warning = Diagnostic::warning(
            "sitemap-base-url",
            format!(
                "no sitemap.xml or robots.txt: base_url `{}` is not an absolute URL, and a sitemap lists absolute URLs",
                config.base_url
            ),
        )
        .with_help("set `base_url: https://docs.example.com/` in folio.yaml, or pass `--base-url`");
    let Some(text) = config_text else {
        return Some(warning);
    };
    let warning = warning.in_file(crate::config::CONFIG_FILE);
    let line = text.lines().position(|l| l.starts_with("base_url:"));
    Some(match line {
        Some(index) => warning.at(text, Position::new(index + 1, 1, "base_url".len())),
        None => warning,
    })
}

/// `sitemap.xml` alone, or `sitemap-1.xml`... with `sitemap.xml` as their index when
/// there are more than `limit` entries.
pub fn sitemap_files(entries: &[SitemapEntry], root: SiteRoot, limit: usize) -> Vec<OutputFile> {
    if entries.len() <= limit {
        return vec![xml_file("sitemap.xml".into(), urlset(entries))];
    }
    let mut files = Vec::new();
    let mut parts = Vec::new();
    for (number, chunk) in entries.chunks(limit.max(1)).enumerate() {
        let name = format!("sitemap-{}.xml", number + 1);
        parts.push(SitemapEntry {
            loc: root.url(&name),
            lastmod: chunk.iter().filter_map(|e| e.lastmod).max(),
        });
        files.push(xml_file(name, urlset(chunk)));
    }
    files.push(xml_file("sitemap.xml".into(), sitemap_index(&parts)));
    files
}

fn xml_file(path: String, xml: io::Result<Vec<u8>>) -> OutputFile {
    // Writing into a Vec cannot fail.
    OutputFile::Bytes {
        path,
        bytes: xml.unwrap_or_default(),
    }
}

fn urlset(entries: &[SitemapEntry]) -> io::Result<Vec<u8>> {
    document("urlset", "url", entries)
}

fn sitemap_index(parts: &[SitemapEntry]) -> io::Result<Vec<u8>> {
    document("sitemapindex", "sitemap", parts)
}

/// `<ROOT xmlns=...>` holding one `<ITEM><loc/><lastmod/></ITEM>` per entry.
fn document(root: &str, item: &str, entries: &[SitemapEntry]) -> io::Result<Vec<u8>> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer
        .create_element(root)
        .with_attribute(("xmlns", NAMESPACE))
        .write_inner_content(|writer| {
            for entry in entries {
                writer.create_element(item).write_inner_content(|writer| {
                    let loc = writer.create_element("loc");
                    loc.write_text_content(BytesText::new(&entry.loc))?;
                    if let Some(date) = entry.lastmod {
                        let lastmod = writer.create_element("lastmod");
                        lastmod.write_text_content(BytesText::new(&date.to_string()))?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    let mut bytes = writer.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

fn robots_txt(sitemap_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: SiteRoot = SiteRoot {
        base_path: "/docs/",
        origin: Some("https://example.com"),
    };

    fn entries(count: usize) -> Vec<SitemapEntry> {
        (0..count)
            .map(|i| SitemapEntry {
                loc: format!("https://example.com/docs/p{i}/?a=1&b=2"),
                lastmod: Some(jiff::civil::date(2021, 1, 1 + i as i8 % 28)),
            })
            .collect()
    }

    fn text(file: &OutputFile) -> String {
        match file {
            OutputFile::Bytes { bytes, .. } => String::from_utf8(bytes.clone()).expect("utf-8"),
            OutputFile::Copy { .. } => panic!("sitemaps are written, not copied"),
        }
    }

    #[test]
    fn up_to_the_limit_one_sitemap_holds_every_url_escaped() {
        let files = sitemap_files(&entries(3), ROOT, 3);
        assert_eq!(files.len(), 1);
        let xml = text(&files[0]);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert_eq!(xml.matches("<url>").count(), 3);
        assert!(xml.contains("<loc>https://example.com/docs/p2/?a=1&amp;b=2</loc>"));
        assert!(xml.contains("<lastmod>2021-01-03</lastmod>"));
    }

    #[test]
    fn past_the_limit_parts_and_an_index_are_written() {
        let files = sitemap_files(&entries(5), ROOT, 2);
        let paths: Vec<&str> = files.iter().map(OutputFile::path).collect();
        assert_eq!(
            paths,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        assert_eq!(text(&files[2]).matches("<url>").count(), 1);
        let index = text(&files[3]);
        assert!(
            index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        assert!(index.contains("<loc>https://example.com/docs/sitemap-2.xml</loc>"));
        assert!(
            index.contains("<lastmod>2021-01-04</lastmod>"),
            "newest date of part 2"
        );
        assert_eq!(index.matches("<sitemap>").count(), 3);
    }
}
