//! `folio serve`: builds the site into memory, serves it over HTTP, watches the sources
//! and rebuilds what an edit touches, telling open pages to patch themselves or reload
//! (or showing the errors of a failed rebuild over the page). Module by module: `warm`
//! answers the first requests while the first build runs, `incremental` keeps the
//! loaded site and updates it, `watch` turns file events into changed paths, `state`
//! holds what is served, `http` serves it and `live` is the browser side.

pub mod http;
pub mod incremental;
pub mod live;
pub mod request_path;
pub mod state;
pub mod warm;
pub mod watch;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::Instant;

use crate::diag::Severity;
use crate::diag::render::Format;
use incremental::{IncrementalSite, Rebuild};
use state::ServeState;

/// Runs the first build (answering requests meanwhile), publishes it, starts the search
/// index, then rebuilds for each burst of changed paths (see `rebuild_loop`).
pub fn run_site(
    mut site: IncrementalSite,
    state: Arc<ServeState>,
    first: (warm::Asks, crate::diag::Diagnostics, Instant),
    changed_paths: Receiver<Vec<PathBuf>>,
    format: Format,
) {
    let (mut asks, diags, started) = first;
    let rebuild = warm::first_build(&mut site, &state, &mut asks, diags);
    report(&rebuild, started, format);
    state.publish(rebuild);
    asks.release();
    let reindexer = crate::search::Reindexer::for_site(&site, &state);
    rebuild_loop(site, state, changed_paths, format, reindexer);
}

/// Rebuilds the site for each burst of changed paths until the sender goes away; after a
/// good rebuild, asks `reindexer` (when search is on) for a fresh search index.
pub fn rebuild_loop(
    mut site: IncrementalSite,
    state: Arc<ServeState>,
    changed_paths: Receiver<Vec<PathBuf>>,
    format: Format,
    reindexer: Option<crate::search::Reindexer>,
) {
    for paths in changed_paths {
        let changes: Vec<_> = paths.iter().filter_map(|p| site.classify(p)).collect();
        if changes.is_empty() {
            continue;
        }
        let started = Instant::now();
        let rebuild = site.apply(&changes);
        report(&rebuild, started, format);
        let good = !rebuild.diags.has_errors();
        state.publish(rebuild);
        if let Some(reindexer) = reindexer.as_ref().filter(|_| good) {
            reindexer.request_for(&site);
        }
    }
}

/// Prints a rebuild's problems and outcome, as `folio build` would.
pub fn report(rebuild: &Rebuild, started: Instant, format: Format) {
    let diags = rebuild.diags.clone().deduplicated();
    let errors = diags.count(Severity::Error);
    crate::cmd::print_diagnostics(diags, format);
    let millis = started.elapsed().as_millis();
    if errors > 0 {
        eprintln!(
            "error: rebuild failed with {errors} error(s) after {millis} ms; still serving the last good build"
        );
    } else {
        let verb = if rebuild.complete { "Built" } else { "Rebuilt" };
        eprintln!("{verb} {} page(s) in {millis} ms", rebuild.pages_rendered);
    }
}
