//! Support calendars: one iCalendar file (RFC 5545) per product at
//! `api/calendar/<product>.ics`, with an all-day event for each line's general
//! availability and for the end of its support, as the dataset dates them. Reproducible:
//! `DTSTAMP` is the build date and every `UID` is made of the product, line and event.

use jiff::civil::Date;

use crate::dataset::{Dataset, Product, policy};
use crate::output::OutputFile;

/// Where a product's calendar is written, below the output root.
pub fn calendar_path(product_id: &str) -> String {
    format!("api/calendar/{product_id}.ics")
}

/// The calendar of every product that has at least one dated event.
pub fn calendar_files(dataset: &Dataset, as_of: Date, base_url: &str) -> Vec<OutputFile> {
    let domain = uid_domain(base_url);
    dataset
        .products
        .iter()
        .filter_map(|product| {
            let text = calendar(dataset, product, as_of, &domain)?;
            Some(OutputFile::Bytes {
                path: calendar_path(&product.id),
                bytes: text.into_bytes(),
            })
        })
        .collect()
}

/// One all-day event.
struct Event {
    uid: String,
    date: Date,
    summary: String,
    description: String,
}

/// The product's calendar; `None` when the dataset dates none of its events (a calendar
/// must hold at least one).
pub fn calendar(dataset: &Dataset, product: &Product, as_of: Date, domain: &str) -> Option<String> {
    let events = events(dataset, product, as_of, domain);
    if events.is_empty() {
        return None;
    }
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//folio//support calendar//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!(
            "X-WR-CALNAME:{}",
            text(&format!("{} support", product.name))
        ),
    ];
    let stamp = format!("{}T000000Z", compact(as_of));
    for event in events {
        let next = compact(event.date.tomorrow().unwrap_or(event.date));
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}", event.uid),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", compact(event.date)),
            format!("DTEND;VALUE=DATE:{next}"),
            format!("SUMMARY:{}", text(&event.summary)),
            format!("DESCRIPTION:{}", text(&event.description)),
            "TRANSP:TRANSPARENT".to_string(),
            "END:VEVENT".to_string(),
        ]);
    }
    lines.push("END:VCALENDAR".to_string());
    let mut out = String::new();
    for line in lines {
        out.push_str(&fold(&line));
    }
    Some(out)
}

/// GA and end-of-support events of every line, oldest line first.
fn events(dataset: &Dataset, product: &Product, as_of: Date, domain: &str) -> Vec<Event> {
    let mut events = Vec::new();
    for (index, line) in product.lines.iter().enumerate() {
        let name = format!("{} {}", product.name, line.version);
        let uid = |what: &str| format!("{}-{}-{what}@{domain}", product.id, line.version);
        if let Some(ga) = line.ga {
            let planned = if line.released { "" } else { " (planned)" };
            events.push(Event {
                uid: uid("ga"),
                date: ga,
                summary: format!("{name} generally available{planned}"),
                description: format!("{name} is generally available from {ga}."),
            });
        }
        if let Some(end) = policy::support_end(product, index) {
            let by = &product.lines[index + product.window.unwrap_or(0)].version;
            let verb = if end <= as_of { "ended" } else { "ends" };
            events.push(Event {
                uid: uid("end-of-support"),
                date: end,
                summary: format!("End of support for {name}"),
                description: format!(
                    "{} support for {name} {verb} on {end}, with the release of {} {by}.",
                    dataset.vendor, product.name
                ),
            });
        }
    }
    events
}

/// `20211118`.
fn compact(date: Date) -> String {
    date.strftime("%Y%m%d").to_string()
}

/// A TEXT value with backslash, semicolon, comma and newline escaped.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' | ';' | ',' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (never inside a UTF-8 character), CRLF-ended.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// The host of `base_url` (`docs.example.com`), which makes UIDs unique to the site.
fn uid_domain(base_url: &str) -> String {
    let rest = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let domain: String = host
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || ".-:".contains(*c))
        .collect();
    if domain.is_empty() {
        "folio.invalid".to_string()
    } else {
        domain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let line = format!("DESCRIPTION:{}", "é".repeat(60));
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{part:?} is {} octets", part.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn text_values_escape_separators() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }

    #[test]
    fn uids_use_the_site_host() {
        assert_eq!(
            uid_domain("https://docs.example.com/docs/"),
            "docs.example.com"
        );
        assert_eq!(uid_domain(""), "folio.invalid");
    }
}
