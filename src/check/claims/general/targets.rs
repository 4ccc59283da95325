//! "X runs on Y" claims: between two paired products ("Kommander 2.0 runs on Konvoy 2.1")
//! the line must be X's partner; for a product with `runs_on` facts ("Kaptain 1.3 runs
//! on Konvoy 1.8") each target named must be one of X's targets. Naming some of the
//! targets is no contradiction.

use semver::Version;

use super::compare::{At, describe_targets, finding, resolve};
use super::mentions::ProductRef;
use crate::check::claims::patterns::line_of;
use crate::check::claims::{Ctx, Finding, Shape};
use crate::dataset::{Pairing, Target};

pub fn check(ctx: &Ctx, subject: &ProductRef, targets: &[ProductRef], out: &mut Vec<Finding>) {
    if let Some(at) = resolve(ctx, subject.product, subject.versions[0], out) {
        check_at(ctx, at, targets, out);
    }
}

/// Checks `targets` for the line `at`.
pub fn check_at(ctx: &Ctx, at: At, targets: &[ProductRef], out: &mut Vec<Finding>) {
    for target in targets {
        let pairing = ctx.dataset.pairings.iter().find(|p| {
            (p.deploys, p.on) == (at.product, target.product)
                || (p.on, p.deploys) == (at.product, target.product)
        });
        match pairing {
            Some(pairing) => paired(ctx, pairing, at, target, out),
            None => runs_on(ctx, at, target, out),
        }
    }
}

/// The partner of `at`'s line in `pairing`.
fn partner(pairing: &Pairing, at: At) -> Option<usize> {
    pairing.pairs.iter().find_map(|&(d, o)| {
        if pairing.deploys == at.product && d == at.line {
            Some(o)
        } else if pairing.on == at.product && o == at.line {
            Some(d)
        } else {
            None
        }
    })
}

fn paired(ctx: &Ctx, pairing: &Pairing, at: At, target: &ProductRef, out: &mut Vec<Finding>) {
    if target.or_later {
        return;
    }
    let expected = partner(pairing, at);
    for version in &target.versions {
        let Some(line) = line_of(version.text) else {
            continue;
        };
        let said = ctx.dataset.line_index(target.product, &line.to_string());
        if said.is_some() && said == expected {
            continue;
        }
        let name = ctx.line_name(at.product, at.line);
        let other = &ctx.dataset.products[target.product].name;
        let pairs = match expected {
            Some(p) => format!(
                "the dataset pairs {name} with {}",
                ctx.line_name(target.product, p)
            ),
            None => format!("the dataset pairs {name} with no {other} line"),
        };
        let page = ctx.scope.map_or(at.product, |s| s.product);
        out.push(finding(
            Shape::Compatible,
            *version,
            format!("this says {name} runs on {other} {line}; {pairs}"),
            format!(
                "list the pairs with {}",
                ctx.shortcode("compatibility_table", page, ctx.page_line(page))
            ),
        ));
    }
}

fn runs_on(ctx: &Ctx, at: At, target: &ProductRef, out: &mut Vec<Finding>) {
    let Some(relation) = ctx
        .dataset
        .runs_on
        .iter()
        .find(|r| r.product == at.product && r.line == at.line)
    else {
        return;
    };
    let last = target.versions.len().saturating_sub(1);
    for (i, version) in target.versions.iter().enumerate() {
        let later = target.or_later && i == last;
        if admits(&relation.targets, target.product, version.text, later) {
            continue;
        }
        let name = ctx.line_name(at.product, at.line);
        let other = &ctx.dataset.products[target.product].name;
        let later = if later { " or later" } else { "" };
        out.push(finding(
            Shape::RunsOn,
            *version,
            format!(
                "this says {name} runs on {other} {}{later}; the dataset says it runs on {}",
                version.text,
                describe_targets(ctx, &relation.targets)
            ),
            format!(
                "print it with {}",
                ctx.shortcode("runs_on", at.product, Some(at.line))
            ),
        ));
    }
}

/// Whether `targets` admit `version` of `product` (and every later one, with `later`).
fn admits(targets: &[Target], product: usize, version: &str, later: bool) -> bool {
    targets.iter().any(|t| match t {
        Target::Product {
            product: p,
            versions,
            or_later,
        } if *p == product => versions.iter().enumerate().any(|(i, v)| {
            let open = *or_later && i + 1 == versions.len();
            let same = same_version(v, version);
            if later {
                open && at_least(version, v)
            } else {
                same || (open && at_least(version, v))
            }
        }),
        _ => false,
    })
}

/// `1.7` and `1.7.3` (or `1.7.x`) name the same target; `2.1.1` and `2.1.2` do not.
fn same_version(listed: &str, written: &str) -> bool {
    let (a, b) = (numbers(listed), numbers(written));
    let n = a.len().min(b.len());
    n >= 2 && a[..n] == b[..n]
}

fn at_least(written: &str, listed: &str) -> bool {
    let lowest = |n: Vec<u64>| Version::new(n[0], *n.get(1).unwrap_or(&0), *n.get(2).unwrap_or(&0));
    let (w, l) = (numbers(written), numbers(listed));
    !w.is_empty() && !l.is_empty() && lowest(w) >= lowest(l)
}

fn numbers(text: &str) -> Vec<u64> {
    text.trim_start_matches(['v', 'V'])
        .split('.')
        .map_while(|p| p.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> Vec<Target> {
        vec![
            Target::Product {
                product: 1,
                versions: vec!["1.7".into(), "1.8".into()],
                or_later: false,
            },
            Target::Product {
                product: 2,
                versions: vec!["2.1.2".into()],
                or_later: true,
            },
        ]
    }

    #[test]
    fn one_target_of_several_is_admitted() {
        assert!(admits(&targets(), 1, "1.8", false));
        assert!(admits(&targets(), 1, "1.8.3", false));
        assert!(!admits(&targets(), 1, "2.0", false));
        assert!(admits(&targets(), 2, "2.2.0", false));
        assert!(admits(&targets(), 2, "2.1.2", true));
        assert!(!admits(&targets(), 2, "2.1.1", true));
        assert!(!admits(&targets(), 2, "2.0.0", false));
    }
}
