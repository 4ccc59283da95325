//! Watching the site's sources. Raw file events are gathered until none has come for a
//! moment, so one save (which editors that save by rename turn into several events)
//! becomes one rebuild, started as soon as the save is over. Falls back to polling when
//! the system cannot watch (too many folders for inotify, network drives).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

/// How long after a file event the next one still belongs to the same save. In one save
/// by the editors measured (in-place write, write to a temporary file and rename,
/// `sed -i`, vim with and without backups; tmpfs and disk), the largest gap between two
/// events was 0.1-0.6 ms (median) and 5 ms at most, the whole save 0.2-2.4 ms (median).
/// (The notify debouncer used before held every event a fixed 15 ms, plus up to its 4 ms
/// tick, and could still split a save between two ticks.)
const QUIET: Duration = Duration::from_millis(10);
/// The same after a file was closed from writing, which usually ends a save: what may
/// follow (a rename of the written temporary file, vim deleting its backup) came within
/// 0.4 ms, 2.6 ms for vim's backup; and a late one only costs a second, empty rebuild
/// (the temporary file and the backup are no sources).
const AFTER_WRITE: Duration = Duration::from_millis(3);
const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// Watches while it lives.
pub struct SourceWatcher {
    _watcher: Box<dyn Watcher + Send>,
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
    let (events, received) = mpsc::channel::<Burst>();
    std::thread::spawn(move || gather(&received, &changes));
    let native = RecommendedWatcher::new(forward(events.clone()), notify::Config::default())
        .map_err(|err| (err, events.clone()))
        .and_then(|watcher| start(watcher, paths).map_err(|err| (err, events)));
    match native {
        Ok(watcher) => Ok(watcher),
        Err((err, events)) => {
            eprintln!(
                "warning: cannot watch the site ({err}); checking for changes every {}ms instead",
                POLL_INTERVAL.as_millis()
            );
            let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
            start(PollWatcher::new(forward(events), config)?, paths)
        }
    }
}

fn start<W: Watcher + Send + 'static>(
    mut watcher: W,
    paths: &[(PathBuf, RecursiveMode)],
) -> Result<SourceWatcher, notify::Error> {
    for (path, mode) in paths {
        watcher.watch(path, *mode)?;
    }
    Ok(SourceWatcher {
        _watcher: Box::new(watcher),
    })
}

/// The paths of one file event, and whether it closed a file after writing.
type Burst = (Vec<PathBuf>, bool);

/// Passes on the paths of each event that can change the site.
fn forward(events: Sender<Burst>) -> impl notify::EventHandler {
    move |result: notify::Result<notify::Event>| {
        if let Ok(event) = result
            && is_edit(&event.kind)
        {
            let written = event.kind == EventKind::Access(AccessKind::Close(AccessMode::Write));
            let _ = events.send((event.paths, written));
        }
    }
}

/// Sends the paths of each burst of events (each less than `QUIET`, or `AFTER_WRITE`
/// after a close, from the one before), sorted and without repeats, until either side
/// goes away.
fn gather(events: &Receiver<Burst>, changes: &Sender<Vec<PathBuf>>) {
    while let Ok((mut paths, mut written)) = events.recv() {
        loop {
            let wait = if written { AFTER_WRITE } else { QUIET };
            match events.recv_timeout(wait) {
                Ok((more, closed)) => {
                    paths.extend(more);
                    written = closed;
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        paths.sort();
        paths.dedup();
        if !paths.is_empty() && changes.send(paths).is_err() {
            return;
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
    fn a_burst_of_events_is_sent_once_with_each_path_once() {
        let (events, received) = mpsc::channel();
        let (changes, bursts) = mpsc::channel();
        let gathering = std::thread::spawn(move || gather(&received, &changes));
        for (path, written) in [("b.md", false), ("a.md", true), ("b.md", true)] {
            events
                .send((vec![PathBuf::from(path)], written))
                .expect("send");
        }
        let burst = bursts.recv().expect("a burst");
        assert_eq!(burst, [PathBuf::from("a.md"), PathBuf::from("b.md")]);
        // Sent once the first burst is out: a burst of its own.
        events
            .send((vec![PathBuf::from("c.md")], false))
            .expect("send");
        assert_eq!(
            bursts.recv().expect("a second burst"),
            [PathBuf::from("c.md")]
        );
        drop(events);
        gathering.join().expect("the gathering thread ends");
    }

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
