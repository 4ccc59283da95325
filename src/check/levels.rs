//! Severity per check, as `checks:` in folio.yaml sets it: a finding is raised to an
//! error, lowered to a warning, or dropped.

use std::collections::BTreeMap;

use crate::config::{CheckLevel, CheckName};
use crate::diag::{Diagnostics, Severity};

/// `diags` with each finding of a configured check at its configured level.
pub fn apply(diags: Diagnostics, levels: &BTreeMap<CheckName, CheckLevel>) -> Diagnostics {
    if levels.is_empty() {
        return diags;
    }
    let by_code: BTreeMap<&str, CheckLevel> = levels
        .iter()
        .map(|(name, level)| (name.code(), *level))
        .collect();
    let mut out = Diagnostics::default();
    for mut diagnostic in diags {
        match by_code.get(diagnostic.code) {
            Some(CheckLevel::Off) => continue,
            Some(CheckLevel::Error) => diagnostic.severity = Severity::Error,
            Some(CheckLevel::Warning) => diagnostic.severity = Severity::Warning,
            None => {}
        }
        out.push(diagnostic);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;

    #[test]
    fn levels_raise_lower_and_drop_findings() {
        let mut diags = Diagnostics::default();
        diags.push(Diagnostic::warning("missing-parent", "a"));
        diags.push(Diagnostic::error("broken-link", "b"));
        diags.push(Diagnostic::error("broken-anchor", "c"));
        diags.push(Diagnostic::error("template", "d"));
        let levels = BTreeMap::from([
            (CheckName::MissingParent, CheckLevel::Error),
            (CheckName::BrokenLink, CheckLevel::Warning),
            (CheckName::BrokenAnchor, CheckLevel::Off),
        ]);
        let result: Vec<(&str, Severity)> = apply(diags, &levels)
            .sorted()
            .iter()
            .map(|d| (d.code, d.severity))
            .collect();
        assert_eq!(
            result,
            [
                ("missing-parent", Severity::Error),
                ("broken-link", Severity::Warning),
                ("template", Severity::Error),
            ]
        );
    }
}
