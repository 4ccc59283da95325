//! Mustache templates with mustache.js 4 semantics, for pages with `render: mustache`.
//! No crate fit: mustache2 and ramhorns escape only `& < > "` (mustache.js also escapes
//! `' / \` =`), ramhorns renders Rust types rather than JSON values and neither reports
//! where a template is wrong. Supported: escaped and raw interpolation, sections and
//! inverted sections, dotted names, `{{.}}`, comments, set delimiters and the spec's
//! standalone-line rules; partials are an error (pages use `#include`).
//!
//! [`page`] runs it on a page body: model file, view, and positions in the source files.

mod page;
mod parse;
mod render;
#[cfg(test)]
mod tests;

use std::ops::Range;

use serde_json::Value;

pub use page::stray_model_tags;

/// A template that cannot be rendered, with where (byte offsets in the template).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MustacheError {
    pub at: Range<usize>,
    pub message: String,
    pub help: String,
}

impl MustacheError {
    fn new(at: Range<usize>, message: impl Into<String>, help: impl Into<String>) -> Self {
        MustacheError {
            at,
            message: message.into(),
            help: help.into(),
        }
    }
}

/// A rendered template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    /// For each line of `text`, the byte offset in the template it comes from.
    pub line_sources: Vec<usize>,
}

/// Renders `template` with `view` as its root context.
pub fn render(template: &str, view: &Value) -> Result<Rendered, MustacheError> {
    let nodes = parse::parse(template)?;
    let sink = render::render(template, &nodes, view);
    Ok(Rendered {
        text: sink.text,
        line_sources: sink.line_sources,
    })
}
