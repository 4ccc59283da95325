//! The support policy as pure functions of the dataset. Windows are positions in a
//! product's list of lines, never arithmetic on version numbers: Konvoy goes from 1.8 to
//! 2.0, so "N-2 of 2.0" is 2.0, 1.8 and 1.7.

use jiff::civil::Date;
use semver::Version;

use super::{Dataset, Line, Pairing, Prerequisite, Product};

/// Where a line stands on a given date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Not generally available yet.
    Unreleased,
    Supported,
    /// Supported, but the oldest line of the window: support ends with the next line.
    ExpiresNext,
    /// Out of the window since line `by` shipped, on `on` when its GA date is known.
    Ended {
        on: Option<Date>,
        by: usize,
    },
    /// The product has no support policy.
    NoPolicy,
}

/// The lines supported while `line` is the newest, newest first: `line` and the
/// `window - 1` lines listed before it.
pub fn window(product: &Product, line: usize) -> Vec<usize> {
    let size = product.window.unwrap_or(1);
    let oldest = (line + 1).saturating_sub(size);
    (oldest..=line).rev().collect()
}

/// The lines of `line`'s window that stay supported when the next line ships.
pub fn continues_on_next(product: &Product, line: usize) -> Vec<usize> {
    let mut lines = window(product, line);
    if expires_on_next(product, line).is_some() {
        lines.pop();
    }
    lines
}

/// The line whose support ends when the line after `line` ships.
pub fn expires_on_next(product: &Product, line: usize) -> Option<usize> {
    let size = product.window?;
    (line + 1).checked_sub(size)
}

/// The line whose support ended when `line` became generally available.
pub fn expired_at_ga(product: &Product, line: usize) -> Option<usize> {
    let size = product.window?;
    line.checked_sub(size)
}

/// The date `line` became available. A line without a date is taken to have shipped
/// with the dated line before it (old lines are often listed by name only).
pub fn effective_ga(product: &Product, line: usize) -> Option<Date> {
    product.lines[..=line].iter().rev().find_map(|l| l.ga)
}

/// The date support for `line` ends (or ended): the GA of the line that pushes it out of
/// the window, when the dataset has that line and dates it. A planned line with a GA date
/// gives a projected end; `None` while no such line is known.
pub fn support_end(product: &Product, line: usize) -> Option<Date> {
    let by = line + product.window?;
    let pusher = product.lines.get(by)?;
    if !pusher.released && pusher.ga.is_none() {
        return None;
    }
    effective_ga(product, by)
}

/// Whether `line` was generally available on `as_of`.
pub fn is_released(product: &Product, line: usize, as_of: Date) -> bool {
    product.lines[line].released && effective_ga(product, line).is_none_or(|ga| ga <= as_of)
}

/// The newest line available on `as_of`.
pub fn latest_line(product: &Product, as_of: Date) -> Option<usize> {
    (0..product.lines.len())
        .rev()
        .find(|&line| is_released(product, line, as_of))
}

/// The newest release of the newest line available on `as_of`.
pub fn latest_release(product: &Product, as_of: Date) -> Option<&Version> {
    let line = &product.lines[latest_line(product, as_of)?];
    let released = line.releases.iter().rev();
    released
        .filter(|r| r.date.is_none_or(|d| d <= as_of))
        .map(|r| &r.version)
        .next()
}

/// The support status of `line` on `as_of`.
pub fn status(product: &Product, line: usize, as_of: Date) -> Status {
    let Some(size) = product.window else {
        return Status::NoPolicy;
    };
    let Some(latest) = latest_line(product, as_of).filter(|&l| l >= line) else {
        return Status::Unreleased;
    };
    if !is_released(product, line, as_of) {
        return Status::Unreleased;
    }
    let oldest_supported = (latest + 1).saturating_sub(size);
    if line > oldest_supported || (line == oldest_supported && latest + 1 < size) {
        Status::Supported
    } else if line == oldest_supported {
        Status::ExpiresNext
    } else {
        let by = line + size;
        Status::Ended {
            on: effective_ga(product, by),
            by,
        }
    }
}

/// One row of a compatibility table: a line of `pairing.deploys` and the line of
/// `pairing.on` it runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub deploys: usize,
    pub on: usize,
}

/// The pairs whose line of `product` lies in the window of `line`, newest first.
pub fn compatibility(
    dataset: &Dataset,
    pairing: &Pairing,
    product: usize,
    line: usize,
) -> Vec<Pair> {
    let side = |pair: &(usize, usize)| {
        if product == pairing.deploys {
            pair.0
        } else {
            pair.1
        }
    };
    if product != pairing.deploys && product != pairing.on {
        return Vec::new();
    }
    window(&dataset.products[product], line)
        .into_iter()
        .filter_map(|l| pairing.pairs.iter().find(|pair| side(pair) == l))
        .map(|&(deploys, on)| Pair { deploys, on })
        .collect()
}

/// The combinations a reader might try and must not: for each pair of the window, the
/// line of `deploys` released before the paired one, on the paired line of `on`.
pub fn unsupported_combinations(pairs: &[Pair]) -> Vec<Pair> {
    pairs
        .iter()
        .filter_map(|pair| {
            Some(Pair {
                deploys: pair.deploys.checked_sub(1)?,
                on: pair.on,
            })
        })
        .collect()
}

/// The pairings `product` takes part in.
pub fn pairings_of(dataset: &Dataset, product: usize) -> impl Iterator<Item = &Pairing> {
    dataset
        .pairings
        .iter()
        .filter(move |p| p.deploys == product || p.on == product)
}

/// Whether `version` (as a reader writes it: `1.7.22`, `v1.17`) meets `prerequisite`.
pub fn satisfies(prerequisite: &Prerequisite, version: &str) -> Option<bool> {
    let version = super::version::parse_loose(version)?;
    Some(prerequisite.requirement.is_satisfied_by(&version))
}

/// The prerequisites of a line: its own, then the product's.
pub fn prerequisites<'a>(product: &'a Product, line: Option<&'a Line>) -> Vec<&'a Prerequisite> {
    let own = line.into_iter().flat_map(|l| l.prerequisites.iter());
    own.chain(product.prerequisites.iter()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::version::ReleaseLine;
    use proptest::prelude::*;

    fn product(lines: &[(&str, Option<&str>)], window: usize) -> Product {
        Product {
            id: "p".into(),
            name: "P".into(),
            trademark: "P".into(),
            aliases: Vec::new(),
            docs: None,
            window: Some(window),
            lines: lines
                .iter()
                .map(|(line, ga)| Line {
                    version: ReleaseLine::parse(line).expect("line"),
                    docs: None,
                    released: true,
                    ga: ga.map(|d| d.parse().expect("date")),
                    kubernetes: None,
                    releases: Vec::new(),
                    prerequisites: Vec::new(),
                    upgrades_from: Vec::new(),
                })
                .collect(),
            prerequisites: Vec::new(),
        }
    }

    fn names(product: &Product, lines: &[usize]) -> Vec<String> {
        lines
            .iter()
            .map(|&l| product.lines[l].version.to_string())
            .collect()
    }

    fn konvoy() -> Product {
        product(
            &[
                ("1.6", Some("2020-11-16")),
                ("1.7", Some("2021-02-10")),
                ("1.8", Some("2021-05-05")),
                ("2.0", Some("2021-08-26")),
                ("2.1", Some("2021-11-18")),
            ],
            3,
        )
    }

    fn date(text: &str) -> Date {
        text.parse().expect("date")
    }

    #[test]
    fn the_window_crosses_a_major_version_by_position() {
        let konvoy = konvoy();
        assert_eq!(names(&konvoy, &window(&konvoy, 3)), ["2.0", "1.8", "1.7"]);
        assert_eq!(
            names(&konvoy, &continues_on_next(&konvoy, 3)),
            ["2.0", "1.8"]
        );
        assert_eq!(expires_on_next(&konvoy, 3), Some(1));
        assert_eq!(expired_at_ga(&konvoy, 3), Some(0));
        assert_eq!(expired_at_ga(&konvoy, 2), None);
    }

    #[test]
    fn status_follows_the_date() {
        let konvoy = konvoy();
        assert_eq!(status(&konvoy, 4, date("2021-11-01")), Status::Unreleased);
        assert_eq!(status(&konvoy, 1, date("2021-09-01")), Status::ExpiresNext);
        assert_eq!(status(&konvoy, 2, date("2021-09-01")), Status::Supported);
        assert_eq!(
            status(&konvoy, 0, date("2021-09-01")),
            Status::Ended {
                on: Some(date("2021-08-26")),
                by: 3
            }
        );
        assert_eq!(latest_line(&konvoy, date("2021-11-18")), Some(4));
    }

    #[test]
    fn support_ends_when_the_line_that_pushes_it_out_ships() {
        let mut konvoy = konvoy();
        assert_eq!(support_end(&konvoy, 0), Some(date("2021-08-26")));
        assert_eq!(support_end(&konvoy, 2), None);
        konvoy.lines.push(konvoy.lines[4].clone());
        konvoy.lines[5].version = ReleaseLine::parse("2.2").expect("line");
        konvoy.lines[5].released = false;
        konvoy.lines[5].ga = None;
        assert_eq!(
            support_end(&konvoy, 2),
            None,
            "an undated plan ends nothing"
        );
        konvoy.lines[5].ga = Some(date("2030-01-01"));
        assert_eq!(support_end(&konvoy, 2), Some(date("2030-01-01")));
    }

    #[test]
    fn an_undated_line_ships_with_the_dated_line_before_it() {
        let p = product(
            &[("1.0", None), ("1.1", Some("2021-01-01")), ("1.2", None)],
            2,
        );
        assert_eq!(latest_line(&p, date("2020-06-01")), Some(0));
        assert_eq!(latest_line(&p, date("2021-06-01")), Some(2));
        assert_eq!(
            status(&p, 0, date("2021-06-01")),
            Status::Ended {
                on: Some(date("2021-01-01")),
                by: 2
            }
        );
    }

    #[test]
    fn unreleased_lines_are_never_the_latest() {
        let mut p = konvoy();
        p.lines[4].released = false;
        assert_eq!(latest_line(&p, date("2030-01-01")), Some(3));
        assert_eq!(status(&p, 4, date("2030-01-01")), Status::Unreleased);
    }

    #[test]
    fn a_young_product_keeps_every_line() {
        let p = product(
            &[("1.0", Some("2020-01-01")), ("1.1", Some("2020-06-01"))],
            3,
        );
        assert_eq!(status(&p, 0, date("2021-01-01")), Status::Supported);
        assert_eq!(expires_on_next(&p, 1), None);
        assert_eq!(names(&p, &continues_on_next(&p, 1)), ["1.1", "1.0"]);
    }

    #[test]
    fn unsupported_combinations_pair_each_line_with_the_previous_one() {
        let pairs = [Pair { deploys: 4, on: 2 }, Pair { deploys: 0, on: 1 }];
        assert_eq!(
            unsupported_combinations(&pairs),
            [Pair { deploys: 3, on: 2 }]
        );
    }

    proptest! {
        #[test]
        fn every_line_is_supported_for_exactly_window_releases(count in 1usize..12, size in 1usize..5) {
            let lines: Vec<(String, Option<String>)> = (0..count)
                .map(|i| (format!("1.{i}"), Some(format!("20{:02}-01-01", 10 + i))))
                .collect();
            let borrowed: Vec<(&str, Option<&str>)> =
                lines.iter().map(|(l, d)| (l.as_str(), d.as_deref())).collect();
            let p = product(&borrowed, size);
            for line in 0..count {
                let windows_holding = (0..count).filter(|&n| window(&p, n).contains(&line)).count();
                prop_assert_eq!(windows_holding, size.min(count - line));
                prop_assert_eq!(window(&p, line).first().copied(), Some(line));
                prop_assert!(window(&p, line).len() <= size);
            }
        }
    }
}
