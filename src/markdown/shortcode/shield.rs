//! Pages whose own text holds U+E000 or U+E001, the characters shortcode placeholders are
//! made of: while the page goes through the markdown stage, those characters stand as two
//! other private-use characters the page does not hold (same length in UTF-8, so every
//! offset stays), and come back in the finished HTML. No text can then be taken for a
//! placeholder.

use super::{PLACEHOLDER_END, PLACEHOLDER_START};
use crate::markdown::TocEntry;

/// The stand-ins of one page.
#[derive(Debug, Clone, Copy)]
pub struct Shield {
    start: char,
    end: char,
}

impl Shield {
    /// The stand-ins for `text`, when it holds a placeholder character.
    pub fn for_text(text: &str) -> Option<Shield> {
        if !text.contains([PLACEHOLDER_START, PLACEHOLDER_END]) {
            return None;
        }
        // The private-use area past the placeholders has 6,000 characters; a page holds
        // far fewer, so two are free.
        let mut free = ('\u{E010}'..='\u{F8FF}').filter(|c| !text.contains(*c));
        Some(Shield {
            start: free.next()?,
            end: free.next()?,
        })
    }

    /// `text` with the placeholder characters replaced by their stand-ins.
    pub fn hide(&self, text: &str) -> String {
        text.replace(PLACEHOLDER_START, &self.start.to_string())
            .replace(PLACEHOLDER_END, &self.end.to_string())
    }

    /// `html` with the page's own characters back.
    pub fn restore(&self, html: &str) -> String {
        html.replace(self.start, &PLACEHOLDER_START.to_string())
            .replace(self.end, &PLACEHOLDER_END.to_string())
    }

    /// The table of contents with the page's own characters back in its titles.
    pub fn restore_toc(&self, toc: Vec<TocEntry>) -> Vec<TocEntry> {
        toc.into_iter()
            .map(|entry| TocEntry {
                title: self.restore(&entry.title),
                children: self.restore_toc(entry.children),
                ..entry
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_holding_placeholder_characters_gets_them_back_and_offsets_stay() {
        let text = "a \u{E000}7\u{E001} b \u{E010}";
        let shield = Shield::for_text(text).expect("needed");
        let hidden = shield.hide(text);
        assert_eq!(hidden.len(), text.len());
        assert!(!hidden.contains([PLACEHOLDER_START, PLACEHOLDER_END]));
        assert!(
            hidden.contains('\u{E010}'),
            "the page's own characters stay"
        );
        assert_eq!(shield.restore(&hidden), text);
        assert!(Shield::for_text("plain").is_none());
    }
}
