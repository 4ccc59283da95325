//! One opening tag, `[name key=value ...]` or `[name ... /]`: its name (lowercased, since
//! names are case-insensitive), its attributes with where each sits, and where it ends.
//! A value is a bare word or number, or a single- or double-quoted string on one line.
//! Brackets that are plainly prose (`[x]`, `[search algorithm]`) are not a tag; a tag that
//! starts like one and then goes wrong (`label="a \"b\""`) is [`Parsed::Malformed`], which
//! the caller reports for a known name and leaves as text for any other.

/// One attribute, with byte offsets into the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub key: String,
    pub value: String,
    pub key_at: usize,
    pub value_at: usize,
    pub value_len: usize,
}

/// A well-formed opening tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenTag {
    /// Lowercase.
    pub name: String,
    pub attrs: Vec<Attr>,
    pub self_closing: bool,
    /// Byte offset just after the closing `]`.
    pub end: usize,
}

/// What went wrong in a tag, at a byte offset of the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagError {
    pub code: &'static str,
    pub at: usize,
    pub len: usize,
    pub message: String,
    pub help: String,
}

/// What the text at a `[` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    Tag(OpenTag),
    /// Prose in brackets, a link, anything that does not start like a tag.
    NotATag,
    /// `name` started a tag that then breaks the tag syntax.
    Malformed {
        name: String,
        error: TagError,
    },
}

/// Reads the tag whose `[` is at `start`.
pub fn parse(text: &str, start: usize) -> Parsed {
    let mut cursor = Cursor {
        text,
        at: start + 1,
    };
    let name = cursor.take_while(is_word_char);
    let after_name = cursor.peek();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic())
        || !matches!(after_name, Some(' ' | '\t' | ']' | '/'))
    {
        return Parsed::NotATag;
    }
    let name = name.to_ascii_lowercase();
    match cursor.tag_rest() {
        Ok(Some((attrs, self_closing))) => Parsed::Tag(OpenTag {
            name,
            attrs,
            self_closing,
            end: cursor.at,
        }),
        Ok(None) => Parsed::NotATag,
        Err(error) => Parsed::Malformed {
            error: syntax_error(&name, error),
            name,
        },
    }
}

fn syntax_error(name: &str, (at, len, message, help): Problem) -> TagError {
    TagError {
        code: "shortcode-syntax",
        at,
        len,
        message: format!("malformed `[{name}]` tag: {message}"),
        help,
    }
}

pub(super) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Where, how long, what, and how to fix it.
type Problem = (usize, usize, String, String);

struct Cursor<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Cursor<'t> {
    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'t str {
        let rest = &self.text[self.at..];
        let len = rest.find(|c| !keep(c)).unwrap_or(rest.len());
        self.at += len;
        &rest[..len]
    }

    fn eat(&mut self, literal: &str) -> bool {
        let found = self.text[self.at..].starts_with(literal);
        if found {
            self.at += literal.len();
        }
        found
    }

    /// The attributes and the end of the tag. `Ok(None)`: prose, not a tag (no
    /// attribute has been read and what follows is not `key=`).
    fn tag_rest(&mut self) -> Result<Option<(Vec<Attr>, bool)>, Problem> {
        let mut attrs: Vec<Attr> = Vec::new();
        loop {
            let spaced = !self.take_while(|c| c == ' ' || c == '\t').is_empty();
            if self.eat("/]") {
                return Ok(Some((attrs, true)));
            }
            if self.eat("]") {
                return Ok(Some((attrs, false)));
            }
            let looks_like_attr = self.text[self.at..]
                .trim_start_matches(is_word_char)
                .starts_with('=');
            if !looks_like_attr || (!spaced && attrs.is_empty()) {
                return match attrs.last() {
                    None => Ok(None),
                    Some(_) => Err(self.unexpected()),
                };
            }
            if !spaced {
                return Err((
                    self.at,
                    1,
                    "attributes must be separated by a space".into(),
                    "put a space before each `key=value`".into(),
                ));
            }
            attrs.push(self.attribute()?);
        }
    }

    /// Anything but an attribute, `]` or `/]` after an attribute.
    fn unexpected(&self) -> Problem {
        match self.peek() {
            None | Some('\n' | '\r') => (
                self.at.saturating_sub(1),
                1,
                "the tag does not end with `]` on its line".into(),
                "end the tag with `]` (or `/]`) on the line it starts".into(),
            ),
            Some(c) => (
                self.at,
                c.len_utf8(),
                format!("expected `key=value`, `]` or `/]`, found `{c}`"),
                "write attributes as `key=value`, `key=\"some text\"` or `key='some text'`".into(),
            ),
        }
    }

    /// `key=value`, `key="value"` or `key='value'`; the cursor is at the key.
    fn attribute(&mut self) -> Result<Attr, Problem> {
        let key_at = self.at;
        let key = self.take_while(is_word_char).to_string();
        self.eat("=");
        let value_at = self.at;
        let value = match self.peek() {
            Some(quote @ ('"' | '\'')) => self.quoted(&key, quote)?,
            _ => self.bare(&key)?,
        };
        let value_len = self.at - value_at;
        Ok(Attr {
            key,
            value,
            key_at,
            value_at,
            value_len,
        })
    }

    fn quoted(&mut self, key: &str, quote: char) -> Result<String, Problem> {
        let open = self.at;
        self.at += 1;
        let value = self.take_while(|c| c != quote && c != '\n').to_string();
        if !self.eat(&quote.to_string()) {
            return Err((
                open,
                self.at - open,
                format!("the quoted value of `{key}` is never closed on its line"),
                format!("end the value with `{quote}`"),
            ));
        }
        let ends_tag_or_attr = matches!(self.peek(), None | Some(' ' | '\t' | ']' | '/'));
        if value.ends_with('\\') && !ends_tag_or_attr {
            let other = if quote == '"' { '\'' } else { '"' };
            return Err((
                self.at - 2,
                2,
                format!("`\\{quote}` does not escape a quote: the value of `{key}` ends there"),
                format!(
                    "put the value in {} quotes (`{key}={other}say {quote}hi{quote}{other}`), or write `&quot;`",
                    if other == '\'' { "single" } else { "double" }
                ),
            ));
        }
        Ok(value)
    }

    fn bare(&mut self, key: &str) -> Result<String, Problem> {
        let start = self.at;
        let value = self.take_while(|c| !c.is_whitespace() && c != ']' && c != '"' && c != '\'');
        let value = value.strip_suffix('/').filter(|_| self.peek() == Some(']'));
        let value = match value {
            Some(trimmed) => {
                self.at -= 1;
                trimmed
            }
            None => &self.text[start..self.at],
        };
        if value.is_empty() {
            return Err((
                start.saturating_sub(1),
                1,
                format!("`{key}=` has no value"),
                format!("write `{key}=value` or `{key}=\"some text\"`"),
            ));
        }
        if matches!(self.peek(), Some('"' | '\'')) {
            return Err(self.unexpected());
        }
        Ok(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(text: &str) -> OpenTag {
        match parse(text, 0) {
            Parsed::Tag(tag) => tag,
            other => panic!("{text}: {other:?}"),
        }
    }

    fn error(text: &str) -> TagError {
        match parse(text, 0) {
            Parsed::Malformed { error, .. } => error,
            other => panic!("{text}: {other:?}"),
        }
    }

    fn values(tag: &OpenTag) -> Vec<(&str, &str)> {
        tag.attrs
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()))
            .collect()
    }

    #[test]
    fn every_kind_of_value_is_read() {
        let t = tag("[Swagger api='/x.yaml' title=\"A b\" size=small n=2 /]");
        assert_eq!(t.name, "swagger");
        assert!(t.self_closing);
        assert_eq!(
            values(&t),
            [
                ("api", "/x.yaml"),
                ("title", "A b"),
                ("size", "small"),
                ("n", "2")
            ]
        );
        let api = &t.attrs[0];
        assert_eq!((api.key_at, api.value_at, api.value_len), (9, 13, 9));
    }

    #[test]
    fn a_bare_value_may_touch_the_closing_slash() {
        let t = tag("[oss size=small/]");
        assert!(t.self_closing);
        assert_eq!(values(&t), [("size", "small")]);
        assert_eq!(tag("[a href=/x/y]").attrs[0].value, "/x/y");
    }

    #[test]
    fn prose_in_brackets_is_not_a_tag() {
        for text in [
            "[x]y",
            "[search algorithm]",
            "[1]",
            "[a.b]",
            "[don't]",
            "[ oss]",
        ] {
            let parsed = parse(text, 0);
            assert!(
                parsed == Parsed::NotATag
                    || matches!(&parsed, Parsed::Tag(t) if t.attrs.is_empty()),
                "{text}: {parsed:?}"
            );
        }
        assert_eq!(parse("[search algorithm]", 0), Parsed::NotATag);
        assert_eq!(parse("[oss", 0), Parsed::NotATag);
    }

    #[test]
    fn a_backslash_quote_is_an_error_at_the_quote() {
        let e = error("[message label=\"say \\\"hi\\\"\"]");
        assert_eq!(e.code, "shortcode-syntax");
        assert_eq!((e.at, e.len), (20, 2));
        assert!(e.message.contains("does not escape"), "{}", e.message);
        assert!(e.help.contains("single quotes"), "{}", e.help);
    }

    #[test]
    fn broken_attributes_are_errors() {
        assert!(
            error("[message type=\"note]")
                .message
                .contains("never closed")
        );
        assert!(
            error("[message type=note\nx")
                .message
                .contains("does not end")
        );
        assert!(error("[message type= ]").message.contains("no value"));
        assert!(
            error("[message type=note title]")
                .message
                .contains("found `t`")
        );
        assert!(
            error("[message type=a\"b\"]")
                .message
                .contains("found `\"`")
        );
    }
}
