//! The support-policy sentences, found in page order: the N-2 sentence ("if the current
//! version of X is A, ... supports A, B, and C"), checked here against the window of the
//! line it names, and the expiry sentence after it, handed to [`super::expiry`] with the
//! line the N-2 sentence made current.

use std::collections::BTreeSet;

use regex::{Captures, Regex};

use super::patterns::{Names, Written, compile, group, join, versions_in};
use super::text::Paragraph;
use super::{Ctx, Finding, Shape, expiry};
use crate::dataset::policy;
use crate::dataset::version::ReleaseLine;

#[derive(Debug)]
pub struct Patterns {
    window: Regex,
    expiry: Regex,
    expires: Regex,
}

impl Patterns {
    pub fn new(names: &Names) -> Patterns {
        Patterns {
            window: compile(
                names,
                r"\bif the current (?:GA |generally available )?(?:version|release|line)(?: of (?P<cur>{NAME}){MARK})? is (?:version |release )?(?P<line>{VERSION}),? then (?:[a-z0-9&;®]+ ){0,3}supports? (?:all (?:of the )?(?:patch )?(?:versions|releases) of )?(?:(?P<lp>{NAME}){MARK} )?(?P<list>{LIST})",
            ),
            expiry: compile(
                names,
                r"(?:\bwhen the (?:(?P<next>next)|(?P<x>{VERSION})) (?:version |line )?(?:releases|is released|ships)|\bwith the (?:GA |general availability )?release of (?:(?P<gp>{NAME}){MARK} )?(?P<gx>{VERSION})),? support continues for (?:(?P<lp>{NAME}){MARK} )?(?:versions? )?(?P<list>{LIST})",
            ),
            expires: compile(
                names,
                r"^[^.]*\.\s*support for (?:(?P<ep>{NAME}){MARK} )?(?:version |line )?(?P<exp>{VERSION}) (?:expires|ends)",
            ),
        }
    }
}

/// Audits the policy sentences of a page, in order: an expiry sentence reads the current
/// line from the N-2 sentence before it.
pub fn audit(patterns: &Patterns, ctx: &Ctx, paragraphs: &[Paragraph], out: &mut Vec<Finding>) {
    let mut current = None;
    for paragraph in paragraphs {
        let mut claims: Vec<(bool, Captures)> = patterns
            .window
            .captures_iter(&paragraph.text)
            .map(|c| (true, c))
            .chain(
                patterns
                    .expiry
                    .captures_iter(&paragraph.text)
                    .map(|c| (false, c)),
            )
            .collect();
        claims.sort_by_key(|(_, c)| c.get(0).map_or(0, |m| m.start()));
        for (is_window, caps) in claims {
            let mut found = Vec::new();
            if is_window {
                current = check_window(ctx, &caps, &mut found).or(current);
            } else {
                let end = caps.get(0).map_or(0, |m| m.end());
                let expires = patterns.expires.captures(&paragraph.text[end..]);
                let said = expiry::Expiry::read(&caps, expires.as_ref(), end);
                expiry::check(ctx, &said, current, &mut found);
            }
            out.extend(found.into_iter().map(|f| shifted(f, paragraph.start)));
        }
    }
}

fn shifted(finding: Finding, by: usize) -> Finding {
    Finding {
        start: finding.start + by,
        end: finding.end + by,
        ..finding
    }
}

/// Checks an N-2 sentence; returns the product and line it makes current.
fn check_window(ctx: &Ctx, caps: &Captures, out: &mut Vec<Finding>) -> Option<(usize, usize)> {
    let (cur, listed) = (group(caps, "cur"), group(caps, "lp"));
    let product = ctx.subject(&[listed, cur])?;
    let help = ctx.shortcode("versions_policy", product, ctx.page_line(product));
    ctx.flag_other_products(product, &[cur, listed], &help, out);
    let facts = &ctx.dataset.products[product];
    let size = facts.window?;
    let line = known_line(ctx, product, group(caps, "line")?, None, Shape::Window, out)?;
    let list = group(caps, "list")?;
    let expected = policy::window(facts, line);
    if lines_of(list) != set(ctx, product, &expected) {
        out.push(Finding {
            shape: Shape::Window,
            start: list.start,
            end: list.end,
            message: format!(
                "this sentence says {} supports {}; the dataset's N-{} window for it is {}",
                ctx.line_name(product, line),
                said(list),
                size - 1,
                names(ctx, product, &expected)
            ),
            help: format!(
                "print it with {}",
                ctx.shortcode("versions_policy", product, Some(line))
            ),
        });
    }
    Some((product, line))
}

/// The line `written` names, or a finding that the dataset has no such line (with the
/// line after `base` when the sentence means the next one).
pub(super) fn known_line(
    ctx: &Ctx,
    product: usize,
    written: Written,
    base: Option<usize>,
    shape: Shape,
    out: &mut Vec<Finding>,
) -> Option<usize> {
    let line = written.line();
    let found = line.and_then(|l| ctx.dataset.line_index(product, &l.to_string()));
    if found.is_none() {
        let lines = &ctx.dataset.products[product].lines;
        let hint = base
            .filter(|&b| b + 1 < lines.len())
            .map(|b| {
                format!(
                    "; the line after {} is {}",
                    ctx.line_name(product, b),
                    lines[b + 1].version
                )
            })
            .unwrap_or_default();
        out.push(Finding {
            shape,
            start: written.start,
            end: written.end,
            message: format!(
                "{} {} is not a release line in the dataset{hint}",
                ctx.dataset.products[product].name, written.text
            ),
            help: format!(
                "print it with {}",
                ctx.shortcode("versions_policy", product, base)
            ),
        });
    }
    found
}

pub(super) fn lines_of(list: Written) -> BTreeSet<Option<ReleaseLine>> {
    versions_in(list).iter().map(Written::line).collect()
}

pub(super) fn set(ctx: &Ctx, product: usize, lines: &[usize]) -> BTreeSet<Option<ReleaseLine>> {
    let facts = &ctx.dataset.products[product];
    lines
        .iter()
        .map(|&l| Some(facts.lines[l].version))
        .collect()
}

pub(super) fn said(list: Written) -> String {
    let written: Vec<&str> = versions_in(list).iter().map(|w| w.text).collect();
    join(&written)
}

pub(super) fn names(ctx: &Ctx, product: usize, lines: &[usize]) -> String {
    let facts = &ctx.dataset.products[product];
    let versions: Vec<String> = lines
        .iter()
        .map(|&l| facts.lines[l].version.to_string())
        .collect();
    join(&versions)
}

#[cfg(test)]
mod tests {
    use crate::check::claims::testing::audit;

    const KONVOY: &str = "dkp/konvoy/2.0/policy.md";
    const KOMMANDER: &str = "dkp/kommander/1.3/policy.md";

    #[test]
    fn a_correct_n2_sentence_passes() {
        let text = "For example, if the current GA version of Konvoy&reg; is 2.0, then D2iQ supports all patch versions of Konvoy 2.0, 1.8, and 1.7.\n";
        assert_eq!(audit(KONVOY, text), Vec::<String>::new());
    }

    #[test]
    fn a_wrong_window_is_reported_on_the_list() {
        let text = "If the current version of Konvoy is version 2.0, then D2iQ supports Konvoy 2.0, 1.8, and 1.6.\n";
        assert_eq!(
            audit(KONVOY, text),
            [
                "1:76 N-2 sentence: this sentence says Konvoy 2.0 supports 2.0, 1.8 and 1.6; the dataset's N-2 window for it is 2.0, 1.8 and 1.7"
            ]
        );
    }

    #[test]
    fn another_product_in_the_sentence_is_reported() {
        let text = "If the current version of Konvoy® is version 1.4, then D2iQ supports all patch versions of Kommander 1.4, 1.3, and 1.2.\n";
        assert_eq!(
            audit(KOMMANDER, text),
            ["1:27 product name: this claim names Konvoy, but the page documents Kommander"]
        );
    }

    #[test]
    fn a_sentence_about_another_product_is_audited_as_that_product() {
        let text = "If the current version of Konvoy is 2.0, then D2iQ supports Konvoy 2.0, 1.8, and 1.7.\n\nWhen the next version releases, support continues for Kommander 2.1 and 2.0. Support for Konvoy 1.4 expires.\n";
        assert_eq!(
            audit("dkp/kommander/2.1/p.md", text),
            ["3:90 product name: this claim names Konvoy, but the page documents Kommander"]
        );
    }

    #[test]
    fn prose_about_other_versions_is_not_a_claim() {
        let text = "Upgrade to Konvoy 2.0 before you upgrade Kommander 1.4. Traefik 2.4 ships with it.\n\nWhen the token expires, log in again.\n";
        assert_eq!(audit(KONVOY, text), Vec::<String>::new());
    }
}
