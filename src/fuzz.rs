//! Entry points for fuzzing: each runs one part of folio on arbitrary bytes and must
//! return, whatever the bytes, without a panic, an abort or a hang. `fuzz/` runs them
//! under libFuzzer (cargo-fuzz, nightly); `tests/it/fuzz_smoke.rs` runs each for a while
//! on generated inputs with the toolchain CI has.

use std::path::Path;

use crate::diag::Diagnostics;
use crate::markdown::shortcode::Template;

/// A fuzz entry point.
pub type Target = fn(&[u8]);

/// Every entry point, by the name the fuzz targets and the smoke test use.
pub const TARGETS: [(&str, Target); 7] = [
    ("front_matter", front_matter),
    ("shortcodes", shortcodes),
    ("mustache", mustache),
    ("dataset", dataset),
    ("request_path", request_path),
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

/// A page whose body holds includes of fragments: the parts of the bytes between NULs
/// are the page body and `content/f1.tmpl`, `content/f2.tmpl`... Runs the whole build.
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

/// A whole site: the parts of the bytes between NULs are `content/index.md`,
/// `data/versions.yaml`, `content/a/b.md` and `templates/shortcodes/note.html`. Runs the
/// build and every check (links, claims against the dataset, front matter).
pub fn site(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let paths = [
        "content/index.md",
        "data/versions.yaml",
        "content/a/b.md",
        "templates/shortcodes/note.html",
    ];
    let files: Vec<(String, String)> = paths
        .iter()
        .zip(text.split('\0'))
        .map(|(path, part)| (path.to_string(), part.to_string()))
        .collect();
    build_and_check(&files);
}

/// Writes `files` (path below the site root, text) into a temporary site and runs the
/// pipeline and `folio check`'s findings on it, in memory.
fn build_and_check(files: &[(String, String)]) {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    for (path, text) in files {
        let full = dir.path().join(path);
        let written = full
            .parent()
            .is_some_and(|parent| std::fs::create_dir_all(parent).is_ok())
            && std::fs::write(&full, text).is_ok();
        if !written {
            return;
        }
    }
    let args = crate::cli::SiteArgs {
        root: dir.path().to_path_buf(),
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
    let built = crate::pipeline::build_site(&options, &|_| {});
    let _ = crate::check::findings(&built, &options.config, false);
}
