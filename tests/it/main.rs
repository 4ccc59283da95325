//! The integration test binary: runs the real `folio` on small fixture sites built in
//! temp folders, on the repository's example site, and on `../shared`.

mod browser;
mod browser_search;
mod build;
mod check;
mod claims;
mod corpus;
mod dataset;
mod gate;
mod harness;
mod markdown;
mod search;
mod serve;
mod templates;
