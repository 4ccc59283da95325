//! The Mustache stage of a page with `render: mustache`: its body, includes expanded, is
//! rendered with its front matter plus its `model` file as the view, then prepared like
//! any body (comments stripped) for shortcodes and markdown. Every output line keeps the
//! source file and line it came from. Pages without `render: mustache` never run it; a
//! `{{ model.` tag on one of them gets a warning.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::MustacheError;
use crate::diag::{Diagnostic, Diagnostics, Position};
use crate::load::Page;
use crate::load::data_file::{self, DataFormat, PathProblem};
use crate::markdown::include::Expanded;
use crate::markdown::{MarkdownStage, locate, prepass};

const MODEL_CODE: &str = "mustache-model";

impl MarkdownStage<'_> {
    /// The rendered body of a `render: mustache` page; `None` when an error stops it.
    pub(in crate::markdown) fn expand_mustache(
        &self,
        page: &Page,
        diags: &mut Diagnostics,
    ) -> Option<Expanded> {
        let includes = &self.includes;
        let raw = includes
            .expand_raw(&page.file, &page.rel_path, page.body(), page.body_line)
            .map_err(|d| diags.push(d))
            .ok()?;
        let model = self.model(page).map_err(|d| diags.push(d)).ok()?;
        if model.is_none() {
            diags.extend(modelless_tag(page, &raw));
        }
        let rendered = super::render(&raw.text, &view(page, model))
            .map_err(|e| diags.push(syntax_error(&raw, &e)))
            .ok()?;
        let origins = origins(&raw, &rendered.line_sources);
        let (text, unclosed) = prepass::prepare(&rendered.text);
        let expanded = Expanded {
            text,
            origins,
            files: raw.files,
        };
        if let Some(unclosed) = unclosed {
            diags.push(unclosed_comment(&expanded, unclosed.line));
        }
        Some(expanded)
    }

    /// The parsed `model` file, or `None` when the page names none.
    fn model(&self, page: &Page) -> Result<Option<Value>, Diagnostic> {
        let target = page.front.model.as_deref().map(str::trim);
        let Some(target) = target.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        let at_key = |diagnostic: Diagnostic| {
            let diagnostic = diagnostic.in_file(&page.file);
            match page.front.position_of("model") {
                Some(position) => diagnostic.at(&page.text, position),
                None => diagnostic,
            }
        };
        let content = self.includes.content_dir;
        let found = data_file::resolve(content, &page.rel_path, target)
            .map_err(|problem| at_key(self.path_error(target, &problem)))?;
        let format =
            DataFormat::of(&found.rel).filter(|f| [DataFormat::Yaml, DataFormat::Json].contains(f));
        let Some(format) = format else {
            return Err(at_key(
                Diagnostic::error(
                    MODEL_CODE,
                    format!("model `{target}` is not a YAML or JSON file"),
                )
                .with_help("a model is a `.yaml`, `.yml` or `.json` file"),
            ));
        };
        let shown = self.includes.shown_prefix.join(&found.rel);
        data_file::read(&found.abs, &shown, format, MODEL_CODE)
            .map(Some)
            .map_err(|d| {
                d.with_help(format!(
                    "`{}` reads this file as its `model`; fix its syntax",
                    page.file.display()
                ))
            })
    }

    fn path_error(&self, target: &str, problem: &PathProblem) -> Diagnostic {
        match problem {
            PathProblem::OutsideContent => Diagnostic::error(
                MODEL_CODE,
                format!("model `{target}` is outside the content folder"),
            )
            .with_help("keep model files inside content/; a path starting with `/` starts at the content folder"),
            PathProblem::Missing(rel) => Diagnostic::error(
                MODEL_CODE,
                format!(
                    "model file `{}` does not exist",
                    self.includes.shown_prefix.join(rel).display()
                ),
            )
            .with_help("a model path is relative to the page's folder, or starts at the content folder with `/`"),
        }
    }
}

/// The page's front matter, with `model` the parsed model file (absent without one).
fn view(page: &Page, model: Option<Value>) -> Value {
    let mut map: Map<String, Value> = page
        .front
        .all
        .iter()
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    match model {
        Some(model) => map.insert("model".to_string(), model),
        None => map.remove("model"),
    };
    Value::Object(map)
}

/// The source file and line of each rendered line, through the includes.
fn origins(raw: &Expanded, line_sources: &[usize]) -> Vec<(usize, usize)> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(raw.text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    line_sources
        .iter()
        .map(|&offset| {
            let line = starts
                .partition_point(|&start| start <= offset)
                .saturating_sub(1);
            raw.origins.get(line).copied().unwrap_or((0, line + 1))
        })
        .collect()
}

fn syntax_error(raw: &Expanded, error: &MustacheError) -> Diagnostic {
    let tag = &raw.text[error.at.clone()];
    let len = tag.lines().next().unwrap_or(tag).chars().count();
    let (file, position, line_text) = locate(raw, error.at.start, len);
    Diagnostic::error("mustache-syntax", error.message.clone())
        .in_file(file)
        .at_line_text(&line_text, position)
        .with_help(error.help.clone())
}

fn unclosed_comment(expanded: &Expanded, line: usize) -> Diagnostic {
    let (file, source_line) = expanded.origin(line);
    let line_text = expanded.text.lines().nth(line - 1).unwrap_or("");
    Diagnostic::warning(
        "unclosed-comment",
        "HTML comment is never closed; the rest of the page is hidden",
    )
    .in_file(file)
    .at_line_text(line_text, Position::new(source_line, 1, 4))
    .with_help("close the comment with `-->`")
}

/// `{{ model.`, `{{#model.`, `{{{ model.` and the like (not closing tags).
static MODEL_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{\s*[{#^&]?\s*model\.").expect("the model tag pattern compiles")
});

/// Warnings for a page without `render: mustache` that still writes Mustache for its
/// model: the first `{{ model.` tag, and a `model` key nothing reads.
pub fn stray_model_tags(page: &Page, expanded: &Expanded) -> Vec<Diagnostic> {
    [stray_tag(expanded), unread_model_key(page)]
        .into_iter()
        .flatten()
        .collect()
}

fn stray_tag(expanded: &Expanded) -> Option<Diagnostic> {
    // Most pages never mention it: the std search skips them faster than the pattern.
    if !expanded.text.contains("model.") {
        return None;
    }
    let mut tags = MODEL_TAG.find_iter(&expanded.text);
    let first = tags.next()?;
    let more = match tags.count() {
        0 => String::new(),
        n => format!(" (and {n} more on this page)"),
    };
    let tag = whole_tag(&expanded.text[first.start()..]);
    let (file, position, line_text) = locate(expanded, first.start(), tag.chars().count());
    let message = format!(
        "`{tag}` is a Mustache tag, but this page has no `render: mustache`: it stays as written{more}"
    );
    Some(
        Diagnostic::warning("mustache-not-enabled", message)
            .in_file(file)
            .at_line_text(&line_text, position)
            .with_help("add `render: mustache` (and `model: FILE` for its data) to the front matter to fill it in"),
    )
}

fn unread_model_key(page: &Page) -> Option<Diagnostic> {
    page.front.model.as_ref()?;
    let position = page.front.position_of("model")?;
    Some(
        Diagnostic::warning(
            "mustache-not-enabled",
            "`model` is only read by pages with `render: mustache`",
        )
        .in_file(&page.file)
        .at(&page.text, position)
        .with_help("add `render: mustache` to use the model, or remove `model`"),
    )
}

/// A warning for the first `{{ model.` tag of a page that names no model: it prints
/// nothing, which is rarely what the writer meant.
fn modelless_tag(page: &Page, raw: &Expanded) -> Option<Diagnostic> {
    let first = MODEL_TAG.find(&raw.text)?;
    let tag = whole_tag(&raw.text[first.start()..]);
    let (file, position, line_text) = locate(raw, first.start(), tag.chars().count());
    let message = format!(
        "`{tag}` reads the model, but `{}` names no `model` file: it prints nothing",
        page.file.display()
    );
    Some(
        Diagnostic::warning("mustache-no-model", message)
            .in_file(file)
            .at_line_text(&line_text, position)
            .with_help(
                "add `model: FILE` (YAML or JSON) to the page's front matter, or remove the tag",
            ),
    )
}

/// The tag that starts `text`, through its closing braces when they are on its line.
fn whole_tag(text: &str) -> &str {
    let line = text.lines().next().unwrap_or(text);
    let Some(close) = line.find("}}") else {
        return line;
    };
    // `}}` or `}}}`: every closing brace belongs to the tag.
    let braces = line[close..].len() - line[close..].trim_start_matches('}').len();
    &line[..close + braces]
}
