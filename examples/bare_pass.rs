//! The performance floor for `folio build`: read every `.md` file under `IN`, drop its
//! YAML front matter, render it with pulldown-cmark and write `OUT/<path>/index.html`,
//! in parallel with rayon. This is folio's work shape minus front matter parsing,
//! includes, shortcodes, templates and navigation; `bench/run.sh` times folio against it.
//!
//! Usage: `bare_pass IN OUT`

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;
use walkdir::WalkDir;

/// The extensions folio turns on (`src/markdown/html.rs`).
const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_HEADING_ATTRIBUTES)
    .union(Options::ENABLE_SMART_PUNCTUATION)
    .union(Options::ENABLE_TASKLISTS);

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: bare_pass IN OUT");
        return ExitCode::from(2);
    };
    match render_tree(input, output) {
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bare_pass: {err}");
            ExitCode::from(2)
        }
    }
}

/// Renders every markdown file under `input`; returns how many there were.
fn render_tree(input: &Path, output: &Path) -> io::Result<usize> {
    let mut sources = Vec::new();
    for entry in WalkDir::new(input).follow_links(true) {
        let entry = entry?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            sources.push(entry.into_path());
        }
    }
    sources
        .par_iter()
        .try_for_each(|source| render_file(input, output, source))?;
    Ok(sources.len())
}

fn render_file(input: &Path, output: &Path, source: &Path) -> io::Result<()> {
    let text = fs::read_to_string(source).map_err(|e| with_path(e, source))?;
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(
        &mut html,
        Parser::new_ext(strip_front_matter(&text), OPTIONS),
    );
    let dir = output.join(page_dir(input, source));
    fs::create_dir_all(&dir).map_err(|e| with_path(e, &dir))?;
    let dest = dir.join("index.html");
    fs::write(&dest, html).map_err(|e| with_path(e, &dest))
}

/// `a/b/index.md` and `a/b.md` are both the page `a/b`, as in folio.
fn page_dir(input: &Path, source: &Path) -> PathBuf {
    let relative = source.strip_prefix(input).unwrap_or(source);
    if relative.file_stem().is_some_and(|s| s == "index") {
        relative.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        relative.with_extension("")
    }
}

/// The text after a leading `---` ... `---` block; the whole text when there is none
/// or it is never closed.
fn strip_front_matter(text: &str) -> &str {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return text;
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        offset += line.len();
        if line.trim_end() == "---" {
            return &rest[offset..];
        }
    }
    text
}

fn with_path(err: io::Error, path: &Path) -> io::Error {
    io::Error::new(err.kind(), format!("{}: {err}", path.display()))
}
