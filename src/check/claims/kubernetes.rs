//! Kubernetes tables (Minimum / Maximum / Default rows): compared with the Kubernetes
//! range of the line the sentence above names ("Konvoy 2.0 supports:"), else of the
//! page's line, and with the default of the release the page is about when it is one
//! (a `1.8.3` folder). A line without a range of its own whose table repeats its paired
//! line's range is the wrong product's table.

use semver::Version;

use super::patterns::{Written, group};
use super::tables::{Patterns, Row};
use super::text::Line;
use super::{Ctx, Finding, Shape};
use crate::dataset::policy;
use crate::dataset::version::{Bound, parse_release};

/// What the table is about: a line, and a release of it when the page says which.
struct Subject<'t> {
    product: usize,
    line: usize,
    release: Option<Version>,
    /// The product and version as the sentence above the table writes them.
    intro: Option<(Written<'t>, Written<'t>)>,
}

/// Checks one Kubernetes table; `before` are the page's lines above it.
pub fn check(
    patterns: &Patterns,
    ctx: &Ctx,
    before: &[Line],
    rows: &[Row],
    out: &mut Vec<Finding>,
) {
    let Some(subject) = subject(patterns, ctx, before) else {
        return;
    };
    let cell = |what: &str| {
        rows.iter()
            .find(|r| r.caps["what"].eq_ignore_ascii_case(what))
            .and_then(|r| r.cell("v"))
    };
    let (min, max, default) = (cell("minimum"), cell("maximum"), cell("default"));
    let line = &ctx.dataset.products[subject.product].lines[subject.line];
    match &line.kubernetes {
        Some(range) => {
            check_bound(ctx, &subject, min, &range.min, "minimum", out);
            check_bound(ctx, &subject, max, &range.max, "maximum", out);
            check_default(ctx, &subject, default, out);
        }
        None => check_borrowed(ctx, &subject, rows, (min, max), out),
    }
}

/// The line the table is about: named by the sentence just above it, else the page's.
fn subject<'t>(patterns: &Patterns, ctx: &Ctx, before: &[Line<'t>]) -> Option<Subject<'t>> {
    let intro = before
        .iter()
        .rev()
        .take(4)
        .find(|l| !l.text.trim().is_empty() && !is_table_header(l.text))
        .and_then(|l| {
            let caps = patterns.intro.captures(l.text)?;
            let (p, v) = (group(&caps, "p")?, group(&caps, "v")?);
            Some((p.shifted(l.start), v.shifted(l.start)))
        });
    match intro {
        Some((name, version)) => {
            let product = ctx.names.product(name.text)?;
            let line = ctx
                .dataset
                .line_index(product, &version.line()?.to_string())?;
            Some(Subject {
                product,
                line,
                release: parse_release(version.text),
                intro: Some((name, version)),
            })
        }
        None => {
            let scope = ctx.scope?;
            let line = scope.line?;
            let releases = &ctx.dataset.products[scope.product].lines[line].releases;
            let release = ctx
                .rel_path
                .split('/')
                .filter_map(parse_release)
                .find(|v| releases.iter().any(|r| r.version == *v));
            Some(Subject {
                product: scope.product,
                line,
                release,
                intro: None,
            })
        }
    }
}

/// The header of a Kubernetes table, with pipes or as plain text.
fn is_table_header(text: &str) -> bool {
    text.contains('|')
        || text
            .trim_start()
            .to_lowercase()
            .starts_with("kubernetes support")
}

impl Subject<'_> {
    fn name(&self, ctx: &Ctx) -> String {
        match &self.release {
            Some(release) => format!("{} {release}", ctx.dataset.products[self.product].name),
            None => ctx.line_name(self.product, self.line),
        }
    }

    fn help(&self, ctx: &Ctx) -> String {
        let release = self
            .release
            .as_ref()
            .map(|r| format!(" release=\"{r}\""))
            .unwrap_or_default();
        format!(
            "print it with {}",
            ctx.shortcode_with("kubernetes_table", self.product, Some(self.line), &release)
        )
    }
}

fn check_bound(
    ctx: &Ctx,
    subject: &Subject,
    written: Option<Written>,
    expected: &Bound,
    what: &str,
    out: &mut Vec<Finding>,
) {
    let Some(written) = written else {
        return;
    };
    let Some(bound) = Bound::parse(written.text) else {
        return;
    };
    let same = if what == "minimum" {
        bound.lowest() == expected.lowest()
    } else {
        upper(&bound) == upper(expected)
    };
    if !same {
        out.push(Finding {
            shape: Shape::KubernetesTable,
            start: written.start,
            end: written.end,
            message: format!(
                "this table gives {} a Kubernetes {what} of {}; the dataset's {what} for {} is {expected}",
                subject.name(ctx),
                written.text,
                ctx.line_name(subject.product, subject.line)
            ),
            help: subject.help(ctx),
        });
    }
}

/// The first release a maximum no longer admits: `1.21.x` -> 1.22.0, `1.21.3` -> 1.21.4.
fn upper(bound: &Bound) -> Version {
    let low = bound.lowest();
    match bound.line() {
        _ if bound.is_exact() => Version::new(low.major, low.minor, low.patch + 1),
        Some(line) => Version::new(line.major, line.minor + 1, 0),
        None => Version::new(low.major + 1, 0, 0),
    }
}

fn check_default(ctx: &Ctx, subject: &Subject, written: Option<Written>, out: &mut Vec<Finding>) {
    let Some(written) = written else {
        return;
    };
    let Some(version) = parse_release(written.text) else {
        return;
    };
    let (expected, from) = expected_defaults(ctx, subject);
    if expected.is_empty() || expected.contains(&version) {
        return;
    }
    let shown: Vec<String> = expected.iter().map(ToString::to_string).collect();
    let source = match from {
        Some(partner) => format!(
            "{} has no default of its own, and its paired {partner} installs",
            subject.name(ctx)
        ),
        None => format!("the dataset's default for {} is", subject.name(ctx)),
    };
    out.push(Finding {
        shape: Shape::KubernetesTable,
        start: written.start,
        end: written.end,
        message: format!(
            "this table says {} installs Kubernetes {} by default; {source} {}",
            subject.name(ctx),
            written.text,
            shown.join(" or ")
        ),
        help: subject.help(ctx),
    });
}

/// The defaults the table may show: the release's, else any of the line's; from the
/// paired line (named in the second value) when the line has none of its own.
fn expected_defaults(ctx: &Ctx, subject: &Subject) -> (Vec<Version>, Option<String>) {
    let own = defaults(ctx, subject.product, subject.line, subject.release.as_ref());
    if !own.is_empty() {
        return (own, None);
    }
    let Some((product, line)) = partner(ctx, subject.product, subject.line) else {
        return (own, None);
    };
    let release = subject.release.as_ref().filter(|r| {
        let lines = &ctx.dataset.products[product].lines[line];
        lines.releases.iter().any(|x| x.version == **r)
    });
    let name = match release {
        Some(r) => format!("{} {r}", ctx.dataset.products[product].name),
        None => ctx.line_name(product, line),
    };
    (defaults(ctx, product, line, release), Some(name))
}

fn defaults(ctx: &Ctx, product: usize, line: usize, release: Option<&Version>) -> Vec<Version> {
    let line = &ctx.dataset.products[product].lines[line];
    if let Some(found) = release.and_then(|v| line.releases.iter().find(|r| r.version == *v)) {
        let default = found
            .kubernetes_default
            .as_ref()
            .or(line.kubernetes_default());
        return default.into_iter().cloned().collect();
    }
    let mut all: Vec<Version> = line
        .releases
        .iter()
        .filter_map(|r| r.kubernetes_default.clone())
        .chain(line.kubernetes.as_ref().and_then(|k| k.default.clone()))
        .collect();
    all.sort();
    all.dedup();
    all
}

/// The line `line` of `product` is paired with, in the first pairing that has it.
fn partner(ctx: &Ctx, product: usize, line: usize) -> Option<(usize, usize)> {
    policy::pairings_of(ctx.dataset, product).find_map(|p| {
        p.pairs.iter().find_map(|&(d, o)| match () {
            _ if p.deploys == product && d == line => Some((p.on, o)),
            _ if p.on == product && o == line => Some((p.deploys, d)),
            _ => None,
        })
    })
}

/// A line without a range of its own: its table may only be its partner's, mislabelled.
fn check_borrowed(
    ctx: &Ctx,
    subject: &Subject,
    rows: &[Row],
    (min, max): (Option<Written>, Option<Written>),
    out: &mut Vec<Finding>,
) {
    let Some((product, line)) = partner(ctx, subject.product, subject.line) else {
        return;
    };
    let Some(range) = &ctx.dataset.products[product].lines[line].kubernetes else {
        return;
    };
    let (Some(min), Some(max)) = (
        min.and_then(|m| Bound::parse(m.text)),
        max.and_then(|m| Bound::parse(m.text)),
    ) else {
        return;
    };
    if min.lowest() != range.min.lowest() || upper(&max) != upper(&range.max) {
        return;
    }
    let (start, end) = match subject.intro {
        Some((name, version)) => (name.start, version.end),
        None => rows.first().map_or((0, 0), Row::span),
    };
    let partner_name = ctx.line_name(product, line);
    out.push(Finding {
        shape: Shape::Product,
        start,
        end,
        message: format!(
            "this table gives {partner_name}'s Kubernetes range ({} to {}) as {}'s; the dataset has no Kubernetes range for {}",
            range.min,
            range.max,
            subject.name(ctx),
            ctx.line_name(subject.product, subject.line)
        ),
        help: format!(
            "print {partner_name}'s range with {}, or add a `kubernetes:` range to {} in the dataset",
            ctx.shortcode("kubernetes_table", product, Some(line)),
            ctx.line_name(subject.product, subject.line)
        ),
    });
}

#[cfg(test)]
mod tests {
    use crate::check::claims::testing::audit;

    const TABLE: &str = "| Kubernetes Support | Version |\n| --- | --- |\n";

    #[test]
    fn a_correct_table_passes_in_both_forms() {
        let page = format!(
            "Konvoy 2.0 supports:\n\n{TABLE}|**Minimum** | 1.21.3 |\n|**Maximum** | 1.21.x |\n|**Default** | 1.21.3 |\n"
        );
        assert_eq!(audit("dkp/konvoy/2.0/p.md", &page), Vec::<String>::new());
        let release_notes = format!(
            "### Supported versions\n\n{TABLE}| **Minimum** | 1.18.x |\n| **Maximum** | 1.20.x |\n| **Default** | 1.20.11 |\n"
        );
        assert_eq!(
            audit(
                "dkp/konvoy/1.8/release-notes/1.8.3/index.md",
                &release_notes
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn wrong_values_are_reported_on_the_value() {
        let page = format!(
            "Konvoy 2.0 supports:\n\n{TABLE}|**Minimum** | 1.21.0 |\n|**Maximum** | 1.21.x |\n|**Default** | 1.21.6 |\n"
        );
        assert_eq!(
            audit("dkp/konvoy/2.1/p.md", &page),
            [
                "5:16 Kubernetes table: this table gives Konvoy 2.0 a Kubernetes minimum of 1.21.0; the dataset's minimum for Konvoy 2.0 is 1.21.3",
                "7:16 Kubernetes table: this table says Konvoy 2.0 installs Kubernetes 1.21.6 by default; the dataset's default for Konvoy 2.0 is 1.21.3",
            ]
        );
    }

    #[test]
    fn the_paired_line_s_range_under_another_name_is_the_wrong_product() {
        let page = "For example, Kommander 1.3.0 supports:\n\nKubernetes Support Version\nMinimum 1.17.x\nMaximum 1.19.x\nDefault 1.19.7\n";
        assert_eq!(
            audit("dkp/kommander/1.3/p.md", page),
            [
                "1:14 product name: this table gives Konvoy 1.7's Kubernetes range (1.17.x to 1.19.x) as Kommander 1.3.0's; the dataset has no Kubernetes range for Kommander 1.3"
            ]
        );
    }

    #[test]
    fn minimum_in_other_tables_is_not_a_claim() {
        let page =
            "| Resource | Minimum |\n| --- | --- |\n| CPU | 4 |\n\nThe minimum is 2.0 cores.\n";
        assert_eq!(audit("dkp/konvoy/2.0/p.md", page), Vec::<String>::new());
    }
}
