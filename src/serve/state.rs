//! What the HTTP side and the rebuild loop share: the last good build in memory (or, at
//! the start, the pages rendered so far and a way to ask for more), the errors of the
//! current one if it failed, and the channel to open pages.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};

use tokio::sync::broadcast;

use crate::output::OutputFile;
use crate::serve::incremental::Rebuild;
use crate::serve::live::{LiveEvent, PagePatch, overlay_text};
use crate::serve::warm::Warming;

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
    /// Until the first whole build is served: how to ask for a file not held yet.
    pub warming: Option<Warming>,
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

    /// Serves a good rebuild and tells pages to reload (sending the new HTML first to
    /// pages that can patch themselves), or keeps the last good build and shows the
    /// errors of a failed one. The first whole build replaces pages rendered with the
    /// same bytes, so it tells pages nothing unless it failed (and then serves nothing).
    pub fn publish(&self, rebuild: Rebuild) {
        let mut snapshot = self.write();
        let first = snapshot.warming.take().is_some();
        if rebuild.diags.has_errors() {
            if first {
                snapshot.files.clear();
            }
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
        let files: Vec<(String, Served)> = rebuild.files.into_iter().map(served).collect();
        let patches = rebuild
            .patchable
            .then(|| patches(&snapshot, &files, &rebuild.base_path));
        snapshot.files.extend(files);
        snapshot.base_path = rebuild.base_path;
        snapshot.errors = None;
        drop(snapshot);
        if first {
            return;
        }
        if let Some(patches) = patches {
            self.send(LiveEvent::Patch(Arc::new(patches)));
        }
        self.send(LiveEvent::Reload(rebuild.changed));
    }

    /// The snapshot to change (see `read` on a poisoned lock).
    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Snapshot> {
        self.snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Serves the base path and asks `warming` for files until the first whole build.
    pub fn start_warming(&self, warming: Warming, base_path: &str) {
        let mut snapshot = self.write();
        snapshot.warming = Some(warming);
        snapshot.base_path = base_path.to_string();
    }

    /// Serves `files` beside those held (before the first whole build).
    pub fn add_files(&self, files: Vec<OutputFile>) {
        self.write().files.extend(files.into_iter().map(served));
    }

    /// Serves `file` beside those held, and gives it back as served.
    pub fn add_file(&self, file: OutputFile) -> Served {
        let (path, served) = served(file);
        self.write().files.insert(path, served.clone());
        served
    }
}

/// The new HTML of each page among `files`, with the HTML `snapshot` serves for it, by
/// the page's URL as the reload event names it.
fn patches(snapshot: &Snapshot, files: &[(String, Served)], base_path: &str) -> Vec<PagePatch> {
    let bytes = |served: Option<&Served>| match served {
        Some(Served::Bytes(bytes)) => Some(Arc::clone(bytes)),
        _ => None,
    };
    files
        .iter()
        .filter_map(|(path, served)| {
            let folder = path.strip_suffix("index.html")?;
            Some(PagePatch {
                url: crate::load::url::href(base_path, folder),
                old: bytes(snapshot.files.get(path)),
                new: bytes(Some(served))?,
            })
        })
        .collect()
}

impl ServeState {
    /// Replaces every served file under `folder/` with `files` (the search index, which
    /// is built beside the rebuilds).
    pub fn replace_folder(&self, folder: &str, files: Vec<OutputFile>) {
        let prefix = format!("{folder}/");
        let mut snapshot = self.write();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Diagnostic, Diagnostics};
    use crate::serve::live::Changed;

    fn page(path: &str, html: &str) -> OutputFile {
        OutputFile::Bytes {
            path: path.into(),
            bytes: html.as_bytes().to_vec(),
        }
    }

    fn rebuild(files: Vec<OutputFile>, complete: bool, diags: Diagnostics) -> Rebuild {
        Rebuild {
            files,
            complete,
            changed: if complete {
                Changed::All
            } else {
                Changed::Urls(vec!["/a/".into()])
            },
            diags,
            base_path: "/".into(),
            pages_rendered: 1,
            patchable: !complete,
        }
    }

    #[test]
    fn the_first_whole_build_tells_open_pages_nothing_and_an_edit_patches_then_reloads() {
        let state = ServeState::new(PathBuf::from("/site"));
        let _asks = Warming::begin(&state, "/");
        state.add_file(page("a/index.html", "<p>early</p>"));
        let mut events = state.subscribe();
        state.publish(rebuild(
            vec![page("a/index.html", "<p>was</p>")],
            true,
            Diagnostics::default(),
        ));
        assert!(events.try_recv().is_err(), "the first build sent an event");
        assert!(state.read(|s| s.warming.is_none()));

        state.publish(rebuild(
            vec![page("a/index.html", "<p>now</p>")],
            false,
            Diagnostics::default(),
        ));
        let Ok(LiveEvent::Patch(patches)) = events.try_recv() else {
            panic!("no patch first");
        };
        assert_eq!(patches[0].url, "/a/");
        assert_eq!(patches[0].old.as_deref(), Some(&b"<p>was</p>"[..]));
        assert_eq!(&*patches[0].new, b"<p>now</p>");
        assert!(matches!(events.try_recv(), Ok(LiveEvent::Reload(_))));
    }

    #[test]
    fn a_failed_first_build_serves_none_of_the_pages_rendered_before_it() {
        let state = ServeState::new(PathBuf::from("/site"));
        let _asks = Warming::begin(&state, "/");
        state.add_file(page("a/index.html", "<p>early</p>"));
        let mut events = state.subscribe();
        let mut diags = Diagnostics::default();
        diags.push(Diagnostic::error("yaml", "bad value"));
        state.publish(rebuild(Vec::new(), true, diags));
        assert!(state.read(|s| s.files.is_empty() && s.errors.is_some()));
        assert!(matches!(events.try_recv(), Ok(LiveEvent::BuildError(_))));
    }
}
