//! Live reload: the events the rebuild loop sends to browsers over Server-Sent Events, the
//! script injected into served HTML pages, and the text of the error overlay. After a
//! rebuild that changed only pages, each open page first gets its own new HTML (and the
//! HTML it was served) in a `patch` event and brings itself up to date in place; the
//! `reload` event that follows reloads the pages that could not.

use std::sync::Arc;

use crate::diag::render::{Format, render};
use crate::diag::{Diagnostic, Diagnostics, Severity};

/// Where browsers listen for events.
pub const EVENTS_PATH: &str = "/_folio/live";

/// The client side: patches itself on `patch`, reloads on `reload` (unless patched),
/// shows the overlay on `build-error`.
const SCRIPT: &str = include_str!("live.js");
/// The overlay's look, scoped to it.
const STYLE: &str = include_str!("live.css");

/// Which pages a rebuild changed, by URL (with the base path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    All,
    Urls(Vec<String>),
}

/// One page's HTML before and after a rebuild (`old` is `None` for a page not served
/// before it), as served, without the live-reload script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePatch {
    /// With the base path, as `Changed::Urls` names it.
    pub url: String,
    pub old: Option<Arc<[u8]>>,
    pub new: Arc<[u8]>,
}

/// One message to every open page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// Sent before the `Reload` of a rebuild that only changed pages: their new HTML.
    Patch(Arc<Vec<PagePatch>>),
    /// A good build: pages showing one of these URLs reload; any overlay goes.
    Reload(Changed),
    /// A failed build: the overlay shows this text. (Not named `error`: that name is taken
    /// by EventSource for connection errors.)
    BuildError(String),
    /// The server is stopping: event streams end so connections can close.
    Shutdown,
}

impl LiveEvent {
    pub fn name(&self) -> &'static str {
        match self {
            LiveEvent::Patch(_) => "patch",
            LiveEvent::Reload(_) => "reload",
            LiveEvent::BuildError(_) => "build-error",
            LiveEvent::Shutdown => "shutdown",
        }
    }

    /// The event's data as JSON for the page at `page` (a URL as `Changed::Urls` names
    /// it, when the page said): `"*"` or a list of URLs; the overlay text; the page's own
    /// patch as `{"old", "new"}`. `None` when the event is no business of that page.
    pub fn data_for(&self, page: Option<&str>) -> Option<String> {
        let LiveEvent::Patch(patches) = self else {
            return Some(self.data());
        };
        let patch = patches.iter().find(|p| Some(p.url.as_str()) == page)?;
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        let value = serde_json::json!({
            "old": patch.old.as_deref().map(text),
            "new": text(&patch.new),
        });
        Some(value.to_string())
    }

    /// The event's data as JSON: `"*"` or a list of URLs; the overlay text (a patch is
    /// `null` here: each page gets its own, from `data_for`).
    pub fn data(&self) -> String {
        let value = match self {
            LiveEvent::Patch(_) => serde_json::Value::Null,
            LiveEvent::Reload(Changed::All) => serde_json::json!("*"),
            LiveEvent::Reload(Changed::Urls(urls)) => serde_json::json!(urls),
            LiveEvent::BuildError(text) => serde_json::json!(text),
            LiveEvent::Shutdown => serde_json::Value::Null,
        };
        value.to_string()
    }
}

/// The overlay text: every error as the terminal shows it, without colour.
pub fn overlay_text(diags: &Diagnostics) -> String {
    let errors: Vec<Diagnostic> = diags
        .clone()
        .sorted()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let rendered: Vec<String> = errors
        .iter()
        .map(|d| render(d, Format::Human, false))
        .collect();
    rendered.join("\n\n")
}

/// `html` with the live-reload script before `</body>` (or at the end when there is none).
/// `errors`, when the build is broken, makes the page open with the overlay.
pub fn inject(html: &[u8], errors: Option<&str>) -> Vec<u8> {
    let errors_attribute = errors
        .map(|text| format!(" data-errors=\"{}\"", escape_html(text)))
        .unwrap_or_default();
    let tag = format!(
        "<style id=\"folio-live-style\">{STYLE}</style><script id=\"folio-live\"{errors_attribute}>{SCRIPT}</script>"
    );
    let at = find_body_end(html).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Byte offset of the last `</body>`, in any letter case.
fn find_body_end(html: &[u8]) -> Option<usize> {
    const END: &[u8] = b"</body>";
    html.windows(END.len())
        .rposition(|w| w.eq_ignore_ascii_case(END))
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Position;

    #[test]
    fn the_script_goes_before_the_last_closing_body_tag() {
        let page = inject(b"<html><body><p>x</p></BODY></html>", None);
        let page = String::from_utf8(page).expect("utf-8");
        assert!(page.starts_with("<html><body><p>x</p><style id=\"folio-live-style\">"));
        assert!(page.contains("</style><script id=\"folio-live\">"));
        assert!(page.ends_with("</script></BODY></html>"));
        assert!(!page.contains("data-errors"));
    }

    #[test]
    fn a_page_without_body_gets_the_script_at_the_end() {
        let page = String::from_utf8(inject(b"<p>bare", None)).expect("utf-8");
        assert!(page.starts_with("<p>bare<style"));
    }

    #[test]
    fn errors_are_escaped_into_an_attribute() {
        let page = inject(b"<body></body>", Some("bad <b>\"x\" & 'y'"));
        let page = String::from_utf8(page).expect("utf-8");
        assert!(page.contains("data-errors=\"bad &lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;\""));
    }

    #[test]
    fn a_patch_goes_only_to_the_page_it_is_for() {
        let patch = PagePatch {
            url: "/a/".into(),
            old: Some(Arc::from(&b"<p>was</p>"[..])),
            new: Arc::from(&b"<p>now</p>"[..]),
        };
        let event = LiveEvent::Patch(Arc::new(vec![patch]));
        assert_eq!(
            event.data_for(Some("/a/")).as_deref(),
            Some(r#"{"old":"<p>was</p>","new":"<p>now</p>"}"#)
        );
        assert_eq!(event.data_for(Some("/b/")), None);
        assert_eq!(event.data_for(None), None);
        let reload = LiveEvent::Reload(Changed::All);
        assert_eq!(reload.data_for(Some("/b/")).as_deref(), Some(r#""*""#));
    }

    #[test]
    fn event_data_is_json() {
        let urls = LiveEvent::Reload(Changed::Urls(vec!["/a/".into()]));
        assert_eq!(urls.data(), r#"["/a/"]"#);
        assert_eq!(LiveEvent::Reload(Changed::All).data(), r#""*""#);
        assert_eq!(LiveEvent::BuildError("a\nb".into()).data(), r#""a\nb""#);
    }

    #[test]
    fn the_overlay_shows_errors_with_their_place() {
        let mut diags = Diagnostics::default();
        diags.push(
            Diagnostic::error("yaml", "bad value")
                .in_file("content/a.md")
                .at("---\ntitle: [\n---\n", Position::new(2, 8, 1)),
        );
        diags.push(Diagnostic::warning("missing-title", "no title"));
        let text = overlay_text(&diags);
        assert!(text.contains("content/a.md:2:8"), "{text}");
        assert!(text.contains("bad value"), "{text}");
        assert!(!text.contains("no title"), "{text}");
    }
}
