//! Each claim compared with what the dataset computes. "Runs on A" holds when A is one
//! of the targets; a list presented as the whole set must equal it; "current", "latest"
//! and "no longer supported" are judged on the build date; a line the dataset does not
//! list is reported as unknown, never guessed. Offsets stay those of the sentence.

use jiff::civil::Date;
use semver::Version;

use super::claim::{Claim, Subject};
use super::mentions::{ComponentRef, ProductRef, Said};
use crate::check::claims::patterns::{Written, join, line_of};
use crate::check::claims::{Ctx, Finding, Shape};
use crate::dataset::version::{Bound, Requirement, parse_release};
use crate::dataset::{Release, Target};

/// A product's line, and the release when the claim names one the dataset lists.
#[derive(Debug, Clone, Copy)]
pub struct At<'d> {
    pub product: usize,
    pub line: usize,
    pub release: Option<&'d Release>,
    /// A release was written (`2.1.9`) that the line does not list.
    pub unlisted: bool,
}

/// Finds what `version` of `product` names; an unknown line is a finding of its own.
pub fn resolve<'d>(
    ctx: &Ctx<'d>,
    product: usize,
    version: Written,
    out: &mut Vec<Finding>,
) -> Option<At<'d>> {
    let facts = &ctx.dataset.products[product];
    let line_written = line_of(version.text)?;
    let Some(line) = ctx.dataset.line_index(product, &line_written.to_string()) else {
        if !facts.lines.is_empty() {
            out.push(unknown(ctx, product, version, &line_written.to_string()));
        }
        return None;
    };
    let exact = parse_release(version.text);
    let release = exact
        .as_ref()
        .and_then(|v| facts.lines[line].releases.iter().find(|r| &r.version == v));
    Some(At {
        product,
        line,
        release,
        unlisted: exact.is_some() && release.is_none(),
    })
}

fn unknown(ctx: &Ctx, product: usize, version: Written, line: &str) -> Finding {
    let facts = &ctx.dataset.products[product];
    finding(
        Shape::Unknown,
        version,
        format!(
            "this claim is about {} {line}, a line the dataset does not list (its lines: {})",
            facts.name,
            facts.line_list()
        ),
        "correct the version, or add the line to the dataset".to_string(),
    )
}

pub fn finding(shape: Shape, at: Written, message: String, help: String) -> Finding {
    Finding {
        shape,
        start: at.start,
        end: at.end,
        message,
        help,
    }
}

/// Compares one claim; `as_of` is the build date.
pub fn check(ctx: &Ctx, claim: &Claim, out: &mut Vec<Finding>) {
    match claim {
        Claim::Default { subject, version } => default(ctx, subject, *version, out),
        Claim::Range { subject, component } => super::ranges::check(ctx, subject, component, out),
        Claim::Released { subject, date } => {
            released(ctx, subject, date.date, (date.start, date.end), out)
        }
        Claim::Latest {
            product,
            version,
            line,
        } => super::support::latest(ctx, *product, *version, *line, out),
        Claim::Current { .. } | Claim::Window { .. } => {}
        Claim::Ended { subject } => super::support::ended(ctx, subject, out),
        Claim::Supported { subject } => super::support::supported(ctx, subject, out),
        Claim::Until { subject, next } => super::support::until(ctx, subject, next, out),
        Claim::RunsOn { subject, targets } => super::targets::check(ctx, subject, targets, out),
        Claim::Needs { target } => needs(ctx, target, out),
        Claim::Upgrade { product, from, to } => {
            super::support::upgrade(ctx, *product, from, *to, out)
        }
    }
}

/// A prerequisite item of the page's own line: that line must run on the target.
fn needs(ctx: &Ctx, target: &ProductRef, out: &mut Vec<Finding>) {
    let Some(scope) = ctx.scope else { return };
    let Some(line) = scope.line else { return };
    let at = At {
        product: scope.product,
        line,
        release: None,
        unlisted: false,
    };
    super::targets::check_at(ctx, at, std::slice::from_ref(target), out);
}

fn default(ctx: &Ctx, subject: &ProductRef, version: Written, out: &mut Vec<Finding>) {
    let Some(at) = resolve(ctx, subject.product, subject.versions[0], out) else {
        return;
    };
    let line = &ctx.dataset.products[at.product].lines[at.line];
    let expected: Vec<&Version> = match at.release {
        Some(release) => release.kubernetes_default.iter().collect(),
        None if at.unlisted => return,
        None => line
            .releases
            .iter()
            .filter_map(|r| r.kubernetes_default.as_ref())
            .chain(line.kubernetes.as_ref().and_then(|k| k.default.as_ref()))
            .collect(),
    };
    let Some(written) = parse_release(version.text) else {
        return;
    };
    if expected.is_empty() || expected.contains(&&written) {
        return;
    }
    let name = format!(
        "{} {}",
        ctx.dataset.products[at.product].name, subject.versions[0].text
    );
    let shown: Vec<String> = dedup(expected.iter().map(ToString::to_string));
    let release = at.release.map(|r| format!(" release=\"{}\"", r.version));
    out.push(finding(
        Shape::KubernetesDefault,
        version,
        format!("this says {name} installs Kubernetes {written} by default; the dataset's default for {name} is {}", join_or(&shown)),
        format!(
            "print it with {}",
            ctx.shortcode_with("kubernetes_table", at.product, Some(at.line), release.as_deref().unwrap_or(""))
        ),
    ));
}

fn dedup(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}

fn join_or(items: &[String]) -> String {
    crate::render::facts::join(items, "or")
}

fn released(
    ctx: &Ctx,
    subject: &ProductRef,
    written: Date,
    span: (usize, usize),
    out: &mut Vec<Finding>,
) {
    let Some(at) = resolve(ctx, subject.product, subject.versions[0], out) else {
        return;
    };
    let facts = &ctx.dataset.products[at.product];
    let expected = match at.release {
        Some(release) => release.date,
        None if at.unlisted => return,
        None => facts.lines[at.line].ga,
    };
    let Some(expected) = expected.filter(|&d| d != written) else {
        return;
    };
    let name = format!("{} {}", facts.name, subject.versions[0].text);
    let at_text = Written {
        text: "",
        start: span.0,
        end: span.1,
    };
    out.push(finding(
        Shape::ReleaseDate,
        at_text,
        format!("this says {name} was released on {written}; the dataset dates it {expected}"),
        format!(
            "correct the date; {} prints each line's GA date",
            ctx.shortcode("supported_lines", at.product, Some(at.line))
        ),
    ));
}

/// The lines of a list as the dataset indexes them; `None` when one is unknown (reported).
pub fn lines_of(ctx: &Ctx, list: &ProductRef, out: &mut Vec<Finding>) -> Option<Vec<usize>> {
    let mut lines = Vec::new();
    for version in &list.versions {
        lines.push(resolve(ctx, list.product, *version, out)?.line);
    }
    Some(lines)
}

/// The bounds of a requirement as messages print them: `1.21.6 to 1.21.x`.
pub fn describe(requirement: &Requirement) -> String {
    let show = |b: &Option<Bound>| b.as_ref().map(ToString::to_string);
    let mut text = match (show(&requirement.min), show(&requirement.max)) {
        (Some(min), Some(max)) if min == max => min,
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("{min} or later"),
        (None, Some(max)) => format!("{max} or earlier"),
        (None, None) => "any version".into(),
    };
    if !requirement.except.is_empty() {
        let except: Vec<String> = requirement.except.iter().map(ToString::to_string).collect();
        text.push_str(&format!(", except {}", join(&except)));
    }
    text
}

/// What a range claim says, for messages.
pub fn said_text(component: &ComponentRef) -> String {
    let texts = |ws: &[Written]| join(&ws.iter().map(|w| w.text).collect::<Vec<_>>());
    match &component.said {
        Said::Between(a, b) => format!("{} through {}", a.text, b.text),
        Said::AtLeast(a) => format!("{} or later", a.text),
        Said::AtMost(b) => format!("up to {}", b.text),
        Said::Each(v, e) if e.is_empty() => texts(v),
        Said::Each(v, e) => format!("{}, except {}", texts(v), texts(e)),
    }
}

/// The subject's name as a message prints it: `Konvoy 2.1`, or the product alone.
pub fn subject_name(ctx: &Ctx, subject: &Subject, line: Option<usize>) -> String {
    match line {
        Some(line) => ctx.line_name(subject.product, line),
        None => ctx.dataset.products[subject.product].name.clone(),
    }
}

/// Targets of a `runs_on` entry, for messages: `Konvoy 1.7, Konvoy 1.8 and DKP 2.1.1`.
pub fn describe_targets(ctx: &Ctx, targets: &[Target]) -> String {
    let shown: Vec<String> = targets
        .iter()
        .flat_map(|t| match t {
            Target::Product {
                product,
                versions,
                or_later,
            } => versions
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let later = if *or_later && i + 1 == versions.len() {
                        " or later"
                    } else {
                        ""
                    };
                    format!("{} {v}{later}", ctx.dataset.products[*product].name)
                })
                .collect::<Vec<_>>(),
            Target::Platform(name) => vec![name.clone()],
        })
        .collect();
    join(&shown)
}
