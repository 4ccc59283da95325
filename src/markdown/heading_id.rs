//! Heading ids: the text they are made from (what the reader sees of the heading,
//! shortcode output included), the two ways of making an id from it (`heading_ids:` in
//! folio.yaml), and the per-page counter that keeps them unique.
//!
//! The default, `markdown-it`, makes the ids the old Metalsmith sites made with
//! markdown-it-anchor 4 and string.js `slugify`, so links written against those sites
//! keep working: accented Latin letters lose their accents, anything but ASCII letters,
//! digits, `_`, `-` and spaces goes, and runs of spaces, `_` and `-` become one `-`.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use super::ShortcodeRenderer;
use super::html::escape;
use super::shortcode::{PLACEHOLDER_END, PLACEHOLDER_START, ShortcodeCall};
use crate::load::Page;

/// How heading ids are made from heading text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeadingIds {
    /// markdown-it-anchor 4 with string.js `slugify`: `Über naïve_test` -> `uber-naive-test`.
    #[default]
    MarkdownIt,
    /// Lowercase letters and digits of any script, words joined by `-`, `_` kept:
    /// `Über naïve_test` -> `über-naïve_test`.
    Github,
}

impl HeadingIds {
    /// The id `text` gets before it is made unique on the page; never empty.
    pub fn slug(self, text: &str) -> String {
        let slug = match self {
            HeadingIds::MarkdownIt => markdown_it_slug(text),
            HeadingIds::Github => github_slug(text),
        };
        if slug.is_empty() {
            "section".into()
        } else {
            slug
        }
    }
}

/// string.js `slugify`: latinise, drop `[^\w\s-]` (`\w` being ASCII), lowercase, trim,
/// runs of `_` and whitespace become `-`, runs of `-` one `-`, one leading `-` goes.
/// A trailing `-` stays, as it did on the old site (`Step_` -> `step-`).
fn markdown_it_slug(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    for c in text.chars() {
        if is_word_space_or_dash(c) {
            kept.push(c);
        } else if is_latin_letter(c) {
            let latin = deunicode::deunicode_char(c).unwrap_or("");
            kept.extend(latin.chars().filter(|l| is_word_space_or_dash(*l)));
        }
    }
    let mut slug = String::with_capacity(kept.len());
    for c in kept.trim().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    match slug.strip_prefix('-') {
        Some(rest) => rest.to_string(),
        None => slug,
    }
}

/// What `[\w\s-]` matches in JavaScript: ASCII letters, digits and `_`, `-`, whitespace.
fn is_word_space_or_dash(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c.is_whitespace()
}

/// A letter of the Latin script beyond ASCII: the letters string.js `latinise` maps.
/// Other scripts (and signs like `×`) are dropped, as `[^\w\s-]` dropped them.
fn is_latin_letter(c: char) -> bool {
    let latin_block = matches!(
        c as u32,
        0x00C0..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF
    );
    latin_block && c.is_alphabetic()
}

/// Lowercase words joined by `-`; letters of every script, digits and `_` kept.
fn github_slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            slug.push(c);
        } else if (c.is_whitespace() || c == '-' || c == '.')
            && !slug.ends_with('-')
            && !slug.is_empty()
        {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// The ids given out on one page. The second heading with the same text gets `-2`, the
/// third `-3` (markdown-it-anchor's rule); a numbered id a heading already holds is
/// skipped. Each base id keeps its next number, so a page of many equal headings costs
/// one lookup per heading.
#[derive(Debug, Default)]
pub struct PageIds {
    taken: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

impl PageIds {
    /// `base`, or `base-N` with the next free N when the page already has `base`.
    pub fn unique(&mut self, base: String) -> String {
        if !self.taken.contains(&base) && !self.next_suffix.contains_key(&base) {
            self.next_suffix.insert(base.clone(), 2);
            self.taken.insert(base.clone());
            return base;
        }
        let next = self.next_suffix.entry(base.clone()).or_insert(2);
        let mut candidate = format!("{base}-{next}");
        while self.taken.contains(&candidate) {
            *next += 1;
            candidate = format!("{base}-{next}");
        }
        *next += 1;
        self.taken.insert(candidate.clone());
        candidate
    }

    /// Every id given out.
    pub fn all(&self) -> &HashSet<String> {
        &self.taken
    }
}

/// `text` with each shortcode placeholder replaced by that shortcode's visible text, as
/// the reader sees the heading (and as the old site's anchors saw it: its shortcodes were
/// expanded before markdown-it-anchor read the heading's text).
pub fn visible_text(text: &str, shortcode_text: &dyn Fn(usize) -> String) -> String {
    if !text.contains(PLACEHOLDER_START) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(PLACEHOLDER_START) {
        out.push_str(&rest[..start]);
        let after = &rest[start + PLACEHOLDER_START.len_utf8()..];
        let Some(end) = after.find(PLACEHOLDER_END) else {
            rest = after;
            continue;
        };
        if let Ok(index) = after[..end].parse::<usize>() {
            out.push_str(&shortcode_text(index));
        }
        rest = &after[end + PLACEHOLDER_END.len_utf8()..];
    }
    out.push_str(rest);
    let words: Vec<&str> = out.split_whitespace().collect();
    words.join(" ")
}

/// The text a reader sees of `call` once rendered: its HTML without tags, entities and
/// runs of whitespace. Empty when it fails to render (the page's render reports that).
pub fn shortcode_text(
    shortcodes: &dyn ShortcodeRenderer,
    call: &ShortcodeCall,
    page: &Page,
) -> String {
    let body = call.body.as_deref().map(escape).unwrap_or_default();
    let html = shortcodes.render(call, &body, page).unwrap_or_default();
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn old(text: &str) -> String {
        HeadingIds::MarkdownIt.slug(text)
    }

    #[test]
    fn old_site_slugs_of_the_issue() {
        assert_eq!(old("Konvoy 2.1.x <-> Kommander"), "konvoy-21x-kommander");
        assert_eq!(old("Über naïve_test"), "uber-naive-test");
    }

    #[test]
    fn old_site_slugs_follow_string_js() {
        assert_eq!(old("  Install   Konvoy  "), "install-konvoy");
        assert_eq!(old("What's new?"), "whats-new");
        assert_eq!(old("Done !"), "done");
        assert_eq!(old("a -- b"), "a-b");
        assert_eq!(old("_private"), "private");
        assert_eq!(old("Step_"), "step-");
        assert_eq!(old("Straße, Æther & Łódź"), "strasse-aether-lodz");
        assert_eq!(old("2 × 3 Ключ"), "2-3");
        assert_eq!(old("kubectl get pods -A"), "kubectl-get-pods-a");
        assert_eq!(old("CamelCase API"), "camelcase-api");
        assert_eq!(old("???"), "section");
    }

    #[test]
    fn github_slugs_keep_words_and_drop_punctuation() {
        let github = |t: &str| HeadingIds::Github.slug(t);
        assert_eq!(
            github("Install Konvoy 2.1 (air-gapped)!"),
            "install-konvoy-2-1-air-gapped"
        );
        assert_eq!(github("Über naïve_test"), "über-naïve_test");
        assert_eq!(github("???"), "section");
    }

    #[test]
    fn repeats_count_up_from_two_and_skip_taken_ids() {
        let mut ids = PageIds::default();
        let given: Vec<String> = ["a", "a", "a-3", "a", "a"]
            .into_iter()
            .map(|b| ids.unique(b.to_string()))
            .collect();
        assert_eq!(given, ["a", "a-2", "a-3", "a-4", "a-5"]);
    }

    #[test]
    fn many_equal_headings_take_linear_time() {
        let mut ids = PageIds::default();
        for _ in 0..50_000 {
            ids.unique("setup".to_string());
        }
        assert_eq!(ids.all().len(), 50_000);
        assert!(ids.all().contains("setup-50000"));
    }
}
