//! Sentences about which lines go together: "You cannot deploy Kommander 1.3.x on Konvoy
//! 1.8.x" (wrong when the dataset pairs them) and "Kommander 1.3 ... can deploy on any
//! version of Konvoy 1.7" (wrong when it does not). "X runs on Y" in other words is read
//! by [`super::general`].

use regex::{Captures, Regex};

use super::patterns::{Names, Written, compile, group};
use super::text::Paragraph;
use super::{Ctx, Finding, Shape};
use crate::dataset::Pairing;

#[derive(Debug)]
pub struct Patterns {
    cannot: Regex,
    can: Regex,
    /// The product and line a "can deploy" sentence starts with, looked for before it.
    subject: Regex,
}

impl Patterns {
    pub fn new(names: &Names) -> Patterns {
        Patterns {
            cannot: compile(
                names,
                r"\bcannot (?:be )?deploy(?:ed)? (?P<a>{NAME}){MARK} (?P<va>{VERSION}) on (?:any (?:version|release) of )?(?P<b>{NAME}){MARK} (?P<vb>{VERSION})",
            ),
            can: compile(
                names,
                r"\bcan (?:be )?deploy(?:ed)?(?: successfully)? on (?:any (?:version|release) of )?(?P<b>{NAME}){MARK} (?P<vb>{VERSION})",
            ),
            subject: compile(names, r"(?P<a>{NAME}){MARK},? (?P<va>{VERSION})\b"),
        }
    }
}

pub fn audit(patterns: &Patterns, ctx: &Ctx, paragraphs: &[Paragraph], out: &mut Vec<Finding>) {
    for paragraph in paragraphs {
        let (text, at) = (paragraph.text.as_str(), paragraph.start);
        for caps in patterns.cannot.captures_iter(text) {
            if let Some(combo) = Combination::read(ctx, &[&caps], at) {
                combo.check(ctx, false, out);
            }
        }
        for caps in patterns.can.captures_iter(text) {
            let Some(subject) = can_subject(patterns, text, &caps) else {
                continue;
            };
            if let Some(combo) = Combination::read(ctx, &[&subject, &caps], at) {
                combo.check(ctx, true, out);
            }
        }
    }
}

/// The last "Kommander 1.3" written in the 150 bytes before "can deploy on".
fn can_subject<'t>(patterns: &Patterns, text: &'t str, caps: &Captures) -> Option<Captures<'t>> {
    let end = caps.get(0)?.start();
    let mut start = end.saturating_sub(150);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let last = patterns.subject.find_iter(&text[start..end]).last()?;
    patterns
        .subject
        .captures_at(&text[..end], start + last.start())
}

/// Two lines of two paired products, as a sentence puts them together.
struct Combination<'t, 'd> {
    pairing: &'d Pairing,
    a: (usize, usize),
    b: (usize, usize),
    span: (usize, usize),
    written: (Written<'t>, Written<'t>),
}

impl<'t, 'd> Combination<'t, 'd> {
    /// Reads both products and lines from `parts`: one match, or the subject's and the
    /// "can deploy" one.
    fn read(ctx: &Ctx<'d>, parts: &[&Captures<'t>], at: usize) -> Option<Combination<'t, 'd>> {
        let find = |name: &str| {
            parts
                .iter()
                .find_map(|c| group(c, name))
                .map(|w| w.shifted(at))
        };
        let (a, va, b, vb) = (find("a")?, find("va")?, find("b")?, find("vb")?);
        let (pa, pb) = (ctx.names.product(a.text)?, ctx.names.product(b.text)?);
        let pairing = ctx
            .dataset
            .pairings
            .iter()
            .find(|p| (p.deploys, p.on) == (pa, pb) || (p.deploys, p.on) == (pb, pa))?;
        let la = ctx.dataset.line_index(pa, &va.line()?.to_string())?;
        let lb = ctx.dataset.line_index(pb, &vb.line()?.to_string())?;
        Some(Combination {
            pairing,
            a: (pa, la),
            b: (pb, lb),
            span: (a.start, vb.end),
            written: (va, vb),
        })
    }

    /// The line of `b`'s product that `a`'s line is paired with.
    fn partner_of_a(&self) -> Option<usize> {
        let p = self.pairing;
        p.pairs.iter().find_map(|&(d, o)| match () {
            _ if p.deploys == self.a.0 && d == self.a.1 => Some(o),
            _ if p.on == self.a.0 && o == self.a.1 => Some(d),
            _ => None,
        })
    }

    fn check(&self, ctx: &Ctx, says_compatible: bool, out: &mut Vec<Finding>) {
        let partner = self.partner_of_a();
        let paired = partner == Some(self.b.1);
        if paired == says_compatible {
            return;
        }
        let (a, b) = (
            ctx.line_name(self.a.0, self.a.1),
            ctx.line_name(self.b.0, self.b.1),
        );
        let partner = match partner {
            Some(p) => format!("the dataset pairs {a} with {}", ctx.line_name(self.b.0, p)),
            None => format!(
                "the dataset pairs {a} with no {} line",
                ctx.dataset.products[self.b.0].name
            ),
        };
        let (shape, says, start, help) = if says_compatible {
            (
                Shape::Compatible,
                "deploys on",
                self.written.1.start,
                "compatibility_table",
            )
        } else {
            (
                Shape::Unsupported,
                "cannot be deployed on",
                self.span.0,
                "unsupported_combinations",
            )
        };
        let page = ctx.scope.map(|s| s.product).unwrap_or(self.a.0);
        out.push(Finding {
            shape,
            start,
            end: self.span.1,
            message: format!("this says {a} {says} {b}; {partner}"),
            help: format!(
                "list the combinations with {}",
                ctx.shortcode(help, page, ctx.page_line(page))
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::check::claims::testing::audit;

    const KOMMANDER: &str = "dkp/kommander/2.1/p.md";

    #[test]
    fn true_combinations_pass() {
        let page = "- You cannot deploy Kommander 1.2.x on Konvoy 1.7.x\n- You cannot deploy Kommander 1.1.x on Konvoy 1.6.x\n\nThis means, Kommander 1.3, and all of its patch versions (e.g. 1.3.0, 1.3.1), can deploy successfully on any version of Konvoy 1.7.\n";
        assert_eq!(audit(KOMMANDER, page), Vec::<String>::new());
    }

    #[test]
    fn a_paired_combination_called_unsupported_is_reported() {
        assert_eq!(
            audit(
                KOMMANDER,
                "- You cannot deploy Kommander 1.4.x on Konvoy 1.8.x\n"
            ),
            [
                "1:21 unsupported combination: this says Kommander 1.4 cannot be deployed on Konvoy 1.8; the dataset pairs Kommander 1.4 with Konvoy 1.8"
            ]
        );
        let found = audit(
            KOMMANDER,
            "Kommander 1.3 can deploy on any version of Konvoy 1.8.\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("1:51 compatible combination"),
            "{found:?}"
        );
    }

    #[test]
    fn other_deploy_sentences_are_not_claims() {
        let page = "You cannot deploy Traefik 2.4 on Konvoy 1.8 without changes. Kaptain runs on Kubernetes 1.21.\n";
        assert_eq!(audit(KOMMANDER, page), Vec::<String>::new());
    }
}
