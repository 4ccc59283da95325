//! Mustache source to a tree of nodes. The lexer follows mustache.js 4: a tag's type is
//! its first character after the opening delimiter and any spaces, names are trimmed,
//! and a line holding only section, comment, partial or delimiter tags and whitespace
//! ("standalone") disappears from the output, newline included.

use std::ops::Range;

use super::MustacheError;

/// One part of a parsed template. Ranges are byte offsets into the template.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    Text(Range<usize>),
    /// `{{name}}` (escaped) or `{{{name}}}` / `{{& name}}` (raw).
    Value {
        name: String,
        escape: bool,
        at: Range<usize>,
    },
    /// `{{#name}}...{{/name}}`, or `{{^name}}...{{/name}}` when inverted.
    Section {
        name: String,
        inverted: bool,
        children: Vec<Node>,
    },
}

/// What a tag does, from its first character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Value { escape: bool },
    Open { inverted: bool },
    Close,
    Comment,
    Partial,
    Delimiters,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    name: String,
    at: Range<usize>,
}

/// Parses `template` into nodes.
pub(super) fn parse(template: &str) -> Result<Vec<Node>, MustacheError> {
    let tokens = strip_standalone(lex(template)?, template);
    build_tree(tokens)
}

fn lex(template: &str) -> Result<Vec<Token>, MustacheError> {
    let mut tokens = Vec::new();
    let (mut open, mut close) = ("{{".to_string(), "}}".to_string());
    let mut pos = 0;
    while pos < template.len() {
        let Some(found) = template[pos..].find(&open) else {
            push_text(&mut tokens, template, pos..template.len());
            break;
        };
        let start = pos + found;
        push_text(&mut tokens, template, pos..start);
        let token = lex_tag(template, start, &open, &close)?;
        if token.kind == Kind::Delimiters {
            (open, close) = new_delimiters(&token)?;
        }
        pos = token.at.end;
        tokens.push(token);
    }
    Ok(tokens)
}

/// Text as tokens that each end at a newline, so tokens group into lines.
fn push_text(tokens: &mut Vec<Token>, template: &str, range: Range<usize>) {
    let mut start = range.start;
    for line in template[range].split_inclusive('\n') {
        let end = start + line.len();
        tokens.push(Token {
            kind: Kind::Text,
            name: String::new(),
            at: start..end,
        });
        start = end;
    }
}

/// The tag that opens at `start`.
fn lex_tag(template: &str, start: usize, open: &str, close: &str) -> Result<Token, MustacheError> {
    let inner = start + open.len();
    let rest = &template[inner..];
    let sigil_at = inner + (rest.len() - rest.trim_start().len());
    let sigil = template[sigil_at..].chars().next();
    let (kind, name_from, terminator) = match sigil {
        Some('{') => (
            Kind::Value { escape: false },
            sigil_at + 1,
            format!("}}{close}"),
        ),
        Some('&') => (
            Kind::Value { escape: false },
            sigil_at + 1,
            close.to_string(),
        ),
        Some('#') => (
            Kind::Open { inverted: false },
            sigil_at + 1,
            close.to_string(),
        ),
        Some('^') => (
            Kind::Open { inverted: true },
            sigil_at + 1,
            close.to_string(),
        ),
        Some('/') => (Kind::Close, sigil_at + 1, close.to_string()),
        Some('!') => (Kind::Comment, sigil_at + 1, close.to_string()),
        Some('>') => (Kind::Partial, sigil_at + 1, close.to_string()),
        Some('=') => (Kind::Delimiters, sigil_at + 1, format!("={close}")),
        _ => (Kind::Value { escape: true }, inner, close.to_string()),
    };
    let Some(length) = template[name_from..].find(&terminator) else {
        return Err(MustacheError::new(
            start..start + open.len(),
            format!("tag `{open}` is never closed with `{close}`"),
            format!(
                "end the tag with `{close}`, or write the braces as `&#123;&#123;` to keep them as text"
            ),
        ));
    };
    let name = template[name_from..name_from + length].trim().to_string();
    let at = start..name_from + length + terminator.len();
    Ok(Token { kind, name, at })
}

/// The delimiters a `{{=<% %>=}}` tag sets.
fn new_delimiters(token: &Token) -> Result<(String, String), MustacheError> {
    let parts: Vec<&str> = token.name.split_whitespace().collect();
    match parts.as_slice() {
        [open, close] if !open.contains('=') && !close.contains('=') => {
            Ok((open.to_string(), close.to_string()))
        }
        _ => Err(MustacheError::new(
            token.at.clone(),
            format!("`{}` does not set two delimiters", token.name),
            "write the new opening and closing delimiters with a space between: `{{=<% %>=}}`",
        )),
    }
}

/// Drops the whitespace and newline of every standalone line.
fn strip_standalone(tokens: Vec<Token>, template: &str) -> Vec<Token> {
    let mut kept = Vec::with_capacity(tokens.len());
    let mut line: Vec<Token> = Vec::new();
    for token in tokens {
        let ends_line = token.kind == Kind::Text && template[token.at.clone()].ends_with('\n');
        line.push(token);
        if ends_line {
            flush_line(&mut line, &mut kept, template);
        }
    }
    flush_line(&mut line, &mut kept, template);
    kept
}

fn flush_line(line: &mut Vec<Token>, kept: &mut Vec<Token>, template: &str) {
    let has_tag = line.iter().any(|t| t.kind != Kind::Text);
    let standalone = has_tag
        && line.iter().all(|t| match t.kind {
            Kind::Text => template[t.at.clone()].trim().is_empty(),
            Kind::Value { .. } => false,
            _ => true,
        });
    let tokens = line.drain(..);
    if standalone {
        kept.extend(tokens.filter(|t| t.kind != Kind::Text));
    } else {
        kept.extend(tokens);
    }
}

/// An open section while its children are collected.
struct OpenSection {
    token: Token,
    inverted: bool,
    children: Vec<Node>,
}

fn build_tree(tokens: Vec<Token>) -> Result<Vec<Node>, MustacheError> {
    let mut root = Vec::new();
    let mut open: Vec<OpenSection> = Vec::new();
    for token in tokens {
        let node = match token.kind {
            Kind::Text => Node::Text(token.at),
            Kind::Value { escape } => Node::Value {
                name: token.name,
                escape,
                at: token.at,
            },
            Kind::Open { inverted } => {
                open.push(OpenSection {
                    token,
                    inverted,
                    children: Vec::new(),
                });
                continue;
            }
            Kind::Close => close_section(&mut open, &token)?,
            Kind::Comment | Kind::Delimiters => continue,
            Kind::Partial => return Err(partial_error(&token)),
        };
        match open.last_mut() {
            Some(section) => section.children.push(node),
            None => root.push(node),
        }
    }
    match open.pop() {
        Some(unclosed) => Err(unclosed_error(&unclosed.token)),
        None => Ok(root),
    }
}

fn close_section(open: &mut Vec<OpenSection>, close: &Token) -> Result<Node, MustacheError> {
    let Some(section) = open.pop() else {
        return Err(MustacheError::new(
            close.at.clone(),
            format!(
                "`{{{{/{}}}}}` closes a section that was never opened",
                close.name
            ),
            format!(
                "open it with `{{{{#{}}}}}` before, or remove the closing tag",
                close.name
            ),
        ));
    };
    if section.token.name != close.name {
        return Err(MustacheError::new(
            close.at.clone(),
            format!(
                "`{{{{/{}}}}}` closes `{}`, but the section open here is `{}`",
                close.name, close.name, section.token.name
            ),
            format!(
                "close `{}` first with `{{{{/{}}}}}`",
                section.token.name, section.token.name
            ),
        ));
    }
    Ok(Node::Section {
        name: section.token.name,
        inverted: section.inverted,
        children: section.children,
    })
}

fn unclosed_error(open: &Token) -> MustacheError {
    MustacheError::new(
        open.at.clone(),
        format!("section `{}` is never closed", open.name),
        format!("add `{{{{/{}}}}}` where the section ends", open.name),
    )
}

fn partial_error(token: &Token) -> MustacheError {
    MustacheError::new(
        token.at.clone(),
        format!(
            "Mustache partial `{{{{> {}}}}}` is not supported",
            token.name
        ),
        "bring the shared text in with an `#include /path/from/content/root` line instead",
    )
}
