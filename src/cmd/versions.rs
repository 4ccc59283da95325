//! `folio versions`: the support matrix computed from the dataset, as a terminal table
//! or as the same JSON the built site publishes at `/api/versions.json`.

use std::io::Write;

use crate::cli::{MatrixFormat, VersionsArgs};
use crate::cmd::{Exit, Stop, absolute, default_as_of, stop};
use crate::config::SiteConfig;
use crate::dataset::matrix::{LineRow, Matrix, matrix};
use crate::dataset::{self, Dataset};
use crate::diag::Diagnostics;
use crate::diag::render::Format;

pub fn run(args: &VersionsArgs) -> Exit {
    match resolve(args) {
        Ok((dataset, as_of)) => print(&dataset, as_of, args),
        Err(s) => stop(s, Format::Human),
    }
}

fn resolve(args: &VersionsArgs) -> Result<(Dataset, jiff::civil::Date), Stop> {
    let root = args.root.canonicalize().map_err(|e| {
        Stop::Usage(format!(
            "cannot open site root `{}`: {e}",
            args.root.display()
        ))
    })?;
    let mut config = SiteConfig::load(&root).map_err(|d| {
        let mut diags = Diagnostics::default();
        diags.push(d);
        Stop::Site(diags)
    })?;
    if let Some(dataset) = &args.dataset {
        config.dataset = absolute(dataset);
    }
    let mut diags = Diagnostics::default();
    let dataset = dataset::load(&root, &config.dataset, true, &mut diags);
    let Ok(Some(dataset)) = dataset else {
        return Err(Stop::Site(diags));
    };
    let as_of = match args.as_of {
        Some(date) => date,
        None => default_as_of()?,
    };
    Ok((dataset, as_of))
}

fn print(dataset: &Dataset, as_of: jiff::civil::Date, args: &VersionsArgs) -> Exit {
    let only = match args.product.as_deref() {
        Some(id) => match dataset.product(id) {
            Some(index) => Some(index),
            None => {
                eprintln!(
                    "error: unknown product `{id}`; the dataset has: {}",
                    dataset.product_ids()
                );
                return Exit::CannotRun;
            }
        },
        None => None,
    };
    let matrix = matrix(dataset, as_of, only);
    match args.format {
        MatrixFormat::Json => match serde_json::to_string_pretty(&matrix) {
            Ok(json) => write_stdout(&format!("{json}\n")),
            Err(err) => {
                eprintln!("error: {err}");
                return Exit::CannotRun;
            }
        },
        MatrixFormat::Table => write_stdout(&table(&matrix)),
    }
    Exit::Success
}

/// Writes to stdout; a closed pipe (`folio versions | head`) is not an error.
fn write_stdout(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// The matrix as aligned columns, newest line first within each product.
pub fn table(matrix: &Matrix) -> String {
    let mut rows = vec![header()];
    for product in &matrix.products {
        for line in &product.lines {
            rows.push(row(&product.name, line));
        }
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = format!("Support matrix on {}\n", matrix.as_of);
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn header() -> Vec<String> {
    [
        "PRODUCT",
        "LINE",
        "GA",
        "LATEST",
        "KUBERNETES MIN/MAX/DEFAULT",
        "PAIRED WITH",
        "STATUS",
    ]
    .map(String::from)
    .to_vec()
}

fn row(product: &str, line: &LineRow) -> Vec<String> {
    let dash = || "-".to_string();
    let kubernetes = line.kubernetes.as_ref().map_or_else(dash, |k| {
        format!(
            "{} / {} / {}",
            k.min,
            k.max,
            k.default.as_deref().unwrap_or("-")
        )
    });
    let pairs: Vec<String> = line
        .pairs_with
        .iter()
        .map(|p| format!("{} {}", p.product, p.line))
        .collect();
    let status = match &line.support_ended {
        Some(date) => format!("ended {date}"),
        None => line.status.to_string(),
    };
    vec![
        product.to_string(),
        line.line.clone(),
        line.ga.clone().unwrap_or_else(dash),
        line.latest_release.clone().unwrap_or_else(dash),
        kubernetes,
        if pairs.is_empty() {
            dash()
        } else {
            pairs.join(", ")
        },
        status,
    ]
}
