//! The pieces every claim recogniser is built from, compiled once per run: product names
//! from the dataset (any case, with an optional `®`/`&reg;`), a version as docs write it
//! (`2.0`, `v1.21.3`, `1.8.x`) and a list of versions (`2.0, 1.8, and 1.7`).

use std::sync::LazyLock;

use regex::{Captures, Match, Regex};

use crate::dataset::Dataset;
use crate::dataset::version::ReleaseLine;

/// A version as docs write it.
pub const VERSION: &str = r"v?\d+\.\d+(?:\.(?:\d+|[xX]))?";

/// A trademark sign that may follow a product name.
pub const MARK: &str = r"(?:®|&reg;)?";

/// `2.0, 1.8, and 1.7`, `1.7 and 1.8`, `1.3, 1.2`.
pub fn version_list() -> String {
    format!(r"{VERSION}(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+){VERSION})*")
}

/// Product names (names, ids and aliases), longest first so `Kommander` never stops at a
/// shorter name.
#[derive(Debug)]
pub struct Names {
    /// Lower-case name -> product index.
    names: Vec<(String, usize)>,
    /// A regex alternation matching any of them.
    pub alternation: String,
}

impl Names {
    pub fn new(dataset: &Dataset) -> Names {
        let mut names: Vec<(String, usize)> = dataset
            .products
            .iter()
            .enumerate()
            .flat_map(|(i, p)| {
                let aliases = p.aliases.iter().map(move |a| (a.to_lowercase(), i));
                [(p.name.to_lowercase(), i), (p.id.to_lowercase(), i)]
                    .into_iter()
                    .chain(aliases)
            })
            .filter(|(name, _)| !name.is_empty())
            .collect();
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        names.dedup();
        let escaped: Vec<String> = names.iter().map(|(n, _)| regex::escape(n)).collect();
        Names {
            alternation: format!(r"\b(?:{})\b", escaped.join("|")),
            names,
        }
    }

    /// The product a matched name stands for.
    pub fn product(&self, text: &str) -> Option<usize> {
        let lower = text.to_lowercase();
        self.names
            .iter()
            .find(|(n, _)| *n == lower)
            .map(|&(_, i)| i)
    }
}

/// Compiles a pattern written with `{NAME}`, `{VERSION}`, `{LIST}` and `{MARK}`
/// placeholders, case-insensitively.
pub fn compile(names: &Names, pattern: &str) -> Regex {
    let expanded = pattern
        .replace("{NAME}", &names.alternation)
        .replace("{VERSION}", VERSION)
        .replace("{LIST}", &version_list())
        .replace("{MARK}", MARK)
        // ASCII word boundaries keep the fast regex engines usable on non-ASCII text.
        .replace(r"\b", r"(?-u:\b)");
    // The placeholders only hold escaped names and fixed syntax, so a failure here is a
    // bug in the pattern text itself, caught by every test that builds an auditor.
    Regex::new(&format!("(?i){expanded}")).expect("claim pattern compiles")
}

/// Whether `text` holds anything like a version (`1.2`): text without one holds no claim.
pub fn mentions_version(text: &str) -> bool {
    text.as_bytes()
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit())
}

/// One version written in the text, with its byte range there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written<'t> {
    pub text: &'t str,
    pub start: usize,
    pub end: usize,
}

impl<'t> Written<'t> {
    pub fn from_match(m: Match<'t>) -> Written<'t> {
        Written {
            text: m.as_str(),
            start: m.start(),
            end: m.end(),
        }
    }

    /// The same text, `by` bytes further into the file.
    pub fn shifted(self, by: usize) -> Written<'t> {
        Written {
            start: self.start + by,
            end: self.end + by,
            ..self
        }
    }

    /// The release line a version names: `1.7.x`, `1.7.3` and `v1.7` are all 1.7.
    pub fn line(&self) -> Option<ReleaseLine> {
        line_of(self.text)
    }
}

/// The named capture group `name`, when it took part in the match.
pub fn group<'t>(caps: &Captures<'t>, name: &str) -> Option<Written<'t>> {
    caps.name(name).map(Written::from_match)
}

/// The release line of a version as written.
pub fn line_of(text: &str) -> Option<ReleaseLine> {
    let mut parts = text.trim().trim_start_matches(['v', 'V']).split('.');
    ReleaseLine::parse(&format!("{}.{}", parts.next()?, parts.next()?))
}

/// Every version in a matched list, in order.
pub fn versions_in(list: Written<'_>) -> Vec<Written<'_>> {
    found_in(&VERSION_RE, list)
}

/// Every match of `pattern` in `list`, in order, with offsets in the whole sentence.
pub fn found_in<'t>(pattern: &Regex, list: Written<'t>) -> Vec<Written<'t>> {
    pattern
        .find_iter(list.text)
        .map(|m| Written {
            text: m.as_str(),
            start: list.start + m.start(),
            end: list.start + m.end(),
        })
        .collect()
}

/// Compiled once for the whole run.
static VERSION_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(VERSION).expect("version pattern compiles"));

/// `a`, `a and b`, `a, b and c`, as the messages print lists.
pub fn join<T: ToString>(items: &[T]) -> String {
    let items: Vec<String> = items.iter().map(ToString::to_string).collect();
    crate::render::facts::join(&items, "and")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::claims::testing::dataset;

    #[test]
    fn names_match_any_case_and_map_to_products() {
        let dataset = dataset();
        let names = Names::new(&dataset);
        let re = compile(&names, "({NAME}){MARK} ({VERSION})");
        let caps = re.captures("see KOMMANDER&reg; 2.1.x").expect("match");
        assert_eq!(names.product(&caps[1]), dataset.product("kommander"));
        assert_eq!(&caps[2], "2.1.x");
        assert!(re.captures("Kommanders 2.1").is_none());
    }

    #[test]
    fn lists_split_into_versions_with_offsets() {
        let names = Names::new(&dataset());
        let re = compile(&names, "for ({LIST})");
        let text = "for 2.0, 1.8, and 1.7.x today";
        let list = Written::from_match(re.captures(text).expect("list").get(1).expect("g"));
        let found: Vec<(&str, usize)> = versions_in(list)
            .iter()
            .map(|w| (w.text, w.start))
            .collect();
        assert_eq!(found, [("2.0", 4), ("1.8", 9), ("1.7.x", 18)]);
        assert_eq!(
            line_of("v1.7.3").map(|l| l.to_string()).as_deref(),
            Some("1.7")
        );
        assert_eq!(line_of("1"), None);
    }
}
