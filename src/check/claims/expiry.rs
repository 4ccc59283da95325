//! The expiry sentence: "When the next version releases, support continues for A and B.
//! Support for C expires", or "With the GA release of X A, support continues for ...".
//! The line whose release the sentence is about comes from the sentence, else from the
//! N-2 sentence before it, else from the page.

use regex::Captures;

use super::patterns::{Written, group};
use super::policy::{known_line, lines_of, names, said, set};
use super::{Ctx, Finding, Shape};
use crate::dataset::policy;

/// What an expiry sentence says.
pub struct Expiry<'t> {
    products: [Option<Written<'t>>; 3],
    /// The line whose release the sentence is about; `None` for "the next version".
    new_line: Option<Written<'t>>,
    /// "With the GA release of": the new line's release, not the line after the current.
    at_ga: bool,
    list: Option<Written<'t>>,
    expires: Option<Written<'t>>,
}

impl<'t> Expiry<'t> {
    pub fn read(caps: &Captures<'t>, expires: Option<&Captures<'t>>, offset: usize) -> Expiry<'t> {
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

pub fn check(ctx: &Ctx, said: &Expiry, current: Option<(usize, usize)>, out: &mut Vec<Finding>) {
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

#[cfg(test)]
mod tests {
    use crate::check::claims::testing::audit;

    const KONVOY: &str = "dkp/konvoy/2.0/policy.md";
    const KOMMANDER: &str = "dkp/kommander/1.3/policy.md";

    #[test]
    fn the_next_release_must_follow_the_current_line() {
        let text = "If the current version of Kommander is 1.4, then D2iQ supports Kommander 1.4, 1.3, and 1.2.\n\nWhen the 1.4 version releases, support continues for 1.3, and 1.2. Support for Kommander version 1.1.x expires.\n";
        let found = audit(KOMMANDER, text);
        assert_eq!(found.len(), 2, "{found:?}");
        // A Kommander 1.3 page that makes 1.4 current is stale, too.
        assert!(found[0].starts_with("1:40 stale policy: this page documents Kommander 1.3, but this sentence describes Kommander 1.4"), "{found:?}");
        assert!(found[1].starts_with("3:10 expiry sentence: this sentence calls 1.4 the next release, but the sentence before makes Kommander 1.4 the current line, and the next line after it is Kommander 2.0"), "{found:?}");
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
}
