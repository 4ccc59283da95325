//! Turns the raw dataset into the typed one, reporting every problem with its file, line
//! and column: versions typed as numbers, versions that do not parse, lines listed twice or
//! out of order, dates that go backwards, Kubernetes defaults outside their range, and
//! relations that name products or lines the dataset does not have.

mod matrix;
mod products;
mod relations;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use jiff::civil::Date;
use semver::Version;
use serde_saphyr::Location;

use super::raw::{self, RawDataset, Scalar};
use super::version::{self, Bound, ReleaseLine};
use super::{Dataset, Product};
use crate::diag::{Diagnostic, Position};

/// Collects validation errors, each pointing into the dataset file.
pub struct Reporter<'a> {
    file: &'a Path,
    source: &'a str,
    found: &'a mut Vec<Diagnostic>,
    /// Products with a line that failed to parse: a relation naming a line they lack
    /// may name the broken one, so it is not reported a second time.
    pub(super) incomplete: HashSet<String>,
}

impl<'a> Reporter<'a> {
    pub fn new(file: &'a Path, source: &'a str, found: &'a mut Vec<Diagnostic>) -> Self {
        Reporter {
            file,
            source,
            found,
            incomplete: HashSet::new(),
        }
    }

    pub(super) fn error(&mut self, at: &Location, message: String, help: String) {
        let line = at.line() as usize;
        let column = (at.column() as usize).max(1);
        let text = self
            .source
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("");
        let len = token_at(text, column).chars().count();
        self.found.push(
            Diagnostic::error("dataset", message)
                .in_file(self.file)
                .at_line_text(text, Position::new(line, column, len))
                .with_help(help),
        );
    }

    pub(super) fn error_in_file(&mut self, message: String, help: String) {
        self.found.push(
            Diagnostic::error("dataset", message)
                .in_file(self.file)
                .with_help(help),
        );
    }

    /// The text of a scalar that must be written as a string; a number is reported with
    /// how to quote it.
    pub(super) fn text<'v>(&mut self, value: &'v raw::Value) -> Option<&'v str> {
        match &value.value {
            Scalar::Text(text) => Some(text),
            Scalar::Number(read_as) => {
                let written = self.written(&value.referenced);
                let lossy = if written != *read_as {
                    format!(" {read_as}, not {written}")
                } else {
                    String::new()
                };
                self.error(
                    &value.referenced,
                    format!("`{written}` is a number, not a version string"),
                    format!(
                        "YAML reads unquoted {written} as the number{lossy}; write it in quotes: \"{written}\""
                    ),
                );
                None
            }
        }
    }

    /// The source text of the token at `at`.
    fn written(&self, at: &Location) -> String {
        let text = self
            .source
            .lines()
            .nth((at.line() as usize).saturating_sub(1))
            .unwrap_or("");
        token_at(text, (at.column() as usize).max(1)).to_string()
    }

    pub(super) fn line(&mut self, value: &raw::Value) -> Option<ReleaseLine> {
        self.parsed(
            value,
            ReleaseLine::parse,
            "a release line",
            "write MAJOR.MINOR in quotes, such as \"2.1\"",
        )
    }

    pub(super) fn release(&mut self, value: &raw::Value) -> Option<Version> {
        self.parsed(
            value,
            version::parse_release,
            "a release version",
            "write MAJOR.MINOR.PATCH in quotes, such as \"2.1.0\"",
        )
    }

    pub(super) fn bound(&mut self, value: &raw::Value) -> Option<Bound> {
        self.parsed(
            value,
            Bound::parse,
            "a version bound",
            "write a release such as \"1.21.3\", or a line with a wildcard such as \"1.21.x\"",
        )
    }

    /// The string `value` parsed by `parse`; text it rejects is reported as not being
    /// `what`, with `help`.
    fn parsed<T>(
        &mut self,
        value: &raw::Value,
        parse: impl Fn(&str) -> Option<T>,
        what: &str,
        help: &str,
    ) -> Option<T> {
        let text = self.text(value)?;
        let parsed = parse(text);
        if parsed.is_none() {
            self.error(
                &value.referenced,
                format!("`{text}` is not {what}"),
                help.to_string(),
            );
        }
        parsed
    }

    pub(super) fn date(&mut self, value: &raw::Value) -> Option<Date> {
        let text = match &value.value {
            Scalar::Text(text) => text.clone(),
            Scalar::Number(_) => self.written(&value.referenced),
        };
        let date = text.parse::<Date>().ok().filter(|_| text.len() == 10);
        if date.is_none() {
            self.error(
                &value.referenced,
                format!("`{text}` is not a date"),
                "write the date as YYYY-MM-DD, such as 2021-08-26".into(),
            );
        }
        date
    }
}

/// The token starting at 1-based character `column` of `line`: a quoted string with its
/// quotes, or a plain scalar up to the next flow delimiter or comment.
fn token_at(line: &str, column: usize) -> &str {
    let start = line
        .char_indices()
        .nth(column - 1)
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = rest[1..].find(quote).map_or(rest.len(), |i| i + 2);
        return &rest[..end];
    }
    let end = rest.find([',', '}', ']', '#']).unwrap_or(rest.len());
    rest[..end].trim_end()
}

/// Validates the whole dataset. `None` only when nothing usable is left; the caller
/// discards the result anyway when any error was reported.
pub fn validate(raw: RawDataset, r: &mut Reporter) -> Option<Dataset> {
    let products: Vec<Product> = raw
        .products
        .iter()
        .map(|(id, product)| products::validate_product(id, product, r))
        .collect();
    products::check_aliases(&raw, &products, r);
    let mut dataset = Dataset {
        vendor: raw.vendor.clone().unwrap_or_else(|| "We".into()),
        terms_url: raw.terms_url.clone(),
        products,
        pairings: Vec::new(),
        runs_on: Vec::new(),
        compatibility: Vec::new(),
        folders: HashMap::new(),
    };
    dataset.folders = relations::folders(&dataset, &raw, r);
    dataset.pairings = raw
        .pairings
        .iter()
        .filter_map(|p| relations::validate_pairing(&dataset, p, r))
        .collect();
    dataset.runs_on = raw
        .runs_on
        .iter()
        .filter_map(|ro| relations::validate_runs_on(&dataset, ro, r))
        .collect();
    dataset.compatibility = raw
        .compatibility
        .iter()
        .filter_map(|m| matrix::validate_matrix(&dataset, m, r))
        .collect();
    Some(dataset)
}
