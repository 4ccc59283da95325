//! The symbolic links git records (mode 120000) under a folder. A checkout made without
//! symlink support (`core.symlinks=false`, common on Windows) writes each as a small file
//! holding the target path; the index still says it is a link, so folio can follow it
//! whatever the file is named.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Absolute paths below `dir` that git records as symbolic links. Empty when `dir` is
/// not in a git checkout or git is not installed: then only the name-based guess of the
/// walker applies.
pub fn recorded_links(dir: &Path) -> HashSet<PathBuf> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["ls-files", "--stage", "-z", "--", "."])
        .output();
    match output {
        Ok(out) if out.status.success() => parse_stage(&out.stdout, dir),
        _ => HashSet::new(),
    }
}

/// `git ls-files --stage -z` lines: `MODE OBJECT STAGE\tPATH\0`, paths relative to `dir`.
fn parse_stage(bytes: &[u8], dir: &Path) -> HashSet<PathBuf> {
    bytes
        .split(|&b| b == 0)
        .filter_map(|entry| std::str::from_utf8(entry).ok())
        .filter_map(|entry| entry.split_once('\t'))
        .filter(|(meta, _)| meta.starts_with("120000 "))
        .map(|(_, path)| dir.join(path))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_mode_120000_entries_are_links() {
        let stage = b"100644 aaaa 0\tpage.md\x00120000 bbbb 0\tdocs/linkfile.md\x00";
        let links = parse_stage(stage, Path::new("/site/content"));
        assert_eq!(
            links,
            HashSet::from([PathBuf::from("/site/content/docs/linkfile.md")])
        );
    }
}
