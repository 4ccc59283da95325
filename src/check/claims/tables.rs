//! Tables typed by hand, as pipe tables or as the plain text a rendered page copies to:
//! the compatibility table ("Konvoy Version | Kommander Version", one row per pair of
//! lines) is compared here with the pairs of the page line's window; Kubernetes tables
//! (Minimum / Maximum / Default rows) are handed to [`super::kubernetes`].

use regex::{Captures, Regex};

use super::patterns::{Names, Written, compile, join, mentions_version};
use super::text::{Line, Source};
use super::{Ctx, Finding, Shape, kubernetes};
use crate::dataset::policy;

#[derive(Debug)]
pub struct Patterns {
    pair_header: Regex,
    pair_row: Regex,
    pub kubernetes_row: Regex,
    pub intro: Regex,
}

impl Patterns {
    pub fn new(names: &Names) -> Patterns {
        let cell = r"\s*(?:\||\s)\s*";
        Patterns {
            pair_header: compile(
                names,
                &format!(
                    r"^\s*\|?\s*(?P<a>{{NAME}}){{MARK}}\s+versions?{cell}(?P<b>{{NAME}}){{MARK}}\s+versions?\s*\|?\s*$"
                ),
            ),
            pair_row: compile(
                names,
                &format!(r"^\s*\|?\s*(?P<a>{{VERSION}}){cell}(?P<b>{{VERSION}})\s*\|?\s*$"),
            ),
            kubernetes_row: compile(
                names,
                &format!(
                    r"^\s*\|?\s*(?:\*\*)?(?P<what>minimum|maximum|default)(?:\*\*)?{cell}(?:\*\*)?(?P<v>{{VERSION}})(?:\*\*)?\s*\|?\s*$"
                ),
            ),
            intro: compile(
                names,
                r"(?P<p>{NAME}){MARK} (?P<v>{VERSION}) supports:?\s*$",
            ),
        }
    }
}

/// A table row: the line and what the row pattern captured in it.
pub struct Row<'p> {
    pub line: Line<'p>,
    pub caps: Captures<'p>,
}

impl<'p> Row<'p> {
    /// The capture `name`, with its byte range in the file.
    pub fn cell(&self, name: &str) -> Option<Written<'p>> {
        self.caps.name(name).map(|m| Written {
            text: m.as_str(),
            start: self.line.start + m.start(),
            end: self.line.start + m.end(),
        })
    }

    /// The byte range of the row's text, without surrounding blanks.
    pub fn span(&self) -> (usize, usize) {
        let lead = self.line.text.len() - self.line.text.trim_start().len();
        let start = self.line.start + lead;
        (start, start + self.line.text.trim().len())
    }
}

/// Finds the tables of a page and checks each.
pub fn audit(patterns: &Patterns, ctx: &Ctx, source: &Source, out: &mut Vec<Finding>) {
    let lines = &source.lines;
    let mut i = 0;
    while i < lines.len() {
        let text = lines[i].text;
        // Table lines are short; most lines of a page are not, and skip the patterns.
        let short = text.len() < 120;
        let header = short && text.contains("ersion");
        if let Some(header) = header
            .then(|| patterns.pair_header.captures(text))
            .flatten()
        {
            let (rows, taken) = rows(lines, i + 1, &patterns.pair_row);
            let header = Row {
                line: lines[i],
                caps: header,
            };
            i += 1 + taken;
            check_pairs(ctx, &header, &rows, out);
        } else if short && mentions_version(text) && patterns.kubernetes_row.is_match(text) {
            let (rows, taken) = rows(lines, i, &patterns.kubernetes_row);
            kubernetes::check(patterns, ctx, &lines[..i], &rows, out);
            i += taken.max(1);
        } else {
            i += 1;
        }
    }
}

/// The rows from `lines[from]` on that match `pattern`, up to the first line that is
/// neither a row nor a separator (or a gap left by code), and how many lines they take.
fn rows<'p>(lines: &[Line<'p>], from: usize, pattern: &Regex) -> (Vec<Row<'p>>, usize) {
    let mut rows = Vec::new();
    let mut taken = 0;
    let mut end: Option<usize> = None;
    for line in &lines[from.min(lines.len())..] {
        if end.is_some_and(|e| e + 1 != line.start) {
            break;
        }
        end = Some(line.start + line.text.len());
        if !is_separator(line.text) {
            let Some(caps) = pattern.captures(line.text) else {
                break;
            };
            rows.push(Row { line: *line, caps });
        }
        taken += 1;
    }
    (rows, taken)
}

fn is_separator(text: &str) -> bool {
    let trimmed = text.trim();
    trimmed.contains("---") && trimmed.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Checks a compatibility table against the pairs of the page line's window.
fn check_pairs(ctx: &Ctx, header: &Row, rows: &[Row], out: &mut Vec<Finding>) {
    let (Some(a), Some(b)) = (header.cell("a"), header.cell("b")) else {
        return;
    };
    let (Some(pa), Some(pb)) = (ctx.names.product(a.text), ctx.names.product(b.text)) else {
        return;
    };
    let Some(scope) = ctx.scope.filter(|s| s.product == pa || s.product == pb) else {
        return;
    };
    let Some(line) = scope.line else {
        return;
    };
    let Some(pairing) = ctx
        .dataset
        .pairings
        .iter()
        .find(|p| (p.deploys, p.on) == (pa, pb) || (p.deploys, p.on) == (pb, pa))
    else {
        return;
    };
    let in_columns = |deploys: usize, on: usize| {
        if pairing.deploys == pa {
            (deploys, on)
        } else {
            (on, deploys)
        }
    };
    let expected: Vec<(usize, usize)> =
        policy::compatibility(ctx.dataset, pairing, scope.product, line)
            .into_iter()
            .map(|p| in_columns(p.deploys, p.on))
            .collect();
    let known: Vec<(usize, usize)> = pairing
        .pairs
        .iter()
        .map(|&(d, o)| in_columns(d, o))
        .collect();
    let written: Vec<(&Row, Option<(usize, usize)>)> =
        rows.iter().map(|r| (r, cells(ctx, r, pa, pb))).collect();
    let wrong = written
        .iter()
        .find(|(_, pair)| !pair.is_some_and(|p| expected.contains(&p)));
    let missing = expected
        .iter()
        .any(|p| !written.iter().any(|(_, w)| *w == Some(*p)));
    if wrong.is_none() && !missing {
        return;
    }
    let table = Table {
        ctx,
        pa,
        pb,
        product: scope.product,
        line,
    };
    let (at, reason) = match wrong {
        Some((row, pair)) => (row.span(), table.reason(row, *pair, &known)),
        None => (header.span(), "rows are missing".to_string()),
    };
    let shown: Vec<String> = written
        .iter()
        .filter_map(|(_, p)| *p)
        .map(|p| table.pair(p))
        .collect();
    out.push(Finding {
        shape: Shape::CompatibilityTable,
        start: at.0,
        end: at.1,
        message: format!(
            "this table lists the {} | {} rows {}; for the N-{} window of {} the dataset pairs {} ({reason})",
            ctx.dataset.products[pa].name,
            ctx.dataset.products[pb].name,
            if shown.is_empty() { "(none the dataset knows)".to_string() } else { join(&shown) },
            ctx.dataset.products[scope.product].window.unwrap_or(1).saturating_sub(1),
            ctx.line_name(scope.product, line),
            join(&expected.iter().map(|&p| table.pair(p)).collect::<Vec<_>>()),
        ),
        help: format!(
            "print it with {}",
            ctx.shortcode("compatibility_table", scope.product, Some(line))
        ),
    });
}

/// The lines a row names, in column order.
fn cells(ctx: &Ctx, row: &Row, pa: usize, pb: usize) -> Option<(usize, usize)> {
    let line = |product: usize, cell: &str| {
        let written = row.cell(cell)?.line()?;
        ctx.dataset.line_index(product, &written.to_string())
    };
    Some((line(pa, "a")?, line(pb, "b")?))
}

/// What a compatibility table is about, for messages.
struct Table<'c, 'a> {
    ctx: &'c Ctx<'a>,
    pa: usize,
    pb: usize,
    product: usize,
    line: usize,
}

impl Table<'_, '_> {
    fn pair(&self, (a, b): (usize, usize)) -> String {
        let products = &self.ctx.dataset.products;
        format!(
            "{} | {}",
            products[self.pa].lines[a].version, products[self.pb].lines[b].version
        )
    }

    /// Why `row` is wrong.
    fn reason(&self, row: &Row, pair: Option<(usize, usize)>, known: &[(usize, usize)]) -> String {
        let products = &self.ctx.dataset.products;
        let Some((a, b)) = pair else {
            return format!(
                "the row `{}` names a line the dataset does not have",
                row.line.text.trim()
            );
        };
        match known.iter().find(|p| p.0 == a) {
            Some(&(_, partner)) if partner != b => format!(
                "{} pairs with {} {}, not {}",
                self.ctx.line_name(self.pa, a),
                products[self.pb].name,
                products[self.pb].lines[partner].version,
                products[self.pb].lines[b].version
            ),
            None => format!(
                "the dataset does not pair {}",
                self.ctx.line_name(self.pa, a)
            ),
            Some(_) => format!(
                "the row {} lies outside the window of {}",
                self.pair((a, b)),
                self.ctx.line_name(self.product, self.line)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::claims::testing::audit;

    const TABLE: &str = "| Konvoy Version | Kommander Version |\n| --- | --- |\n";

    #[test]
    fn the_window_s_rows_pass_in_any_form() {
        let page = format!("{TABLE}| 2.0.x | 2.0.x |\n| 1.8.x | 1.4.x |\n| 1.7.x | 1.3.x |\n");
        assert_eq!(audit("dkp/konvoy/2.0/p.md", &page), Vec::<String>::new());
        let plain = "Konvoy Version Kommander Version\n1.7.x 1.3.x\n1.6.x 1.2.x\n1.5.x 1.1.x\n";
        assert_eq!(audit("dkp/kommander/1.3/p.md", plain), Vec::<String>::new());
    }

    #[test]
    fn a_row_outside_the_window_is_reported_on_the_row() {
        let page = format!(
            "{TABLE}| 2.1.x | 2.1.x |\n| 2.0.x | 2.0.x |\n| 1.8.x | 1.4.x |\n| 1.7.x | 1.3.x |\n"
        );
        assert_eq!(
            audit("dkp/kommander/2.1/p.md", &page),
            [
                "6:1 compatibility table: this table lists the Konvoy | Kommander rows 2.1 | 2.1, 2.0 | 2.0, 1.8 | 1.4 and 1.7 | 1.3; for the N-2 window of Kommander 2.1 the dataset pairs 2.1 | 2.1, 2.0 | 2.0 and 1.8 | 1.4 (the row 1.7 | 1.3 lies outside the window of Kommander 2.1)"
            ]
        );
    }

    #[test]
    fn a_wrong_pair_is_named() {
        let page = format!("{TABLE}| 2.0.x | 2.0.x |\n| 1.8.x | 1.3.x |\n| 1.7.x | 1.3.x |\n");
        let found = audit("dkp/konvoy/2.0/p.md", &page);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("4:1 ")
                && found[0].ends_with("(Konvoy 1.8 pairs with Kommander 1.4, not 1.3)"),
            "{found:?}"
        );
    }

    #[test]
    fn tables_of_other_things_are_not_claims() {
        let page = "| Component | Version |\n| --- | --- |\n| Traefik | 2.4 |\n| 1.7.x | 1.3.x |\n";
        assert_eq!(audit("dkp/konvoy/2.0/p.md", page), Vec::<String>::new());
    }
}
