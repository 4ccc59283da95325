//! `support_timeline`: a product's lines as an SVG chart drawn at build time, one bar per
//! line from general availability to the end of support (the GA of the line that pushes
//! it out of the window), open to the build date while no such line is known, with the
//! build date marked. No script; classes carry the colours (light and dark in
//! `css/versions.css`) and presentation attributes are the fallback without the theme.

use std::fmt::Write;

use jiff::civil::Date;

use super::{Facts, Subject};
use crate::dataset::policy;
use crate::markdown::html::escape;
use crate::render::switcher::line_status;

const WIDTH: i64 = 760;
const LABEL_WIDTH: i64 = 150;
const RIGHT_PAD: i64 = 24;
const TOP: i64 = 34;
const ROW: i64 = 26;
const BAR: i64 = 16;
const BOTTOM: i64 = 30;

/// One bar: a line, where it starts and ends, and how it is drawn.
struct Bar {
    name: String,
    kind: String,
    label: String,
    start: Option<Date>,
    /// `None`: still supported with no end known, drawn up to the build date.
    end: Option<Date>,
}

/// The time axis: the first and last day drawn, mapped onto the plot's width.
struct Axis {
    from: Date,
    to: Date,
}

impl Axis {
    fn x(&self, date: Date) -> i64 {
        let span = days(self.from, self.to).max(1);
        LABEL_WIDTH + days(self.from, date) * (WIDTH - LABEL_WIDTH - RIGHT_PAD) / span
    }
}

fn days(from: Date, to: Date) -> i64 {
    to.duration_since(from).as_secs() / 86_400
}

impl Facts<'_> {
    pub(super) fn support_timeline(&self, subject: &Subject) -> Result<String, String> {
        let bars = self.bars(subject);
        let dated = bars.iter().filter_map(|b| b.start);
        let Some(first) = dated.min() else {
            return Err(format!(
                "{} has no dated line in the dataset: give a line `ga:` or a dated release",
                subject.product.name
            ));
        };
        let last = bars
            .iter()
            .filter_map(|b| b.end)
            .max()
            .unwrap_or(self.as_of);
        let axis = Axis {
            from: Date::new(first.year(), 1, 1).unwrap_or(first),
            to: Date::new(last.max(self.as_of).year() + 1, 1, 1).unwrap_or(self.as_of),
        };
        let id = format!("support-timeline-{}", escape(&subject.product.id));
        let title = format!(
            "{} support timeline on {}",
            escape(&subject.product.name),
            self.as_of
        );
        let height = TOP + ROW * bars.len() as i64 + BOTTOM;
        let mut svg = format!(
            "<figure class=\"support-timeline\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{title}\" aria-describedby=\"{id}-desc\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\">\n<title>{title}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
            describe(subject, &bars, self.as_of)
        );
        years(&axis, height, &mut svg);
        for (row, bar) in bars.iter().enumerate() {
            draw_bar(&axis, bar, TOP + ROW * row as i64, self.as_of, &mut svg);
        }
        build_date(&axis, self.as_of, height, &mut svg);
        svg.push_str("</svg>\n");
        let calendar = format!(
            "{}{}",
            self.base_path,
            crate::output::calendar::calendar_path(&subject.product.id)
        );
        svg.push_str(&caption(self.as_of, &calendar));
        svg.push_str("</figure>\n");
        Ok(svg)
    }

    /// The product's lines, newest first, with their support periods.
    fn bars(&self, subject: &Subject) -> Vec<Bar> {
        let product = subject.product;
        (0..product.lines.len())
            .rev()
            .map(|line| {
                let status = line_status(product, line, self.as_of);
                let planned = &product.lines[line];
                let dated = planned.released || planned.ga.is_some();
                Bar {
                    name: subject.line_name(line),
                    kind: status.kind,
                    label: status.label,
                    start: policy::effective_ga(product, line).filter(|_| dated),
                    end: policy::support_end(product, line),
                }
            })
            .collect()
    }
}

/// The chart in words, for screen readers: one sentence per line.
fn describe(subject: &Subject, bars: &[Bar], as_of: Date) -> String {
    let mut text = format!(
        "Release lines of {}, newest first, on {as_of}.",
        escape(&subject.product.name)
    );
    for bar in bars {
        let start = bar.start.map_or_else(
            || "release date not known".to_string(),
            |d| format!("generally available {d}"),
        );
        let end = match bar.end {
            Some(end) if end > as_of => format!(", support ends {end}"),
            _ => String::new(),
        };
        let _ = write!(text, " {}: {start}{end}; status: {}.", bar.name, bar.label);
    }
    text
}

/// A grid line and a label at each new year.
fn years(axis: &Axis, height: i64, svg: &mut String) {
    svg.push_str("<g class=\"tl-years\">\n");
    for year in axis.from.year()..=axis.to.year() {
        let Ok(date) = Date::new(year, 1, 1) else {
            continue;
        };
        let x = axis.x(date);
        let _ = writeln!(
            svg,
            "<line class=\"tl-grid\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#d1d9e0\"/>\n<text class=\"tl-axis\" x=\"{x}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#59636e\">{year}</text>",
            TOP - 8,
            height - BOTTOM + 4,
            height - BOTTOM + 20
        );
    }
    svg.push_str("</g>\n");
}

fn draw_bar(axis: &Axis, bar: &Bar, y: i64, as_of: Date, svg: &mut String) {
    let _ = writeln!(
        svg,
        "<text class=\"tl-label\" x=\"8\" y=\"{}\" font-size=\"13\" fill=\"#1f2328\">{}</text>",
        y + BAR - 3,
        bar.name
    );
    let Some(start) = bar.start.filter(|&s| s < axis.to) else {
        return;
    };
    let end = bar.end.unwrap_or(as_of).max(start);
    let (x1, x2) = (axis.x(start), axis.x(end).max(axis.x(start) + 3));
    let open = if bar.end.is_none() {
        ", support continues"
    } else {
        ""
    };
    let to = bar.end.map(|d| format!(" to {d}")).unwrap_or_default();
    let _ = writeln!(
        svg,
        "<rect class=\"tl-bar tl-bar-{}\" x=\"{x1}\" y=\"{y}\" width=\"{}\" height=\"{BAR}\" rx=\"3\" fill=\"{}\"><title>{}: {start}{to}{open}; {}</title></rect>",
        bar.kind,
        x2 - x1,
        fallback_fill(&bar.kind),
        bar.name,
        bar.label
    );
}

/// The vertical line at the build date, labelled.
fn build_date(axis: &Axis, as_of: Date, height: i64, svg: &mut String) {
    let x = axis.x(as_of);
    let anchor = if x > WIDTH - 120 { "end" } else { "middle" };
    let _ = writeln!(
        svg,
        "<line class=\"tl-today\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#c2410c\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>\n<text class=\"tl-today-label\" x=\"{x}\" y=\"{}\" font-size=\"12\" text-anchor=\"{anchor}\" fill=\"#c2410c\">Built {as_of}</text>",
        TOP - 10,
        height - BOTTOM + 4,
        TOP - 16
    );
}

fn fallback_fill(kind: &str) -> &'static str {
    match kind {
        "latest" => "#0f5c2e",
        "expires-next" => "#7a4100",
        "ended" => "#8c959f",
        "preview" => "#5b21b6",
        _ => "#1f4f8a",
    }
}

fn caption(as_of: Date, calendar: &str) -> String {
    format!(
        "<figcaption>Each bar runs from general availability to the end of support, which comes with the release that moves the line out of the support window; a bar that reaches the dashed line at the build date ({as_of}) is still supported. Colours: <span class=\"line-status line-status-latest\">latest</span> <span class=\"line-status line-status-supported\">supported</span> <span class=\"line-status line-status-expires-next\">ends with the next release</span> <span class=\"line-status line-status-ended\">ended</span>. <a href=\"{}\">Add these dates to your calendar</a> (ICS).</figcaption>\n",
        escape(calendar)
    )
}

#[cfg(test)]
mod tests {

    use crate::dataset::Scope;
    use crate::render::facts::{FactArgs, Facts};

    fn timeline(yaml: &str) -> Result<String, String> {
        let dataset = crate::testing::dataset(yaml);
        let facts = Facts {
            dataset: &dataset,
            as_of: jiff::civil::date(2022, 3, 1),
            base_path: "/docs/",
        };
        let scope = Scope {
            product: 0,
            line: None,
        };
        facts.render("support_timeline", &FactArgs::default(), Some(scope))
    }

    #[test]
    fn bars_run_from_ga_to_the_release_that_ends_support() {
        let svg = timeline("products:\n  p:\n    name: P\n    support_window: 1\n    lines:\n      - {line: \"1.0\", ga: 2020-01-01}\n      - {line: \"2.0\", ga: 2021-01-01}\n      - {line: \"3.0\", status: unreleased}\n")
            .expect("timeline");
        assert!(
            svg.contains("<title>P 1.0: 2020-01-01 to 2021-01-01; ended on 2021-01-01</title>"),
            "{svg}"
        );
        assert!(
            svg.contains("<title>P 2.0: 2021-01-01, support continues; latest</title>"),
            "{svg}"
        );
        assert!(
            svg.contains("P 3.0: release date not known; status: preview."),
            "{svg}"
        );
        assert!(svg.contains(">Built 2022-03-01</text>"), "{svg}");
        assert!(svg.contains("href=\"/docs/api/calendar/p.ics\""), "{svg}");
    }

    #[test]
    fn a_product_without_dates_has_no_timeline() {
        let err = timeline("products:\n  p:\n    name: P\n    support_window: 1\n    lines:\n      - {line: \"1.0\"}\n")
            .expect_err("no dates");
        assert!(err.contains("P has no dated line"), "{err}");
    }
}
