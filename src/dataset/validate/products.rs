//! Products and their lines: versions, release order, dates, Kubernetes ranges and
//! prerequisites.

use jiff::civil::Date;
use semver::Version;

use super::Reporter;
use crate::dataset::raw::{self, RawLine, RawProduct, RawRequirement};
use crate::dataset::version::{self, Bound, ReleaseLine, Requirement};
use crate::dataset::{KubernetesRange, Line, Prerequisite, Product, Release};

pub(super) fn validate_product(id: &str, raw: &RawProduct, r: &mut Reporter) -> Product {
    let window = raw.support_window.as_ref().and_then(|w| {
        if w.value < 1 {
            r.error(
                &w.referenced,
                format!("support_window of {} must be at least 1", raw.name),
                "N-2 support is `support_window: 3`: the newest line and the two before it".into(),
            );
            return None;
        }
        usize::try_from(w.value).ok()
    });
    let mut lines: Vec<Line> = Vec::with_capacity(raw.lines.len());
    let mut upgrades = Vec::new();
    for raw_line in &raw.lines {
        match validate_line(&raw.name, raw_line, r) {
            Some(line) => {
                check_line_order(&raw.name, &lines, &line, raw_line, r);
                upgrades.push((lines.len(), raw_line));
                lines.push(line);
            }
            None => {
                r.incomplete.insert(id.to_string());
            }
        }
    }
    upgrade_paths(&raw.name, &mut lines, &upgrades, r);
    let docs = raw
        .docs
        .as_ref()
        .map(|d| d.value.trim_matches('/').to_string());
    for line in &mut lines {
        let folder = line.docs.take().unwrap_or_else(|| line.version.to_string());
        line.docs = docs.as_ref().map(|docs| format!("{docs}/{folder}"));
    }
    Product {
        id: id.to_string(),
        name: raw.name.clone(),
        trademark: raw.trademark.clone().unwrap_or_else(|| raw.name.clone()),
        aliases: raw
            .aliases
            .iter()
            .map(|a| a.value.trim().to_string())
            .collect(),
        docs,
        window,
        lines,
        prerequisites: prerequisites(&raw.prerequisites, r),
    }
}

/// Reports an alias that is empty or also names another product (or the same one twice):
/// a name must say which product it is.
pub(super) fn check_aliases(raw: &raw::RawDataset, products: &[Product], r: &mut Reporter) {
    for (id, product) in &raw.products {
        for alias in &product.aliases {
            let text = alias.value.trim();
            let owners: Vec<&Product> = products
                .iter()
                .filter(|p| {
                    [&p.id, &p.name]
                        .into_iter()
                        .chain(&p.aliases)
                        .any(|n| n.eq_ignore_ascii_case(text))
                })
                .collect();
            if text.is_empty() || owners.len() > 1 || owners.iter().any(|p| &p.id != id) {
                r.error(
                    &alias.referenced,
                    format!(
                        "alias `{text}` of {} does not name one product",
                        product.name
                    ),
                    "give each alias to one product, different from every product's id and name"
                        .into(),
                );
            }
        }
    }
}

fn validate_line(product: &str, raw: &RawLine, r: &mut Reporter) -> Option<Line> {
    let version = r.line(&raw.line)?;
    let released = match &raw.status {
        None => true,
        Some(status) if status.value == "unreleased" => false,
        Some(status) => {
            r.error(
                &status.referenced,
                format!("unknown status `{}`", status.value),
                "use `status: unreleased` for a line that is not out yet, or leave it out".into(),
            );
            true
        }
    };
    let releases = releases(product, version, &raw.releases, r);
    let ga = match &raw.ga {
        Some(ga) => r.date(ga),
        None => releases.first().and_then(|first| first.date),
    };
    let kubernetes = raw
        .kubernetes
        .as_ref()
        .and_then(|k| kubernetes(product, version, k, r));
    if let Some(range) = &kubernetes {
        check_release_defaults(product, version, range, &raw.releases, &releases, r);
    }
    let docs = match &raw.docs {
        Some(docs) => Some(r.text(docs)?.trim_matches('/').to_string()),
        None => None,
    };
    Some(Line {
        version,
        docs,
        released,
        ga,
        kubernetes,
        releases,
        prerequisites: prerequisites(&raw.prerequisites, r),
        upgrades_from: Vec::new(),
    })
}

/// Resolves each line's `upgrades_from` to earlier lines of the product.
fn upgrade_paths(product: &str, lines: &mut [Line], raw: &[(usize, &RawLine)], r: &mut Reporter) {
    for &(at, raw_line) in raw {
        for value in &raw_line.upgrades_from {
            let Some(from) = r.line(value) else { continue };
            match lines[..at].iter().position(|l| l.version == from) {
                Some(earlier) => lines[at].upgrades_from.push(earlier),
                None => r.error(
                    &value.referenced,
                    format!(
                        "{product} {} cannot upgrade from {from}: it is not a line listed before it",
                        lines[at].version
                    ),
                    "list in `upgrades_from` only lines of this product released earlier".into(),
                ),
            }
        }
    }
}

fn check_line_order(product: &str, lines: &[Line], line: &Line, raw: &RawLine, r: &mut Reporter) {
    let at = &raw.line.referenced;
    if lines.iter().any(|l| l.version == line.version) {
        r.error(
            at,
            format!("{product} lists line {} twice", line.version),
            "each release line appears once; merge the two entries".into(),
        );
        return;
    }
    let Some(previous) = lines.last() else { return };
    if previous.version > line.version {
        r.error(
            at,
            format!(
                "{product} line {} comes after {}",
                line.version, previous.version
            ),
            "list the lines oldest first, in the order they were released".into(),
        );
    } else if let (Some(before), Some(ga)) = (previous.ga, line.ga)
        && ga < before
    {
        r.error(
            raw.ga.as_ref().map_or(at, |g| &g.referenced),
            format!(
                "{product} {} is dated {ga}, before {} ({before})",
                line.version, previous.version
            ),
            "lines are listed in release order, so their GA dates must not go backwards".into(),
        );
    }
}

fn releases(
    product: &str,
    line: ReleaseLine,
    raw: &[raw::RawRelease],
    r: &mut Reporter,
) -> Vec<Release> {
    let mut releases: Vec<Release> = Vec::with_capacity(raw.len());
    for entry in raw {
        let Some(version) = r.release(&entry.version) else {
            continue;
        };
        let date = entry.date.as_ref().and_then(|d| r.date(d));
        let kubernetes_default = entry.kubernetes_default.as_ref().and_then(|k| r.release(k));
        let at = &entry.version.referenced;
        if !line.contains(&version) {
            r.error(
                at,
                format!("release {version} is not part of line {line}"),
                format!("move it under line {}.{}", version.major, version.minor),
            );
            continue;
        }
        if let Some(previous) = releases.last() {
            check_release_order(product, previous, &version, date, entry, r);
        }
        releases.push(Release {
            version,
            date,
            kubernetes_default,
        });
    }
    releases
}

fn check_release_order(
    product: &str,
    previous: &Release,
    version: &Version,
    date: Option<Date>,
    entry: &raw::RawRelease,
    r: &mut Reporter,
) {
    if previous.version >= *version {
        r.error(
            &entry.version.referenced,
            format!(
                "{product} release {version} comes after {}",
                previous.version
            ),
            "list the releases of a line oldest first, each once".into(),
        );
    } else if let (Some(before), Some(date)) = (previous.date, date)
        && date < before
    {
        let at = entry
            .date
            .as_ref()
            .map_or(&entry.version.referenced, |d| &d.referenced);
        r.error(
            at,
            format!(
                "{product} {version} is dated {date}, before {} ({before})",
                previous.version
            ),
            "releases of a line are listed oldest first; check the dates".into(),
        );
    }
}

fn kubernetes(
    product: &str,
    line: ReleaseLine,
    raw: &raw::RawKubernetes,
    r: &mut Reporter,
) -> Option<KubernetesRange> {
    let min = r.bound(&raw.min);
    let max = r.bound(&raw.max);
    let default = raw.default.as_ref().and_then(|d| r.release(d));
    let (min, max) = (min?, max?);
    let range = KubernetesRange { min, max, default };
    if !version::max_admits(&range.max, &range.min.lowest()) {
        r.error(
            &raw.min.referenced,
            format!(
                "Kubernetes minimum {} of {product} {line} is above its maximum {}",
                range.min, range.max
            ),
            "swap `min` and `max`, or correct one of them".into(),
        );
        return None;
    }
    if let (Some(default), Some(raw_default)) = (&range.default, &raw.default) {
        check_in_range(product, line, &range, default, raw_default, r);
    }
    Some(range)
}

fn check_release_defaults(
    product: &str,
    line: ReleaseLine,
    range: &KubernetesRange,
    raw: &[raw::RawRelease],
    releases: &[Release],
    r: &mut Reporter,
) {
    let written = raw
        .iter()
        .filter_map(|entry| entry.kubernetes_default.as_ref());
    let parsed = releases
        .iter()
        .filter_map(|rel| rel.kubernetes_default.as_ref());
    for (default, raw_default) in parsed.zip(written) {
        check_in_range(product, line, range, default, raw_default, r);
    }
}

fn check_in_range(
    product: &str,
    line: ReleaseLine,
    range: &KubernetesRange,
    default: &Version,
    at: &raw::Value,
    r: &mut Reporter,
) {
    if version::min_admits(&range.min, default) && version::max_admits(&range.max, default) {
        return;
    }
    r.error(
        &at.referenced,
        format!(
            "Kubernetes default {default} of {product} {line} is outside its range {} to {}",
            range.min, range.max
        ),
        "the default must lie between `min` and `max`; correct the default or widen the range"
            .into(),
    );
}

fn prerequisites(raw: &[RawRequirement], r: &mut Reporter) -> Vec<Prerequisite> {
    raw.iter().filter_map(|p| prerequisite(p, r)).collect()
}

fn prerequisite(raw: &RawRequirement, r: &mut Reporter) -> Option<Prerequisite> {
    let min = optional_bound(raw.min.as_ref(), r);
    let max = optional_bound(raw.max.as_ref(), r);
    let except: Option<Vec<Version>> = raw.except.iter().map(|e| r.release(e)).collect();
    let name = &raw.name;
    let requirement = Requirement {
        min: min.ok()?,
        max: max.ok()?,
        except: except?,
    };
    if requirement.min.is_none() && requirement.max.is_none() {
        r.error(
            &name.referenced,
            format!("prerequisite {} has neither `min` nor `max`", name.value),
            "give the oldest supported version as `min`, the newest as `max` (`1.17.x` for a whole line), or both".into(),
        );
        return None;
    }
    if requirement.is_empty_range() {
        r.error(
            &name.referenced,
            format!(
                "prerequisite {}: minimum {} is above maximum {}",
                name.value,
                requirement.min.as_ref().map_or("", |b| b.as_str()),
                requirement.max.as_ref().map_or("", |b| b.as_str()),
            ),
            "swap `min` and `max`, or correct one of them".into(),
        );
        return None;
    }
    Some(Prerequisite {
        name: name.value.clone(),
        requirement,
        note: raw.note.clone(),
    })
}

/// `Ok(None)` when no bound is written, `Err` when the written one is invalid (reported).
fn optional_bound(value: Option<&raw::Value>, r: &mut Reporter) -> Result<Option<Bound>, ()> {
    match value {
        None => Ok(None),
        Some(value) => r.bound(value).map(Some).ok_or(()),
    }
}
