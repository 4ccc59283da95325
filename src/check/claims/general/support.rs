//! Claims judged on the build date (`--as-of`) and by the support window: the latest
//! line or release, "no longer supported", "still supported", and "supported until X
//! ships" (the line that pushes it out of the window); and upgrade paths, by the lines'
//! `upgrades_from`.

use super::compare::{finding, resolve};
use super::mentions::ProductRef;
use crate::check::claims::patterns::{Written, line_of};
use crate::check::claims::{Ctx, Finding, Shape};
use crate::dataset::policy::{self, Status};
use crate::dataset::version::parse_release;

pub fn latest(ctx: &Ctx, product: usize, version: Written, line: bool, out: &mut Vec<Finding>) {
    let (Some(as_of), Some(written)) = (ctx.as_of, line_of(version.text)) else {
        return;
    };
    let facts = &ctx.dataset.products[product];
    let Some(newest) = policy::latest_line(facts, as_of) else {
        return;
    };
    let (expected, said) = if line {
        (facts.lines[newest].version.to_string(), written.to_string())
    } else {
        let Some(release) = policy::latest_release(facts, as_of) else {
            return;
        };
        let said = parse_release(version.text).map(|v| v.to_string());
        (release.to_string(), said.unwrap_or_default())
    };
    if said.is_empty() || said == expected {
        return;
    }
    let what = if line { "line" } else { "release" };
    let part = if line { " part=\"line\"" } else { "" };
    out.push(finding(
        Shape::Latest,
        version,
        format!(
            "this says the latest {} {what} is {said}; as of {as_of} it is {expected}",
            facts.name
        ),
        format!(
            "print it with {}",
            ctx.shortcode_with("latest_version", product, None, part)
        ),
    ));
}

pub fn ended(ctx: &Ctx, subject: &ProductRef, out: &mut Vec<Finding>) {
    let Some(as_of) = ctx.as_of else { return };
    let Some(at) = resolve(ctx, subject.product, subject.versions[0], out) else {
        return;
    };
    let facts = &ctx.dataset.products[at.product];
    let status = policy::status(facts, at.line, as_of);
    if matches!(status, Status::Ended { .. } | Status::NoPolicy) {
        return;
    }
    let name = ctx.line_name(at.product, at.line);
    let now = match status {
        Status::Unreleased => "it is not released yet".to_string(),
        _ => "it is still in the support window".to_string(),
    };
    out.push(finding(
        Shape::Support,
        subject.versions[0],
        format!("this says {name} is no longer supported; as of {as_of} {now}"),
        format!(
            "print its status with {}",
            ctx.shortcode("support_status", at.product, Some(at.line))
        ),
    ));
}

pub fn supported(ctx: &Ctx, subject: &ProductRef, out: &mut Vec<Finding>) {
    let Some(as_of) = ctx.as_of else { return };
    let Some(at) = resolve(ctx, subject.product, subject.versions[0], out) else {
        return;
    };
    let facts = &ctx.dataset.products[at.product];
    let now = match policy::status(facts, at.line, as_of) {
        Status::Ended { on: Some(on), .. } => format!("its support ended on {on}"),
        Status::Ended { on: None, by } => format!(
            "its support ended when {} {} shipped",
            facts.name, facts.lines[by].version
        ),
        Status::Unreleased => "it is not released yet".to_string(),
        _ => return,
    };
    let name = ctx.line_name(at.product, at.line);
    out.push(finding(
        Shape::Support,
        subject.versions[0],
        format!("this says {name} is supported; as of {as_of} {now}"),
        format!(
            "print its status with {}",
            ctx.shortcode("support_status", at.product, Some(at.line))
        ),
    ));
}

pub fn until(ctx: &Ctx, subject: &ProductRef, next: &ProductRef, out: &mut Vec<Finding>) {
    let Some(at) = resolve(ctx, subject.product, subject.versions[0], out) else {
        return;
    };
    let Some(said) = resolve(ctx, next.product, next.versions[0], out) else {
        return;
    };
    let facts = &ctx.dataset.products[at.product];
    let Some(window) = facts.window else { return };
    let pusher = at.line + window;
    if said.line == pusher {
        return;
    }
    let name = ctx.line_name(at.product, at.line);
    let expected = match facts.lines.get(pusher) {
        Some(line) => format!("when {} {} ships", facts.name, line.version),
        None => format!(
            "with the {} line after it, which the dataset does not list yet",
            ordinal(window)
        ),
    };
    out.push(finding(
        Shape::Support,
        next.versions[0],
        format!(
            "this says {name} is supported until {} ships; by the N-{} window its support ends {expected}",
            ctx.line_name(said.product, said.line),
            window - 1
        ),
        format!("print the policy with {}", ctx.shortcode("versions_policy", at.product, Some(at.line))),
    ));
}

fn ordinal(n: usize) -> String {
    match n {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        n => format!("{n}th"),
    }
}

/// "Upgrade from Konvoy 2.0 to 2.1": each line upgraded from must be in the target line's
/// `upgrades_from`, when the dataset lists any.
pub fn upgrade(ctx: &Ctx, product: usize, from: &[Written], to: Written, out: &mut Vec<Finding>) {
    let Some(target) = resolve(ctx, product, to, out) else {
        return;
    };
    let facts = &ctx.dataset.products[product];
    let allowed = &facts.lines[target.line].upgrades_from;
    if allowed.is_empty() {
        return;
    }
    for written in from {
        let Some(at) = resolve(ctx, product, *written, out) else {
            continue;
        };
        if allowed.contains(&at.line) {
            continue;
        }
        let lines: Vec<String> = allowed
            .iter()
            .map(|&l| facts.lines[l].version.to_string())
            .collect();
        out.push(finding(
            Shape::Upgrade,
            *written,
            format!(
                "this says {} upgrades to {}; the dataset lets {} upgrade directly from {} {} only",
                ctx.line_name(product, at.line),
                facts.lines[target.line].version,
                ctx.line_name(product, target.line),
                facts.name,
                crate::render::facts::join(&lines, "or")
            ),
            format!(
                "print the paths with {}",
                ctx.shortcode("upgrade_paths", product, Some(target.line))
            ),
        ));
    }
}
