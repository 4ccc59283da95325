//! A throwaway site in a temp folder and a way to run the real `folio` binary on it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A small site built file by file in a temp folder.
pub struct TestSite {
    dir: tempfile::TempDir,
}

/// The result of one `folio` run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing stderr when it is wrong.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code {}; stderr:\n{}\nstdout:\n{}",
            self.code, self.stderr, self.stdout
        );
        self
    }

    /// The findings of a `--format json` run, one JSON object per stdout line.
    pub fn findings(&self) -> Vec<Finding> {
        self.stdout
            .lines()
            .filter(|l| l.starts_with('{'))
            .map(|l| Finding(serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))))
            .collect()
    }

    pub fn expect_stdout(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}:\n{}",
            self.stdout
        );
        self
    }

    pub fn expect_stderr(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}:\n{}",
            self.stderr
        );
        self
    }
}

/// One finding as `--format json` prints it.
#[derive(Debug, Clone)]
pub struct Finding(pub serde_json::Value);

impl Finding {
    pub fn code(&self) -> &str {
        self.0["code"].as_str().unwrap_or("")
    }

    pub fn message(&self) -> &str {
        self.0["message"].as_str().unwrap_or("")
    }

    pub fn file(&self) -> Option<&str> {
        self.0["file"].as_str()
    }

    /// 1-based line, when the finding has a position.
    pub fn line(&self) -> Option<u64> {
        self.0["position"]["line"].as_u64()
    }

    pub fn column(&self) -> Option<u64> {
        self.0["position"]["column"].as_u64()
    }
}

impl std::ops::Index<&str> for Finding {
    type Output = serde_json::Value;

    fn index(&self, key: &str) -> &serde_json::Value {
        &self.0[key]
    }
}

impl TestSite {
    pub fn new() -> Self {
        TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` at `path` (relative to the site root), creating folders.
    pub fn file(self, path: &str, text: &str) -> Self {
        self.write(path, text);
        self
    }

    pub fn write(&self, path: &str, text: &str) {
        let full = self.root().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
    }

    /// A markdown page with a title.
    pub fn page(self, path: &str, title: &str, body: &str) -> Self {
        self.file(
            &format!("content/{path}"),
            &format!("---\ntitle: {title}\n---\n{body}"),
        )
    }

    #[cfg(unix)]
    pub fn symlink(self, link: &str, target: &str) -> Self {
        let full = self.root().join(link);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::os::unix::fs::symlink(target, full).expect("symlink");
        self
    }

    /// Runs `folio ARGS... ROOT` style commands: `{root}` in an argument is the site root.
    pub fn folio(&self, args: &[&str]) -> Run {
        let root = self.root().display().to_string();
        let args: Vec<String> = args.iter().map(|a| a.replace("{root}", &root)).collect();
        folio_in(self.root(), &args)
    }

    /// `folio build --quiet` on this site.
    pub fn build(&self) -> Run {
        self.folio(&["build", "{root}", "--quiet"])
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root().join(path))
            .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.root().join(path).exists()
    }
}

/// Runs the real binary with `args` in `cwd`.
pub fn folio_in<S: AsRef<std::ffi::OsStr>>(cwd: &Path, args: &[S]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run folio");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs the real binary with `args` in `cwd` under GNU time (`scripts/test.sh` installs
/// it), and returns its exit code and peak resident memory in KiB.
pub fn folio_peak_memory_kib(cwd: &Path, args: &[&str]) -> (i32, u64) {
    let report = cwd.join(".peak-memory");
    let status = Command::new("/usr/bin/time")
        .arg("--format=%M")
        .arg("--output")
        .arg(&report)
        .arg(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(cwd)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run folio under /usr/bin/time (apt-get install time)");
    let text = std::fs::read_to_string(&report).expect("time's report");
    let peak = text.lines().last().and_then(|l| l.trim().parse().ok());
    (status.code().unwrap_or(-1), peak.expect("a peak in KiB"))
}

/// `../shared` beside the repository.
pub fn shared_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    assert!(
        dir.is_dir(),
        "tests need ../shared beside the repository ({})",
        dir.display()
    );
    dir
}

/// The repository root (the example site).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file below `dir`, relative, sorted, with its bytes.
pub fn snapshot_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// A copy of the repository's example site (content, templates, static, data, folio.yaml)
/// in a temp folder, to change and rebuild.
pub fn example_site_copy() -> TestSite {
    let site = TestSite::new();
    let repo = repo_root();
    for entry in walkdir::WalkDir::new(&repo).min_depth(1) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(&repo).expect("inside");
        let top = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let wanted = matches!(
            top.as_deref(),
            Some("content" | "templates" | "static" | "data" | "folio.yaml")
        );
        if wanted && entry.file_type().is_file() {
            let text = std::fs::read(entry.path()).expect("read");
            let target = site.root().join(rel);
            std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
            std::fs::write(target, text).expect("write");
        }
    }
    site
}
