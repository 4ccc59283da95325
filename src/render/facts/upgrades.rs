//! The `upgrade_paths` fact: the earlier lines the dataset lets upgrade to a line directly.

use super::{Facts, Subject, join};
use crate::markdown::html::escape;

impl Facts<'_> {
    pub(super) fn upgrade_paths(&self, subject: &Subject) -> Result<String, String> {
        let line = subject.line_or_latest(self.as_of)?;
        let from = &subject.product.lines[line].upgrades_from;
        if from.is_empty() {
            return Err(format!(
                "the dataset lists no `upgrades_from` for {}",
                subject.line_name(line)
            ));
        }
        let lines: Vec<String> = from
            .iter()
            .map(|&l| subject.product.lines[l].version.to_string())
            .collect();
        Ok(format!(
            "<p class=\"upgrade-paths\">You can upgrade to {} from {} {}.</p>\n",
            subject.line_name(line),
            escape(&subject.product.name),
            join(&lines, "or")
        ))
    }
}
