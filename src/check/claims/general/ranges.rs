//! Range claims ("Konvoy 2.1 supports Kubernetes 1.20 through 1.21", "Conductor requires
//! Helm 3", "Traefik 1.7.x, except 1.7.23") compared with the line's Kubernetes range or
//! the prerequisite of that name. A bound written less precisely than the dataset's
//! (`1.21` for `1.21.6`) agrees with it; a version is admitted when any release it names
//! is.

use super::claim::Subject;
use super::compare::{describe, finding, resolve, said_text, subject_name};
use super::mentions::{ComponentRef, Said};
use crate::check::claims::patterns::Written;
use crate::check::claims::{Ctx, Finding, Shape};
use crate::dataset::policy;
use crate::dataset::version::{Bound, Requirement, max_admits};
use semver::Version;

pub fn check(ctx: &Ctx, subject: &Subject, component: &ComponentRef, out: &mut Vec<Finding>) {
    let line = match subject.version {
        Some(version) => match resolve(ctx, subject.product, version, out) {
            Some(at) => Some(at.line),
            None => return,
        },
        None => ctx.page_line(subject.product),
    };
    let facts = &ctx.dataset.products[subject.product];
    if line.is_none() && (!facts.lines.is_empty() || !own_product(ctx, subject.product)) {
        return;
    }
    let Some(requirement) = requirement_of(ctx, subject.product, line, &component.name) else {
        return;
    };
    let Some(wrong) = contradicted(&component.said, &requirement) else {
        return;
    };
    let name = subject_name(ctx, subject, line);
    let what = capitalised(&component.name);
    let (shape, help) = if component.name == "kubernetes" && line.is_some() {
        (Shape::KubernetesRange, "kubernetes_table")
    } else {
        (Shape::Prerequisite, "prerequisites")
    };
    out.push(finding(
        shape,
        wrong,
        format!(
            "this says {name} supports {what} {}; the dataset gives {name} {what} {}",
            said_text(component),
            describe(&requirement)
        ),
        format!(
            "print it with {}",
            ctx.shortcode(help, subject.product, line)
        ),
    ));
}

fn own_product(ctx: &Ctx, product: usize) -> bool {
    ctx.scope.is_some_and(|s| s.product == product)
}

/// `kubernetes` -> `Kubernetes`; other names as the dataset writes them are not known
/// here, so only the first letter changes.
fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The range the dataset gives `product`'s `line` for the component `name`.
fn requirement_of(
    ctx: &Ctx,
    product: usize,
    line: Option<usize>,
    name: &str,
) -> Option<Requirement> {
    let facts = &ctx.dataset.products[product];
    let line = line.map(|l| &facts.lines[l]);
    let kubernetes = line.and_then(|l| l.kubernetes.as_ref());
    if let (Some(range), "kubernetes") = (kubernetes, name) {
        return Some(Requirement {
            min: Some(range.min.clone()),
            max: Some(range.max.clone()),
            except: Vec::new(),
        });
    }
    policy::prerequisites(facts, line)
        .into_iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
        .map(|p| p.requirement.clone())
}

/// The written version that contradicts `requirement`, if one does.
fn contradicted<'t>(said: &Said<'t>, requirement: &Requirement) -> Option<Written<'t>> {
    let bound_ok = |w: &Written, bound: &Option<Bound>| match bound {
        Some(bound) => agrees(w.text, bound),
        None => admitted(w.text, requirement),
    };
    match said {
        Said::Between(a, b) => (!bound_ok(a, &requirement.min))
            .then_some(*a)
            .or((!bound_ok(b, &requirement.max)).then_some(*b)),
        Said::AtLeast(a) => (!bound_ok(a, &requirement.min)).then_some(*a),
        Said::AtMost(b) => (!bound_ok(b, &requirement.max)).then_some(*b),
        Said::Each(versions, _) => versions
            .iter()
            .find(|v| !admitted(v.text, requirement))
            .copied(),
    }
}

/// The numbers written: `v1.21.x` -> [1, 21].
fn fixed(text: &str) -> Vec<u64> {
    text.trim_start_matches(['v', 'V'])
        .split('.')
        .map_while(|p| p.parse().ok())
        .collect()
}

/// Whether a written bound names the same bound as `bound`, to the precision of both.
fn agrees(written: &str, bound: &Bound) -> bool {
    let (w, b) = (fixed(written), fixed(bound.as_str()));
    let n = w.len().min(b.len());
    n > 0 && w[..n] == b[..n]
}

/// Whether any release `written` names meets `requirement`.
fn admitted(written: &str, requirement: &Requirement) -> bool {
    let parts = fixed(written);
    let get = |i: usize| parts.get(i).copied().unwrap_or(0);
    let lowest = Version::new(get(0), get(1), get(2));
    if parts.len() >= 3 {
        return requirement.is_satisfied_by(&lowest);
    }
    let max_ok = requirement
        .max
        .as_ref()
        .is_none_or(|m| max_admits(m, &lowest));
    let min_ok = requirement.min.as_ref().is_none_or(|m| {
        let min = fixed(m.as_str());
        let n = parts.len().min(min.len());
        parts[..n] >= min[..n]
    });
    !parts.is_empty() && max_ok && min_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requirement(min: &str, max: &str) -> Requirement {
        Requirement {
            min: Bound::parse(min),
            max: Bound::parse(max),
            except: vec![Version::new(1, 7, 23)],
        }
    }

    #[test]
    fn versions_are_admitted_when_any_release_they_name_is() {
        let range = requirement("1.21.6", "1.21.x");
        assert!(admitted("1.21", &range));
        assert!(!admitted("1.20", &range));
        assert!(!admitted("1.22", &range));
        assert!(!admitted("1.21.3", &range));
        assert!(!admitted("1.7.23", &requirement("1.7", "1.7.x")));
        assert!(admitted("2", &requirement("2", "2.x")));
        assert!(!admitted("3", &requirement("2", "2.x")));
    }

    #[test]
    fn bounds_agree_to_the_precision_of_both() {
        let min = Bound::parse("1.21.6").expect("bound");
        assert!(agrees("1.21", &min));
        assert!(agrees("v1.21.6", &min));
        assert!(!agrees("1.21.0", &min));
        assert!(!agrees("1.19", &min));
    }
}
