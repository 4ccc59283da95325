//! When each page last changed: the "Last updated" line of the theme and the sitemap's
//! `lastmod`. In a git checkout that is the date of the last commit touching the page,
//! read from ONE `git log` over `content/` (never a git run per page); a file git does
//! not know, or a site that is no checkout, falls back to the file's modification time.
//! No date is ever later than the build date (`--as-of`, else `SOURCE_DATE_EPOCH`, else
//! today), so a fresh checkout, whose files all carry the checkout's time, builds the
//! same bytes every time when `SOURCE_DATE_EPOCH` is set.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::JoinHandle;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use rayon::prelude::*;

use crate::config::LastmodSource;
use crate::load::Page;

/// The commit dates of the `git log` a build starts before it loads the pages: the log
/// of a long history takes a while (hundreds of milliseconds for a few hundred commits),
/// so it runs on a thread of its own meanwhile.
#[derive(Debug)]
pub struct CommitDates {
    source: LastmodSource,
    log: Option<JoinHandle<Option<HashMap<String, Date>>>>,
}

impl CommitDates {
    /// Starts the log of `content_dir` when the dates come from git (`source`).
    pub fn start(content_dir: &Path, source: LastmodSource) -> CommitDates {
        let log = (source == LastmodSource::Git).then(|| {
            let dir = content_dir.to_path_buf();
            std::thread::Builder::new().spawn(move || git_dates(&dir))
        });
        CommitDates {
            source,
            // A system with no thread to give gets file dates, as outside a checkout.
            log: log.and_then(Result::ok),
        }
    }

    fn wait(self) -> HashMap<String, Date> {
        let dates = self.log.and_then(|log| log.join().ok().flatten());
        dates.unwrap_or_default()
    }
}

/// Each page's last-change date (same order as `pages`), never later than `as_of`.
pub fn page_dates(
    content_dir: &Path,
    pages: &[Page],
    commits: CommitDates,
    as_of: Date,
) -> Vec<Option<Date>> {
    let commits = match commits.source {
        LastmodSource::None => return vec![None; pages.len()],
        LastmodSource::Git => commits.wait(),
        LastmodSource::File => HashMap::new(),
    };
    pages
        .par_iter()
        .map(|page| {
            let committed = commits.get(page.rel_path.as_str()).copied();
            let date = committed.or_else(|| file_date(&content_dir.join(&page.rel_path)))?;
            Some(date.min(as_of))
        })
        .collect()
}

/// Each file's last commit date by its path below `content_dir`; `None` when the folder
/// is not in a git checkout (or git is not installed, or the checkout has no commits).
fn git_dates(content_dir: &Path) -> Option<HashMap<String, Date>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(content_dir)
        .args([
            "-c",
            "core.quotePath=false",
            "log",
            "--relative",
            "--no-renames",
        ])
        // A NUL starts each commit's line: no file name can hold one.
        .args(["--format=%x00%ct", "--name-only", "--", "."])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    Some(parse_git_log(&String::from_utf8_lossy(&output.stdout)))
}

/// Parses `git log --format=%x00%ct --name-only`: newest commit first, so the first date
/// seen for a path is its last change.
fn parse_git_log(log: &str) -> HashMap<String, Date> {
    let mut dates = HashMap::new();
    let mut commit = None;
    for line in log.lines() {
        if let Some(seconds) = line.strip_prefix('\0') {
            commit = seconds.trim().parse::<i64>().ok().and_then(utc_date);
        } else if let Some(date) = commit.filter(|_| !line.is_empty()) {
            dates.entry(line.to_string()).or_insert(date);
        }
    }
    dates
}

fn file_date(path: &Path) -> Option<Date> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let timestamp = jiff::Timestamp::try_from(modified).ok()?;
    Some(timestamp.to_zoned(TimeZone::UTC).date())
}

fn utc_date(seconds: i64) -> Option<Date> {
    let timestamp = jiff::Timestamp::from_second(seconds).ok()?;
    Some(timestamp.to_zoned(TimeZone::UTC).date())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_newest_commit_touching_a_path_gives_its_date() {
        // 2021-03-04 and 2020-01-02, newest first, as git prints them.
        let log = "\u{0}1614859200\n\na.md\nsub/b.md\n\u{0}1577966400\n\na.md\nc.md\n";
        let dates = parse_git_log(log);
        assert_eq!(dates["a.md"], date(2021, 3, 4));
        assert_eq!(dates["sub/b.md"], date(2021, 3, 4));
        assert_eq!(dates["c.md"], date(2020, 1, 2));
        assert_eq!(dates.len(), 3);
    }

    #[test]
    fn a_folder_outside_any_checkout_has_no_git_dates() {
        let tmp = tempfile::tempdir().expect("tempdir");
        assert!(git_dates(tmp.path()).is_none());
    }
}
