//! `folio init [DIR]`: writes a small working site (settings, a home page, one product
//! with two release lines, and its versions dataset) and says what to run next.

use std::path::{Path, PathBuf};

use crate::cli::InitArgs;
use crate::cmd::{Exit, absolute};

/// The starter site: (path below DIR, text).
const STARTER: &[(&str, &str)] = &[
    ("folio.yaml", include_str!("folio.yaml")),
    ("data/versions.yaml", include_str!("versions.yaml")),
    ("content/index.md", include_str!("index.md")),
    ("content/widget/index.md", include_str!("product.md")),
    ("content/widget/1.1/index.md", include_str!("line.md")),
];

pub fn run(args: &InitArgs) -> Exit {
    let dir = absolute(&args.dir);
    if let Some(taken) = first_taken(&dir) {
        eprintln!(
            "error: `{}` already exists; folio init only writes into a folder without a site (choose another DIR)",
            taken.display()
        );
        return Exit::CannotRun;
    }
    for (path, text) in STARTER {
        if let Err(err) = write_new(&dir.join(path), text) {
            eprintln!("error: {err}");
            return Exit::CannotRun;
        }
    }
    eprintln!("{}", next_steps(&args.dir));
    Exit::Success
}

/// The first starter path, or `content/`, that is already in `dir`.
fn first_taken(dir: &Path) -> Option<PathBuf> {
    let content = dir.join("content");
    if content.exists() {
        return Some(content);
    }
    STARTER
        .iter()
        .map(|(path, _)| dir.join(path))
        .find(|path| path.exists())
}

fn write_new(path: &Path, text: &str) -> crate::fsutil::FsResult<()> {
    if let Some(parent) = path.parent() {
        crate::fsutil::create_dir_all(parent)?;
    }
    crate::fsutil::write(path, text)
}

fn next_steps(dir: &Path) -> String {
    let shown = dir.display();
    format!(
        "Created a folio site in `{shown}`. Next:\n  \
         folio serve {shown}     preview it at http://127.0.0.1:1111 with live reload\n  \
         folio check {shown}     check links, front matter and version claims\n  \
         folio build {shown}     build it into {shown}/public\n\
         Pages are in content/, release facts in data/versions.yaml (see docs/dataset.md)."
    )
}
