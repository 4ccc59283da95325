//! The parts a version statement is made of, found in one sentence in any order: products
//! with the versions written after them (`Konvoy 2.1, 2.0 and 1.7`, `DKP 2.1.2 or later`),
//! components (Kubernetes and every prerequisite the dataset names) with the range written
//! after them (`1.18 through 1.20`, `up to 1.22`, `1.19 or later`, `between 1.19.0 and
//! 1.21.x`, `1.7.x, except 1.7.23`), and dates (`December 30, 2021`, `30 December 2021`,
//! `2021-12-30`, and the `October, 19 2022` or `28, July 2021` some pages type). Each part keeps its byte range in the sentence.

use jiff::civil::Date;
use regex::{Captures, Regex};

use crate::check::claims::patterns::{MARK, Names, Written, found_in, version_list};
use crate::dataset::Dataset;

/// A product named with versions: `Konvoy 2.1, 2.0 and 1.7`.
#[derive(Debug, Clone)]
pub struct ProductRef<'t> {
    pub product: usize,
    pub name: Written<'t>,
    pub versions: Vec<Written<'t>>,
    /// "or later" after the last version.
    pub or_later: bool,
    pub end: usize,
}

/// What a sentence says of a component's versions.
#[derive(Debug, Clone)]
pub enum Said<'t> {
    Between(Written<'t>, Written<'t>),
    AtLeast(Written<'t>),
    AtMost(Written<'t>),
    /// These versions (each must be admitted), with the exceptions written after them.
    Each(Vec<Written<'t>>, Vec<Written<'t>>),
}

/// A component named with versions: `Kubernetes 1.18 through 1.20`.
#[derive(Debug, Clone)]
pub struct ComponentRef<'t> {
    /// Lower-case name: `kubernetes`, `helm`.
    pub name: String,
    pub said: Said<'t>,
    pub start: usize,
    pub end: usize,
}

/// A date as written, with its byte range.
#[derive(Debug, Clone, Copy)]
pub struct DateRef {
    pub date: Date,
    pub start: usize,
    pub end: usize,
}

/// The recognisers of the parts, compiled once per run.
#[derive(Debug)]
pub struct Parts {
    product: Regex,
    component: Regex,
    date: Regex,
    names: Vec<String>,
}

/// A version a component may be written with: `3`, `2.x`, `1.21.3`.
const LOOSE: &str = r"v?\d+(?:\.(?:\d+|[xX])){0,2}";

impl Parts {
    pub fn new(dataset: &Dataset, names: &Names) -> Parts {
        let list = version_list();
        let product = format!(
            r"(?i)(?-u:\b)(?P<name>{})\s*{MARK}(?:\s*\([^()]{{1,40}}\))?(?:\s+(?:version|release|line))?,?\s+(?P<list>{list})(?P<later>\s+or\s+(?:later|newer|higher))?(?-u:\b)",
            names.alternation.replace(r"\b", "")
        );
        let components = component_names(dataset);
        let escaped: Vec<String> = components.iter().map(|n| regex::escape(n)).collect();
        let v = LOOSE;
        let range = format!(
            r"between\s+(?P<b1>{v})\s+and\s+(?P<b2>{v})|from\s+(?P<f1>{v})\s+(?:to|through)\s+(?P<f2>{v})|(?:up\s+to|at\s+most)\s+(?P<um>{v})|at\s+least\s+(?P<al>{v})|(?P<l1>{v})\s*(?:-|–|to|through|up\s+to)\s*(?P<l2>{v})|(?P<ol>{v})\s+(?:or|and)\s+(?:later|newer|higher|above)(?:,?\s+up\s+to\s+(?P<oh>{v}))?|(?P<oe>{v})\s+(?:or|and)\s+(?:earlier|older|below)|(?P<list>{v}(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+){v})*)(?:,?\s+(?:except|but\s+not)\s+(?P<ex>{v}(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+){v})*))?"
        );
        let component = format!(
            r"(?i)(?-u:\b)(?P<name>{})(?:\s+(?:versions?|releases?))?,?\s+(?:(?:version|v)\s*)?(?:{range})(?-u:\b)",
            escaped.join("|")
        );
        let months = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
        let date = format!(
            r"(?i)(?-u:\b)(?:(?P<m1>{months})\.?,?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<m2>{months})\.?,?\s+(?P<y2>\d{{4}})|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}}))(?-u:\b)"
        );
        Parts {
            product: compiled(&product),
            component: compiled(&component),
            date: compiled(&date),
            names: components,
        }
    }

    /// The products named with versions in `text`, in order.
    pub fn products<'t>(&self, names: &Names, text: &'t str) -> Vec<ProductRef<'t>> {
        self.product
            .captures_iter(text)
            .filter_map(|caps| {
                let name = Written::from_match(caps.name("name")?);
                let list = Written::from_match(caps.name("list")?);
                Some(ProductRef {
                    product: names.product(name.text.trim_end())?,
                    name,
                    versions: crate::check::claims::patterns::versions_in(list),
                    or_later: caps.name("later").is_some(),
                    end: caps.get(0)?.end(),
                })
            })
            .collect()
    }

    /// The components named with versions in `text`, in order.
    pub fn components<'t>(&self, text: &'t str) -> Vec<ComponentRef<'t>> {
        self.component
            .captures_iter(text)
            .filter_map(|caps| {
                let all = caps.get(0)?;
                Some(ComponentRef {
                    name: caps.name("name")?.as_str().to_lowercase(),
                    said: said(&caps)?,
                    start: all.start(),
                    end: all.end(),
                })
            })
            .collect()
    }

    /// The dates written in `text`, in order.
    pub fn dates(&self, text: &str) -> Vec<DateRef> {
        // Every form has a four-digit year: most sentences skip the pattern.
        let year = text
            .as_bytes()
            .windows(4)
            .any(|w| w.iter().all(u8::is_ascii_digit));
        if !year {
            return Vec::new();
        }
        self.date
            .captures_iter(text)
            .filter_map(|caps| {
                let all = caps.get(0)?;
                Some(DateRef {
                    date: date(&caps)?,
                    start: all.start(),
                    end: all.end(),
                })
            })
            .collect()
    }

    /// Whether `name` (any case) is a component the dataset knows.
    pub fn is_component(&self, name: &str) -> bool {
        self.names.iter().any(|n| n.eq_ignore_ascii_case(name))
    }
}

/// Every pattern here is fixed text around escaped names, so a failure is a bug in the
/// pattern itself, caught by every test that builds an auditor.
fn compiled(pattern: &str) -> Regex {
    Regex::new(pattern).expect("claim part pattern compiles")
}

/// Kubernetes and the name of every prerequisite in the dataset, longest first.
fn component_names(dataset: &Dataset) -> Vec<String> {
    let mut names = vec!["Kubernetes".to_string()];
    let prerequisites = dataset.products.iter().flat_map(|p| {
        let own = p.lines.iter().flat_map(|l| l.prerequisites.iter());
        p.prerequisites.iter().chain(own)
    });
    names.extend(prerequisites.map(|r| r.name.clone()));
    names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    names
}

fn said<'t>(caps: &Captures<'t>) -> Option<Said<'t>> {
    let get = |name: &str| caps.name(name).map(Written::from_match);
    let pair = |a: &str, b: &str| Some(Said::Between(get(a)?, get(b)?));
    pair("b1", "b2")
        .or_else(|| pair("f1", "f2"))
        .or_else(|| pair("l1", "l2"))
        .or_else(|| pair("ol", "oh"))
        .or_else(|| get("ol").map(Said::AtLeast))
        .or_else(|| get("al").map(Said::AtLeast))
        .or_else(|| get("um").map(Said::AtMost))
        .or_else(|| get("oe").map(Said::AtMost))
        .or_else(|| {
            let versions = |w: Option<Written<'t>>| w.map(loose_versions).unwrap_or_default();
            Some(Said::Each(versions(get("list")), versions(get("ex"))))
        })
}

/// Every loose version in a written list, with offsets in the sentence.
fn loose_versions(list: Written<'_>) -> Vec<Written<'_>> {
    static LOOSE_RE: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(LOOSE).expect("loose version compiles"));
    found_in(&LOOSE_RE, list)
}

fn date(caps: &Captures) -> Option<Date> {
    let num = |name: &str| caps.name(name)?.as_str().parse::<i16>().ok();
    let (year, month, day) = if let Some(y) = num("y1") {
        (y, month(caps.name("m1")?.as_str())?, num("d1")?)
    } else if let Some(y) = num("y2") {
        (y, month(caps.name("m2")?.as_str())?, num("d2")?)
    } else {
        (num("y3")?, num("m3")?, num("d3")?)
    };
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

fn month(name: &str) -> Option<i16> {
    let prefix: String = name.chars().take(3).collect::<String>().to_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|m| *m == prefix)
        .and_then(|i| i16::try_from(i + 1).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::claims::testing::dataset;

    fn parts() -> (Parts, Names) {
        let dataset = dataset();
        let names = Names::new(&dataset);
        (Parts::new(&dataset, &names), names)
    }

    #[test]
    fn products_carry_their_version_lists() {
        let (parts, names) = parts();
        let found = parts.products(
            &names,
            "D2iQ supports Konvoy 2.1, 2.0 and 1.7; DKP 2.1.2 or later.",
        );
        let shown: Vec<(usize, Vec<&str>, bool)> = found
            .iter()
            .map(|r| {
                (
                    r.product,
                    r.versions.iter().map(|w| w.text).collect(),
                    r.or_later,
                )
            })
            .collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert_eq!(shown[0].1, ["2.1", "2.0", "1.7"]);
        assert!(shown[1].2);
    }

    #[test]
    fn component_ranges_in_usual_forms() {
        let (parts, _) = parts();
        let read = |text: &str| match &parts.components(text)[0].said {
            Said::Between(a, b) => format!("{}..{}", a.text, b.text),
            Said::AtLeast(a) => format!("{}..", a.text),
            Said::AtMost(b) => format!("..{}", b.text),
            Said::Each(v, e) => format!(
                "{:?} except {:?}",
                v.iter().map(|w| w.text).collect::<Vec<_>>(),
                e.iter().map(|w| w.text).collect::<Vec<_>>()
            ),
        };
        assert_eq!(read("supports Kubernetes 1.18 through 1.20"), "1.18..1.20");
        assert_eq!(read("Kubernetes up to 1.22"), "..1.22");
        assert_eq!(read("Kubernetes 1.19 or later"), "1.19..");
        assert_eq!(
            read("Kubernetes between 1.19.0 and 1.21.x"),
            "1.19.0..1.21.x"
        );
        assert_eq!(
            read("Kubernetes 1.13 or later, up to 1.17.x"),
            "1.13..1.17.x"
        );
        assert_eq!(
            read("Kubernetes 1.21 and 1.22"),
            r#"["1.21", "1.22"] except []"#
        );
    }

    #[test]
    fn dates_in_three_forms() {
        let (parts, _) = parts();
        let found = parts.dates(
            "on December 30, 2021, 8 April 2022, 2021-11-18, October, 19 2022 or 28, July 2021",
        );
        let shown: Vec<String> = found.iter().map(|d| d.date.to_string()).collect();
        assert_eq!(
            shown,
            [
                "2021-12-30",
                "2022-04-08",
                "2021-11-18",
                "2022-10-19",
                "2021-07-28"
            ]
        );
    }
}
