//! Version types the `semver` crate does not have: a release line (`2.1`), a bound as docs
//! write it (`1.21.x`, `1.21.3`, `2`), and a requirement with exclusions ("Traefik 1.7.x
//! except 1.7.23"). Comparisons go through `semver::Version` and `semver::VersionReq`.

use std::cmp::Ordering;
use std::fmt;

use semver::{Comparator, Op, Version, VersionReq};
use serde::Serialize;

/// A `MAJOR.MINOR` release line. Ordered numerically; windows never use arithmetic on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ReleaseLine {
    pub major: u64,
    pub minor: u64,
}

impl ReleaseLine {
    /// Parses `2.1` (a leading `v` is allowed).
    pub fn parse(text: &str) -> Option<ReleaseLine> {
        let (major, minor) = text.trim().trim_start_matches('v').split_once('.')?;
        Some(ReleaseLine {
            major: number(major)?,
            minor: number(minor)?,
        })
    }

    /// Whether `version` is a patch release of this line.
    pub fn contains(&self, version: &Version) -> bool {
        version.major == self.major && version.minor == self.minor
    }
}

impl fmt::Display for ReleaseLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Parses an exact release `1.21.3`; a leading `v` is allowed, pre-release tags are not.
pub fn parse_release(text: &str) -> Option<Version> {
    let version = Version::parse(text.trim().trim_start_matches('v')).ok()?;
    version.pre.is_empty().then_some(version)
}

/// Parses what a reader might type as a version to check: `1.7`, `v1.17.2`, `2`. Missing
/// parts are zero.
pub fn parse_loose(text: &str) -> Option<Version> {
    let parts = parts(text)?;
    let get = |i: usize| parts.get(i).copied().flatten().unwrap_or(0);
    if parts.iter().any(Option::is_none) {
        return None;
    }
    Some(Version::new(get(0), get(1), get(2)))
}

/// A version bound as written in docs: `1.21.x` (any patch of 1.21), `2` or `2.x` (any
/// 2.y.z), `1.21.3` (exactly that release).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    /// The fixed parts, 1 to 3 of them; fewer than 3 means the rest is a wildcard.
    fixed: Vec<u64>,
    text: String,
}

impl Bound {
    pub fn parse(text: &str) -> Option<Bound> {
        let parts = parts(text)?;
        let wildcard_at = parts.iter().position(Option::is_none);
        // `x` may only stand last: `1.x.3` is not a bound.
        if wildcard_at.is_some_and(|i| i + 1 != parts.len() || i == 0) {
            return None;
        }
        let fixed: Vec<u64> = parts.into_iter().flatten().collect();
        Some(Bound {
            fixed,
            text: text.trim().trim_start_matches('v').to_string(),
        })
    }

    /// The lowest release the bound admits: `1.21.x` -> 1.21.0.
    pub fn lowest(&self) -> Version {
        let get = |i: usize| self.fixed.get(i).copied().unwrap_or(0);
        Version::new(get(0), get(1), get(2))
    }

    /// The comparator for "at least this bound".
    fn at_least(&self) -> Comparator {
        comparator(Op::GreaterEq, &self.lowest())
    }

    /// The comparator for "at most this bound": `1.21.x` -> `<1.22.0`, `1.21.3` -> `<=1.21.3`.
    fn at_most(&self) -> Comparator {
        match self.fixed.as_slice() {
            [major] => comparator(Op::Less, &Version::new(major + 1, 0, 0)),
            [major, minor] => comparator(Op::Less, &Version::new(*major, minor + 1, 0)),
            _ => comparator(Op::LessEq, &self.lowest()),
        }
    }

    /// Whether the bound names exactly one release.
    pub fn is_exact(&self) -> bool {
        self.fixed.len() == 3
    }

    /// The line the bound sits in, when it names one (`1.21.x`, `1.21.3`).
    pub fn line(&self) -> Option<ReleaseLine> {
        match self.fixed.as_slice() {
            [major, minor, ..] => Some(ReleaseLine {
                major: *major,
                minor: *minor,
            }),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A range of versions with exclusions, e.g. Traefik `min: 1.7`, `max: 1.7.x`, `except:
/// [1.7.23]`. Either end may be open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub min: Option<Bound>,
    pub max: Option<Bound>,
    pub except: Vec<Version>,
}

impl Requirement {
    /// The `semver` requirement for the range, without the exclusions.
    pub fn range(&self) -> VersionReq {
        let min = self.min.iter().map(Bound::at_least);
        let max = self.max.iter().map(Bound::at_most);
        VersionReq {
            comparators: min.chain(max).collect(),
        }
    }

    /// Whether `version` is in range and not excluded.
    pub fn is_satisfied_by(&self, version: &Version) -> bool {
        self.range().matches(version) && !self.except.contains(version)
    }

    /// Whether the range is empty because `min` lies above `max`.
    pub fn is_empty_range(&self) -> bool {
        match (&self.min, &self.max) {
            (Some(min), Some(max)) => !max_admits(max, &min.lowest()),
            _ => false,
        }
    }
}

/// Whether `version` is at or below `max`.
pub fn max_admits(max: &Bound, version: &Version) -> bool {
    VersionReq {
        comparators: vec![max.at_most()],
    }
    .matches(version)
}

/// Whether `version` is at or above `min`.
pub fn min_admits(min: &Bound, version: &Version) -> bool {
    min.lowest().cmp_precedence(version) != Ordering::Greater
}

fn comparator(op: Op, version: &Version) -> Comparator {
    Comparator {
        op,
        major: version.major,
        minor: Some(version.minor),
        patch: Some(version.patch),
        pre: semver::Prerelease::EMPTY,
    }
}

/// Splits `1.21.x` into numbers, `None` standing for `x`. At most three parts.
fn parts(text: &str) -> Option<Vec<Option<u64>>> {
    let text = text.trim().trim_start_matches('v');
    let parts: Vec<&str> = text.split('.').collect();
    if text.is_empty() || parts.len() > 3 {
        return None;
    }
    parts
        .into_iter()
        .map(|p| match p {
            "x" | "X" | "*" => Some(None),
            _ => number(p).map(Some),
        })
        .collect()
}

fn number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // `01` is not a version part anyone means.
    if text.len() > 1 && text.starts_with('0') {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(text: &str) -> Version {
        Version::parse(text).expect("test version")
    }

    fn requirement(min: Option<&str>, max: Option<&str>, except: &[&str]) -> Requirement {
        Requirement {
            min: min.and_then(Bound::parse),
            max: max.and_then(Bound::parse),
            except: except.iter().map(|e| v(e)).collect(),
        }
    }

    #[test]
    fn release_lines_parse_and_order_numerically() {
        let line = ReleaseLine::parse("1.10").expect("line");
        assert!(ReleaseLine::parse("1.9").expect("line") < line);
        assert_eq!(line.to_string(), "1.10");
        assert_eq!(ReleaseLine::parse("1"), None);
        assert_eq!(ReleaseLine::parse("1.2.3"), None);
        assert_eq!(ReleaseLine::parse("1.02"), None);
    }

    #[test]
    fn bounds_read_wildcards_the_way_docs_write_them() {
        let max = Bound::parse("1.21.x").expect("bound");
        assert!(max_admits(&max, &v("1.21.99")));
        assert!(!max_admits(&max, &v("1.22.0")));
        let exact = Bound::parse("0.10.0").expect("bound");
        assert!(max_admits(&exact, &v("0.10.0")));
        assert!(!max_admits(&exact, &v("0.10.1")));
        assert_eq!(Bound::parse("1.x.3"), None);
        assert_eq!(Bound::parse("x"), None);
        assert_eq!(Bound::parse("1.2.3.4"), None);
    }

    #[test]
    fn conductor_prerequisites_hold_with_their_exceptions() {
        let kubernetes = requirement(Some("1.13"), Some("1.17.x"), &[]);
        assert!(kubernetes.is_satisfied_by(&v("1.13.0")));
        assert!(kubernetes.is_satisfied_by(&v("1.17.9")));
        assert!(!kubernetes.is_satisfied_by(&v("1.18.0")));
        let helm = requirement(Some("2"), Some("2.x"), &[]);
        assert!(helm.is_satisfied_by(&v("2.16.1")));
        assert!(!helm.is_satisfied_by(&v("3.0.0")));
        let traefik = requirement(Some("1.7"), Some("1.7.x"), &["1.7.23"]);
        assert!(traefik.is_satisfied_by(&v("1.7.22")));
        assert!(!traefik.is_satisfied_by(&v("1.7.23")));
        assert!(!traefik.is_satisfied_by(&v("2.0.0")));
        let cert_manager = requirement(None, Some("0.10.0"), &[]);
        assert!(cert_manager.is_satisfied_by(&v("0.9.1")));
        assert!(!cert_manager.is_satisfied_by(&v("0.11.0")));
    }

    #[test]
    fn an_inverted_range_is_empty() {
        assert!(requirement(Some("1.18"), Some("1.17.x"), &[]).is_empty_range());
        assert!(!requirement(Some("1.17.3"), Some("1.17.x"), &[]).is_empty_range());
    }

    proptest! {
        #[test]
        fn a_wildcard_bound_admits_exactly_its_line(
            major in 0u64..50, minor in 0u64..50, patch in 0u64..200, other in 0u64..50
        ) {
            let bound = Bound::parse(&format!("{major}.{minor}.x")).expect("bound");
            prop_assert!(max_admits(&bound, &Version::new(major, minor, patch)));
            prop_assert!(min_admits(&bound, &Version::new(major, minor, patch)));
            let outside = Version::new(major, minor + 1 + other, 0);
            prop_assert!(!max_admits(&bound, &outside));
        }

        #[test]
        fn lines_round_trip_through_text(major in 0u64..1000, minor in 0u64..1000) {
            let line = ReleaseLine { major, minor };
            prop_assert_eq!(ReleaseLine::parse(&line.to_string()), Some(line));
        }

        #[test]
        fn excluded_versions_never_satisfy(patch in 0u64..100) {
            let except = format!("1.7.{patch}");
            let req = requirement(Some("1.7"), Some("1.7.x"), &[&except]);
            prop_assert!(!req.is_satisfied_by(&v(&except)));
        }
    }
}
