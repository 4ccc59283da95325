//! The built-in theme in a real browser (headless Chromium on `folio serve`): the error
//! overlay's contrast and close button, the dark mode toggle, the menu checkbox and the
//! keyboard, the inline table of contents on phones. The run also saves screenshots of a
//! policy page and a product landing page, at desktop and phone sizes, light and dark,
//! into `target/screenshots/` for people to look at.

use std::path::PathBuf;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::browser::{in_browser, wait_for};
use crate::harness::{TestSite, example_site_copy, repo_root};
use crate::serve::Server;
use crate::theme_contrast::contrast;

async fn js(browser: &Client, script: &str) -> Value {
    browser
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

async fn press(browser: &Client, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    browser.perform_actions(keys).await.expect("press a key");
}

/// Opens `url` in a viewport of `width` x `height` once the page has loaded.
async fn open(browser: &Client, url: &str, (width, height): (u32, u32)) {
    browser.goto(url).await.expect("open the page");
    wait_for(
        browser,
        "return document.readyState === 'complete'",
        "the page",
    )
    .await;
    // The window is the viewport plus whatever the browser draws around it.
    let (outer_w, outer_h) = browser.get_window_size().await.expect("window size");
    let inner = js(browser, "return [innerWidth, innerHeight]").await;
    let frame = |outer: u64, inner: &Value| outer.saturating_sub(inner.as_u64().unwrap_or(0));
    let size = |n: u64| u32::try_from(n).expect("a window size");
    let w = size(u64::from(width) + frame(outer_w, &inner[0]));
    let h = size(u64::from(height) + frame(outer_h, &inner[1]));
    browser.set_window_size(w, h).await.expect("resize");
    let fits = format!("return innerWidth === {width} && innerHeight === {height}");
    wait_for(browser, &fits, "the viewport size").await;
}

/// `rgb(1, 2, 3)` or `rgba(1, 2, 3, 1)` as bytes.
fn rgb(css: &Value) -> [u8; 3] {
    let text = css.as_str().expect("a colour");
    let inner = text
        .split_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'));
    let parts: Vec<u8> = inner
        .expect("rgb()")
        .split(',')
        .take(3)
        .map(|p| p.trim().parse().expect("a channel"))
        .collect();
    [parts[0], parts[1], parts[2]]
}

/// The computed text colour and background colour of the element at `selector`.
async fn colours(browser: &Client, selector: &str) -> ([u8; 3], [u8; 3]) {
    let script = format!(
        "const s = getComputedStyle(document.querySelector({selector:?})); return [s.color, s.backgroundColor];"
    );
    let pair = js(browser, &script).await;
    (rgb(&pair[0]), rgb(&pair[1]))
}

async fn display(browser: &Client, selector: &str) -> String {
    let script = format!("return getComputedStyle(document.querySelector({selector:?})).display;");
    js(browser, &script)
        .await
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
fn the_error_overlay_is_readable_in_both_modes_and_closes_from_the_keyboard() {
    let site = TestSite::new().page("index.md", "Home", "Home\n").page(
        "a.md",
        "A",
        "The first version.\n",
    );
    let server = Server::start(&site, &[]);
    let url = format!("http://127.0.0.1:{}/a/", server.port);
    in_browser(async |browser| {
        open(browser, &url, (1000, 700)).await;
        for (round, theme) in ["light", "dark"].into_iter().enumerate() {
            js(
                browser,
                &format!("document.documentElement.dataset.theme = '{theme}'"),
            )
            .await;
            site.write("content/a.md", &format!("---\ntitle: [A{round}\n---\n"));
            let shown = "return !!document.getElementById('folio-errors')";
            wait_for(browser, shown, "the error overlay").await;
            let (text, code_bg) = colours(browser, "#folio-errors pre").await;
            let (title, _) = colours(browser, "#folio-errors .folio-errors-title").await;
            let (_, panel) = colours(browser, "#folio-errors .folio-errors-panel").await;
            assert!(
                contrast(text, code_bg) >= 4.5,
                "{theme}: {text:?} on {code_bg:?}"
            );
            assert!(
                contrast(title, panel) >= 4.5,
                "{theme}: {title:?} on {panel:?}"
            );
            let dark_panel = panel.iter().all(|&c| c < 64);
            assert_eq!(dark_panel, theme == "dark", "{theme} overlay: {panel:?}");
            let png = browser.screenshot().await.expect("screenshot");
            std::fs::create_dir_all(screenshot_dir()).expect("screenshot folder");
            std::fs::write(screenshot_dir().join(format!("overlay-{theme}.png")), png)
                .expect("save");
            let focused = js(browser, "return document.activeElement.className").await;
            assert_eq!(
                focused, "folio-errors-close",
                "the close button takes the focus"
            );
            if round == 0 {
                press(browser, Key::Escape.into()).await;
            } else {
                let close = browser.find(Locator::Css(".folio-errors-close")).await;
                close.expect("close button").click().await.expect("click");
            }
            let gone = "return !document.getElementById('folio-errors')";
            wait_for(browser, gone, "the overlay closing").await;
        }
    });
}

#[test]
fn the_theme_toggle_switches_modes_and_is_remembered() {
    let site = TestSite::new().page("index.md", "Home", "Home\n");
    let server = Server::start(&site, &[]);
    let url = format!("http://127.0.0.1:{}/", server.port);
    in_browser(async |browser| {
        open(browser, &url, (1000, 700)).await;
        let scheme = "return getComputedStyle(document.documentElement).colorScheme";
        assert_eq!(
            js(browser, scheme).await,
            "light dark",
            "follows the system"
        );
        assert_eq!(colours(browser, "body").await.1, [255, 255, 255]);
        let toggle = || browser.find(Locator::Id("theme-toggle"));
        toggle()
            .await
            .expect("toggle")
            .click()
            .await
            .expect("click");
        let state = "return [document.documentElement.dataset.theme, \
                     document.getElementById('theme-toggle').getAttribute('aria-pressed'), \
                     localStorage.getItem('folio-theme')]";
        assert_eq!(
            js(browser, state).await,
            serde_json::json!(["dark", "true", "dark"])
        );
        assert_eq!(colours(browser, "body").await.1, [15, 20, 25]);
        browser.refresh().await.expect("reload");
        wait_for(
            browser,
            "return document.readyState === 'complete'",
            "the reload",
        )
        .await;
        assert_eq!(
            js(browser, state).await,
            serde_json::json!(["dark", "true", "dark"])
        );
        toggle()
            .await
            .expect("toggle")
            .click()
            .await
            .expect("click");
        let back = serde_json::json!(["light", "false", null]);
        assert_eq!(
            js(browser, state).await,
            back,
            "the system's own mode is not stored"
        );
        assert_eq!(colours(browser, "body").await.1, [255, 255, 255]);
    });
}

#[test]
fn the_menu_checkbox_takes_no_tab_stop_on_desktop_and_opens_the_menu_from_the_keyboard() {
    let site = TestSite::new()
        .page("index.md", "Home", "Home\n")
        .page("guide.md", "Guide", "Text.\n");
    let server = Server::start(&site, &[]);
    let url = format!("http://127.0.0.1:{}/guide/", server.port);
    let focused = "const e = document.activeElement; return e.id || e.className;";
    in_browser(async |browser| {
        open(browser, &url, (1440, 900)).await;
        let mut stops = Vec::new();
        for _ in 0..4 {
            press(browser, Key::Tab.into()).await;
            stops.push(js(browser, focused).await);
        }
        assert_eq!(stops[0], "skip-link");
        assert!(!stops.contains(&Value::from("nav-toggle")), "{stops:?}");
        open(browser, &url, (390, 844)).await;
        assert_eq!(display(browser, ".sidebar").await, "none");
        press(browser, Key::Tab.into()).await;
        press(browser, Key::Tab.into()).await;
        assert_eq!(js(browser, focused).await, "nav-toggle");
        press(browser, ' ').await;
        assert_eq!(
            display(browser, ".sidebar").await,
            "block",
            "Space opens the menu"
        );
    });
}

#[test]
fn phones_get_the_inline_table_of_contents_and_dates_stay_on_one_line() {
    let site = example_site_copy();
    let server = Server::start(&site, &[]);
    let url = format!(
        "http://127.0.0.1:{}/dkp/konvoy/2.1/version-policy/",
        server.port
    );
    in_browser(async |browser| {
        open(browser, &url, (1440, 900)).await;
        assert_eq!(display(browser, ".toc-inline").await, "none");
        assert_eq!(display(browser, ".toc").await, "block");
        open(browser, &url, (390, 844)).await;
        assert_eq!(display(browser, ".toc-inline").await, "block");
        assert_eq!(display(browser, ".toc").await, "none");
        let lines =
            "return [...document.querySelectorAll('time')].map(t => t.getClientRects().length)";
        let lines = js(browser, lines).await;
        let lines = lines.as_array().expect("list");
        assert!(
            !lines.is_empty() && lines.iter().all(|n| n == 1),
            "{lines:?}"
        );
    });
}

/// Where the run leaves its screenshots.
fn screenshot_dir() -> PathBuf {
    repo_root().join("target/screenshots")
}

/// The width and height in a PNG's header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let word = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().expect("4 bytes"));
    (word(16), word(20))
}

#[test]
fn screenshots_of_a_policy_page_and_a_product_landing_page() {
    let site = example_site_copy();
    let server = Server::start(&site, &[]);
    let base = format!("http://127.0.0.1:{}", server.port);
    let pages = [
        ("policy", "/dkp/kommander/1.3/version-policy/"),
        ("landing", "/dkp/konvoy/"),
    ];
    std::fs::create_dir_all(screenshot_dir()).expect("screenshot folder");
    in_browser(async |browser| {
        for (name, path) in pages {
            for size in [(1440, 900), (390, 844)] {
                for theme in ["light", "dark"] {
                    let url = format!("{base}{path}");
                    open(browser, &url, size).await;
                    js(
                        browser,
                        &format!("localStorage.setItem('folio-theme', '{theme}')"),
                    )
                    .await;
                    open(browser, &url, size).await;
                    let png = browser.screenshot().await.expect("screenshot");
                    assert_eq!(png_size(&png), size, "{name} {theme}");
                    let file = format!("{name}-{}x{}-{theme}.png", size.0, size.1);
                    std::fs::write(screenshot_dir().join(file), png).expect("save");
                }
            }
        }
    });
}
