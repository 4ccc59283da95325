//! The claims of a sentence about which lines are supported, read together: the line it
//! calls current, and the list it presents as the supported set. On a page of line L a
//! policy sentence that makes another line M current is stale (even when true of M); a
//! list must equal the window of the current line (M, else the page's line); "X is the
//! current line" said outside a policy sentence is judged on the build date.

use super::claim::Claim;
use super::compare::{finding, lines_of, resolve};
use crate::check::claims::patterns::{Written, join};
use crate::check::claims::{Ctx, Finding, Shape};
use crate::dataset::policy;

pub fn check(ctx: &Ctx, claims: &[Claim], sentence: &str, out: &mut Vec<Finding>) {
    let policy = sentence.to_ascii_lowercase().contains("support");
    let current = claims.iter().find_map(|c| match c {
        Claim::Current {
            product,
            version,
            hypothetical,
        } => Some((*product, *version, *hypothetical)),
        _ => None,
    });
    let mut made_current = None;
    if let Some((product, version, hypothetical)) = current {
        let Some(at) = resolve(ctx, product, version, out) else {
            return;
        };
        made_current = Some((product, at.line));
        let page_line = ctx.page_line(product);
        match page_line {
            Some(own) if own != at.line && policy => {
                out.push(stale(ctx, product, own, at.line, version))
            }
            Some(own) if own == at.line && policy => {}
            _ if !hypothetical => current_as_of(ctx, product, at.line, version, out),
            _ => {}
        }
    }
    for claim in claims {
        if let Claim::Window { list } = claim {
            let base = made_current
                .filter(|c| c.0 == list.product)
                .map(|c| c.1)
                .or(ctx.page_line(list.product));
            if let Some(base) = base {
                window(ctx, list, base, out);
            }
        }
    }
}

fn stale(ctx: &Ctx, product: usize, own: usize, other: usize, at: Written) -> Finding {
    finding(
        Shape::Stale,
        at,
        format!(
            "this page documents {}, but this sentence describes {} as the current line",
            ctx.line_name(product, own),
            ctx.line_name(product, other)
        ),
        format!(
            "print this line's policy with {}",
            ctx.shortcode("versions_policy", product, Some(own))
        ),
    )
}

fn current_as_of(ctx: &Ctx, product: usize, line: usize, at: Written, out: &mut Vec<Finding>) {
    let Some(as_of) = ctx.as_of else { return };
    let facts = &ctx.dataset.products[product];
    let Some(latest) = policy::latest_line(facts, as_of).filter(|&l| l != line) else {
        return;
    };
    out.push(finding(
        Shape::Latest,
        at,
        format!(
            "this says the current {} line is {}; as of {as_of} it is {}",
            facts.name, facts.lines[line].version, facts.lines[latest].version
        ),
        format!(
            "print it with {}",
            ctx.shortcode_with("latest_version", product, None, " part=\"line\"")
        ),
    ));
}

fn window(ctx: &Ctx, list: &super::mentions::ProductRef, base: usize, out: &mut Vec<Finding>) {
    let facts = &ctx.dataset.products[list.product];
    if facts.window.is_none() {
        return;
    }
    let Some(mut said) = lines_of(ctx, list, out) else {
        return;
    };
    let mut expected = policy::window(facts, base);
    said.sort_unstable();
    expected.sort_unstable();
    if said == expected {
        return;
    }
    let show = |lines: &[usize]| {
        let names: Vec<String> = lines
            .iter()
            .rev()
            .map(|&l| facts.lines[l].version.to_string())
            .collect();
        join(&names)
    };
    let span = Written {
        text: "",
        start: list.versions[0].start,
        end: list.end,
    };
    out.push(finding(
        Shape::Window,
        span,
        format!(
            "this says {} {} are supported; the dataset's window of {} is {}",
            facts.name,
            show(&said),
            ctx.line_name(list.product, base),
            show(&expected)
        ),
        format!(
            "print it with {}",
            ctx.shortcode("versions_policy", list.product, Some(base))
        ),
    ));
}
