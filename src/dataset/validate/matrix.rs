//! Compatibility matrices: a component's versions (exact releases) and the lines of the
//! product each works with fully or in part.

use super::Reporter;
use super::relations::{line_ref, product_ref};
use crate::dataset::raw::{RawMatrix, RawMatrixRow};
use crate::dataset::{Dataset, Matrix, MatrixRow};

pub(super) fn validate_matrix(
    dataset: &Dataset,
    raw: &RawMatrix,
    r: &mut Reporter,
) -> Option<Matrix> {
    let product = product_ref(dataset, &raw.product, r)?;
    let rows = raw
        .rows
        .iter()
        .filter_map(|row| validate_row(dataset, product, &raw.component, row, r))
        .collect();
    Some(Matrix {
        component: raw.component.clone(),
        product,
        rows,
    })
}

fn validate_row(
    dataset: &Dataset,
    product: usize,
    component: &str,
    raw: &RawMatrixRow,
    r: &mut Reporter,
) -> Option<MatrixRow> {
    let version = r.release(&raw.version)?;
    let lines = |values: &[crate::dataset::raw::Value], r: &mut Reporter| -> Vec<usize> {
        values
            .iter()
            .filter_map(|v| line_ref(dataset, product, v, r))
            .collect()
    };
    let full = lines(&raw.full, r);
    let partial = lines(&raw.partial, r);
    if let Some(both) = full.iter().find(|l| partial.contains(l)) {
        r.error(
            &raw.version.referenced,
            format!(
                "{component} {version} lists {} {} as both full and partial",
                dataset.products[product].name, dataset.products[product].lines[*both].version
            ),
            "put each line under `full` or `partial`, not both".into(),
        );
    }
    Some(MatrixRow {
        version,
        full,
        partial,
    })
}
