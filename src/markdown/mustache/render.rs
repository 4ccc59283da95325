//! Renders parsed nodes against a JSON view with a context stack, as mustache.js 4 does:
//! a name is looked up from the innermost context out (a dotted name is walked whole in
//! each context, and found where its last part exists), JavaScript truthiness decides
//! sections, and values print as JavaScript's `String(value)` would.

use std::borrow::Cow;

use serde_json::Value;

use super::parse::Node;

/// The output, and for each of its lines the template offset that line comes from.
#[derive(Debug, Default)]
pub(super) struct Sink {
    pub text: String,
    pub line_sources: Vec<usize>,
    /// The next character pushed starts a line whose source is not recorded yet.
    at_line_start: bool,
}

impl Sink {
    fn new() -> Sink {
        Sink {
            at_line_start: true,
            ..Sink::default()
        }
    }

    /// Pushes `text`; its first character comes from `source`, and when `per_char` the
    /// characters after it from the offsets that follow (literal template text).
    fn push(&mut self, text: &str, source: usize, per_char: bool) {
        let mut offset = 0;
        for piece in text.split_inclusive('\n') {
            if self.at_line_start {
                let from = if per_char { source + offset } else { source };
                self.line_sources.push(from);
            }
            self.text.push_str(piece);
            self.at_line_start = piece.ends_with('\n');
            offset += piece.len();
        }
    }
}

/// Renders `nodes` with `view` as the root context.
pub(super) fn render(template: &str, nodes: &[Node], view: &Value) -> Sink {
    let mut renderer = Renderer {
        template,
        sink: Sink::new(),
    };
    let mut stack = vec![Cow::Borrowed(view)];
    renderer.nodes(nodes, &mut stack);
    renderer.sink
}

struct Renderer<'t> {
    template: &'t str,
    sink: Sink,
}

impl Renderer<'_> {
    fn nodes<'v>(&mut self, nodes: &[Node], stack: &mut Vec<Cow<'v, Value>>) {
        for node in nodes {
            match node {
                Node::Text(range) => {
                    self.sink
                        .push(&self.template[range.clone()], range.start, true)
                }
                Node::Value { name, escape, at } => {
                    let Some(value) = lookup(stack, name) else {
                        continue;
                    };
                    let text = display(&value);
                    let text = if *escape { escape_html(&text) } else { text };
                    self.sink.push(&text, at.start, false);
                }
                Node::Section {
                    name,
                    inverted,
                    children,
                } => self.section(name, *inverted, children, stack),
            }
        }
    }

    fn section<'v>(
        &mut self,
        name: &str,
        inverted: bool,
        children: &[Node],
        stack: &mut Vec<Cow<'v, Value>>,
    ) {
        let value = lookup(stack, name);
        if inverted {
            let empty = match value.as_deref() {
                Some(Value::Array(items)) => items.is_empty(),
                Some(other) => !truthy(other),
                None => true,
            };
            if empty {
                self.nodes(children, stack);
            }
            return;
        }
        let Some(value) = value.filter(|v| truthy(v)) else {
            return;
        };
        match value {
            Cow::Borrowed(Value::Array(items)) => {
                for item in items {
                    self.with_context(Cow::Borrowed(item), children, stack);
                }
            }
            Cow::Borrowed(Value::Bool(true)) => self.nodes(children, stack),
            context => self.with_context(context, children, stack),
        }
    }

    fn with_context<'v>(
        &mut self,
        context: Cow<'v, Value>,
        children: &[Node],
        stack: &mut Vec<Cow<'v, Value>>,
    ) {
        stack.push(context);
        self.nodes(children, stack);
        stack.pop();
    }
}

/// The value `name` names, from the innermost context out; `.` is the innermost itself.
fn lookup<'v>(stack: &[Cow<'v, Value>], name: &str) -> Option<Cow<'v, Value>> {
    if name == "." {
        return stack.last().cloned();
    }
    stack.iter().rev().find_map(|context| match context {
        Cow::Borrowed(value) => walk(value, name),
        Cow::Owned(value) => walk(value, name).map(|v| Cow::Owned(v.into_owned())),
    })
}

/// `a.b.c` inside `value`; `None` unless the last part exists.
fn walk<'v>(value: &'v Value, name: &str) -> Option<Cow<'v, Value>> {
    let mut current = Cow::Borrowed(value);
    for part in name.split('.') {
        current = match current {
            Cow::Borrowed(value) => property(value, part)?,
            // Only computed lengths are owned, and numbers have no properties.
            Cow::Owned(_) => return None,
        };
    }
    Some(current)
}

/// A property as JavaScript sees it: object keys, array indexes, `length` of arrays and
/// strings (in UTF-16 units, as JavaScript counts).
fn property<'v>(value: &'v Value, key: &str) -> Option<Cow<'v, Value>> {
    match value {
        Value::Object(map) => map.get(key).map(Cow::Borrowed),
        Value::Array(items) if key == "length" => Some(Cow::Owned(Value::from(items.len()))),
        Value::Array(items) => key
            .parse::<usize>()
            .ok()
            .and_then(|i| items.get(i))
            .map(Cow::Borrowed),
        Value::String(s) if key == "length" => {
            Some(Cow::Owned(Value::from(s.encode_utf16().count())))
        }
        _ => None,
    }
}

/// JavaScript truthiness: `false`, `0`, `""` and `null` are false.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// What JavaScript's `String(value)` prints; `null` prints nothing, as in mustache.js.
fn display(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            // Rust prints a whole float without `.0`, as JavaScript does.
            (_, _, Some(f)) => f.to_string(),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(display).collect::<Vec<_>>().join(","),
        Value::Object(_) => "[object Object]".to_string(),
    }
}

/// mustache.js's escape map: `& < > " ' / \` =`.
pub(super) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '/' => out.push_str("&#x2F;"),
            '`' => out.push_str("&#x60;"),
            '=' => out.push_str("&#x3D;"),
            other => out.push(other),
        }
    }
    out
}
