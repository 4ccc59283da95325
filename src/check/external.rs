//! External links (`folio check --external`): every `http(s)` URL the pages link to is
//! requested once, many at a time, with a timeout and one retry, and each page that
//! links to one that fails gets a finding. Never part of the default run: it needs the
//! network and its answers change from day to day.

use std::collections::BTreeMap;
use std::time::Duration;

use rayon::prelude::*;

use crate::check::place::locate;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Page;
use crate::markdown::RenderedMarkdown;

/// How hard to try each URL.
#[derive(Debug, Clone, Copy)]
pub struct ExternalOptions {
    pub timeout: Duration,
    /// Further attempts after a failure to connect or a 5xx answer.
    pub retries: u32,
    /// Requests in flight at once.
    pub concurrency: usize,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            timeout: Duration::from_secs(10),
            retries: 1,
            concurrency: 16,
        }
    }
}

/// Why a URL failed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Failure {
    Status(u16),
    Unreachable(String),
}

/// Checks every external link of the pages.
pub fn check(
    pages: &[Page],
    markdown: &[Option<RenderedMarkdown>],
    options: ExternalOptions,
) -> Diagnostics {
    let uses = external_uses(markdown);
    let agent = agent(options.timeout);
    let urls: Vec<&String> = uses.keys().collect();
    let results: Vec<Option<Failure>> = match rayon::ThreadPoolBuilder::new()
        .num_threads(options.concurrency.max(1))
        .build()
    {
        Ok(pool) => pool.install(|| {
            urls.par_iter()
                .map(|url| probe(&agent, url, options.retries))
                .collect()
        }),
        Err(err) => vec![Some(Failure::Unreachable(err.to_string())); urls.len()],
    };
    let mut diags = Diagnostics::default();
    for (url, failure) in urls.into_iter().zip(results) {
        let Some(failure) = failure else { continue };
        for &page in &uses[url] {
            let written = markdown[page]
                .as_ref()
                .and_then(|md| md.links.iter().find(|l| &l.rendered == url))
                .map_or(url.as_str(), |l| l.written.as_str());
            let included = markdown[page].as_ref().and_then(|m| m.included.as_ref());
            diags.push(locate(
                finding(url, &failure),
                &pages[page],
                included,
                written,
            ));
        }
    }
    diags
}

/// Each external URL and the pages linking to it, in a stable order.
fn external_uses(markdown: &[Option<RenderedMarkdown>]) -> BTreeMap<String, Vec<usize>> {
    let mut uses: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (page, md) in markdown.iter().enumerate() {
        let Some(md) = md else { continue };
        for href in md.links.iter().map(|l| &l.rendered) {
            let is_web = href.starts_with("http://") || href.starts_with("https://");
            let pages = uses.entry(href.clone()).or_default();
            if is_web && pages.last() != Some(&page) {
                pages.push(page);
            }
        }
    }
    uses.retain(|_, pages| !pages.is_empty());
    uses
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent("folio-link-check")
        .build()
        .into()
}

/// Requests `url` (HEAD, then GET where HEAD is refused); `None` when it works.
fn probe(agent: &ureq::Agent, url: &str, retries: u32) -> Option<Failure> {
    let mut last = None;
    for _ in 0..=retries {
        let failure = match agent.head(url).call() {
            Ok(r) if matches!(r.status().as_u16(), 403 | 405 | 501) => get(agent, url),
            Ok(r) => status_failure(r.status().as_u16()),
            Err(err) => Some(Failure::Unreachable(err.to_string())),
        };
        let retry = matches!(&failure, Some(Failure::Unreachable(_)))
            || matches!(&failure, Some(Failure::Status(code)) if *code >= 500);
        if !retry {
            return failure;
        }
        last = failure;
    }
    last
}

fn get(agent: &ureq::Agent, url: &str) -> Option<Failure> {
    match agent.get(url).call() {
        Ok(r) => status_failure(r.status().as_u16()),
        Err(err) => Some(Failure::Unreachable(err.to_string())),
    }
}

fn status_failure(code: u16) -> Option<Failure> {
    (code >= 400).then_some(Failure::Status(code))
}

fn finding(url: &str, failure: &Failure) -> Diagnostic {
    let message = match failure {
        Failure::Status(code) => format!("external link `{url}` answers HTTP {code}"),
        Failure::Unreachable(err) => format!("external link `{url}` cannot be reached: {err}"),
    };
    Diagnostic::error("external-link", message).with_help(
        "fix or remove the link; for sites that refuse link checkers, set `external-link: warning` under `checks:` in folio.yaml",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_are_collected_once_per_page() {
        let links = |hrefs: &[&str]| {
            let links = hrefs.iter().map(|h| crate::markdown::SourceLink {
                written: h.to_string(),
                rendered: h.to_string(),
            });
            Some(RenderedMarkdown {
                links: links.collect(),
                ..RenderedMarkdown::default()
            })
        };
        let scanned = [
            links(&[
                "https://a.example/",
                "/local/",
                "mailto:x@y",
                "https://a.example/",
            ]),
            None,
            links(&["http://b.example/x", "https://a.example/"]),
        ];
        let uses = external_uses(&scanned);
        assert_eq!(
            uses.into_iter().collect::<Vec<_>>(),
            [
                ("http://b.example/x".to_string(), vec![2]),
                ("https://a.example/".to_string(), vec![0, 2]),
            ]
        );
    }
}
