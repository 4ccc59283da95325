//! `versions_policy`: the support policy in sentences. The policy itself is stated in the
//! present; what it covered while a line was the newest is told in the past on pages of a
//! line that a newer one has replaced (under the "support ended" banner it would be false
//! to say the vendor supports it), and in the present for the current line.

use super::words::{count_lines, n_minus, versions};
use super::{Facts, Subject, join};
use crate::dataset::Product;
use crate::dataset::policy;
use crate::markdown::html::escape;

/// Whether a line's window is told as it is now or as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tense {
    Present,
    Past,
}

impl Facts<'_> {
    pub(super) fn versions_policy(&self, subject: &Subject) -> Result<String, String> {
        let product = subject.product;
        let size = product
            .window
            .ok_or_else(|| format!("{} has no `support_window` in the dataset", product.name))?;
        let line = subject.line_or_latest(self.as_of)?;
        let tense = match policy::latest_line(product, self.as_of) {
            Some(latest) if latest > line => Tense::Past,
            _ => Tense::Present,
        };
        let vendor = escape(&self.dataset.vendor);
        let covered = match size {
            1 => "only that line".to_string(),
            n => format!(
                "that line and the {} released before it",
                count_lines(n - 1)
            ),
        };
        let mut html = format!(
            "<p class=\"versions-policy\">{vendor} supports {} of the latest <code>MAJOR.MINOR</code> line of {}: {covered}, with all patch releases. {}</p>\n",
            n_minus(size),
            product.trademark,
            window_sentence(product, line, &vendor, tense),
        );
        if let Some(expires) = policy::expires_on_next(product, line) {
            html.push_str(&next_line_sentence(product, line, expires, tense));
        }
        if let Some(expired) = policy::expired_at_ga(product, line) {
            let name = escape(&product.name);
            html.push_str(&format!(
                "<p class=\"versions-policy\">The release of {name} {} ended support for {name} {}.x.</p>\n",
                product.lines[line].version, product.lines[expired].version
            ));
        }
        Ok(html)
    }
}

/// "With Konvoy 2.1 as the current line, D2iQ supports Konvoy 2.1, 2.0 and 1.8." or, for
/// a line since replaced, "While Konvoy 1.8 was the current line, D2iQ supported ...".
fn window_sentence(product: &Product, line: usize, vendor: &str, tense: Tense) -> String {
    let name = escape(&product.name);
    let version = &product.lines[line].version;
    let window = join(&versions(product, &policy::window(product, line)), "and");
    match tense {
        Tense::Present => {
            format!("With {name} {version} as the current line, {vendor} supports {name} {window}.")
        }
        Tense::Past => format!(
            "While {name} {version} was the current line, {vendor} supported {name} {window}."
        ),
    }
}

/// What the release after `line` does (or did) to the window.
fn next_line_sentence(product: &Product, line: usize, expires: usize, tense: Tense) -> String {
    let name = escape(&product.name);
    let ending = &product.lines[expires].version;
    let continues = versions(product, &policy::continues_on_next(product, line));
    let next = product.lines.get(line + 1).map(|l| &l.version);
    let sentence = match (tense, next) {
        (Tense::Past, Some(next)) if continues.is_empty() => {
            format!("When {name} {next} was released, support ended for {name} {ending}.x.")
        }
        (Tense::Past, Some(next)) => format!(
            "When {name} {next} was released, support continued for {} and ended for {name} {ending}.x.",
            join(&continues, "and")
        ),
        _ if continues.is_empty() => {
            format!("When the next line is released, support ends for {name} {ending}.x.")
        }
        _ => format!(
            "When the next line is released, support continues for {} and support ends for {name} {ending}.x.",
            join(&continues, "and")
        ),
    };
    format!("<p class=\"versions-policy\">{sentence}</p>\n")
}

#[cfg(test)]
mod tests {

    use crate::dataset::Scope;
    use crate::render::facts::{FactArgs, Facts};

    const KOMMANDER: &str = "vendor: D2iQ\nproducts:\n  k:\n    name: Kommander\n    support_window: 3\n    lines:\n      - {line: \"1.1\", ga: 2020-01-01}\n      - {line: \"1.2\", ga: 2020-06-01}\n      - {line: \"1.3\", ga: 2021-01-01}\n      - {line: \"1.4\", ga: 2021-06-01}\n      - {line: \"2.0\", ga: 2021-09-01}\n";

    fn policy(line: usize) -> String {
        let dataset = crate::testing::dataset(KOMMANDER);
        let facts = Facts {
            dataset: &dataset,
            as_of: jiff::civil::date(2026, 1, 1),
            base_path: "/",
        };
        let scope = Scope {
            product: 0,
            line: Some(line),
        };
        facts
            .render("versions_policy", &FactArgs::default(), Some(scope))
            .expect("policy")
    }

    #[test]
    fn an_ended_line_tells_its_window_in_the_past() {
        let html = policy(2);
        assert!(html.contains("D2iQ supports N-2 of the latest"), "{html}");
        assert!(
            html.contains("While Kommander 1.3 was the current line, D2iQ supported Kommander 1.3, 1.2 and 1.1."),
            "{html}"
        );
        assert!(
            html.contains("When Kommander 1.4 was released, support continued for 1.3 and 1.2 and ended for Kommander 1.1.x."),
            "{html}"
        );
        assert!(!html.contains("D2iQ supports Kommander"), "{html}");
    }

    #[test]
    fn the_current_line_speaks_in_the_present() {
        let html = policy(4);
        assert!(
            html.contains(
                "With Kommander 2.0 as the current line, D2iQ supports Kommander 2.0, 1.4 and 1.3."
            ),
            "{html}"
        );
        assert!(
            html.contains("When the next line is released, support continues for 2.0 and 1.4 and support ends for Kommander 1.3.x."),
            "{html}"
        );
        assert!(
            html.contains("The release of Kommander 2.0 ended support for Kommander 1.2.x."),
            "{html}"
        );
    }

    #[test]
    fn a_supported_line_that_is_no_longer_the_newest_is_told_in_the_past_too() {
        let html = policy(3);
        assert!(
            html.contains("While Kommander 1.4 was the current line, D2iQ supported Kommander 1.4, 1.3 and 1.2."),
            "{html}"
        );
    }
}
