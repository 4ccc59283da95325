//! Shortcodes: `[name attr="v"]body[/name]`, `[name attr=v /]`, and `[name attr=v]` with
//! no closing tag further on (the old site's inline form: `[oss]`). Names are
//! case-insensitive. Tags are cut out of the markdown before pulldown-cmark runs and
//! replaced by placeholders; a wrapper's body stays in place between an opening and a
//! closing placeholder, so it is the page's own markdown (its headings reach the table of
//! contents, its reference links find the page's definitions), and [`assemble`] wraps the
//! body's HTML afterwards. Text in code is never a shortcode, and neither is a markdown link
//! (`[Enterprise](../license)`, `[oss][ref]`, `[oss]: url`, `[oss]` when the page defines
//! `[oss]:`) nor a bracket whose name no template knows (`[x]`).

mod assemble;
mod scan;
mod shield;
mod spec;
mod tag;

use indexmap::IndexMap;
pub use shield::Shield;

pub use assemble::{RenderCall, assemble};
pub use scan::extract;
pub use tag::TagError;

/// Placeholder delimiters: private-use characters that markdown leaves alone.
pub const PLACEHOLDER_START: char = '\u{E000}';
pub const PLACEHOLDER_END: char = '\u{E001}';

/// One use of a shortcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortcodeCall {
    /// Lowercase.
    pub name: String,
    pub attrs: IndexMap<String, String>,
    /// The markdown between the tags; `None` for a tag with no closing tag.
    pub body: Option<String>,
    /// True when the tags stand on lines of their own: the result is a block.
    pub block: bool,
    /// Where the opening tag is in the scanned text (0-based byte offset).
    pub offset: usize,
}

/// A shortcode-shaped tag naming no shortcode, at a byte offset of the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortcodeError {
    pub offset: usize,
    pub len: usize,
    pub name: String,
}

/// What a placeholder stands for: a call with no body, or one end of a wrapper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    Whole(usize),
    Open(usize),
    Close(usize),
}

impl Piece {
    /// The index of its call.
    pub fn call(self) -> usize {
        match self {
            Piece::Whole(call) | Piece::Open(call) | Piece::Close(call) => call,
        }
    }
}

/// Whose template renders a known name: folio's own are checked against their spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    Builtin,
    Site,
}

/// Markdown with shortcodes replaced by placeholders (placeholder `i` is `pieces[i]`).
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub text: String,
    pub calls: Vec<ShortcodeCall>,
    pub pieces: Vec<Piece>,
    pub unknown: Vec<ShortcodeError>,
    /// Malformed or misused tags of known shortcodes, left as text.
    pub errors: Vec<TagError>,
}

impl Extracted {
    /// Whether each call stands on lines of its own.
    pub fn blocks(&self) -> Vec<bool> {
        self.calls.iter().map(|c| c.block).collect()
    }
}

/// The placeholder for piece number `index`.
pub fn placeholder(index: usize) -> String {
    format!("{PLACEHOLDER_START}{index}{PLACEHOLDER_END}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(name: &str) -> Option<Template> {
        match name {
            "experimental" | "button" | "message" | "oss" | "enterprise" | "search" => {
                Some(Template::Builtin)
            }
            "swagger" => Some(Template::Site),
            _ => None,
        }
    }

    fn ph(i: usize) -> String {
        placeholder(i)
    }

    #[test]
    fn a_block_wrapper_keeps_its_body_in_place_between_two_placeholders() {
        let out = extract(
            "a\n[message type=\"warning\"]\n## Body\n[/message]\nb\n",
            &lookup,
        );
        assert_eq!(
            out.text,
            format!("a\n\n\n{}\n\n## Body\n\n\n{}\n\nb\n", ph(0), ph(1))
        );
        assert_eq!(out.pieces, [Piece::Open(0), Piece::Close(0)]);
        let call = &out.calls[0];
        assert_eq!(call.attrs.get("type").map(String::as_str), Some("warning"));
        assert_eq!(call.body.as_deref(), Some("\n## Body\n"));
        assert!(call.block);
    }

    #[test]
    fn inline_self_closing_and_tags_without_a_close() {
        let out = extract(
            "See [button color=purple href='/x']Go[/button], [oss /] or [OSS] and [swagger api='/x.yaml'].",
            &lookup,
        );
        assert_eq!(
            out.text,
            format!(
                "See {}Go{}, {} or {} and {}.",
                ph(0),
                ph(1),
                ph(2),
                ph(3),
                ph(4)
            )
        );
        assert!(out.calls.iter().all(|c| !c.block));
        assert_eq!(out.calls[2].name, "oss");
        assert_eq!(out.calls[3].body, None);
        assert_eq!(out.calls[3].name, "swagger");
        assert_eq!(out.calls[3].attrs["api"], "/x.yaml");
    }

    #[test]
    fn a_wrapper_in_a_quote_keeps_its_quote_markers() {
        let out = extract("> [enterprise]\n> ## Body\n> [/enterprise]\n", &lookup);
        assert_eq!(
            out.text,
            format!("> \n>\n> {}\n>\n> ## Body\n> \n>\n> {}\n>\n", ph(0), ph(1))
        );
        assert!(out.calls[0].block);
    }

    #[test]
    fn names_match_their_closing_tag_in_any_case() {
        let out = extract("[Enterprise]\nx\n[/enterprise]\n", &lookup);
        assert_eq!(out.pieces, [Piece::Open(0), Piece::Close(0)]);
        assert_eq!(out.calls[0].name, "enterprise");
    }

    #[test]
    fn a_closing_tag_inside_an_attribute_value_closes_nothing() {
        // Found by the fuzz smoke: the closing tag in the title was taken as the wrapper's end.
        let text = "[message type=\"info\" title=\"a [/message] b\"]\nBody\n[/message]\n";
        let out = extract(text, &lookup);
        assert_eq!(out.calls.len(), 1);
        assert_eq!(out.calls[0].body.as_deref(), Some("\nBody\n"));
        assert_eq!(
            out.calls[0].attrs.get("title").map(String::as_str),
            Some("a [/message] b")
        );
    }

    #[test]
    fn nested_wrappers_of_one_name_pair_up() {
        let out = extract("[oss]a [oss]b[/oss] c[/oss]", &lookup);
        assert_eq!(
            out.pieces,
            [
                Piece::Open(0),
                Piece::Open(1),
                Piece::Close(1),
                Piece::Close(0)
            ]
        );
        assert_eq!(out.calls[0].body.as_deref(), Some("a [oss]b[/oss] c"));
    }

    #[test]
    fn links_references_and_code_are_not_shortcodes() {
        for text in [
            "[Enterprise](../license)",
            "[kiali] and [kiali]: /k",
            "[oss][ref] and [oss][]\n\n[ref]: /r\n",
            "Read [oss].\n\n[oss]: https://example.com/oss\n",
            "`[message]x[/message]` and `[oss]`",
            "\\[message]x[/message] and ![oss]",
            "```\n[oss]\n```\n",
        ] {
            let out = extract(text, &lookup);
            assert!(out.calls.is_empty(), "{text}: {:?}", out.calls);
            assert!(out.errors.is_empty(), "{text}");
            assert_eq!(out.text, text);
        }
    }

    #[test]
    fn a_reference_link_body_is_kept() {
        let out = extract("See [experimental][Kiali][kiali][/experimental]", &lookup);
        assert_eq!(out.calls[0].body.as_deref(), Some("[Kiali][kiali]"));
        assert_eq!(out.text, format!("See {}[Kiali][kiali]{}", ph(0), ph(1)));
    }

    #[test]
    fn unknown_names_with_a_closing_tag_are_reported_and_prose_is_not() {
        let out = extract("x [warnbox]hi[/warnbox] and [x] and [y /]", &lookup);
        let names: Vec<&str> = out.unknown.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["warnbox", "y"]);
        assert_eq!((out.unknown[0].offset, out.unknown[0].len), (2, 9));
        assert!(out.calls.is_empty());
    }

    #[test]
    fn an_unclosed_message_on_its_own_line_or_with_attributes_is_an_error() {
        for text in ["[message]\nBody\n", "a [message type=note] b"] {
            let out = extract(text, &lookup);
            assert_eq!(out.errors.len(), 1, "{text}");
            assert_eq!(out.errors[0].message, "`[message]` is never closed");
            assert!(out.calls.is_empty());
        }
        assert!(extract("the [message] field", &lookup).errors.is_empty());
        let prose = extract("Use the [search] box.", &lookup);
        assert!(prose.calls.is_empty() && prose.errors.is_empty());
        assert_eq!(extract("[search]\n", &lookup).calls.len(), 1);
    }

    #[test]
    fn a_bad_attribute_of_a_builtin_is_an_error_and_of_a_site_shortcode_is_not() {
        let out = extract("[oss size=huge]\n[swagger size=huge]", &lookup);
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].code, "shortcode-attribute");
        assert_eq!(out.errors[0].at, 10);
        assert_eq!(out.calls.len(), 1);
        assert_eq!(out.calls[0].name, "swagger");
    }

    #[test]
    fn malformed_tags_are_errors_for_known_names_only() {
        let out = extract(
            "[message label=\"a \\\"b\\\"\"]x[/message] [note label=\"a \\\"b\\\"\"]",
            &lookup,
        );
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].code, "shortcode-syntax");
        assert!(out.calls.is_empty());
    }
}
