//! A real browser on `folio serve`: headless Chromium driven through chromedriver opens a
//! page, the test edits the page's markdown, and the new text appears with no reload
//! command from the test, at the same scroll position; a broken edit shows the overlay.
//! Needs Debian's `chromium` and `chromium-driver`, which `scripts/test.sh` installs.

use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;

use crate::harness::TestSite;
use crate::serve::{Server, wait_until};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver on a free port, killed when dropped.
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub fn start() -> Driver {
        for program in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(program).exists(),
                "{program} is missing: the browser test needs Debian's chromium and \
                 chromium-driver; run `bash scripts/test.sh`, which installs them"
            );
        }
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Driver { child, port };
        wait_until(|| TcpStream::connect(("127.0.0.1", port)).ok())
            .expect("chromedriver did not start listening");
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

pub async fn open_browser(driver: &Driver, profile: &Path) -> Client {
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1000,700",
        &format!("--user-data-dir={}", profile.display()),
    ];
    let options = serde_json::json!({ "binary": CHROMIUM, "args": args });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("start a Chromium session")
}

/// Runs `test` in a fresh Chromium session with a profile of its own, and closes it.
pub fn in_browser(test: impl AsyncFnOnce(&Client)) {
    let driver = Driver::start();
    let profile = tempfile::tempdir().expect("profile dir");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let browser = open_browser(&driver, profile.path()).await;
        test(&browser).await;
        browser.close().await.expect("close the browser");
    });
}

/// Runs `script` in the page until it returns `true`, or fails after a while.
pub async fn wait_for(browser: &Client, script: &str, what: &str) {
    for _ in 0..400 {
        let value = browser.execute(script, vec![]).await;
        if value.is_ok_and(|v| v == serde_json::Value::Bool(true)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let html = browser.source().await.unwrap_or_default();
    panic!("the browser never showed {what}; the page is:\n{html}");
}

fn long_page(last_line: &str) -> String {
    let filler = "A paragraph that takes up room on the page.\n\n".repeat(80);
    format!("---\ntitle: Install\n---\n{filler}{last_line}\n")
}

#[test]
fn an_edit_appears_in_the_browser_without_a_reload_command_and_keeps_the_scroll() {
    let site = TestSite::new()
        .page("index.md", "Home", "Home\n")
        .file("content/install.md", &long_page("The first version."));
    let server = Server::start(&site, &[]);
    in_browser(async |browser| {
        let url = format!("http://127.0.0.1:{}/install/", server.port);
        browser.goto(&url).await.expect("open the page");
        wait_for(
            browser,
            "return document.body.innerText.includes('The first version.')",
            "the page",
        )
        .await;
        browser
            .execute("window.scrollTo(0, 900)", vec![])
            .await
            .expect("scroll");

        site.write("content/install.md", &long_page("The edited version."));
        wait_for(
            browser,
            "return document.body.innerText.includes('The edited version.')",
            "the edit",
        )
        .await;
        wait_for(
            browser,
            "return window.scrollY > 800",
            "the old scroll position",
        )
        .await;

        site.write("content/install.md", "---\ntitle: [Install\n---\n");
        let overlay = "const o = document.getElementById('folio-errors'); \
                       return !!o && o.innerText.includes('content/install.md:2')";
        wait_for(browser, overlay, "the error overlay").await;
        site.write("content/install.md", &long_page("The fixed version."));
        wait_for(
            browser,
            "return document.body.innerText.includes('The fixed version.') \
                            && !document.getElementById('folio-errors')",
            "the fix",
        )
        .await;
    });
}

fn page_with_contents(last_line: &str) -> String {
    let filler = "A paragraph that takes up room on the page.\n\n".repeat(40);
    format!(
        "---\ntitle: Install\n---\n## Before you start\n\n{filler}```bash\necho ready\n```\n\n\
         ## Installing\n\n{filler}{last_line}\n"
    )
}

#[test]
fn an_edit_patches_the_open_page_in_place_keeping_scroll_open_details_focus_and_scripts() {
    let site = TestSite::new().page("index.md", "Home", "Home\n").file(
        "content/install.md",
        &page_with_contents("The first version."),
    );
    let server = Server::start(&site, &[]);
    in_browser(async |browser| {
        let url = format!("http://127.0.0.1:{}/install/", server.port);
        browser.goto(&url).await.expect("open the page");
        wait_for(
            browser,
            "return document.body.innerText.includes('The first version.') \
             && !!document.querySelector('.copy-code')",
            "the page and its copy button",
        )
        .await;
        let state = "window.folioMarker = 42; \
                     document.querySelector('details.toc-inline').open = true; \
                     document.querySelector('.site-title').focus(); \
                     window.scrollTo(0, 1200);";
        browser
            .execute(state, vec![])
            .await
            .expect("set the page's state");

        site.write(
            "content/install.md",
            &page_with_contents("The edited version."),
        );
        wait_for(
            browser,
            "return document.body.innerText.includes('The edited version.')",
            "the edit",
        )
        .await;
        let kept = "return { marker: window.folioMarker === 42, \
                    scroll: window.scrollY > 1100, \
                    details: document.querySelector('details.toc-inline').open, \
                    focus: document.activeElement === document.querySelector('.site-title'), \
                    copy: document.querySelectorAll('.copy-code').length === 1, \
                    old_text_gone: !document.body.innerText.includes('The first version.') }";
        let state = browser.execute(kept, vec![]).await.expect("read the state");
        let expected = serde_json::json!({
            "marker": true, "scroll": true, "details": true,
            "focus": true, "copy": true, "old_text_gone": true
        });
        assert_eq!(state, expected, "the page was not patched in place");
    });
}
