//! Claims between two mentions of a sentence: "X A runs on Y B" (and installs on, pairs
//! with, is compatible with), "upgrade from X A to B", and a prerequisites list item "A
//! Konvoy 1.8 cluster" that the page's own line needs.

use super::claim::Claim;
use super::mentions::{Parts, ProductRef};
use super::words::Words;
use crate::check::claims::patterns::{Names, Written};

/// "Upgrade from Konvoy 2.0 to 2.1", "Konvoy 2.2 supports upgrades from Konvoy 2.1".
pub fn upgrades<'t>(
    words: &Words,
    names: &Names,
    text: &'t str,
    products: &[ProductRef<'t>],
) -> Vec<Claim<'t>> {
    let mut claims = Vec::new();
    for (i, r) in products.iter().enumerate() {
        let before = text[..r.name.start].to_ascii_lowercase();
        if let Some(caps) = words.upgrade_to.captures(&text[r.end..])
            && before.contains("upgrad")
            && before.trim_end().ends_with("from")
        {
            let same = caps
                .name("name")
                .is_none_or(|n| names.product(n.as_str()) == Some(r.product));
            if let (true, Some(v)) = (same, caps.name("v")) {
                claims.push(Claim::Upgrade {
                    product: r.product,
                    from: r.versions.clone(),
                    to: Written::from_match(v).shifted(r.end),
                });
            }
        }
        let next = products.get(i + 1).filter(|n| n.product == r.product);
        if let (Some(next), [to]) = (next, &r.versions[..]) {
            let gap = &text[r.end..next.name.start];
            if words.upgrades_from.is_match(gap) {
                claims.push(Claim::Upgrade {
                    product: r.product,
                    from: next.versions.clone(),
                    to: *to,
                });
            }
        }
    }
    claims
}

/// "Kaptain 1.3 runs on Konvoy 1.7 or 1.8, and on DKP 2.1.1": the subject right before
/// the relation, its targets after it in the same clause.
pub fn runs_on<'t>(words: &Words, text: &'t str, products: &[ProductRef<'t>]) -> Option<Claim<'t>> {
    let (i, subject) = products
        .iter()
        .enumerate()
        .find(|(_, r)| r.versions.len() == 1 && words.runs_on.is_match(&text[r.end..]))?;
    let clause_end = text[subject.end..]
        .find(';')
        .map_or(text.len(), |e| subject.end + e);
    let targets: Vec<ProductRef> = products[i + 1..]
        .iter()
        .filter(|t| t.end <= clause_end && t.product != subject.product)
        .cloned()
        .collect();
    (!targets.is_empty()).then(|| Claim::RunsOn {
        subject: subject.clone(),
        targets,
    })
}

/// "A Konvoy 1.8 cluster" as an item of a prerequisites list: the one product named, as
/// the first words, followed by "cluster".
pub fn needs<'t>(parts: &Parts, names: &Names, words: &Words, text: &'t str) -> Option<Claim<'t>> {
    let products = parts.products(names, text);
    let [target] = &products[..] else { return None };
    let before = &text[..target.name.start];
    let after = text[target.end..].trim_start().to_ascii_lowercase();
    let ok = words.cluster.is_match(before)
        && after.starts_with("cluster")
        && target.versions.len() == 1;
    ok.then(|| Claim::Needs {
        target: target.clone(),
    })
}
