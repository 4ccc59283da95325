//! Version facts as HTML: the sentences, lists and tables that shortcodes in markdown and
//! functions of the same names in templates print. Each one is computed from the dataset
//! by the policy functions for the page's own product and line, or for `product=` and
//! `line=` when given, so no page ever types a supported version by hand.

mod matrix;
mod policy_sentences;
mod timeline;
mod upgrades;
mod words;

pub use words::{describe, join};

use jiff::civil::Date;

use crate::dataset::policy::{self, Pair, Status};
use crate::dataset::{Dataset, Line, Pairing, Product, Scope, Target};
use crate::markdown::html::escape;

/// Every fact's name: the shortcode `[name /]` and the template function `name()`.
pub const FACT_NAMES: &[&str] = &[
    "versions_policy",
    "supported_lines",
    "kubernetes_table",
    "compatibility_table",
    "unsupported_combinations",
    "runs_on",
    "prerequisites",
    "latest_version",
    "support_status",
    "support_timeline",
    "upgrade_paths",
    "compatibility_matrix",
];

/// What a fact was asked for: named explicitly, or the page's own scope.
#[derive(Debug, Clone, Default)]
pub struct FactArgs {
    pub product: Option<String>,
    pub line: Option<String>,
    /// `kubernetes_table`: a patch release instead of the whole line.
    pub release: Option<String>,
    /// `latest_version`: `line` to print the line instead of the release.
    pub part: Option<String>,
}

/// The dataset and the date facts are computed for.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub dataset: &'a Dataset,
    pub as_of: Date,
    /// The site's base path, for links (the support calendar).
    pub base_path: &'a str,
}

/// The product and line a fact is about, resolved.
struct Subject<'a> {
    index: usize,
    product: &'a Product,
    line: Option<usize>,
}

impl<'a> Subject<'a> {
    /// The line, or the product's latest when the page documents the product as a whole.
    fn line_or_latest(&self, as_of: Date) -> Result<usize, String> {
        self.line
            .or_else(|| policy::latest_line(self.product, as_of))
            .ok_or_else(|| format!("{} has no released line in the dataset", self.product.name))
    }

    fn line_name(&self, line: usize) -> String {
        format!(
            "{} {}",
            escape(&self.product.name),
            self.product.lines[line].version
        )
    }
}

impl<'a> Facts<'a> {
    /// Renders fact `name` for a page whose scope is `page`.
    pub fn render(
        &self,
        name: &str,
        args: &FactArgs,
        page: Option<Scope>,
    ) -> Result<String, String> {
        let subject = self.subject(args, page)?;
        match name {
            "versions_policy" => self.versions_policy(&subject),
            "supported_lines" => self.supported_lines(&subject),
            "kubernetes_table" => self.kubernetes_table(&subject, args.release.as_deref()),
            "compatibility_table" => self.compatibility_table(&subject),
            "unsupported_combinations" => self.unsupported_combinations(&subject),
            "runs_on" => self.runs_on(&subject),
            "prerequisites" => Ok(self.prerequisites(&subject)),
            "latest_version" => self.latest_version(&subject, args.part.as_deref()),
            "support_status" => self.support_status(&subject),
            "support_timeline" => self.support_timeline(&subject),
            "upgrade_paths" => self.upgrade_paths(&subject),
            "compatibility_matrix" => self.compatibility_matrix(&subject),
            _ => Err(format!("unknown version fact `{name}`")),
        }
    }

    fn subject(&self, args: &FactArgs, page: Option<Scope>) -> Result<Subject<'a>, String> {
        let index = match args.product.as_deref() {
            Some(id) => self.dataset.product(id).ok_or_else(|| {
                format!(
                    "unknown product `{id}`; the dataset has: {}",
                    self.dataset.product_ids()
                )
            })?,
            None => page.map(|s| s.product).ok_or(
                "this page is not in a product's docs folder: pass `product=\"...\"` (and `line=\"...\"`)",
            )?,
        };
        let product = &self.dataset.products[index];
        let line =
            match args.line.as_deref() {
                Some(line) => Some(self.dataset.line_index(index, line).ok_or_else(|| {
                    format!("{} has no line `{line}` in the dataset", product.name)
                })?),
                None => page.filter(|s| s.product == index).and_then(|s| s.line),
            };
        Ok(Subject {
            index,
            product,
            line,
        })
    }

    fn supported_lines(&self, subject: &Subject) -> Result<String, String> {
        let product = subject.product;
        let line = subject.line_or_latest(self.as_of)?;
        let mut html = String::from("<ul class=\"supported-lines\">\n");
        for l in policy::window(product, line) {
            let entry = &product.lines[l];
            let ga = entry
                .ga
                .map(|d| format!(", generally available <time datetime=\"{d}\">{d}</time>"))
                .unwrap_or_default();
            let latest = entry
                .latest_release()
                .map(|r| format!(", latest patch {}", r.version))
                .unwrap_or_default();
            html.push_str(&format!(
                "<li><strong>{}</strong>{ga}{latest} {}</li>\n",
                subject.line_name(l),
                self.badge(product, l)
            ));
        }
        html.push_str("</ul>\n");
        Ok(html)
    }

    fn kubernetes_table(&self, subject: &Subject, release: Option<&str>) -> Result<String, String> {
        let line_index = subject.line_or_latest(self.as_of)?;
        let line = &subject.product.lines[line_index];
        let range = line.kubernetes.as_ref().ok_or_else(|| {
            format!("{} has no Kubernetes range in the dataset; add `kubernetes: {{min, max}}` to the line", subject.line_name(line_index))
        })?;
        let (label, default) = match release {
            Some(release) => release_default(line, release)
                .map(|d| (escape(release), d.map(ToString::to_string)))
                .ok_or_else(|| {
                    format!(
                        "{} has no release `{release}` in the dataset",
                        subject.line_name(line_index)
                    )
                })?,
            None => (
                line.version.to_string(),
                line.kubernetes_default().map(ToString::to_string),
            ),
        };
        let mut rows = vec![
            ("Minimum", range.min.to_string()),
            ("Maximum", range.max.to_string()),
        ];
        rows.extend(default.map(|d| ("Default", d)));
        let body: String = rows
            .iter()
            .map(|(what, value)| {
                format!(
                    "<tr><th scope=\"row\">{what}</th><td>{}</td></tr>\n",
                    escape(value)
                )
            })
            .collect();
        Ok(format!(
            "<table class=\"kubernetes-table\">\n<caption>Kubernetes versions supported by {} {label}</caption>\n<thead><tr><th>Kubernetes support</th><th>Version</th></tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n",
            escape(&subject.product.name)
        ))
    }

    fn compatibility_table(&self, subject: &Subject) -> Result<String, String> {
        let mut html = String::new();
        for (pairing, pairs) in self.pairs(subject)? {
            let (deploys, on) = self.pair_products(pairing);
            html.push_str(&format!(
                "<table class=\"compatibility-table\">\n<thead><tr><th>{} version</th><th>{} version</th></tr></thead>\n<tbody>\n",
                escape(&on.name),
                escape(&deploys.name)
            ));
            for pair in pairs {
                html.push_str(&format!(
                    "<tr><td>{}.x</td><td>{}.x</td></tr>\n",
                    on.lines[pair.on].version, deploys.lines[pair.deploys].version
                ));
            }
            html.push_str("</tbody>\n</table>\n");
        }
        Ok(html)
    }

    fn unsupported_combinations(&self, subject: &Subject) -> Result<String, String> {
        let mut html = String::from("<ul class=\"unsupported-combinations\">\n");
        for (pairing, pairs) in self.pairs(subject)? {
            let (deploys, on) = self.pair_products(pairing);
            for pair in policy::unsupported_combinations(&pairs) {
                html.push_str(&format!(
                    "<li>You cannot deploy {} {}.x on {} {}.x.</li>\n",
                    escape(&deploys.name),
                    deploys.lines[pair.deploys].version,
                    escape(&on.name),
                    on.lines[pair.on].version
                ));
            }
        }
        html.push_str("</ul>\n");
        Ok(html)
    }

    /// The pairings of the subject's product with their rows in its line's window.
    fn pairs(&self, subject: &Subject) -> Result<Vec<(&'a Pairing, Vec<Pair>)>, String> {
        let line = subject.line_or_latest(self.as_of)?;
        let found: Vec<(&Pairing, Vec<Pair>)> = policy::pairings_of(self.dataset, subject.index)
            .map(|p| {
                (
                    p,
                    policy::compatibility(self.dataset, p, subject.index, line),
                )
            })
            .collect();
        if found.is_empty() {
            return Err(format!(
                "{} is not paired with another product in the dataset (`pairings:`)",
                subject.product.name
            ));
        }
        Ok(found)
    }

    fn pair_products(&self, pairing: &Pairing) -> (&'a Product, &'a Product) {
        (
            &self.dataset.products[pairing.deploys],
            &self.dataset.products[pairing.on],
        )
    }

    fn runs_on(&self, subject: &Subject) -> Result<String, String> {
        let line = subject.line_or_latest(self.as_of)?;
        let relation = self
            .dataset
            .runs_on
            .iter()
            .find(|r| r.product == subject.index && r.line == line)
            .ok_or_else(|| {
                format!(
                    "the dataset has no `runs_on` entry for {}",
                    subject.line_name(line)
                )
            })?;
        let what = match &relation.release {
            Some(release) => format!("{} {release}", escape(&subject.product.name)),
            None => subject.line_name(line),
        };
        let targets: Vec<String> = relation.targets.iter().map(|t| self.target(t)).collect();
        Ok(format!(
            "<p class=\"runs-on\">{what} runs on {}.</p>\n",
            targets.join(" and on ")
        ))
    }

    fn target(&self, target: &Target) -> String {
        match target {
            Target::Product {
                product,
                versions,
                or_later,
            } => {
                let versions: Vec<String> = versions.iter().map(|v| escape(v)).collect();
                let later = if *or_later { " or later" } else { "" };
                format!(
                    "{} {}{later}",
                    escape(&self.dataset.products[*product].name),
                    join(&versions, "or")
                )
            }
            Target::Platform(name) => escape(name),
        }
    }

    fn prerequisites(&self, subject: &Subject) -> String {
        let line = subject.line.map(|l| &subject.product.lines[l]);
        let mut html = String::from("<ul class=\"prerequisites\">\n");
        if let Some(range) = line.and_then(|l| l.kubernetes.as_ref()) {
            html.push_str(&format!(
                "<li><strong>Kubernetes</strong> {} to {}</li>\n",
                range.min, range.max
            ));
        }
        for prerequisite in policy::prerequisites(subject.product, line) {
            let note = prerequisite
                .note
                .as_deref()
                .map(|n| format!(", {}", escape(n)))
                .unwrap_or_default();
            html.push_str(&format!(
                "<li><strong>{}</strong> {}{note}</li>\n",
                escape(&prerequisite.name),
                describe(&prerequisite.requirement)
            ));
        }
        html.push_str("</ul>\n");
        html
    }

    fn latest_version(&self, subject: &Subject, part: Option<&str>) -> Result<String, String> {
        let product = subject.product;
        match part {
            Some("line") => policy::latest_line(product, self.as_of)
                .map(|l| product.lines[l].version.to_string()),
            None | Some("release") => {
                policy::latest_release(product, self.as_of).map(ToString::to_string)
            }
            Some(other) => {
                return Err(format!(
                    "unknown part `{other}`: use `part=\"line\"` or `part=\"release\"`"
                ));
            }
        }
        .ok_or_else(|| format!("{} has no released version on {}", product.name, self.as_of))
    }

    fn support_status(&self, subject: &Subject) -> Result<String, String> {
        let line = subject.line_or_latest(self.as_of)?;
        Ok(self.badge(subject.product, line))
    }

    /// A status badge for `line` on the build date.
    pub fn badge(&self, product: &Product, line: usize) -> String {
        let status = policy::status(product, line, self.as_of);
        let text = match status {
            Status::Unreleased => "Not released yet".to_string(),
            Status::Supported => "Supported".to_string(),
            Status::ExpiresNext => "Supported until the next release".to_string(),
            Status::Ended { on: Some(on), .. } => format!("Support ended {on}"),
            Status::Ended { on: None, .. } => "Support ended".to_string(),
            Status::NoPolicy => "No support policy".to_string(),
        };
        format!(
            "<span class=\"status status-{}\">{text}</span>",
            crate::dataset::matrix::status_key(status)
        )
    }
}

/// The Kubernetes default of `release` when the line lists it: `Some(None)` when it
/// states no default.
fn release_default<'l>(line: &'l Line, release: &str) -> Option<Option<&'l semver::Version>> {
    let wanted = crate::dataset::version::parse_release(release)?;
    let found = line.releases.iter().find(|r| r.version == wanted)?;
    Some(
        found
            .kubernetes_default
            .as_ref()
            .or(line.kubernetes_default()),
    )
}
