//! What the HTTP side and the rebuild loop share: the last good build in memory, the
//! errors of the current one if it failed, and the channel to open pages.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};

use tokio::sync::broadcast;

use crate::output::OutputFile;
use crate::serve::incremental::Rebuild;
use crate::serve::live::{LiveEvent, overlay_text};

/// One file of the served site.
#[derive(Debug, Clone)]
pub enum Served {
    Bytes(Arc<[u8]>),
    /// Copied files (images, static files) are read from their source on each request, so
    /// editing one needs no rebuild. The build only lists files inside the site root, and
    /// the HTTP side checks again when it reads one (it may have become a symlink since).
    File(PathBuf),
}

/// The site as it is served right now.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Files by path below the output root (`a/b/index.html`).
    pub files: HashMap<String, Served>,
    pub base_path: String,
    /// The overlay text while the sources do not build.
    pub errors: Option<String>,
}

/// Shared by the HTTP tasks and the rebuild loop.
#[derive(Debug)]
pub struct ServeState {
    snapshot: RwLock<Snapshot>,
    events: broadcast::Sender<LiveEvent>,
    /// The canonical site root: no file outside it is ever served.
    root: PathBuf,
}

impl ServeState {
    pub fn new(root: PathBuf) -> ServeState {
        let (events, _) = broadcast::channel(64);
        ServeState {
            snapshot: RwLock::new(Snapshot::default()),
            events,
            root,
        }
    }

    pub fn root(&self) -> &std::path::Path {
        &self.root
    }

    /// Runs `f` on the current snapshot (a poisoned lock still holds a whole snapshot:
    /// writers only swap or insert entries).
    pub fn read<T>(&self, f: impl FnOnce(&Snapshot) -> T) -> T {
        let snapshot = self.snapshot.read().unwrap_or_else(PoisonError::into_inner);
        f(&snapshot)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.events.subscribe()
    }

    /// Sends `event` to every open page (none listening is fine).
    pub fn send(&self, event: LiveEvent) {
        let _ = self.events.send(event);
    }

    /// Serves a good rebuild and tells pages to reload, or keeps the last good build and
    /// shows the errors of a failed one.
    pub fn publish(&self, rebuild: Rebuild) {
        let mut snapshot = self
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if rebuild.diags.has_errors() {
            let text = overlay_text(&rebuild.diags);
            snapshot.errors = Some(text.clone());
            drop(snapshot);
            self.send(LiveEvent::BuildError(text));
            return;
        }
        if rebuild.complete {
            // The search index is rebuilt beside the rebuilds: the last one serves until then.
            let index = format!("{}/", crate::search::INDEX_DIR);
            snapshot.files.retain(|path, _| path.starts_with(&index));
        }
        snapshot.files.extend(rebuild.files.into_iter().map(served));
        snapshot.base_path = rebuild.base_path;
        snapshot.errors = None;
        drop(snapshot);
        self.send(LiveEvent::Reload(rebuild.changed));
    }
}

impl ServeState {
    /// Replaces every served file under `folder/` with `files` (the search index, which
    /// is built beside the rebuilds).
    pub fn replace_folder(&self, folder: &str, files: Vec<OutputFile>) {
        let prefix = format!("{folder}/");
        let mut snapshot = self
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        snapshot.files.retain(|path, _| !path.starts_with(&prefix));
        snapshot.files.extend(files.into_iter().map(served));
    }
}

fn served(file: OutputFile) -> (String, Served) {
    match file {
        OutputFile::Bytes { path, bytes } => (path, Served::Bytes(bytes.into())),
        OutputFile::Copy { path, from } => (path, Served::File(from)),
    }
}
