//! The integration test binary: runs the real `folio` on small fixture sites built in
//! temp folders, on the repository's example site, and on `../shared`.
mod browser;
mod browser_search;
mod browser_switcher;
mod browser_theme;
mod build;
mod check;
mod claims;
mod claims_general;
mod corpus;
mod dataset;
mod docs;
mod first_run;
mod gate;
mod harness;
mod highlight;
mod markdown;
mod promises;
mod search;
mod serve;
mod sitemeta;
mod templates;
mod theme;
mod theme_contrast;
mod versions_ui;
