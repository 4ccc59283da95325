//! `load_data(path=...)` for page and shortcode templates: a YAML, JSON, TOML or CSV file
//! of the content folder (relative to the page being rendered, or from the content root
//! with `/`), as a value. Each file is parsed once per build and shared by every page and
//! thread; a missing or invalid file fails the template that asked, with where.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use tera::{Tera, Value};

use crate::load::data_file::{self, DataFormat, PathProblem};

/// One parse of a file, shared by everyone who asks for it.
type Entry = Arc<OnceLock<Result<Value, String>>>;

/// The data files of one build, parsed on first use.
#[derive(Debug)]
pub struct DataFiles {
    /// Canonical content folder.
    content_dir: PathBuf,
    /// How content paths are shown in messages (`content`, or nothing in a bare folder).
    shown_prefix: PathBuf,
    parsed: Mutex<HashMap<String, Entry>>,
}

impl DataFiles {
    /// The data files of the site at canonical `site_root`.
    pub fn new(site_root: &Path) -> DataFiles {
        let content = site_root.join("content");
        let (content_dir, shown_prefix) = if content.is_dir() {
            (content, PathBuf::from("content"))
        } else {
            // A bare folder of markdown is its own content folder (see `ContentDir`).
            (site_root.to_path_buf(), PathBuf::new())
        };
        DataFiles {
            content_dir,
            shown_prefix,
            parsed: Mutex::new(HashMap::new()),
        }
    }

    /// The value of `target` as written on the page at content path `page_rel`.
    pub fn load(&self, page_rel: &str, target: &str) -> Result<Value, String> {
        let found = data_file::resolve(&self.content_dir, page_rel, target)
            .map_err(|problem| self.path_error(target, &problem))?;
        let shown = self.shown_prefix.join(&found.rel);
        let Some(format) = DataFormat::of(&found.rel) else {
            return Err(format!(
                "`{}` is not a data file: load_data reads .yaml, .yml, .json, .toml and .csv",
                shown.display()
            ));
        };
        let entry = {
            let mut parsed = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(parsed.entry(found.rel.clone()).or_default())
        };
        entry
            .get_or_init(|| {
                data_file::read(&found.abs, &shown, format, "template")
                    .map(|json| Value::from_serializable(&json))
                    .map_err(|d| match d.location() {
                        Some(at) => format!("{at}: {}", d.message),
                        None => d.message,
                    })
            })
            .clone()
    }

    fn path_error(&self, target: &str, problem: &PathProblem) -> String {
        match problem {
            PathProblem::OutsideContent => format!(
                "load_data: `{target}` is outside the content folder; data files must be inside it"
            ),
            PathProblem::Missing(rel) => format!(
                "load_data: `{}` does not exist (a path is relative to the page's folder, or starts at the content folder with `/`)",
                self.shown_prefix.join(rel).display()
            ),
        }
    }
}

/// Registers `load_data`; the page being rendered is `page.path` in the context.
pub fn register(tera: &mut Tera, files: &Arc<DataFiles>) {
    let files = Arc::clone(files);
    tera.register_function(
        "load_data",
        move |kwargs: tera::Kwargs, state: &tera::State| {
            let path: String = kwargs.must_get("path")?;
            let page_rel = page_path(state).unwrap_or_default();
            files.load(&page_rel, &path).map_err(tera::Error::message)
        },
    );
}

/// The content path of the page being rendered; none for built-in pages (404, search).
fn page_path(state: &tera::State) -> Option<String> {
    let page = state.get::<Value>("page").ok()??;
    Some(page.get_from_path("path")?.as_str()?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_parsed_once_and_errors_name_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        std::fs::create_dir_all(root.join("content/api")).expect("mkdir");
        std::fs::write(root.join("content/api/routes.yaml"), "- path: /a\n").expect("write");
        let files = DataFiles::new(&root);
        let first = files.load("api/index.md", "routes.yaml").expect("loads");
        std::fs::write(root.join("content/api/routes.yaml"), "changed: 1\n").expect("write");
        let again = files.load("other.md", "/api/routes.yaml").expect("cached");
        assert_eq!(first, again);
        assert_eq!(
            files.load("a.md", "gone.json").expect_err("missing"),
            "load_data: `content/gone.json` does not exist (a path is relative to the page's folder, or starts at the content folder with `/`)"
        );
        std::fs::write(root.join("content/bad.json"), "{\n  x\n}").expect("write");
        let bad = files.load("a.md", "bad.json").expect_err("invalid");
        assert!(bad.starts_with("content/bad.json:2:3: "), "{bad}");
        let outside = files.load("a.md", "../folio.yaml").expect_err("outside");
        assert!(outside.contains("outside the content folder"), "{outside}");
    }
}
