//! Pipe tables read as claims, whatever the header words: each column is found from its
//! header (a product's versions, where something runs, a default Kubernetes version, a
//! component's name or versions), and each row becomes the claim its columns make:
//! "Kommander release | Runs on Konvoy release" pairs, "Konvoy release | Default
//! Kubernetes" defaults, "Kaptain version | Installs on" targets, "Component | Supported
//! versions" prerequisites.

use super::claim::{Claim, Subject};
use super::compare;
use super::mentions::ProductRef;
use super::{General, shifted};
use crate::check::claims::patterns::{Written, mentions_version};
use crate::check::claims::text::{Line, Source};
use crate::check::claims::{Ctx, Finding};

/// What a column holds, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    /// Versions of a product.
    Product(usize),
    /// Where the row's subject runs: versions of the product named, or product mentions.
    On(Option<usize>),
    KubernetesDefault,
    Component,
    Versions,
    Other,
}

pub fn audit(
    general: &General,
    ctx: &Ctx,
    source: &Source,
    free: &dyn Fn(usize, usize) -> bool,
    out: &mut Vec<Finding>,
) {
    let lines = &source.lines;
    let mut i = 0;
    while i < lines.len() {
        let block = table_at(lines, i);
        if block >= 3 {
            let rows = &lines[i..i + block];
            let end = rows[block - 1].start + rows[block - 1].text.len();
            if free(rows[0].start, end) {
                check_table(general, ctx, rows, out);
            }
        }
        i += block.max(1);
    }
}

/// How many lines from `lines[at]` form one pipe table (header, separator, rows).
fn table_at(lines: &[Line], at: usize) -> usize {
    let is_row = |l: &Line| l.text.trim_start().starts_with('|');
    let mut n = 0;
    while at + n < lines.len() && is_row(&lines[at + n]) {
        let consecutive = n == 0
            || lines[at + n - 1].start + lines[at + n - 1].text.len() + 1 == lines[at + n].start;
        if !consecutive {
            break;
        }
        n += 1;
    }
    let separated = n >= 2
        && lines[at + 1]
            .text
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' '));
    if separated { n } else { n.min(1) }
}

/// The cells of a row with their byte offsets in the file.
pub fn cells<'p>(line: &Line<'p>) -> Vec<Written<'p>> {
    let mut found = Vec::new();
    let mut from = 0;
    for part in line.text.split('|') {
        let lead = part.len() - part.trim_start().len();
        let start = line.start + from + lead;
        found.push(Written {
            text: part.trim(),
            start,
            end: start + part.trim().len(),
        });
        from += part.len() + 1;
    }
    // The text before the first pipe and after the last is not a cell.
    found.remove(0);
    if found.last().is_some_and(|c| c.text.is_empty()) {
        found.pop();
    }
    found
}

fn column(ctx: &Ctx, header: &str) -> Column {
    let lower = header.to_ascii_lowercase();
    let product = header
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .find_map(|w| ctx.names.product(w));
    let on = [
        "runs on",
        "installs on",
        "install on",
        "deploys on",
        "deployed on",
        "platform",
    ];
    if on.iter().any(|w| lower.contains(w)) {
        Column::On(product)
    } else if let Some(product) = product {
        Column::Product(product)
    } else if lower.contains("kubernetes") && lower.contains("default") {
        Column::KubernetesDefault
    } else if ["component", "prerequisite", "requirement", "software"].contains(&lower.trim()) {
        Column::Component
    } else if ["supported", "required", "minimum", "compatible"]
        .iter()
        .any(|w| lower.contains(w))
    {
        // A bare "Version" column lists what is bundled (a license table), not a range.
        Column::Versions
    } else {
        Column::Other
    }
}

fn check_table(general: &General, ctx: &Ctx, rows: &[Line], out: &mut Vec<Finding>) {
    if super::matrix::check(general, ctx, rows, out) {
        return;
    }
    let header: Vec<Column> = cells(&rows[0])
        .iter()
        .map(|c| column(ctx, c.text))
        .collect();
    let find = |pred: fn(&Column) -> bool| header.iter().position(pred);
    let subject = find(|c| matches!(c, Column::Product(_)));
    for row in &rows[2..] {
        if !mentions_version(row.text) && !row.text.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let cells = cells(row);
        if cells.len() != header.len() {
            continue;
        }
        let mut found = Vec::new();
        for claim in row_claims(general, ctx, &header, subject, &cells) {
            compare::check(ctx, &claim, &mut found);
        }
        out.extend(found);
        if let (Some(c), Some(v)) = (
            find(|c| *c == Column::Component),
            find(|c| *c == Column::Versions),
        ) {
            prerequisite_row(general, ctx, cells[c], cells[v], out);
        }
    }
}

/// A cell holding one version, as the versions of `product`.
fn cell_ref<'p>(product: usize, cell: Written<'p>) -> Option<ProductRef<'p>> {
    let version = cell.text.trim_end_matches(".x");
    let ok = version.split('.').count() >= 2
        && version
            .trim_start_matches('v')
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| ProductRef {
        product,
        name: Written { text: "", ..cell },
        versions: vec![cell],
        or_later: false,
        end: cell.end,
    })
}

fn row_claims<'p>(
    general: &General,
    ctx: &Ctx,
    header: &[Column],
    subject: Option<usize>,
    cells: &[Written<'p>],
) -> Vec<Claim<'p>> {
    let Some(s) = subject else { return Vec::new() };
    let Column::Product(product) = header[s] else {
        return Vec::new();
    };
    let Some(subject) = cell_ref(product, cells[s]) else {
        return Vec::new();
    };
    header
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != s)
        .filter_map(|(i, column)| cell_claim(general, ctx, &subject, *column, cells[i]))
        .collect()
}

/// The claim one cell makes about the row's subject, by its column.
fn cell_claim<'p>(
    general: &General,
    ctx: &Ctx,
    subject: &ProductRef<'p>,
    column: Column,
    cell: Written<'p>,
) -> Option<Claim<'p>> {
    let targets: Vec<ProductRef> = match column {
        Column::Product(other) | Column::On(Some(other)) => {
            cell_ref(other, cell).into_iter().collect()
        }
        Column::On(None) => general
            .parts
            .products(ctx.names, cell.text)
            .into_iter()
            .map(|r| moved(r, cell.start))
            .collect(),
        Column::KubernetesDefault => {
            return crate::dataset::version::parse_release(cell.text).map(|_| Claim::Default {
                subject: subject.clone(),
                version: cell,
            });
        }
        _ => Vec::new(),
    };
    (!targets.is_empty()).then(|| Claim::RunsOn {
        subject: subject.clone(),
        targets,
    })
}

/// A product mention read from a cell, with offsets moved into the file.
fn moved(r: ProductRef<'_>, by: usize) -> ProductRef<'_> {
    ProductRef {
        name: r.name.shifted(by),
        versions: r.versions.into_iter().map(|v| v.shifted(by)).collect(),
        end: r.end + by,
        ..r
    }
}

/// "| Traefik | 1.8.x |" on the page of a product with prerequisites.
fn prerequisite_row(
    general: &General,
    ctx: &Ctx,
    name: Written,
    versions: Written,
    out: &mut Vec<Finding>,
) {
    let Some(scope) = ctx.scope else { return };
    if !general.parts.is_component(name.text) {
        return;
    }
    let text = format!("{} {}", name.text, versions.text);
    let prefix = name.text.len() + 1;
    let Some(component) = general.parts.components(&text).into_iter().next() else {
        return;
    };
    let subject = Subject {
        product: scope.product,
        version: None,
    };
    let mut found = Vec::new();
    compare::check(ctx, &Claim::Range { subject, component }, &mut found);
    for f in found {
        let start = f.start.max(prefix) - prefix;
        let end = f.end.max(prefix) - prefix;
        let at = shifted(Finding { start, end, ..f }, versions.start);
        out.push(at);
    }
}
