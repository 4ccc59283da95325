//! The support-policy sentences: the N-2 sentence ("if the current version of X is A,
//! ... supports A, B, and C") and the expiry sentence ("When the next version releases,
//! support continues for A and B. Support for C expires", or "With the GA release of X A,
//! support continues for ..."). Windows are computed from the line the sentence names.

use std::collections::BTreeSet;

use regex::{Captures, Regex};

use super::patterns::{Names, Written, compile, group, join, versions_in};
use super::text::Paragraph;
use super::{Ctx, Finding, Shape};
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
                let said = Expiry::read(&caps, expires.as_ref(), end);
                check_expiry(ctx, &said, current, &mut found);
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

/// What an expiry sentence says.
struct Expiry<'t> {
    products: [Option<Written<'t>>; 3],
    /// The line whose release the sentence is about; `None` for "the next version".
    new_line: Option<Written<'t>>,
    /// "With the GA release of": the new line's release, not the line after the current.
    at_ga: bool,
    list: Option<Written<'t>>,
    expires: Option<Written<'t>>,
}

impl<'t> Expiry<'t> {
    fn read(caps: &Captures<'t>, expires: Option<&Captures<'t>>, offset: usize) -> Expiry<'t> {
        let moved = |w: Written<'t>| w.shifted(offset);
        let ep = expires.and_then(|c| group(c, "ep")).map(moved);
        Expiry {
            products: [group(caps, "gp"), group(caps, "lp"), ep],
            new_line: group(caps, "gx").or(group(caps, "x")),
            at_ga: caps.name("gx").is_some(),
            list: group(caps, "list"),
            expires: expires.and_then(|c| group(c, "exp")).map(moved),
        }
    }
}

fn check_expiry(ctx: &Ctx, said: &Expiry, current: Option<(usize, usize)>, out: &mut Vec<Finding>) {
    let Some(product) = ctx.subject(&said.products) else {
        return;
    };
    let help = ctx.shortcode("versions_policy", product, ctx.page_line(product));
    ctx.flag_other_products(product, &said.products, &help, out);
    let facts = &ctx.dataset.products[product];
    if facts.window.is_none() {
        return;
    }
    let current = current.filter(|c| c.0 == product).map(|c| c.1);
    let base = current.or(ctx.page_line(product));
    let next = base.map(|l| l + 1).filter(|&n| n < facts.lines.len());
    let new_line = match said.new_line {
        Some(written) => {
            let context = if said.at_ga { None } else { base };
            let Some(line) = known_line(ctx, product, written, context, Shape::Expiry, out) else {
                return expect_after(ctx, product, base, said, out);
            };
            if !said.at_ga && current.is_some() && Some(line) != next {
                out.push(not_next(ctx, product, written, current, next));
            }
            Some(line)
        }
        None => next,
    };
    match new_line {
        Some(line) => expect_at(ctx, product, line, said, out),
        None => expect_after(ctx, product, base, said, out),
    }
}

/// The sentence names the release of `line`: support continues for its window (with or
/// without `line` itself) and ends for the line before that window.
fn expect_at(ctx: &Ctx, product: usize, line: usize, said: &Expiry, out: &mut Vec<Finding>) {
    let facts = &ctx.dataset.products[product];
    let window = policy::window(facts, line);
    let event = format!("when {} is released", ctx.line_name(product, line));
    let help_line = line.checked_sub(1).unwrap_or(line);
    let help = ctx.shortcode("versions_policy", product, Some(help_line));
    if let Some(list) = said.list {
        let written = lines_of(list);
        if written != set(ctx, product, &window) && written != set(ctx, product, &window[1..]) {
            out.push(continues(ctx, product, list, &event, &window[1..], &help));
        }
    }
    let ended = policy::expired_at_ga(facts, line);
    check_expires(ctx, product, said.expires, ended, &event, &help, out);
}

/// The sentence is about the line after `base`, which the dataset does not have yet.
fn expect_after(
    ctx: &Ctx,
    product: usize,
    base: Option<usize>,
    said: &Expiry,
    out: &mut Vec<Finding>,
) {
    let Some(base) = base else {
        return;
    };
    let facts = &ctx.dataset.products[product];
    let event = format!(
        "when the line after {} is released",
        ctx.line_name(product, base)
    );
    let help = ctx.shortcode("versions_policy", product, Some(base));
    let continuing = policy::continues_on_next(facts, base);
    if let Some(list) = said
        .list
        .filter(|&l| lines_of(l) != set(ctx, product, &continuing))
    {
        out.push(continues(ctx, product, list, &event, &continuing, &help));
    }
    let ended = policy::expires_on_next(facts, base);
    check_expires(ctx, product, said.expires, ended, &event, &help, out);
}

fn continues(
    ctx: &Ctx,
    product: usize,
    list: Written,
    event: &str,
    expected: &[usize],
    help: &str,
) -> Finding {
    Finding {
        shape: Shape::Expiry,
        start: list.start,
        end: list.end,
        message: format!(
            "this sentence says support continues for {} {event}; by the dataset it continues for {}",
            said(list),
            names(ctx, product, expected)
        ),
        help: format!("print it with {help}"),
    }
}

fn check_expires(
    ctx: &Ctx,
    product: usize,
    written: Option<Written>,
    ended: Option<usize>,
    event: &str,
    help: &str,
    out: &mut Vec<Finding>,
) {
    let Some(written) = written else {
        return;
    };
    let expected = ended.map(|l| ctx.dataset.products[product].lines[l].version);
    if written.line() == expected {
        return;
    }
    let instead = match ended {
        Some(l) => format!(
            "by the dataset it is {} that expires",
            ctx.line_name(product, l)
        ),
        None => "by the dataset no line expires then".to_string(),
    };
    out.push(Finding {
        shape: Shape::Expiry,
        start: written.start,
        end: written.end,
        message: format!(
            "this sentence says support for {} {} expires {event}; {instead}",
            ctx.dataset.products[product].name, written.text
        ),
        help: format!("print it with {help}"),
    });
}

fn not_next(
    ctx: &Ctx,
    product: usize,
    written: Written,
    current: Option<usize>,
    next: Option<usize>,
) -> Finding {
    let current = current.map_or_else(String::new, |l| ctx.line_name(product, l));
    let after = match next {
        Some(n) => format!("the next line after it is {}", ctx.line_name(product, n)),
        None => "the dataset has no line after it yet".to_string(),
    };
    Finding {
        shape: Shape::Expiry,
        start: written.start,
        end: written.end,
        message: format!(
            "this sentence calls {} the next release, but the sentence before makes {current} the current line, and {after}",
            written.text
        ),
        help: format!(
            "print both sentences with {}",
            ctx.shortcode("versions_policy", product, None)
        ),
    }
}

/// The line `written` names, or a finding that the dataset has no such line (with the
/// line after `base` when the sentence means the next one).
fn known_line(
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

fn lines_of(list: Written) -> BTreeSet<Option<ReleaseLine>> {
    versions_in(list).iter().map(Written::line).collect()
}

fn set(ctx: &Ctx, product: usize, lines: &[usize]) -> BTreeSet<Option<ReleaseLine>> {
    let facts = &ctx.dataset.products[product];
    lines
        .iter()
        .map(|&l| Some(facts.lines[l].version))
        .collect()
}

fn said(list: Written) -> String {
    let written: Vec<&str> = versions_in(list).iter().map(|w| w.text).collect();
    join(&written)
}

fn names(ctx: &Ctx, product: usize, lines: &[usize]) -> String {
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
    fn the_next_release_must_follow_the_current_line() {
        let text = "If the current version of Kommander is 1.4, then D2iQ supports Kommander 1.4, 1.3, and 1.2.\n\nWhen the 1.4 version releases, support continues for 1.3, and 1.2. Support for Kommander version 1.1.x expires.\n";
        let found = audit(KOMMANDER, text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("3:10 expiry sentence: this sentence calls 1.4 the next release, but the sentence before makes Kommander 1.4 the current line, and the next line after it is Kommander 2.0"), "{found:?}");
    }

    #[test]
    fn expiry_sentences_are_checked_against_the_window() {
        let ok = "When the next version releases, support continues for 2.0, and 1.8. Support for Konvoy version 1.7.x expires.\n";
        assert_eq!(audit(KONVOY, ok), Vec::<String>::new());
        let wrong = "When the next version releases, support continues for 2.0, and 1.7. Support for Konvoy version 1.6.x expires.\n";
        let found = audit(KONVOY, wrong);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("continues for 2.0 and 1.7 when Konvoy 2.1 is released; by the dataset it continues for 2.0 and 1.8"), "{found:?}");
        assert!(found[1].contains("support for Konvoy 1.6.x expires when Konvoy 2.1 is released; by the dataset it is Konvoy 1.7 that expires"), "{found:?}");
    }

    #[test]
    fn ga_release_sentences_count_the_new_line() {
        let ok = "With the GA release of Kaptain 1.3.0, support continues for Kaptain 1.3, 1.2, and 1.1, including all patch releases. Support for Kaptain 1.0 expires.\n";
        assert_eq!(audit("dkp/kaptain/1.3.0/p.md", ok), Vec::<String>::new());
        let stale = "With the GA release of Kaptain 1.3.0, support continues for Kaptain 1.2, 1.1, and 1.0. Support for Kaptain 0.6 expires.\n";
        let found = audit("dkp/kaptain/1.3.0/p.md", stale);
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn prose_about_other_versions_is_not_a_claim() {
        let text = "Upgrade to Konvoy 2.0 before you upgrade Kommander 1.4. Traefik 2.4 ships with it.\n\nWhen the token expires, log in again.\n";
        assert_eq!(audit(KONVOY, text), Vec::<String>::new());
    }
}
