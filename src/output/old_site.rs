//! Removing the previous site once the new one is live. A large site is thousands of
//! files and folders, and nothing needs them gone before the build ends: a detached
//! `folio` process removes them while it holds the output's lock (so the next build of
//! the same output waits for it), and says on the build's standard error if it could
//! not. Where that process cannot be started, the build removes them itself.

use std::fs::File;
use std::path::Path;

use super::staging::{Leftover, is_swapped_out, remove_tree};
use crate::fsutil::FsError;

/// The hidden subcommand of the detached remover.
pub const SUBCOMMAND: &str = "__remove-old-site";

/// Removes `old` (the previous site, out of the output's place): off the build's path
/// with `folio`, the folio binary to run the remover with, which then holds `lock`; here
/// without one, or when it cannot be started. `Some` when it was removed here and some of
/// it could not be.
pub(super) fn remove(old: &Path, lock: &File, folio: Option<&Path>) -> Option<Leftover> {
    if folio.is_some_and(|folio| spawn_remover(folio, old, lock).is_ok()) {
        return None;
    }
    remove_tree(old).err().map(Leftover)
}

/// Starts `folio __remove-old-site OLD` with a copy of the lock's descriptor (a lock taken
/// with `flock` is held while any copy is open), no input or output, and the build's
/// standard error. Not waited for: the build ends while it runs.
#[cfg(unix)]
fn spawn_remover(folio: &Path, old: &Path, lock: &File) -> std::io::Result<()> {
    use std::process::{Command, Stdio};
    let held = lock.try_clone()?;
    rustix::io::fcntl_setfd(&held, rustix::io::FdFlags::empty())?;
    Command::new(folio)
        .arg(SUBCOMMAND)
        .arg(old)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()?;
    Ok(())
}

#[cfg(not(unix))]
fn spawn_remover(_: &Path, _: &Path, _: &File) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// `folio __remove-old-site DIR`: removes a previous site that a build swapped out. Only
/// a folder named like one (`.NAME.folio-staging-PID` after an exchange, or
/// `.NAME.folio-old-PID`) is removed; anything else is refused.
pub fn run_remover(dir: &Path) -> bool {
    if !is_swapped_out(dir) {
        eprintln!(
            "error: `{}` is not a site a build swapped out; nothing removed",
            dir.display()
        );
        return false;
    }
    if let Err(err) = remove_tree(dir) {
        eprintln!("{}", leftover_warning(&err));
    }
    true
}

/// The warning for a previous site that could not be removed.
pub fn leftover_warning(err: &FsError) -> String {
    format!(
        "warning: the new site is live, but the old one was not removed ({err}); the next build removes it"
    )
}
