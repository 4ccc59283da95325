//! The `compatibility_matrix` fact: how each version of a component (the Kaptain SDK)
//! works with the lines of the window, newest line first.

use super::{Facts, Subject};
use crate::dataset::policy;
use crate::markdown::html::escape;

impl Facts<'_> {
    pub(super) fn compatibility_matrix(&self, subject: &Subject) -> Result<String, String> {
        let line = subject.line_or_latest(self.as_of)?;
        let matrix = self
            .dataset
            .compatibility
            .iter()
            .find(|m| m.product == subject.index)
            .ok_or_else(|| {
                format!(
                    "the dataset has no `compatibility` matrix for {}",
                    subject.product.name
                )
            })?;
        let lines = policy::window(subject.product, line);
        let mut html = format!(
            "<table class=\"compatibility-matrix\">\n<thead><tr><th>{}</th>",
            escape(&matrix.component)
        );
        for &l in &lines {
            html.push_str(&format!("<th>{}</th>", subject.line_name(l)));
        }
        html.push_str("</tr></thead>\n<tbody>\n");
        for row in &matrix.rows {
            html.push_str(&format!("<tr><td>{}</td>", row.version));
            for &l in &lines {
                let cell = match row.support(l) {
                    "full" => "Full",
                    "partial" => "Partial",
                    _ => "Not supported",
                };
                html.push_str(&format!("<td>{cell}</td>"));
            }
            html.push_str("</tr>\n");
        }
        html.push_str("</tbody>\n</table>\n");
        Ok(html)
    }
}
