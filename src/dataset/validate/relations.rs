//! Relations between products and lines: content folders, pairings and `runs_on`, each
//! naming products and lines that must exist.

use std::collections::HashMap;

use semver::Version;
use serde_saphyr::{Location, Spanned};

use super::Reporter;
use crate::dataset::raw::{self, RawDataset};
use crate::dataset::version::{self, ReleaseLine};
use crate::dataset::{Dataset, Pairing, RunsOn, Scope, Target};

/// Maps content folders to scopes; a folder claimed twice is an error.
pub(super) fn folders(
    dataset: &Dataset,
    raw: &RawDataset,
    r: &mut Reporter,
) -> HashMap<String, Scope> {
    let mut folders: HashMap<String, Scope> = HashMap::new();
    for (index, (product, raw_product)) in dataset
        .products
        .iter()
        .zip(raw.products.values())
        .enumerate()
    {
        let Some(docs) = &product.docs else { continue };
        let at = raw_product.docs.as_ref().map(|d| d.referenced);
        claim(
            &mut folders,
            docs.clone(),
            Scope {
                product: index,
                line: None,
            },
            dataset,
            at,
            r,
        );
        for (line_index, line) in product.lines.iter().enumerate() {
            let Some(folder) = line.docs.clone() else {
                continue;
            };
            let scope = Scope {
                product: index,
                line: Some(line_index),
            };
            claim(&mut folders, folder, scope, dataset, at, r);
        }
    }
    folders
}

fn claim(
    folders: &mut HashMap<String, Scope>,
    folder: String,
    scope: Scope,
    dataset: &Dataset,
    at: Option<Location>,
    r: &mut Reporter,
) {
    if let Some(existing) = folders.get(&folder) {
        let describe = |s: &Scope| scope_name(dataset, *s);
        if let Some(at) = at {
            r.error(
                &at,
                format!(
                    "content folder `{folder}` is claimed by both {} and {}",
                    describe(existing),
                    describe(&scope)
                ),
                "give each product and line a folder of its own (`docs:`)".into(),
            );
        }
        return;
    }
    folders.insert(folder, scope);
}

fn scope_name(dataset: &Dataset, scope: Scope) -> String {
    let product = &dataset.products[scope.product];
    match scope.line {
        Some(line) => format!("{} {}", product.name, product.lines[line].version),
        None => product.name.clone(),
    }
}

pub(super) fn product_ref(
    dataset: &Dataset,
    id: &Spanned<String>,
    r: &mut Reporter,
) -> Option<usize> {
    let found = dataset.product(&id.value);
    if found.is_none() {
        r.error(
            &id.referenced,
            format!("unknown product `{}`", id.value),
            format!("products in this dataset: {}", dataset.product_ids()),
        );
    }
    found
}

pub(super) fn line_ref(
    dataset: &Dataset,
    product: usize,
    value: &raw::Value,
    r: &mut Reporter,
) -> Option<usize> {
    let line = r.line(value)?;
    let product = &dataset.products[product];
    let found = product.lines.iter().position(|l| l.version == line);
    if found.is_none() && !r.incomplete.contains(&product.id) {
        r.error(
            &value.referenced,
            format!("{} has no line {line}", product.name),
            format!("{} lines: {}", product.name, product.line_list()),
        );
    }
    found
}

pub(super) fn validate_pairing(
    dataset: &Dataset,
    raw: &raw::RawPairing,
    r: &mut Reporter,
) -> Option<Pairing> {
    let deploys = product_ref(dataset, &raw.deploys, r);
    let on = product_ref(dataset, &raw.on, r);
    let (deploys, on) = (deploys?, on?);
    if deploys == on {
        r.error(
            &raw.on.referenced,
            format!("{} cannot be paired with itself", dataset.products[on].name),
            "a pairing says which line of one product runs on which line of another".into(),
        );
        return None;
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for pair in &raw.pairs {
        let (Some(a), Some(b)) = (
            pair.value.get(&raw.deploys.value),
            pair.value.get(&raw.on.value),
        ) else {
            r.error(
                &pair.referenced,
                format!(
                    "a pair must name a line of `{}` and of `{}`",
                    raw.deploys.value, raw.on.value
                ),
                format!(
                    "write it as {{{}: \"1.0\", {}: \"1.0\"}}",
                    raw.on.value, raw.deploys.value
                ),
            );
            continue;
        };
        let (Some(a), Some(b)) = (
            line_ref(dataset, deploys, a, r),
            line_ref(dataset, on, b, r),
        ) else {
            continue;
        };
        if let Some(twice) = paired_twice(dataset, &pairs, (deploys, a), (on, b)) {
            r.error(
                &pair.referenced,
                format!("{twice} is paired twice"),
                "each line pairs with exactly one line of the other product".into(),
            );
            continue;
        }
        pairs.push((a, b));
    }
    Some(Pairing { deploys, on, pairs })
}

fn paired_twice(
    dataset: &Dataset,
    pairs: &[(usize, usize)],
    (deploys, a): (usize, usize),
    (on, b): (usize, usize),
) -> Option<String> {
    let name = |product: usize, line: usize| {
        scope_name(
            dataset,
            Scope {
                product,
                line: Some(line),
            },
        )
    };
    if pairs.iter().any(|(x, _)| *x == a) {
        return Some(name(deploys, a));
    }
    pairs.iter().any(|(_, y)| *y == b).then(|| name(on, b))
}

pub(super) fn validate_runs_on(
    dataset: &Dataset,
    raw: &raw::RawRunsOn,
    r: &mut Reporter,
) -> Option<RunsOn> {
    let product = product_ref(dataset, &raw.product, r)?;
    let line = line_ref(dataset, product, &raw.line, r)?;
    let release = match &raw.release {
        Some(value) => Some(release_of_line(dataset, product, line, value, r)?),
        None => None,
    };
    let targets = raw
        .on
        .iter()
        .filter_map(|target| validate_target(dataset, target, r))
        .collect();
    Some(RunsOn {
        product,
        line,
        release,
        targets,
    })
}

fn release_of_line(
    dataset: &Dataset,
    product: usize,
    line: usize,
    value: &raw::Value,
    r: &mut Reporter,
) -> Option<Version> {
    let release = r.release(value)?;
    let of = dataset.products[product].lines[line].version;
    if !of.contains(&release) {
        r.error(
            &value.referenced,
            format!("release {release} is not part of line {of}"),
            format!(
                "name a {of}.x release, or move the entry to line {}.{}",
                release.major, release.minor
            ),
        );
        return None;
    }
    Some(release)
}

fn validate_target(dataset: &Dataset, raw: &raw::RawTarget, r: &mut Reporter) -> Option<Target> {
    match (&raw.product, &raw.platform) {
        (Some(id), None) => {
            let product = product_ref(dataset, id, r)?;
            let versions = raw
                .versions
                .iter()
                .filter_map(|v| target_version(dataset, product, v, r))
                .collect();
            Some(Target::Product {
                product,
                versions,
                or_later: raw.or_later,
            })
        }
        (None, Some(platform)) => Some(Target::Platform(platform.value.clone())),
        (Some(_), Some(platform)) => {
            r.error(
                &platform.referenced,
                "a target names a `product` of the dataset or a `platform`, not both".into(),
                "split it into two targets".into(),
            );
            None
        }
        (None, None) => {
            r.error_in_file(
                "a `runs_on` target names neither a `product` nor a `platform`".into(),
                "write `{product: konvoy, versions: [\"1.8\"]}` or `{platform: Amazon EKS}`".into(),
            );
            None
        }
    }
}

/// A target version is a line (`2.1`) or a release of one of its lines (`2.1.1`).
fn target_version(
    dataset: &Dataset,
    product: usize,
    value: &raw::Value,
    r: &mut Reporter,
) -> Option<String> {
    let text = r.text(value)?;
    let line = ReleaseLine::parse(text).or_else(|| {
        version::parse_release(text).map(|v| ReleaseLine {
            major: v.major,
            minor: v.minor,
        })
    });
    let Some(line) = line else {
        r.error(
            &value.referenced,
            format!("`{text}` is neither a release line nor a release"),
            "write a line such as \"2.1\" or a release such as \"2.1.1\", in quotes".into(),
        );
        return None;
    };
    let product = &dataset.products[product];
    if r.incomplete.contains(&product.id) {
        return None;
    }
    if !product.lines.iter().any(|l| l.version == line) {
        r.error(
            &value.referenced,
            format!("{} has no line {line}", product.name),
            format!("{} lines: {}", product.name, product.line_list()),
        );
        return None;
    }
    Some(text.trim_start_matches('v').to_string())
}
