//! The start of `folio serve`: answering before the whole site is rendered. The site is
//! loaded without any page's markdown (sources, front matter, navigation: what every
//! page shows of the others); then the whole site renders in the background while this
//! thread renders each page asked for first, markdown and template, on its own. Those
//! bytes are a full build's (the same functions on the same loaded site), so the whole
//! build that follows replaces them without telling open pages anything, unless it has
//! errors, which then reach the overlay. Requests for anything but a page (and the
//! files that need no page: styles, scripts, static files, images) wait for that build.

use std::sync::mpsc::{self, Receiver, Sender};

use tokio::sync::oneshot;

use crate::diag::Diagnostics;
use crate::pipeline::lazy::{OnDemand, markdown_of};
use crate::pipeline::{BuildOptions, LoadedSite, render_site};
use crate::serve::incremental::{IncrementalSite, Rebuild};
use crate::serve::state::{ServeState, Served};

/// What the HTTP side holds while the first build runs: a way to ask for a file.
#[derive(Debug, Clone)]
pub struct Warming {
    asks: Sender<Message>,
}

#[derive(Debug)]
enum Message {
    /// A request for the file at this path, answered with it, or with `None` when there
    /// is none (a page that does not render is answered once the whole build is served).
    Ask(String, oneshot::Sender<Option<Served>>),
    /// The background work of one step is done.
    Done,
}

/// The receiving end of the asks, for `first_build`, and the asks that wait for the
/// whole build.
#[derive(Debug)]
pub struct Asks {
    received: Receiver<Message>,
    sender: Sender<Message>,
    waiting: Vec<oneshot::Sender<Option<Served>>>,
}

impl Warming {
    /// Makes `state` ask for every file it does not hold until the first build is
    /// published.
    pub fn begin(state: &ServeState, base_path: &str) -> Asks {
        let (sender, received) = mpsc::channel();
        let warming = Warming {
            asks: sender.clone(),
        };
        state.start_warming(warming, base_path);
        Asks {
            received,
            sender,
            waiting: Vec::new(),
        }
    }

    /// The file at `path` once it is rendered; `None` when there is none, or when the
    /// whole build is served and holds the answer.
    pub async fn file(&self, path: &str) -> Option<Served> {
        let (reply, answer) = oneshot::channel();
        self.asks.send(Message::Ask(path.into(), reply)).ok()?;
        answer.await.ok().flatten()
    }
}

impl Asks {
    /// Lets the asks that waited for the whole build look there: call it once that
    /// build is published.
    pub fn release(self) {
        drop(self);
    }
}

/// Builds the whole site while answering asks, and returns it to be published.
pub fn first_build(
    site: &mut IncrementalSite,
    state: &ServeState,
    asks: &mut Asks,
    mut diags: Diagnostics,
) -> Rebuild {
    state.add_files(site.loaded().files_besides_pages(site.options()));
    let pool = background_pool();
    let pool = pool.as_ref();
    let all: Vec<usize> = (0..site.loaded().sources.pages.len()).collect();
    let (markdown, more) = beside(site, state, asks, |loaded, options| {
        in_pool(pool, || {
            let mut diags = Diagnostics::default();
            (markdown_of(loaded, options, &all, &mut diags), diags)
        })
    });
    diags.extend(more);
    site.set_markdown(markdown);
    let ((files, page_count), more) = beside(site, state, asks, |loaded, options| {
        in_pool(pool, || {
            let mut diags = Diagnostics::default();
            (render_site(loaded, options, &|| {}, &mut diags), diags)
        })
    });
    diags.extend(more);
    site.first_build(files, page_count, diags)
}

fn in_pool<T: Send>(pool: Option<&rayon::ThreadPool>, work: impl FnOnce() -> T + Send) -> T {
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Runs `work` on the loaded site in a thread of its own, answering asks here until it
/// is done; asks it cannot answer yet wait in `waiting`.
fn beside<T: Send>(
    site: &IncrementalSite,
    state: &ServeState,
    asks: &mut Asks,
    work: impl FnOnce(&LoadedSite, &BuildOptions) -> T + Send,
) -> T {
    let (loaded, options) = (site.loaded(), site.options());
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            let done = work(loaded, options);
            let _ = asks.sender.send(Message::Done);
            done
        });
        for message in asks.received.iter() {
            match message {
                Message::Done => break,
                Message::Ask(path, reply) => match answer(loaded, options, state, &path) {
                    OnDemand::Page(file) => {
                        let _ = reply.send(Some(state.add_file(file)));
                    }
                    OnDemand::NoPage => {
                        let _ = reply.send(state.read(|s| s.files.get(&path).cloned()));
                    }
                    OnDemand::Failed => asks.waiting.push(reply),
                },
            }
        }
        worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The page at `path` when it is not held yet, rendered now. Any other file is held
/// already or is not in the site: all files but pages are held from the start.
fn answer(loaded: &LoadedSite, options: &BuildOptions, state: &ServeState, path: &str) -> OnDemand {
    if state.read(|s| s.files.contains_key(path)) {
        return OnDemand::NoPage;
    }
    loaded.render_on_demand(options, path)
}

/// The first build's own threads: all cores but one, which is left to the pages asked
/// for meanwhile (they render on rayon's global pool), so the first page does not wait
/// behind two thousand others. `None` on a single core, or if no pool can be made.
fn background_pool() -> Option<rayon::ThreadPool> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let threads = cores.checked_sub(1).filter(|&n| n > 0)?;
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("folio-first-build-{i}"))
        .build()
        .ok()
}
