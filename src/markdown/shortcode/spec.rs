//! The attributes folio's own shortcode templates take, so a misspelt attribute or an
//! unknown value (`[message type=nte]`) is an error at the tag instead of a box that
//! quietly looks wrong. Only built-in templates are checked: a site that writes its own
//! `templates/shortcodes/NAME.html` decides what it accepts.

use super::tag::{Attr, TagError};

/// One built-in shortcode: its attributes (`None`: any text) and what a lone `[name]`
/// (no `/`, no `[/name]`) is.
#[derive(Debug)]
pub struct Spec {
    pub name: &'static str,
    pub attrs: &'static [(&'static str, Option<&'static [&'static str]>)],
    pub lone: Lone,
}

/// What a lone tag of a built-in shortcode is; in every case a lone tag in a sentence
/// with no attributes that is not [`Lone::Inline`] is prose (`use the [search] box`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lone {
    /// The shortcode, anywhere (`[oss]`).
    Inline,
    /// The shortcode on a line of its own or with attributes (`[search]`).
    OwnLine,
    /// An error on a line of its own or with attributes: it wraps a body (`[message]`).
    NeedsBody,
}

const BADGE_ATTRS: &[(&str, Option<&[&str]>)] = &[
    ("type", Some(&["inline", "block"])),
    ("size", Some(&["small", "medium", "large"])),
];

const fn badge(name: &'static str) -> Spec {
    Spec {
        name,
        attrs: BADGE_ATTRS,
        lone: Lone::Inline,
    }
}

/// Every built-in shortcode with attributes to check, by lowercase name.
const SPECS: &[Spec] = &[
    badge("beta"),
    badge("community"),
    badge("enterprise"),
    badge("experimental"),
    badge("oss"),
    badge("preview"),
    badge("techpreview"),
    Spec {
        name: "message",
        attrs: &[
            (
                "type",
                Some(&["note", "info", "warning", "important", "danger", "success"]),
            ),
            ("label", None),
            ("title", None),
        ],
        lone: Lone::NeedsBody,
    },
    Spec {
        name: "button",
        attrs: &[("color", None), ("href", None)],
        lone: Lone::NeedsBody,
    },
    Spec {
        name: "search",
        attrs: &[],
        lone: Lone::OwnLine,
    },
];

/// The spec of a built-in shortcode, by lowercase name.
pub fn of(name: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.name == name)
}

impl Spec {
    /// Checks every attribute; values of a fixed set are lowercased (`type=Note`).
    pub fn check(&self, attrs: &mut [Attr]) -> Result<(), TagError> {
        for attr in attrs {
            let Some((_, allowed)) = self.attrs.iter().find(|(key, _)| *key == attr.key) else {
                return Err(self.unknown_attribute(attr));
            };
            if let Some(allowed) = allowed {
                let value = attr.value.to_ascii_lowercase();
                if !allowed.contains(&value.as_str()) {
                    return Err(self.unknown_value(attr, allowed));
                }
                attr.value = value;
            }
        }
        Ok(())
    }

    fn unknown_attribute(&self, attr: &Attr) -> TagError {
        let keys: Vec<&str> = self.attrs.iter().map(|(key, _)| *key).collect();
        let help = match keys.as_slice() {
            [] => format!("`[{}]` takes no attributes: remove it", self.name),
            keys => format!("`[{}]` takes {}", self.name, keys.join(", ")),
        };
        TagError {
            code: "shortcode-attribute",
            at: attr.key_at,
            len: attr.key.len(),
            message: format!("`[{}]` has no attribute `{}`", self.name, attr.key),
            help,
        }
    }

    fn unknown_value(&self, attr: &Attr, allowed: &[&str]) -> TagError {
        TagError {
            code: "shortcode-attribute",
            at: attr.value_at,
            len: attr.value_len,
            message: format!("`[{}]` has no {} `{}`", self.name, attr.key, attr.value),
            help: format!("use {}=", attr.key)
                + &allowed
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(key: &str, value: &str) -> Attr {
        Attr {
            key: key.into(),
            value: value.into(),
            key_at: 3,
            value_at: 10,
            value_len: value.len() + 2,
        }
    }

    #[test]
    fn known_values_pass_and_are_lowercased() {
        let mut attrs = [attr("type", "Note"), attr("label", "Heads up")];
        assert_eq!(of("message").expect("built in").check(&mut attrs), Ok(()));
        assert_eq!(attrs[0].value, "note");
        assert_eq!(attrs[1].value, "Heads up");
    }

    #[test]
    fn an_unknown_value_points_at_the_value() {
        let error = of("oss")
            .expect("built in")
            .check(&mut [attr("size", "huge")])
            .expect_err("no such size");
        assert_eq!(error.message, "`[oss]` has no size `huge`");
        assert_eq!((error.at, error.len), (10, 6));
        assert_eq!(error.help, "use size=`small`, `medium`, `large`");
    }

    #[test]
    fn an_unknown_attribute_points_at_its_key() {
        let error = of("techpreview")
            .expect("built in")
            .check(&mut [attr("colour", "red")])
            .expect_err("no such attribute");
        assert_eq!(error.message, "`[techpreview]` has no attribute `colour`");
        assert_eq!((error.at, error.len), (3, 6));
        assert_eq!(error.help, "`[techpreview]` takes type, size");
    }
}
