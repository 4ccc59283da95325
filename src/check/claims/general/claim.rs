//! Claims read from one sentence: the parts of [`super::mentions`] combined by the words
//! between them into (subject, relation, object). A sentence that is negated, conditional
//! or otherwise not read with confidence gives no claim: precision comes first.

use super::mentions::{ComponentRef, DateRef, Parts, ProductRef};
use super::words::Words;
use crate::check::claims::patterns::{Names, Written};

/// What a claim is about: a product, and the version written for it (none when the
/// sentence means the page's own line: "This release of Kaptain requires ...").
#[derive(Debug, Clone)]
pub struct Subject<'t> {
    pub product: usize,
    pub version: Option<Written<'t>>,
}

/// One claim of a sentence.
#[derive(Debug, Clone)]
pub enum Claim<'t> {
    /// `subject` installs Kubernetes `version` by default.
    Default {
        subject: ProductRef<'t>,
        version: Written<'t>,
    },
    /// `subject` supports or requires `component` in the range written.
    Range {
        subject: Subject<'t>,
        component: ComponentRef<'t>,
    },
    Released {
        subject: ProductRef<'t>,
        date: DateRef,
    },
    /// `version` of `product` is the latest (line when `line` is said or implied).
    Latest {
        product: usize,
        version: Written<'t>,
        line: bool,
    },
    /// `version` of `product` is the current line; `hypothetical` for "with X as the
    /// current line", which a policy sentence of the page's own line says.
    Current {
        product: usize,
        version: Written<'t>,
        hypothetical: bool,
    },
    /// The lines of `list` are the supported ones (the whole set).
    Window {
        list: ProductRef<'t>,
    },
    Ended {
        subject: ProductRef<'t>,
    },
    /// "Konvoy 1.8 is still supported": in the window on the build date.
    Supported {
        subject: ProductRef<'t>,
    },
    /// `subject` is supported until `next` ships.
    Until {
        subject: ProductRef<'t>,
        next: ProductRef<'t>,
    },
    /// `product` upgrades directly from each of `from` to `to`.
    Upgrade {
        product: usize,
        from: Vec<Written<'t>>,
        to: Written<'t>,
    },
    /// The page's own line needs a cluster of `target`: a prerequisite list item.
    Needs {
        target: ProductRef<'t>,
    },
    /// `subject` runs on (installs on, pairs with) each of `targets`.
    RunsOn {
        subject: ProductRef<'t>,
        targets: Vec<ProductRef<'t>>,
    },
}

/// The claims of one sentence (no markdown markers left); `heading` for a heading.
pub fn read<'t>(
    parts: &Parts,
    names: &Names,
    words: &Words,
    text: &'t str,
    heading: bool,
) -> Vec<Claim<'t>> {
    let mut claims = examples(words, names, text);
    if words.doubt.is_match(text) {
        return claims;
    }
    let products = parts.products(names, text);
    let components = parts.components(text);
    let single: Vec<&ProductRef> = products.iter().filter(|r| r.versions.len() == 1).collect();
    claims.extend(released(words, text, &single, parts.dates(text), heading));
    claims.extend(defaults(words, text, &products, &components));
    claims.extend(named(words, names, text));
    claims.extend(ranges(words, names, text, &products, components.clone()));
    for (i, r) in products.iter().enumerate() {
        claims.extend(about_one(words, r, &text[r.end..], products.get(i + 1)));
    }
    claims.extend(window(words, text, &products, &components, &claims));
    claims.extend(super::between::runs_on(words, text, &products));
    claims.extend(super::between::upgrades(words, names, text, &products));
    claims
}

/// "For example, if the current version of Konvoy is 2.0, ...": a policy example, read
/// even in a conditional sentence, for the line it makes current.
pub fn examples<'t>(words: &Words, names: &Names, text: &'t str) -> Vec<Claim<'t>> {
    let read = |caps: regex::Captures<'t>| {
        Some(Claim::Current {
            product: names.product(caps.name("name")?.as_str())?,
            version: Written::from_match(caps.name("v")?),
            hypothetical: true,
        })
    };
    words.example.captures_iter(text).filter_map(read).collect()
}

/// "The latest Konvoy release is 2.1.1", "The current Kommander line is 2.1".
fn named<'t>(words: &Words, names: &Names, text: &'t str) -> Vec<Claim<'t>> {
    let read = |caps: regex::Captures<'t>| {
        let product = names.product(caps.name("name")?.as_str())?;
        let version = Written::from_match(caps.name("v")?);
        let what = caps.name("what")?.as_str().to_ascii_lowercase();
        let current = caps.name("which")?.as_str().eq_ignore_ascii_case("current");
        Some(if current {
            Claim::Current {
                product,
                version,
                hypothetical: false,
            }
        } else {
            latest(product, version, &what)
        })
    };
    words.named.captures_iter(text).filter_map(read).collect()
}

/// "Konvoy 2.1.0 was released on November 18, 2021", "## Konvoy 2.2.3 (October 25, 2022)".
fn released<'t>(
    words: &Words,
    text: &str,
    single: &[&ProductRef<'t>],
    dates: Vec<super::mentions::DateRef>,
    heading: bool,
) -> Option<Claim<'t>> {
    let [date] = dates[..] else { return None };
    let subject = single.iter().rev().find(|r| r.end <= date.start)?;
    let between = &text[subject.end..date.start];
    let in_parens = heading && between.trim() == "(";
    (words.released.is_match(text) || in_parens).then(|| Claim::Released {
        subject: (*subject).clone(),
        date,
    })
}

/// "By default, Konvoy 2.2.0 installs Kubernetes 1.22.0": one product, one version.
fn defaults<'t>(
    words: &Words,
    text: &'t str,
    products: &[ProductRef<'t>],
    components: &[ComponentRef<'t>],
) -> Option<Claim<'t>> {
    let lower = text.to_ascii_lowercase();
    if let ([subject], [], true) = (products, components, lower.contains("default kubernetes")) {
        // "The default Kubernetes version for Konvoy 2.1 is 1.21.3".
        let caps = words.default_is.captures(&text[subject.end..])?;
        let v = caps.name("v")?;
        return (subject.versions.len() == 1).then(|| Claim::Default {
            subject: subject.clone(),
            version: Written::from_match(v).shifted(subject.end),
        });
    }
    let installs = [
        "installs",
        "ships with",
        "includes",
        "comes with",
        "bundles",
    ];
    let says_default = lower.contains("default")
        || (installs.iter().any(|w| lower.contains(w))
            && !["support", "compatib"].iter().any(|w| lower.contains(w)));
    let [subject] = products else { return None };
    let [kubernetes] = components else {
        return None;
    };
    let super::mentions::Said::Each(versions, except) = &kubernetes.said else {
        return None;
    };
    let ([version], []) = (&versions[..], &except[..]) else {
        return None;
    };
    let ok = says_default && kubernetes.name == "kubernetes" && subject.versions.len() == 1;
    ok.then(|| Claim::Default {
        subject: subject.clone(),
        version: *version,
    })
}

/// "Kommander 2.1 requires Kubernetes 1.19 or later", "Conductor works with Helm 2",
/// "This release of Kaptain requires Kubernetes 1.19 or later".
fn ranges<'t>(
    words: &Words,
    names: &Names,
    text: &str,
    products: &[ProductRef<'t>],
    components: Vec<ComponentRef<'t>>,
) -> Vec<Claim<'t>> {
    if !words.range_verb.is_match(text) || text.to_ascii_lowercase().contains("default") {
        return Vec::new();
    }
    let subject = match products {
        [one] if one.versions.len() == 1 && !one.or_later => Some(Subject {
            product: one.product,
            version: Some(one.versions[0]),
        }),
        [] => bare_subject(names, text),
        _ => None,
    };
    let Some(subject) = subject else {
        return Vec::new();
    };
    components
        .into_iter()
        .filter(|c| {
            // "Kubernetes 1.22 is supported by Konvoy 2.0" names the component first.
            let passive = |p: &ProductRef| {
                c.end <= p.name.start && words.passive.is_match(&text[c.end..p.name.start])
            };
            products.iter().all(|p| p.end <= c.start || passive(p))
        })
        .map(|component| Claim::Range {
            subject: subject.clone(),
            component,
        })
        .collect()
}

/// The one product a sentence names without a version ("Conductor requires ...", "This
/// release of Kaptain ..."): it means the page's line when it is the page's product.
fn bare_subject<'t>(names: &Names, text: &str) -> Option<Subject<'t>> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '.')
        .filter(|w| !w.is_empty())
        .collect();
    // A name followed by a version-like word (`Konvoy 2.x`) is not the page's line.
    let versioned = words.windows(2).any(|w| {
        names.product(w[0]).is_some()
            && w[1]
                .trim_start_matches('v')
                .starts_with(|c: char| c.is_ascii_digit())
    });
    let found: Vec<usize> = words
        .iter()
        .filter_map(|w| names.product(w.trim_end_matches('.')))
        .collect();
    if versioned {
        return None;
    }
    let first = *found.first()?;
    found.iter().all(|&p| p == first).then_some(Subject {
        product: first,
        version: None,
    })
}

/// The claims one product mention starts or ends: latest, current, no longer supported,
/// supported until, runs on.
fn about_one<'t>(
    words: &Words,
    r: &ProductRef<'t>,
    after: &'t str,
    next: Option<&ProductRef<'t>>,
) -> Vec<Claim<'t>> {
    let mut claims = Vec::new();
    if r.versions.len() != 1 {
        return claims;
    }
    if let Some(caps) = words.latest_after.captures(after)
        && caps.name("rest").is_none()
    {
        let what = caps.name("what").map_or("", |m| m.as_str());
        claims.push(latest(r.product, r.versions[0], what));
    }
    if let Some(caps) = words.current_after.captures(after) {
        claims.push(Claim::Current {
            product: r.product,
            version: r.versions[0],
            hypothetical: caps.name("as").is_some(),
        });
    }
    if words.ended_after.is_match(after) {
        claims.push(Claim::Ended { subject: r.clone() });
    }
    if words.supported_after.is_match(after) {
        claims.push(Claim::Supported { subject: r.clone() });
    }
    claims.extend(until(words, r, after, next));
    claims
}

fn latest<'t>(product: usize, version: Written<'t>, what: &str) -> Claim<'t> {
    let what = what.to_ascii_lowercase();
    let two_parts = version.text.matches('.').count() == 1;
    Claim::Latest {
        product,
        version,
        line: what.ends_with("line") || (two_parts && !what.ends_with("version")),
    }
}

/// "Kommander 2.0 is supported until Kommander 2.3 is released".
fn until<'t>(
    words: &Words,
    r: &ProductRef<'t>,
    after: &'t str,
    next: Option<&ProductRef<'t>>,
) -> Option<Claim<'t>> {
    let next = next.filter(|n| n.versions.len() == 1 && n.product == r.product)?;
    let gap_end = next.name.start.checked_sub(r.end)?;
    let gap = after.get(..gap_end)?;
    let ships_at = next.end.checked_sub(r.end)?;
    let following = after.get(ships_at..)?;
    let tail = gap.to_ascii_lowercase();
    let ok = words.until_after.is_match(gap)
        && (words.ships.is_match(following) || tail.ends_with("release of "));
    ok.then(|| Claim::Until {
        subject: r.clone(),
        next: next.clone(),
    })
}

/// "D2iQ supports Konvoy 2.1, 2.0 and 1.8": a list of lines presented as the whole set.
fn window<'t>(
    words: &Words,
    text: &str,
    products: &[ProductRef<'t>],
    components: &[ComponentRef<'t>],
    claims: &[Claim<'t>],
) -> Option<Claim<'t>> {
    let lower = text.to_ascii_lowercase();
    if !lower.contains("support") || words.window_blockers.is_match(text) {
        return None;
    }
    // "Konvoy 2.1 and 2.2 both support Kubernetes 1.21" lists lines, but not as a window.
    let taken = !components.is_empty()
        || claims
            .iter()
            .any(|c| matches!(c, Claim::Range { .. } | Claim::Default { .. }));
    let mut lists = products.iter().filter(|r| r.versions.len() >= 2);
    let list = lists.next()?;
    let lines_only = list
        .versions
        .iter()
        .all(|v| v.text.matches('.').count() == 1);
    (lists.next().is_none() && !taken && lines_only && !list.or_later)
        .then(|| Claim::Window { list: list.clone() })
}

#[cfg(test)]
mod tests {
    use crate::check::claims::testing::audit;

    const PAGE: &str = "dkp/konvoy/2.0/p.md";

    #[test]
    fn a_claim_is_read_in_any_order_of_its_parts() {
        for text in [
            "Konvoy 2.0 supports Kubernetes 1.22.\n",
            "Kubernetes 1.22 is supported by Konvoy 2.0.\n",
            "- Konvoy 2.0 is compatible with Kubernetes 1.22\n",
            "## Konvoy 2.0 supports Kubernetes 1.22\n",
        ] {
            let found = audit(PAGE, text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert!(found[0].contains("Kubernetes range"), "{found:?}");
        }
    }

    #[test]
    fn negated_conditional_and_example_sentences_are_left_alone() {
        for text in [
            "Konvoy 2.0 does not support Kubernetes 1.22.\n",
            "If you need Kubernetes 1.22, Konvoy 2.0 supports it after an upgrade.\n",
            "For example, Konvoy 2.0 supports Kubernetes 1.22 in a lab.\n",
            "Does Konvoy 2.0 support Kubernetes 1.22?\n",
        ] {
            assert_eq!(audit(PAGE, text), Vec::<String>::new(), "{text}");
        }
    }
}
