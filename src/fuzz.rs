//! Entry points for fuzzing: each runs one part of folio on arbitrary bytes and must
//! return, whatever the bytes, without a panic, an abort or a hang. `fuzz/` runs them
//! under libFuzzer (cargo-fuzz, nightly); `tests/it/fuzz_smoke.rs` runs each for a while
//! on generated inputs with the toolchain CI has. Both start from the hand-written inputs
//! of `fuzz/seeds/TARGET/`, in the format each entry point's doc describes. What does not
//! depend on the input is made once: the claims audit's recognisers once per process, the
//! whole-site targets' site folder once per thread.

use std::cell::RefCell;
use std::path::Path;
use std::sync::OnceLock;

use crate::check::claims::Auditor;
use crate::dataset::Dataset;
use crate::diag::Diagnostics;
use crate::markdown::shortcode::Template;

/// A fuzz entry point.
pub type Target = fn(&[u8]);

/// Every entry point, by the name the fuzz targets and the smoke test use.
pub const TARGETS: [(&str, Target); 8] = [
    ("front_matter", front_matter),
    ("shortcodes", shortcodes),
    ("mustache", mustache),
    ("dataset", dataset),
    ("request_path", request_path),
    ("claims", claims),
    ("includes", includes),
    ("site", site),
];

/// A page file: front matter split and parsed, body normalised.
pub fn front_matter(data: &[u8]) {
    let mut diags = Diagnostics::default();
    let _ = crate::load::page::load_page("fuzz.md", "content/fuzz.md".into(), data, &mut diags);
}

/// The shortcode parser on a page body, with a few names known.
pub fn shortcodes(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let known = |name: &str| match name {
        "message" | "enterprise" | "oss" | "beta" => Some(Template::Builtin),
        "note" => Some(Template::Site),
        _ => None,
    };
    let _ = crate::markdown::shortcode::extract(&text, &known);
}

/// A Mustache template (the bytes up to the first NUL) with a YAML view (the rest).
pub fn mustache(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (template, view) = text.split_once('\0').unwrap_or((&text, "a: [1, {b: x}]\n"));
    let view: serde_json::Value = serde_saphyr::from_str(view).unwrap_or_default();
    let _ = crate::markdown::mustache::render(template, &view);
}

/// The versions dataset loader and its validation.
pub fn dataset(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut diags = Diagnostics::default();
    let _ = crate::dataset::parse(&text, Path::new("data/versions.yaml"), &mut diags);
}

/// `folio serve`'s request-path parser, at the root and below a base path.
pub fn request_path(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for base in ["/", "/docs/"] {
        let _ = crate::serve::request_path::target(&text, base);
    }
}

/// The version-claim audit (the shape patterns and the general audit) on one page,
/// against the corpus's dataset (parsed once per process), judged on 2026-01-01. The
/// bytes before the first NUL are the page's path below `content/` (which gives its
/// product and line: `dkp/konvoy/2.1/install.md`), the rest the page file's text, front
/// matter included; with no NUL, the whole input is the text of
/// `dkp/konvoy/2.1/install.md`. Seeds: `fuzz/seeds/claims/`.
pub fn claims(data: &[u8]) {
    let _ = claim_findings(data);
}

/// The findings of [`claims`] on `data`.
fn claim_findings(data: &[u8]) -> Vec<crate::diag::Diagnostic> {
    let text = String::from_utf8_lossy(data);
    let (rel_path, page) = match text.split_once('\0') {
        Some((path, page)) => (path, page),
        None => ("dkp/konvoy/2.1/install.md", &*text),
    };
    let file = Path::new("content").join(rel_path);
    let mut diags = Diagnostics::default();
    match crate::load::page::load_page(rel_path, file, page.as_bytes(), &mut diags) {
        Some(page) => auditor().audit(&page),
        None => Vec::new(),
    }
}

/// The audit's recognisers for the corpus's dataset, compiled on first use. That dataset
/// (a test fixture) is the user's real history: five products' lines and releases with
/// Kubernetes ranges, pairings, runs-on targets and a compatibility matrix.
fn auditor() -> &'static Auditor<'static> {
    static DATASET: OnceLock<Dataset> = OnceLock::new();
    static AUDITOR: OnceLock<Auditor<'static>> = OnceLock::new();
    AUDITOR.get_or_init(|| {
        let dataset = DATASET.get_or_init(|| {
            let yaml = include_str!("../tests/fixtures/corpus-dataset/versions.yaml");
            let mut diags = Diagnostics::default();
            crate::dataset::parse(yaml, Path::new("versions.yaml"), &mut diags)
                .expect("the corpus dataset is valid")
        });
        let mut auditor = Auditor::new(dataset);
        auditor.as_of = Some(jiff::civil::date(2026, 1, 1));
        auditor
    })
}

/// A page whose body holds includes of fragments: the parts of the bytes between NULs
/// are the page body and `content/f1.tmpl`, `content/f2.tmpl`... The page is
/// `content/index.md`, its body `#include /f1.tmpl` then the first part. Runs the whole
/// build and every check. Seeds: `fuzz/seeds/includes/`.
pub fn includes(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let body = parts.next().unwrap_or_default();
    let mut files = vec![(
        "content/index.md".to_string(),
        format!("---\ntitle: Fuzz\n---\n#include /f1.tmpl\n{body}"),
    )];
    files.extend(
        parts
            .enumerate()
            .map(|(i, part)| (format!("content/f{}.tmpl", i + 1), part.to_string())),
    );
    build_and_check(&files);
}

/// The files of a [`site`] input, in the order of its parts.
const SITE_FILES: [&str; 6] = [
    "content/index.md",
    "data/versions.yaml",
    "content/a/b.md",
    "templates/shortcodes/note.html",
    "content/f1.tmpl",
    "content/a/model.yaml",
];

/// A whole site: the parts of the bytes between NULs are `content/index.md`,
/// `data/versions.yaml`, `content/a/b.md`, `templates/shortcodes/note.html`,
/// `content/f1.tmpl` (for `#include /f1.tmpl`) and `content/a/model.yaml` (for a
/// Mustache page's `model: model.yaml`); missing parts are missing files, parts after
/// the sixth are ignored. Runs the build and every check (links and anchors, claims
/// against the dataset, front matter). Seeds: `fuzz/seeds/site/`.
pub fn site(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let files: Vec<(String, String)> = SITE_FILES
        .iter()
        .zip(text.split('\0'))
        .map(|(path, part)| (path.to_string(), part.to_string()))
        .collect();
    build_and_check(&files);
}

/// A site folder reused from one input to the next (one per thread): each input
/// rewrites its files in place and removes the files of the previous input it does not
/// have, instead of making and deleting a temporary folder per input.
struct Scratch {
    dir: tempfile::TempDir,
    written: Vec<String>,
}

thread_local! {
    static SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
}

impl Scratch {
    /// Makes the site hold exactly `files` (path below the root, text); false when a
    /// file could not be written.
    fn hold(&mut self, files: &[(String, String)]) -> bool {
        for old in &self.written {
            if !files.iter().any(|(path, _)| path == old) {
                let _ = std::fs::remove_file(self.dir.path().join(old));
            }
        }
        self.written = files.iter().map(|(path, _)| path.clone()).collect();
        files.iter().all(|(path, text)| {
            let full = self.dir.path().join(path);
            full.parent()
                .is_some_and(|parent| std::fs::create_dir_all(parent).is_ok())
                && std::fs::write(&full, text).is_ok()
        })
    }
}

/// Writes `files` (path below the site root, text) into this thread's site folder and
/// runs what `folio check` runs on it: the pipeline with check's options, then every
/// check's findings, in memory.
fn build_and_check(files: &[(String, String)]) {
    SCRATCH.with_borrow_mut(|scratch| {
        if scratch.is_none() {
            *scratch = tempfile::tempdir().ok().map(|dir| Scratch {
                dir,
                written: Vec::new(),
            });
        }
        if let Some(scratch) = scratch
            && scratch.hold(files)
        {
            check_site(scratch.dir.path());
        }
    });
}

/// `folio check --as-of 2026-01-01` on the site at `root`, without printing.
fn check_site(root: &Path) {
    let args = crate::cli::SiteArgs {
        root: root.to_path_buf(),
        env: None,
        format: crate::diag::render::Format::Human,
        as_of: Some(jiff::civil::date(2026, 1, 1)),
        dataset: None,
        drafts: false,
        drafts_by_default: false,
    };
    let Ok(options) = crate::cmd::resolve_site(&args) else {
        return;
    };
    let options = crate::cmd::check::checking(options);
    let built = crate::pipeline::build_site(&options, &|_| {});
    let _ = crate::check::findings(&built, &options.config, false);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim_messages(data: &str) -> Vec<String> {
        let found = claim_findings(data.as_bytes());
        found.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn claims_reads_the_page_path_before_the_nul() {
        let sentence = "If the current version of Konvoy is 2.1, then D2iQ supports all patch versions of Konvoy 2.1, 2.0 and 1.6.";
        let wrong = claim_messages(&format!("dkp/konvoy/2.1/policy.md\0{sentence}\n"));
        assert_eq!(wrong.len(), 1, "{wrong:?}");
        assert!(wrong[0].starts_with("N-2 sentence"), "{wrong:?}");
        let right = sentence.replace("1.6", "1.8");
        assert_eq!(
            claim_messages(&format!("dkp/konvoy/2.1/policy.md\0{right}\n")),
            Vec::<String>::new()
        );
        // Without a NUL the whole input is a Konvoy 2.1 page.
        assert_eq!(claim_messages(sentence).len(), 1);
    }

    #[test]
    fn scratch_site_holds_exactly_the_files_of_the_last_input() {
        let file = |path: &str, text: &str| (path.to_string(), text.to_string());
        let mut scratch = Scratch {
            dir: tempfile::tempdir().expect("a temporary folder"),
            written: Vec::new(),
        };
        let first = [
            file("content/index.md", "# One"),
            file("content/a/b.md", "# B"),
        ];
        assert!(scratch.hold(&first));
        assert!(scratch.hold(&[file("content/index.md", "# Two")]));
        let root = scratch.dir.path();
        assert_eq!(
            std::fs::read_to_string(root.join("content/index.md")).expect("the page"),
            "# Two"
        );
        assert!(!root.join("content/a/b.md").exists());
    }
}
