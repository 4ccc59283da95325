//! Syntax highlighting of fenced code at build time, with arborium (tree-sitter
//! grammars compiled in). Output is class-based (`<span class="hl-keyword">`), styled
//! by the theme's `css/highlight.css`; no inline styles. A language is looked up
//! through folio's own alias table, so `sh`, `shell` and `console` are bash and an
//! unknown language is known before any grammar runs; unknown ones stay plain and are
//! reported once per language per build. Highlighted blocks are cached by language
//! and code, so `serve` re-highlights only the blocks an edit changed (and a build
//! highlights each distinct block once: docs repeat the same commands a lot).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use arborium::{GrammarStore, Highlighter, HtmlFormat};

mod unknown;

pub use unknown::{
    UnknownLanguage, first_fence, page_unknown_languages, unknown_language_warnings,
};

/// Written languages (lowercase) and the grammar each one means.
const LANGUAGES: &[(&str, &str)] = &[
    ("bash", "bash"),
    ("sh", "bash"),
    ("shell", "bash"),
    ("console", "bash"),
    ("zsh", "bash"),
    ("shell-session", "bash"),
    ("css", "css"),
    ("diff", "diff"),
    ("patch", "diff"),
    ("docker", "dockerfile"),
    ("dockerfile", "dockerfile"),
    ("containerfile", "dockerfile"),
    ("go", "go"),
    ("golang", "go"),
    ("hcl", "hcl"),
    ("hcl-terraform", "hcl"),
    ("terraform", "hcl"),
    ("tf", "hcl"),
    ("html", "html"),
    ("htm", "html"),
    ("ini", "ini"),
    ("cfg", "ini"),
    ("conf", "ini"),
    ("javascript", "javascript"),
    ("js", "javascript"),
    ("json", "json"),
    ("jsonc", "json"),
    ("markdown", "markdown"),
    ("md", "markdown"),
    ("python", "python"),
    ("py", "python"),
    ("python3", "python"),
    ("starlark", "starlark"),
    ("bzl", "starlark"),
    ("bazel", "starlark"),
    ("toml", "toml"),
    ("xml", "xml"),
    ("yaml", "yaml"),
    ("yml", "yaml"),
];

/// Written languages that mean "no highlighting", with no warning.
const PLAIN: &[&str] = &[
    "",
    "text",
    "plain",
    "plaintext",
    "txt",
    "none",
    "nohighlight",
];

/// The class every highlighted token's class starts with (`hl-keyword`).
const CLASS_PREFIX: &str = "hl";

/// Past this many bytes of cached code and HTML the cache starts over, so a long `serve`
/// session does not grow without bound.
const CACHE_LIMIT: usize = 64 << 20;

/// What a fenced block's language means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// `text`, `plain` or none: plain code, on purpose.
    Plain,
    /// A grammar folio has, by its canonical name.
    Known(&'static str),
    /// A language folio has no grammar for.
    Unknown,
}

impl Language {
    /// The language of a fenced block from the first word of its info string.
    pub fn of(written: &str) -> Language {
        let lower = written.to_ascii_lowercase();
        if PLAIN.contains(&lower.as_str()) {
            return Language::Plain;
        }
        LANGUAGES
            .iter()
            .find(|(alias, _)| *alias == lower)
            .map_or(Language::Unknown, |(_, grammar)| Language::Known(grammar))
    }
}

/// The language word of an info string: `bash` in ```` ```bash title="x" ````.
pub fn language_word(info: &str) -> &str {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or("")
}

/// What the highlighter made of one block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Highlighted {
    /// The block's whole `<pre>` element.
    Html(String),
    /// Leave the block as markdown renders it.
    Plain,
    /// Leave it plain, and report the language.
    Unknown,
}

/// Highlights fenced code; shared by every page of a build (and every build of a
/// `serve` session), used from many threads at once.
pub struct CodeHighlighter {
    /// `false` for `check`: languages are looked up (to warn), nothing is coloured.
    colours: bool,
    store: Arc<GrammarStore>,
    /// Highlighters not in use; each holds its own parser, so one per thread at a time.
    idle: Mutex<Vec<Highlighter>>,
    cache: Mutex<Cache>,
}

/// Highlighted code by grammar and code (the code itself is the key: no hash collision
/// can ever show one block's code in place of another's).
#[derive(Default)]
struct Cache {
    blocks: HashMap<&'static str, HashMap<String, Arc<str>>>,
    bytes: usize,
}

impl Cache {
    fn get(&self, grammar: &str, code: &str) -> Option<Arc<str>> {
        self.blocks.get(grammar)?.get(code).cloned()
    }

    fn len(&self) -> usize {
        self.blocks.values().map(HashMap::len).sum()
    }
}

impl std::fmt::Debug for CodeHighlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeHighlighter")
            .field("colours", &self.colours)
            .field("cached_blocks", &lock(&self.cache).len())
            .finish_non_exhaustive()
    }
}

impl Default for CodeHighlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl CodeHighlighter {
    /// A highlighter that colours code.
    pub fn new() -> Self {
        CodeHighlighter {
            colours: true,
            store: Arc::new(GrammarStore::new()),
            idle: Mutex::new(Vec::new()),
            cache: Mutex::new(Cache::default()),
        }
    }

    /// One that only looks languages up, for `check`, which never shows the colours.
    pub fn names_only() -> Self {
        CodeHighlighter {
            colours: false,
            ..Self::new()
        }
    }

    /// The `<pre>` element for a fenced block whose info string is `info`.
    pub fn highlight(&self, info: &str, code: &str) -> Highlighted {
        let word = language_word(info);
        let grammar = match Language::of(word) {
            Language::Plain => return Highlighted::Plain,
            Language::Unknown => return Highlighted::Unknown,
            Language::Known(_) if !self.colours => return Highlighted::Plain,
            Language::Known(grammar) => grammar,
        };
        let cached = lock(&self.cache).get(grammar, code);
        let spans = match cached {
            Some(spans) => spans,
            None => match self.spans(grammar, code) {
                Some(spans) => self.remember(grammar, code, spans.into()),
                None => return Highlighted::Plain,
            },
        };
        Highlighted::Html(pre_element(word, &spans))
    }

    /// The highlighted code, `None` when the grammar fails on it (the block stays plain).
    fn spans(&self, grammar: &str, code: &str) -> Option<String> {
        let mut highlighter = lock(&self.idle).pop().unwrap_or_else(|| {
            let config = arborium::Config {
                html_format: HtmlFormat::ClassNamesWithPrefix(CLASS_PREFIX.into()),
                ..arborium::Config::default()
            };
            Highlighter::with_store_and_config(self.store.clone(), config)
        });
        let html = highlighter.highlight(grammar, code).ok();
        lock(&self.idle).push(highlighter);
        html
    }

    fn remember(&self, grammar: &'static str, code: &str, spans: Arc<str>) -> Arc<str> {
        let mut cache = lock(&self.cache);
        let size = code.len() + spans.len();
        if cache.bytes + size > CACHE_LIMIT {
            *cache = Cache::default();
        }
        cache.bytes += size;
        let by_code = cache.blocks.entry(grammar).or_default();
        by_code.insert(code.to_string(), spans.clone());
        spans
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere cannot leave a pool or a cache half-written: take it as it is.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The block as `<pre class="hl"><code class="language-WORD">`, the class markdown
/// gives a fenced block, so styles and scripts written for plain blocks still apply.
fn pre_element(word: &str, spans: &str) -> String {
    let class = super::html::escape(word);
    format!("<pre class=\"hl\"><code class=\"language-{class}\">{spans}\n</code></pre>\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(info: &str, code: &str) -> String {
        match CodeHighlighter::new().highlight(info, code) {
            Highlighted::Html(html) => html,
            other => panic!("{info}: {other:?}"),
        }
    }

    #[test]
    fn aliases_name_grammars() {
        assert_eq!(Language::of("sh"), Language::Known("bash"));
        assert_eq!(Language::of("Console"), Language::Known("bash"));
        assert_eq!(Language::of("yml"), Language::Known("yaml"));
        assert_eq!(Language::of("docker"), Language::Known("dockerfile"));
        assert_eq!(Language::of("hcl-terraform"), Language::Known("hcl"));
        assert_eq!(Language::of("text"), Language::Plain);
        assert_eq!(Language::of(""), Language::Plain);
        assert_eq!(Language::of("cue"), Language::Unknown);
        assert_eq!(language_word("yaml title=\"a.yaml\""), "yaml");
        assert_eq!(language_word("bash{linenos}"), "bash");
    }

    #[test]
    fn every_alias_highlights() {
        let highlighter = CodeHighlighter::new();
        for (alias, _) in LANGUAGES {
            let result = highlighter.highlight(alias, "x = 1\n");
            assert!(
                matches!(result, Highlighted::Html(_)),
                "{alias}: {result:?}"
            );
        }
    }

    #[test]
    fn output_is_class_based_and_escaped() {
        let out = html("bash", "echo \"<b>\" | grep -v x # note\n");
        assert!(out.starts_with("<pre class=\"hl\"><code class=\"language-bash\">"));
        assert!(
            out.contains("<span class=\"hl-function\">echo</span>"),
            "{out}"
        );
        assert!(
            out.contains("<span class=\"hl-comment\"># note</span>"),
            "{out}"
        );
        assert!(out.contains("&lt;b&gt;"), "{out}");
        assert!(!out.contains("style="), "{out}");
        assert!(out.ends_with("\n</code></pre>\n"), "{out}");
    }

    #[test]
    fn repeated_blocks_come_from_the_cache() {
        let highlighter = CodeHighlighter::new();
        let first = highlighter.highlight("yaml", "a: 1\n");
        let again = highlighter.highlight("yml", "a: 1\n");
        let other = highlighter.highlight("yaml", "b: 2\n");
        assert_eq!(lock(&highlighter.cache).len(), 2);
        let (Highlighted::Html(first), Highlighted::Html(again)) = (first, again) else {
            panic!("not highlighted");
        };
        assert_eq!(first.replace("language-yaml", "language-yml"), again);
        assert!(matches!(other, Highlighted::Html(h) if h.contains(">b<")));
    }

    #[test]
    fn names_only_colours_nothing_but_knows_languages() {
        let highlighter = CodeHighlighter::names_only();
        assert_eq!(highlighter.highlight("bash", "ls\n"), Highlighted::Plain);
        assert_eq!(highlighter.highlight("cue", "a: 1\n"), Highlighted::Unknown);
    }
}
