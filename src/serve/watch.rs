//! Watching the site's sources with a short debounce, so one save (which editors that
//! save by rename turn into several events) becomes one rebuild. Falls back to polling
//! when the system cannot watch (too many folders for inotify, network drives).

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, ModifyKind};
use notify_debouncer_full::notify::{self, EventKind, PollWatcher, RecursiveMode, Watcher};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, FileIdCache, NoCache, new_debouncer, new_debouncer_opt,
};

/// Long enough to gather the events of one save, short enough not to be felt.
const DEBOUNCE: Duration = Duration::from_millis(15);
const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// Watches while it lives.
pub struct SourceWatcher {
    _debouncer: Box<dyn Send>,
}

impl std::fmt::Debug for SourceWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SourceWatcher")
    }
}

/// What to watch in a site: every source folder that exists, and the root itself (not
/// recursively) for `folio.yaml` and for source folders that appear.
pub fn watched_paths(root: &Path, bare: bool, dataset: &Path) -> Vec<(PathBuf, RecursiveMode)> {
    // A bare folder of markdown is its own content folder: watch all of it.
    let root_mode = if bare {
        RecursiveMode::Recursive
    } else {
        RecursiveMode::NonRecursive
    };
    let mut paths = vec![(root.to_path_buf(), root_mode)];
    for folder in ["content", "templates", "static", "data"] {
        let dir = root.join(folder);
        if dir.is_dir() {
            paths.push((dir, RecursiveMode::Recursive));
        }
    }
    let dataset_dir = root.join(dataset).parent().map(Path::to_path_buf);
    if let Some(dir) = dataset_dir
        .filter(|d| d.is_dir() && !paths.iter().any(|(p, _)| d.starts_with(p) && p != root))
    {
        paths.push((dir, RecursiveMode::NonRecursive));
    }
    paths
}

/// Sends the paths changed by each burst of edits to `changes`.
pub fn watch(
    paths: &[(PathBuf, RecursiveMode)],
    changes: Sender<Vec<PathBuf>>,
) -> Result<SourceWatcher, notify::Error> {
    let native = new_debouncer(DEBOUNCE, None, forward(changes.clone()))
        .and_then(|debouncer| start(debouncer, paths));
    match native {
        Ok(watcher) => Ok(watcher),
        Err(err) => {
            eprintln!(
                "warning: cannot watch the site ({err}); checking for changes every {}ms instead",
                POLL_INTERVAL.as_millis()
            );
            let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
            let polling = new_debouncer_opt::<_, PollWatcher, _>(
                DEBOUNCE,
                None,
                forward(changes),
                NoCache::new(),
                config,
            )?;
            start(polling, paths)
        }
    }
}

fn start<W, C>(
    mut debouncer: Debouncer<W, C>,
    paths: &[(PathBuf, RecursiveMode)],
) -> Result<SourceWatcher, notify::Error>
where
    W: Watcher + Send + 'static,
    C: FileIdCache + Send + 'static,
{
    for (path, mode) in paths {
        debouncer.watch(path, *mode)?;
    }
    Ok(SourceWatcher {
        _debouncer: Box::new(debouncer),
    })
}

/// Passes on the paths of events that can change the site, without repeats.
fn forward(changes: Sender<Vec<PathBuf>>) -> impl FnMut(DebounceEventResult) {
    move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut paths: Vec<PathBuf> = events
            .iter()
            .filter(|event| is_edit(&event.kind))
            .flat_map(|event| event.paths.iter().cloned())
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            let _ = changes.send(paths);
        }
    }
}

/// Whether an event can change a file's contents or existence. Reads (our own, during a
/// rebuild) and metadata changes cannot.
fn is_edit(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, MetadataKind, RenameMode};

    #[test]
    fn only_writes_creations_removals_and_renames_count() {
        assert!(is_edit(&EventKind::Create(CreateKind::File)));
        assert!(is_edit(&EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(is_edit(&EventKind::Modify(ModifyKind::Name(
            RenameMode::Both
        ))));
        assert!(!is_edit(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(!is_edit(&EventKind::Access(AccessKind::Read)));
    }

    #[test]
    fn the_dataset_folder_is_watched_only_when_no_source_folder_covers_it() {
        let site = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(site.path().join("content")).expect("mkdir");
        std::fs::create_dir_all(site.path().join("facts")).expect("mkdir");
        let paths = watched_paths(site.path(), false, Path::new("facts/versions.yaml"));
        let watched: Vec<&Path> = paths.iter().map(|(p, _)| p.as_path()).collect();
        assert_eq!(
            watched,
            [
                site.path(),
                &site.path().join("content"),
                &site.path().join("facts")
            ]
        );
    }
}
