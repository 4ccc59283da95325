//! How version facts read: requirements, lists and counts in words.

use crate::dataset::Product;
use crate::dataset::version::Requirement;

/// A requirement as a reader reads it: `1.7.x, except 1.7.23`, `0.10.0 or earlier`.
pub fn describe(requirement: &Requirement) -> String {
    let range = match (&requirement.min, &requirement.max) {
        (Some(min), Some(max)) if !max.is_exact() && min.lowest() == max.lowest() => {
            max.to_string()
        }
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("{min} or later"),
        (None, Some(max)) => format!("{max} or earlier"),
        (None, None) => "any version".to_string(),
    };
    if requirement.except.is_empty() {
        return range;
    }
    let except: Vec<String> = requirement.except.iter().map(ToString::to_string).collect();
    format!("{range}, except {}", join(&except, "and"))
}

pub(super) fn versions(product: &Product, lines: &[usize]) -> Vec<String> {
    lines
        .iter()
        .map(|&l| product.lines[l].version.to_string())
        .collect()
}

/// `a`, `a and b`, `a, b and c`.
pub fn join(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    }
}

/// `N-2` for a window of three lines; `N` for one.
pub(super) fn n_minus(size: usize) -> String {
    if size <= 1 {
        "N".into()
    } else {
        format!("N-{}", size - 1)
    }
}

pub(super) fn count_lines(count: usize) -> String {
    const WORDS: [&str; 6] = [
        "",
        "line",
        "two lines",
        "three lines",
        "four lines",
        "five lines",
    ];
    WORDS
        .get(count)
        .map_or_else(|| format!("{count} lines"), |w| (*w).to_string())
}
