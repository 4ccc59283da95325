//! The version UI end to end: the switcher's targets and fallbacks on a fixture site and
//! on the whole example site (no dead link), status labels in the sidebar and on landing
//! cards, the latest line moving when a line is added, past-tense policy sentences, and
//! the support timeline (parsed as XML) and calendars (parsed as iCalendar).

use std::str::FromStr;

use icalendar::{Component, DatePerhapsTime};
use quick_xml::events::Event;

use crate::harness::{TestSite, example_site_copy};

const AS_OF: &str = "2026-11-22";

const DATASET: &str = "vendor: ACME\nproducts:\n  app:\n    name: App\n    docs: app\n    support_window: 2\n    lines:\n      - {line: \"0.9\", ga: 2019-06-01}\n      - {line: \"1.0\", ga: 2020-01-10}\n      - {line: \"2.0\", ga: 2021-02-20}\n      - {line: \"3.0\", ga: 2022-03-30}\n      - {line: \"4.0\", status: unreleased}\n";

/// A product whose lines document different sets of pages.
pub fn fixture() -> TestSite {
    TestSite::new()
        .file("data/versions.yaml", DATASET)
        .page("index.md", "Home", "")
        .page("app/index.md", "App", "")
        .page("app/1.0/index.md", "App 1.0", "")
        .page("app/2.0/index.md", "App 2.0", "")
        .page("app/2.0/guide/index.md", "Guide 2.0", "")
        .page("app/3.0/index.md", "App 3.0", "")
        .page("app/3.0/guide/index.md", "Guide 3.0", "")
        .page("app/3.0/guide/deep.md", "Deep 3.0", "[versions_policy /]\n")
        .page("app/2.0/policy.md", "Policy 2.0", "[versions_policy /]\n")
}

fn build(site: &TestSite) {
    site.folio(&["build", "{root}", "--quiet", "--as-of", AS_OF])
        .expect_code(0);
}

/// The `<details class="version-switcher">` block of a built page.
fn switcher(html: &str) -> &str {
    let start = html
        .find("<details class=\"version-switcher\">")
        .unwrap_or_else(|| panic!("no switcher in:\n{html}"));
    let end = start + html[start..].find("</details>").expect("closed");
    &html[start..end]
}

/// The `<li>` of line `line` in a switcher.
fn entry<'a>(switcher: &'a str, line: &str) -> &'a str {
    let marker = format!("<span class=\"version-switcher-line\">App {line}</span>");
    let at = switcher
        .find(&marker)
        .unwrap_or_else(|| panic!("no {line} in {switcher}"));
    let start = switcher[..at].rfind("<li").expect("li");
    let end = at + switcher[at..].find("</li>").expect("end of li");
    &switcher[start..end]
}

#[test]
fn the_switcher_leads_to_the_same_page_else_the_nearest_page_above_it() {
    let site = fixture();
    build(&site);
    let html = site.read("public/app/3.0/guide/deep/index.html");
    let block = switcher(&html);
    assert!(block.contains("<span class=\"version-switcher-current\">App 3.0</span> <span class=\"line-status line-status-latest\">latest</span></summary>"), "{block}");
    let own = entry(block, "3.0");
    assert!(
        own.contains("<a href=\"/app/3.0/guide/deep/\" aria-current=\"page\">"),
        "{own}"
    );
    let parent = entry(block, "2.0");
    assert!(parent.contains("<a href=\"/app/2.0/guide/\">"), "{parent}");
    assert!(parent.contains("ends with the next release"), "{parent}");
    assert!(
        parent.contains("this page is not in 2.0: opens “Guide 2.0”"),
        "{parent}"
    );
    let landing = entry(block, "1.0");
    assert!(landing.contains("<a href=\"/app/1.0/\">"), "{landing}");
    assert!(landing.contains("ended on 2022-03-30"), "{landing}");
    for (line, label) in [("4.0", "preview"), ("0.9", "ended on 2021-02-20")] {
        let none = entry(block, line);
        assert!(!none.contains("href"), "{none}");
        assert!(none.contains(label), "{none}");
        assert!(none.contains("no pages on this site"), "{none}");
    }
    let order: Vec<usize> = ["4.0", "3.0", "2.0", "1.0", "0.9"]
        .iter()
        .map(|l| {
            block
                .find(&format!("switcher-line\">App {l}</span>"))
                .expect("line")
        })
        .collect();
    assert!(order.is_sorted(), "newest line first: {block}");
    let twin = site.read("public/app/2.0/guide/index.html");
    assert!(entry(switcher(&twin), "3.0").contains("<a href=\"/app/3.0/guide/\">"));
    assert!(
        !site
            .read("public/app/index.html")
            .contains("version-switcher\">")
    );
    assert!(
        !site
            .read("public/index.html")
            .contains("version-switcher\">")
    );
}

#[test]
fn the_switcher_works_under_a_base_path() {
    let site = fixture().file("folio.yaml", "base_url: https://example.com/docs/\n");
    build(&site);
    let html = site.read("public/app/3.0/guide/deep/index.html");
    assert!(entry(switcher(&html), "2.0").contains("<a href=\"/docs/app/2.0/guide/\">"));
}

/// Every `href` of every switcher on the example site names a built page.
#[test]
fn no_switcher_link_on_the_example_site_is_dead() {
    let site = example_site_copy();
    build(&site);
    let public = site.root().join("public");
    let href = regex::Regex::new(r#"href="([^"]+)""#).expect("regex");
    let (mut pages, mut links) = (0, 0);
    for (path, bytes) in crate::harness::snapshot_tree(&public) {
        let html = String::from_utf8_lossy(&bytes);
        if !path.ends_with(".html") || !html.contains("<details class=\"version-switcher\">") {
            continue;
        }
        pages += 1;
        for link in href.captures_iter(switcher(&html)) {
            let target = public
                .join(link[1].trim_start_matches('/'))
                .join("index.html");
            assert!(
                target.is_file(),
                "{path}: switcher link {} is dead",
                &link[1]
            );
            links += 1;
        }
    }
    assert!(pages >= 20, "only {pages} pages have a switcher");
    assert!(links > pages * 2, "only {links} links on {pages} pages");
}

#[test]
fn sidebar_entries_and_landing_cards_of_lines_carry_their_status() {
    let site = example_site_copy();
    build(&site);
    let install = site.read("public/dkp/konvoy/2.1/install/index.html");
    assert!(install.contains("<a href=\"/dkp/konvoy/2.1/\">2.1 <span class=\"line-status line-status-latest\">latest</span></a>"), "{install}");
    assert!(install.contains(">1.8 <span class=\"line-status line-status-expires-next\">ends with the next release</span></a>"), "{install}");
    let landing = site.read("public/dkp/kommander/index.html");
    assert!(landing.contains("<a class=\"card-link\" href=\"/dkp/kommander/1.3/\">1.3</a> <span class=\"line-status line-status-ended\">ended on 2021-11-19</span>"), "{landing}");
    assert!(landing.contains("<a class=\"card-link\" href=\"/dkp/kommander/2.1/\">2.1</a> <span class=\"line-status line-status-latest\">latest</span>"), "{landing}");
    let home = site.read("public/index.html");
    assert!(
        !home.contains("line-status"),
        "the home page shows products, not lines"
    );
}

#[test]
fn the_latest_line_moves_when_a_line_is_added_to_the_dataset() {
    let site = fixture();
    build(&site);
    let before = site.read("public/app/2.0/guide/index.html");
    assert!(entry(switcher(&before), "3.0").contains("line-status-latest"));
    assert!(
        site.read("public/app/latest/guide/deep/index.html")
            .contains("url=/app/3.0/guide/deep/")
    );

    site.write(
        "data/versions.yaml",
        &DATASET.replace(
            "      - {line: \"4.0\", status: unreleased}\n",
            "      - {line: \"4.0\", ga: 2023-05-01}\n",
        ),
    );
    site.write("content/app/4.0/index.md", "---\ntitle: App 4.0\n---\n");
    site.write(
        "content/app/4.0/guide/index.md",
        "---\ntitle: Guide 4.0\n---\n",
    );
    build(&site);
    let after = site.read("public/app/2.0/guide/index.html");
    let switcher = switcher(&after);
    assert!(
        entry(switcher, "4.0").contains("<a href=\"/app/4.0/guide/\">"),
        "{switcher}"
    );
    assert!(
        entry(switcher, "4.0").contains("line-status-latest"),
        "{switcher}"
    );
    assert!(
        entry(switcher, "3.0").contains("ends with the next release"),
        "{switcher}"
    );
    assert!(switcher.contains("App 2.0</span> <span class=\"line-status line-status-ended\">ended on 2023-05-01</span></summary>"), "{switcher}");
    assert!(
        site.read("public/app/latest/guide/index.html")
            .contains("url=/app/4.0/guide/")
    );
    let card = site.read("public/app/index.html");
    assert!(
        card.contains(
            "<a href=\"/app/4.0/\">App 4.0 <span class=\"line-status line-status-latest\">latest</span></a>"
        ),
        "{card}"
    );
    let policy = site.read("public/app/3.0/guide/deep/index.html");
    assert!(
        policy.contains("While App 3.0 was the current line, ACME supported App 3.0 and 2.0."),
        "{policy}"
    );
}

#[test]
fn policy_sentences_of_replaced_lines_speak_in_the_past() {
    let site = example_site_copy();
    build(&site);
    let ended = site.read("public/dkp/kommander/1.3/version-policy/index.html");
    assert!(ended.contains("banner-unsupported"));
    assert!(
        ended.contains(
            "While Kommander 1.3 was the current line, D2iQ supported Kommander 1.3, 1.2 and 1.1."
        ),
        "{ended}"
    );
    assert!(ended.contains("When Kommander 1.4 was released, support continued for 1.3 and 1.2 and ended for Kommander 1.1.x."), "{ended}");
    assert!(!ended.contains("D2iQ supports Kommander 1.3"), "{ended}");
    let current = site.read("public/dkp/kommander/2.1/version-policy/index.html");
    assert!(
        current.contains(
            "With Kommander 2.1 as the current line, D2iQ supports Kommander 2.1, 2.0 and 1.4."
        ),
        "{current}"
    );
}

/// The `<svg>` of the support timeline on a page.
/// The support timeline's `<svg>` (the theme has icons of its own before it).
fn timeline_svg(html: &str) -> &str {
    let start = html
        .find("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"")
        .expect("the timeline svg");
    let end = start + html[start..].find("</svg>").expect("closed") + "</svg>".len();
    &html[start..end]
}

#[test]
fn the_support_timeline_is_valid_accessible_svg() {
    let site = example_site_copy();
    build(&site);
    let landing = site.read("public/dkp/konvoy/index.html");
    let svg = timeline_svg(&landing);
    let mut reader = quick_xml::Reader::from_str(svg);
    let (mut depth, mut bars, mut title, mut today) = (0i32, 0, String::new(), false);
    let mut in_title = false;
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("invalid SVG: {e}\n{svg}"))
        {
            Event::Start(tag) | Event::Empty(tag) if tag.name().as_ref() == "svg" => {
                let attr = |name: &str| {
                    let value = tag.try_get_attribute(name).expect("attribute").expect(name);
                    value.value.to_string()
                };
                assert_eq!(attr("role"), "img");
                assert_eq!(attr("xmlns"), "http://www.w3.org/2000/svg");
                assert!(attr("aria-label").starts_with("Konvoy support timeline"));
                depth += 1;
            }
            Event::Start(tag) => {
                let name = tag.name().as_ref().to_string();
                bars += usize::from(name == "rect");
                in_title = name == "title" && depth == 1;
                depth += 1;
            }
            Event::Empty(tag) => {
                let class = tag.try_get_attribute("class").expect("attr");
                today |= class.is_some_and(|c| c.value == "tl-today");
            }
            Event::Text(text) if in_title => title = text.to_string(),
            Event::End(_) => {
                depth -= 1;
                in_title = false;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "every element is closed");
    assert_eq!(bars, 5, "one bar per dated Konvoy line");
    assert!(today, "the build date is marked");
    assert_eq!(title, format!("Konvoy support timeline on {AS_OF}"));
    assert!(landing.contains(&format!(">Built {AS_OF}</text>")));
}

#[test]
fn support_calendars_are_valid_icalendar_and_linked_from_the_landing_page() {
    let site = example_site_copy();
    build(&site);
    assert!(
        site.read("public/dkp/konvoy/index.html")
            .contains("<a href=\"/api/calendar/konvoy.ics\">Add these dates to your calendar</a>")
    );
    let ics = site.read("public/api/calendar/konvoy.ics");
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    for line in ics.split_inclusive('\n') {
        assert!(line.ends_with("\r\n"), "{line:?} does not end with CRLF");
        assert!(line.len() <= 77, "{line:?} is longer than 75 octets");
    }
    let calendar = icalendar::Calendar::from_str(&ics).expect("parses as iCalendar");
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    assert_eq!(events.len(), 7, "5 GA dates and 2 ended lines");
    let mut uids: Vec<&str> = events.iter().filter_map(|e| e.get_uid()).collect();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), 7, "unique UIDs");
    for event in &events {
        assert!(event.get_timestamp().is_some(), "DTSTAMP");
        assert!(
            matches!(event.get_start(), Some(DatePerhapsTime::Date(_))),
            "all-day"
        );
    }
    let end = events
        .iter()
        .find(|e| e.get_summary() == Some("End of support for Konvoy 1.6"))
        .expect("end of 1.6");
    assert!(
        matches!(end.get_start(), Some(DatePerhapsTime::Date(d)) if d.to_string() == "2021-08-26")
    );
    assert!(ics.contains(&format!("DTSTAMP:{}T000000Z", AS_OF.replace('-', ""))));
    let again = example_site_copy();
    build(&again);
    assert_eq!(
        again.read("public/api/calendar/konvoy.ics"),
        ics,
        "reproducible"
    );
}

#[test]
fn the_matrix_gives_ga_and_end_of_support_dates() {
    let site = example_site_copy();
    build(&site);
    let api: serde_json::Value =
        serde_json::from_str(&site.read("public/api/versions.json")).expect("json");
    let konvoy = &api["products"][0];
    let line = |name: &str| {
        konvoy["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .find(|l| l["line"] == name)
            .expect("line")
            .clone()
    };
    assert_eq!(line("1.6")["ga"], "2020-11-16");
    assert_eq!(line("1.6")["support_ends"], "2021-08-26");
    assert!(line("2.1")["support_ends"].is_null());
    let cli = site.folio(&["versions", "{root}", "--format", "json", "--as-of", AS_OF]);
    assert!(
        cli.expect_code(0)
            .stdout
            .contains("\"support_ends\": \"2021-11-18\"")
    );
}

#[test]
fn switcher_html_snapshot() {
    let site = fixture();
    build(&site);
    let html = site.read("public/app/3.0/guide/deep/index.html");
    insta::assert_snapshot!("version_switcher", switcher(&html));
}
