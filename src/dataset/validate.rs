//! Turns the raw dataset into the typed one, reporting every problem with its file, line
//! and column: versions typed as numbers, versions that do not parse, lines listed twice or
//! out of order, dates that go backwards, Kubernetes defaults outside their range, and
//! relations that name products or lines the dataset does not have.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use jiff::civil::Date;
use semver::Version;
use serde_saphyr::{Location, Spanned};

use super::raw::{self, RawDataset, RawLine, RawProduct, RawRequirement, Scalar};
use super::version::{self, Bound, ReleaseLine, Requirement};
use super::{
    Dataset, KubernetesRange, Line, Pairing, Prerequisite, Product, Release, RunsOn, Scope, Target,
};
use crate::diag::{Diagnostic, Position};

/// Collects validation errors, each pointing into the dataset file.
pub struct Reporter<'a> {
    file: &'a Path,
    source: &'a str,
    found: &'a mut Vec<Diagnostic>,
    /// Products with a line that failed to parse: a relation naming a line they lack
    /// may name the broken one, so it is not reported a second time.
    incomplete: HashSet<String>,
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

    fn error(&mut self, at: &Location, message: String, help: String) {
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

    fn error_in_file(&mut self, message: String, help: String) {
        self.found.push(
            Diagnostic::error("dataset", message)
                .in_file(self.file)
                .with_help(help),
        );
    }

    /// The text of a scalar that must be written as a string; a number is reported with
    /// how to quote it.
    fn text<'v>(&mut self, value: &'v raw::Value) -> Option<&'v str> {
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

    fn line(&mut self, value: &raw::Value) -> Option<ReleaseLine> {
        let text = self.text(value)?;
        let line = ReleaseLine::parse(text);
        if line.is_none() {
            self.error(
                &value.referenced,
                format!("`{text}` is not a release line"),
                "write MAJOR.MINOR in quotes, such as \"2.1\"".into(),
            );
        }
        line
    }

    fn release(&mut self, value: &raw::Value) -> Option<Version> {
        let text = self.text(value)?;
        let release = version::parse_release(text);
        if release.is_none() {
            self.error(
                &value.referenced,
                format!("`{text}` is not a release version"),
                "write MAJOR.MINOR.PATCH in quotes, such as \"2.1.0\"".into(),
            );
        }
        release
    }

    fn bound(&mut self, value: &raw::Value) -> Option<Bound> {
        let text = self.text(value)?;
        let bound = Bound::parse(text);
        if bound.is_none() {
            self.error(
                &value.referenced,
                format!("`{text}` is not a version bound"),
                "write a release such as \"1.21.3\", or a line with a wildcard such as \"1.21.x\""
                    .into(),
            );
        }
        bound
    }

    fn date(&mut self, value: &raw::Value) -> Option<Date> {
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
        .map(|(id, product)| validate_product(id, product, r))
        .collect();
    let mut dataset = Dataset {
        vendor: raw.vendor.clone().unwrap_or_else(|| "We".into()),
        terms_url: raw.terms_url.clone(),
        products,
        pairings: Vec::new(),
        runs_on: Vec::new(),
        folders: HashMap::new(),
    };
    dataset.folders = folders(&dataset, &raw, r);
    dataset.pairings = raw
        .pairings
        .iter()
        .filter_map(|p| validate_pairing(&dataset, p, r))
        .collect();
    dataset.runs_on = raw
        .runs_on
        .iter()
        .filter_map(|ro| validate_runs_on(&dataset, ro, r))
        .collect();
    Some(dataset)
}

fn validate_product(id: &str, raw: &RawProduct, r: &mut Reporter) -> Product {
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
    for raw_line in &raw.lines {
        match validate_line(&raw.name, raw_line, r) {
            Some(line) => {
                check_line_order(&raw.name, &lines, &line, raw_line, r);
                lines.push(line);
            }
            None => {
                r.incomplete.insert(id.to_string());
            }
        }
    }
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
        docs,
        window,
        lines,
        prerequisites: prerequisites(&raw.prerequisites, r),
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
    })
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

/// Maps content folders to scopes; a folder claimed twice is an error.
fn folders(dataset: &Dataset, raw: &RawDataset, r: &mut Reporter) -> HashMap<String, Scope> {
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

fn product_ref(dataset: &Dataset, id: &Spanned<String>, r: &mut Reporter) -> Option<usize> {
    let found = dataset.product(&id.value);
    if found.is_none() {
        let known: Vec<&str> = dataset.products.iter().map(|p| p.id.as_str()).collect();
        r.error(
            &id.referenced,
            format!("unknown product `{}`", id.value),
            format!("products in this dataset: {}", known.join(", ")),
        );
    }
    found
}

fn line_ref(
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
            format!("{} lines: {}", product.name, line_list(product)),
        );
    }
    found
}

fn line_list(product: &Product) -> String {
    let lines: Vec<String> = product
        .lines
        .iter()
        .map(|l| l.version.to_string())
        .collect();
    lines.join(", ")
}

fn validate_pairing(dataset: &Dataset, raw: &raw::RawPairing, r: &mut Reporter) -> Option<Pairing> {
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

fn validate_runs_on(dataset: &Dataset, raw: &raw::RawRunsOn, r: &mut Reporter) -> Option<RunsOn> {
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
            format!("{} lines: {}", product.name, line_list(product)),
        );
        return None;
    }
    Some(text.trim_start_matches('v').to_string())
}
