//! The diagnostic reference: every code with its default severity, what triggers it and
//! how to fix it. The text is `docs/diagnostics.md`, built into the binary, so the docs
//! and `folio check --explain CODE` are one text; in debug builds (the tests) making a
//! diagnostic with a code the reference lacks panics, so no code goes undocumented.

/// The reference page, as written.
pub const REFERENCE: &str = include_str!("../../docs/diagnostics.md");

/// The section of the reference for `code`: its heading line and text.
pub fn explain(code: &str) -> Option<&'static str> {
    sections()
        .find(|(name, _)| *name == code)
        .map(|(_, text)| text)
}

/// Every documented code, in the reference's order.
pub fn all() -> Vec<&'static str> {
    sections().map(|(name, _)| name).collect()
}

/// `(code, section text)` for each `## `code` (...)` heading of the reference.
fn sections() -> impl Iterator<Item = (&'static str, &'static str)> {
    REFERENCE.split("\n## ").skip(1).filter_map(|section| {
        let name = section.strip_prefix('`')?.split('`').next()?;
        Some((name, section.trim_end()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_names_a_code_and_its_default_severity() {
        let codes = all();
        assert!(codes.len() > 30, "{codes:?}");
        for code in codes {
            let text = explain(code).expect("section");
            let heading = text.lines().next().unwrap_or("");
            assert!(
                heading.contains("(error") || heading.contains("(warning"),
                "{heading}"
            );
        }
        assert!(explain("broken-link").is_some_and(|t| t.contains("relative links")));
        assert_eq!(explain("no-such-code"), None);
    }
}
