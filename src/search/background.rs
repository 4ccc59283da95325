//! Re-indexing in `folio serve`: after each good rebuild the serve loop hands the new
//! page list to a thread of its own, which waits for edits to settle, indexes the pages
//! as they are served, and swaps the `pagefind/` files in. Rebuilds never wait for it:
//! the previous index keeps serving, and lags an edit (or a deleted page) by the settle
//! time plus the indexing time (seconds on the 2,000-page corpus).

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use crate::search::{INDEX_DIR, SearchPages, build_index};
use crate::serve::incremental::IncrementalSite;
use crate::serve::state::{ServeState, Served};

/// How long the index waits for more edits before it is rebuilt.
const SETTLE: Duration = Duration::from_millis(300);

/// The handle the serve loop sends page lists to.
#[derive(Debug)]
pub struct Reindexer {
    /// The pages to index, or `None` to stop serving an index (search was turned off).
    requests: Sender<Option<SearchPages>>,
}

impl Reindexer {
    /// Starts the indexing thread for the site `state` serves.
    fn start(state: Arc<ServeState>) -> Reindexer {
        let (requests, received) = mpsc::channel();
        std::thread::spawn(move || run(&state, &received));
        Reindexer { requests }
    }

    /// A reindexer for `site` with its first index under way, or `None` when search
    /// is off.
    pub fn for_site(site: &IncrementalSite, state: &Arc<ServeState>) -> Option<Reindexer> {
        if !site.options().config.search {
            return None;
        }
        let reindexer = Reindexer::start(Arc::clone(state));
        reindexer.request_for(site);
        Some(reindexer)
    }

    /// Asks for the index of `site`'s pages as they are served now.
    pub fn request_for(&self, site: &IncrementalSite) {
        if !site.options().config.search {
            let _ = self.requests.send(None);
            return;
        }
        let loaded = site.loaded();
        let pages = SearchPages::new(
            &loaded.sources.pages,
            loaded.dataset.as_deref(),
            site.options().as_of,
            &loaded.base_path,
        );
        let _ = self.requests.send(Some(pages));
    }
}

fn run(state: &ServeState, received: &Receiver<Option<SearchPages>>) {
    while let Ok(mut pages) = received.recv() {
        loop {
            match received.recv_timeout(SETTLE) {
                Ok(newer) => pages = newer,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let Some(pages) = pages else {
            state.replace_folder(INDEX_DIR, Vec::new());
            continue;
        };
        let html = served_html(state);
        let files = html.iter().map(|(path, bytes)| (path.as_str(), &bytes[..]));
        match build_index(&pages, files) {
            Ok(index) => state.replace_folder(INDEX_DIR, index.files),
            Err(err) => eprintln!("warning: {err}; search shows the previous index"),
        }
    }
}

/// The HTML files being served (pages are always held in memory), in path order like a
/// build's, so the index is cut into the same parts.
fn served_html(state: &ServeState) -> Vec<(String, Arc<[u8]>)> {
    let mut html: Vec<(String, Arc<[u8]>)> = state.read(|snapshot| {
        snapshot
            .files
            .iter()
            .filter_map(|(path, served)| match served {
                Served::Bytes(bytes) if path.ends_with("index.html") => {
                    Some((path.clone(), Arc::clone(bytes)))
                }
                _ => None,
            })
            .collect()
    });
    html.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    html
}
