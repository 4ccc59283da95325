//! Compatibility matrices typed by hand ("| | Kaptain 2.0.0 | Kaptain 1.3.0 | ... |" with
//! a row per SDK version and Full / Partial cells), compared with the dataset's
//! `compatibility` matrix of that product: a matrix with one column per line of the
//! window must show the window of the page's line, and each cell must say what the
//! dataset says.

use super::General;
use super::compare::finding;
use super::table::cells;
use crate::check::claims::patterns::{Written, line_of};
use crate::check::claims::text::Line;
use crate::check::claims::{Ctx, Finding, Shape};
use crate::dataset::version::parse_release;
use crate::dataset::{Matrix, policy};

/// Checks `rows` when they are a matrix of a product the dataset has one for; returns
/// whether they were.
pub fn check(general: &General, ctx: &Ctx, rows: &[Line], out: &mut Vec<Finding>) -> bool {
    let header = cells(&rows[0]);
    let Some((matrix, columns)) = columns(general, ctx, &header) else {
        return false;
    };
    check_window(ctx, matrix, &columns, &rows[0], out);
    for row in &rows[2..] {
        let cells = cells(row);
        if cells.len() == header.len() {
            check_row(ctx, matrix, &columns, &cells, out);
        }
    }
    true
}

/// The matrix of the product every column after the first names, and each column's line.
fn columns<'d>(
    general: &General,
    ctx: &Ctx<'d>,
    header: &[Written],
) -> Option<(&'d Matrix, Vec<usize>)> {
    let mut product = None;
    let mut lines = Vec::new();
    for cell in header.get(1..)? {
        let refs = general.parts.products(ctx.names, cell.text);
        let [one] = &refs[..] else { return None };
        let [version] = &one.versions[..] else {
            return None;
        };
        if product.is_some_and(|p| p != one.product) {
            return None;
        }
        product = Some(one.product);
        let line = ctx
            .dataset
            .line_index(one.product, &line_of(version.text)?.to_string())?;
        lines.push(line);
    }
    let matrix = ctx
        .dataset
        .compatibility
        .iter()
        .find(|m| Some(m.product) == product)?;
    (lines.len() >= 2).then_some((matrix, lines))
}

fn check_window(
    ctx: &Ctx,
    matrix: &Matrix,
    columns: &[usize],
    header: &Line,
    out: &mut Vec<Finding>,
) {
    let facts = &ctx.dataset.products[matrix.product];
    let (Some(size), Some(own)) = (facts.window, ctx.page_line(matrix.product)) else {
        return;
    };
    let expected = policy::window(facts, own);
    if columns.len() != size || columns == expected {
        return;
    }
    let show = |lines: &[usize]| {
        let names: Vec<String> = lines
            .iter()
            .map(|&l| facts.lines[l].version.to_string())
            .collect();
        crate::check::claims::patterns::join(&names)
    };
    let at = Written {
        text: "",
        start: header.start,
        end: header.start + header.text.trim_end().len(),
    };
    out.push(finding(
        Shape::Matrix,
        at,
        format!(
            "this {} matrix covers {} {}; the window of {} is {}",
            matrix.component,
            facts.name,
            show(columns),
            ctx.line_name(matrix.product, own),
            show(&expected)
        ),
        format!(
            "print it with {}",
            ctx.shortcode("compatibility_matrix", matrix.product, Some(own))
        ),
    ));
}

fn check_row(
    ctx: &Ctx,
    matrix: &Matrix,
    columns: &[usize],
    cells: &[Written],
    out: &mut Vec<Finding>,
) {
    let Some(version) = cells[0].text.split_whitespace().find_map(parse_release) else {
        return;
    };
    let Some(row) = matrix.rows.iter().find(|r| r.version == version) else {
        return;
    };
    let facts = &ctx.dataset.products[matrix.product];
    for (cell, &line) in cells[1..].iter().zip(columns) {
        let said = cell.text.to_ascii_lowercase();
        let said = match said.trim_matches('*') {
            "full" | "partial" => said.trim_matches('*').to_string(),
            _ => continue,
        };
        let expected = row.support(line);
        if said == expected {
            continue;
        }
        out.push(finding(
            Shape::Matrix,
            *cell,
            format!(
                "this says {} {version} has {said} support for {} {}; the dataset says {expected}",
                matrix.component, facts.name, facts.lines[line].version
            ),
            format!(
                "print it with {}",
                ctx.shortcode(
                    "compatibility_matrix",
                    matrix.product,
                    ctx.page_line(matrix.product)
                )
            ),
        ));
    }
}
