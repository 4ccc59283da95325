//! Front matter: the YAML block between `---` lines at the top of a page. Known keys are
//! typed and checked; every key, known or not, stays reachable from templates.

use std::path::Path;

use indexmap::IndexMap;
use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, Position};

/// The keys folio understands, as writers spell them.
pub const KNOWN_KEYS: &[&str] = &[
    "layout",
    "title",
    "navigationTitle",
    "menuWeight",
    "excerpt",
    "beta",
    "enterprise",
    "draft",
    "product",
    "line",
    "aliases",
    "render",
    "model",
];

/// The typed front matter of one page.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub layout: Option<String>,
    pub title: Option<String>,
    pub navigation_title: Option<String>,
    pub menu_weight: Option<i64>,
    pub excerpt: Option<String>,
    pub beta: bool,
    pub enterprise: bool,
    pub draft: bool,
    /// Overrides the product and release line the page's folder maps to.
    pub product: Option<String>,
    pub line: Option<String>,
    /// Old paths of a moved page, each redirected to it (checked in `load::aliases`).
    pub aliases: Vec<String>,
    /// `render: mustache`: the body is a Mustache template (see `markdown::mustache`).
    pub mustache: bool,
    /// The Mustache page's data file, as written (`model: api.yaml`).
    pub model: Option<String>,
    /// Every key as written, for templates.
    pub all: IndexMap<String, Value>,
    /// Where each key is written, to point later errors (an unknown layout) at it.
    pub key_positions: Vec<(String, Position)>,
}

impl FrontMatter {
    pub fn position_of(&self, key: &str) -> Option<Position> {
        self.key_positions
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, p)| *p)
    }
}

/// A page's text cut into its front matter block and its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences, if the page has a block.
    pub yaml: Option<&'a str>,
    pub body: &'a str,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
}

/// Cuts `text` (already without BOM and CR) at its front matter fences.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| opening_with_spaces(text))
    else {
        return Ok(Split {
            yaml: None,
            body: text,
            body_line: 1,
        });
    };
    let open_len = text.len() - after_open.len();
    let mut offset = 0;
    for (index, line) in after_open.split_inclusive('\n').enumerate() {
        if matches!(line.trim_end(), "---" | "...") {
            let body = &after_open[offset + line.len()..];
            let yaml = &text[open_len..open_len + offset];
            return Ok(Split {
                yaml: Some(yaml),
                body,
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        "front-matter-unclosed",
        "front matter opened with `---` is never closed",
    )
    .at(text, Position::new(1, 1, 3))
    .with_help("add a line `---` after the last front matter key"))
}

fn opening_with_spaces(text: &str) -> Option<&str> {
    let (first, rest) = text.split_once('\n')?;
    (first.trim_end() == "---").then_some(rest)
}

/// Parses and checks a front matter block. Problems with single keys are pushed to
/// `diags` and the rest of the block is still used.
pub fn parse(
    yaml: &str,
    file: &Path,
    source: &str,
    diags: &mut Diagnostics,
) -> Option<FrontMatter> {
    if yaml.trim().is_empty() {
        return Some(FrontMatter::default());
    }
    let map = match crate::yaml::parse::<IndexMap<String, Value>>(
        yaml,
        file,
        source,
        2,
        "front-matter-yaml",
    ) {
        Ok(map) => map,
        Err(mut diagnostic) => {
            // The YAML error's own help is more precise when it has one.
            diagnostic.help.get_or_insert_with(|| {
                "front matter must be a YAML mapping of `key: value` lines".into()
            });
            diags.push(diagnostic);
            return None;
        }
    };
    let keys = KeyLines::find(yaml);
    let typed = Typed {
        file,
        source,
        keys: &keys,
    };
    Some(typed.front_matter(map, diags))
}

/// Where each top-level key of the block is written, to point errors at it.
struct KeyLines(Vec<(String, Position)>);

impl KeyLines {
    fn find(yaml: &str) -> KeyLines {
        let mut found = Vec::new();
        for (index, line) in yaml.lines().enumerate() {
            if line.starts_with([' ', '\t', '#', '-']) {
                continue;
            }
            if let Some((key, _)) = line.split_once(':') {
                let key = key.trim().trim_matches(['"', '\'']);
                found.push((
                    key.to_string(),
                    Position::new(index + 2, 1, key.chars().count()),
                ));
            }
        }
        KeyLines(found)
    }

    fn position(&self, key: &str) -> Option<Position> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, p)| *p)
    }
}

struct Typed<'a> {
    file: &'a Path,
    source: &'a str,
    keys: &'a KeyLines,
}

impl Typed<'_> {
    fn front_matter(&self, map: IndexMap<String, Value>, diags: &mut Diagnostics) -> FrontMatter {
        let mut fm = FrontMatter::default();
        for (key, value) in &map {
            let result = match key.as_str() {
                "layout" => self.text(key, value).map(|v| fm.layout = Some(v)),
                "title" => self.string(key, value).map(|v| fm.title = Some(v)),
                "navigationTitle" => self
                    .string(key, value)
                    .map(|v| fm.navigation_title = Some(v)),
                "excerpt" => self.text(key, value).map(|v| fm.excerpt = Some(v)),
                "product" => self.text(key, value).map(|v| fm.product = Some(v)),
                "line" => self.text(key, value).map(|v| fm.line = Some(v)),
                "menuWeight" => self.integer(value).map(|v| fm.menu_weight = Some(v)),
                "beta" => self.boolean(value).map(|v| fm.beta = v),
                "enterprise" => self.boolean(value).map(|v| fm.enterprise = v),
                "draft" => self.boolean(value).map(|v| fm.draft = v),
                "aliases" => self.string_list(value).map(|v| fm.aliases = v),
                "render" => self.render(value).map(|v| fm.mustache = v),
                "model" => self.text(key, value).map(|v| fm.model = Some(v)),
                other => {
                    self.check_typo(other, diags);
                    Ok(())
                }
            };
            if let Err((expected, help)) = result {
                diags.push(self.type_error(key, value, expected, help));
            }
        }
        fm.all = map;
        fm.key_positions = self.keys.0.clone();
        fm
    }

    /// Text, or a number taken as the text it is written as (`navigationTitle: 404`,
    /// `title: 1.3`). A number YAML reads as something else is refused: unquoted `1.20`
    /// is 1.2, so the page would show another text.
    fn string(&self, key: &str, value: &Value) -> Result<String, (&'static str, String)> {
        match value {
            Value::Number(n) if self.written_value(key) == Some(n.to_string()) => Ok(n.to_string()),
            _ => self.text(key, value),
        }
    }

    /// Text only: a number here is a version or a word typed without quotes.
    fn text(&self, key: &str, value: &Value) -> Result<String, (&'static str, String)> {
        match value {
            Value::String(s) => Ok(s.clone()),
            Value::Null => Ok(String::new()),
            Value::Number(_) => {
                let written = self.written_value(key).unwrap_or_else(|| value.to_string());
                Err((
                    "text in quotes",
                    format!(
                        "YAML reads unquoted {written} as a number; write `{key}: \"{written}\"`"
                    ),
                ))
            }
            _ => Err((
                "a text value",
                format!("write the value on the same line, e.g. `{key}: ...`"),
            )),
        }
    }

    /// The value of top-level `key` as written in the block (`1.20`, not 1.2).
    fn written_value(&self, key: &str) -> Option<String> {
        let line = self.keys.position(key)?.line;
        let text = self.source.lines().nth(line - 1)?;
        let (_, value) = text.split_once(':')?;
        let value = value.split(" #").next().unwrap_or(value).trim();
        (!value.is_empty()).then(|| value.to_string())
    }

    fn integer(&self, value: &Value) -> Result<i64, (&'static str, String)> {
        value.as_i64().ok_or_else(|| {
            let help = match value {
                Value::String(s) if s.trim().parse::<i64>().is_ok() => {
                    format!("remove the quotes: `menuWeight: {}`", s.trim())
                }
                _ => "use a whole number such as `menuWeight: 10`; `-1` hides the page from navigation".into(),
            };
            ("a whole number", help)
        })
    }

    fn string_list(&self, value: &Value) -> Result<Vec<String>, (&'static str, String)> {
        let help = || "write the old paths as a list, e.g. `aliases: [old/path/]`".to_string();
        let Value::Array(items) = value else {
            return Err(("a list of paths", help()));
        };
        let texts = items.iter().map(|item| item.as_str().map(str::to_string));
        texts
            .collect::<Option<Vec<_>>>()
            .ok_or(("a list of paths (text, one per old URL)", help()))
    }

    /// `render: mustache`, the one engine pages can ask for.
    fn render(&self, value: &Value) -> Result<bool, (&'static str, String)> {
        match value.as_str().map(str::trim) {
            Some("mustache") => Ok(true),
            _ => Err((
                "`mustache`",
                "`render: mustache` renders the page as a Mustache template with its front matter and `model` file as the view; remove `render` for a plain markdown page".into(),
            )),
        }
    }

    fn boolean(&self, value: &Value) -> Result<bool, (&'static str, String)> {
        value.as_bool().ok_or((
            "`true` or `false`",
            "write `true` or `false` without quotes".into(),
        ))
    }

    fn type_error(&self, key: &str, value: &Value, expected: &str, help: String) -> Diagnostic {
        let found = match value {
            Value::String(s) => format!("the text `{s}`"),
            Value::Array(_) => "a list".into(),
            Value::Number(_) => format!(
                "the number `{}`",
                self.written_value(key).unwrap_or_else(|| value.to_string())
            ),
            Value::Object(_) => "a mapping".into(),
            other => format!("`{other}`"),
        };
        self.at_key(
            key,
            Diagnostic::error(
                "front-matter-type",
                format!("`{key}` must be {expected}, found {found}"),
            ),
        )
        .with_help(help)
    }

    fn check_typo(&self, key: &str, diags: &mut Diagnostics) {
        if let Some(known) = did_you_mean(key) {
            let message = format!(
                "unknown front matter key `{key}`; it looks like a misspelling of `{known}`"
            );
            let warning = Diagnostic::warning("front-matter-typo", message).with_help(format!(
                "did you mean `{known}`? Rename it, or folio ignores this value"
            ));
            diags.push(self.at_key(key, warning));
        }
    }

    fn at_key(&self, key: &str, diagnostic: Diagnostic) -> Diagnostic {
        let diagnostic = diagnostic.in_file(self.file);
        match self.keys.position(key) {
            Some(position) => diagnostic.at(self.source, position),
            None => diagnostic,
        }
    }
}

/// The known key `key` is probably a misspelling of: same letters in another case, or
/// at most two edits away.
pub fn did_you_mean(key: &str) -> Option<&'static str> {
    KNOWN_KEYS.iter().copied().find(|known| {
        known.eq_ignore_ascii_case(key) || (key.len() >= 4 && strsim::levenshtein(key, known) <= 2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_the_block_and_the_body_line() {
        let split = split("---\ntitle: A\n---\n# Body\n").expect("closed");
        assert_eq!(split.yaml, Some("title: A\n"));
        assert_eq!(split.body, "# Body\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn a_page_without_fences_is_all_body() {
        let split = split("# Title\n---\n").expect("no block");
        assert_eq!(split.yaml, None);
        assert_eq!(split.body_line, 1);
    }

    #[test]
    fn an_unclosed_block_is_an_error() {
        let err = split("---\ntitle: A\n# Body\n").expect_err("unclosed");
        assert_eq!(err.code, "front-matter-unclosed");
    }

    #[test]
    fn typos_are_matched_case_insensitively_or_by_edit_distance() {
        assert_eq!(did_you_mean("menuweight"), Some("menuWeight"));
        assert_eq!(did_you_mean("titel"), Some("title"));
        assert_eq!(did_you_mean("navigationTitel"), Some("navigationTitle"));
        assert_eq!(did_you_mean("beta_features"), None);
    }

    fn errors_of(block: &str) -> Vec<Diagnostic> {
        let source = format!("---\n{block}---\n");
        let mut diags = Diagnostics::default();
        parse(block, Path::new("a.md"), &source, &mut diags).expect("parsed");
        diags.into_iter().collect()
    }

    #[test]
    fn an_unquoted_version_or_number_for_a_text_key_is_refused_with_the_quoted_form() {
        let errors = errors_of("title: A\nline: 1.20\n");
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message,
            "`line` must be text in quotes, found the number `1.20`"
        );
        assert_eq!(
            errors[0].help.as_deref(),
            Some("YAML reads unquoted 1.20 as a number; write `line: \"1.20\"`")
        );
        assert_eq!(errors[0].position.map(|p| p.line), Some(3));
        assert_eq!(errors_of("excerpt: 5\n").len(), 1);
        assert_eq!(errors_of("navigationTitle: 1.10\n").len(), 1);
        assert!(errors_of("navigationTitle: 404\ntitle: \"1.20\"\n").is_empty());
    }

    #[test]
    fn a_word_for_menu_weight_is_a_type_error_on_its_line() {
        let source = "---\ntitle: A\nmenuWeight: high\n---\n";
        let mut diags = Diagnostics::default();
        let fm = parse(
            "title: A\nmenuWeight: high\n",
            Path::new("a.md"),
            source,
            &mut diags,
        )
        .expect("parsed");
        assert_eq!(fm.title.as_deref(), Some("A"));
        let errors: Vec<_> = diags.into_iter().collect();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message,
            "`menuWeight` must be a whole number, found the text `high`"
        );
        assert_eq!(errors[0].position.map(|p| p.line), Some(3));
    }
}
