//! The version switcher in real headless Chromium on `folio serve`: a click opens it and
//! follows a line whose twin page is missing to the nearest page above it; the keyboard
//! alone (Enter on the summary, Tab, Enter) reaches the same page in another line.

use fantoccini::Locator;

use crate::browser::{in_browser, wait_for};
use crate::serve::Server;
use crate::versions_ui::fixture;

const ENTER: &str = "\u{E007}";
const TAB: &str = "\u{E004}";

fn path_is(path: &str) -> String {
    format!(
        "return location.pathname === '{path}' && !!document.querySelector('details.version-switcher')"
    )
}

#[test]
fn the_switcher_reaches_the_same_page_in_another_line_and_falls_back_where_it_is_missing() {
    let site = fixture();
    let server = Server::start(&site, &["--as-of", "2026-11-22"]);
    in_browser(async |browser| {
        let base = format!("http://127.0.0.1:{}", server.port);
        browser
            .goto(&format!("{base}/app/3.0/guide/deep/"))
            .await
            .expect("open the page");
        wait_for(browser, &path_is("/app/3.0/guide/deep/"), "the 3.0 page").await;
        let closed = "return !document.querySelector('details.version-switcher').open \
                      && !document.querySelector('.version-switcher-list').checkVisibility()";
        wait_for(browser, closed, "a closed switcher").await;

        let summary = browser
            .find(Locator::Css("details.version-switcher > summary"))
            .await
            .expect("summary");
        summary.click().await.expect("click the summary");
        let link = browser
            .find(Locator::Css(
                ".version-switcher-list a[href='/app/2.0/guide/']",
            ))
            .await
            .expect("the 2.0 entry");
        link.click().await.expect("click 2.0");
        wait_for(browser, &path_is("/app/2.0/guide/"), "the nearest 2.0 page").await;

        browser
            .execute(
                "document.querySelector('details.version-switcher > summary').focus()",
                vec![],
            )
            .await
            .expect("focus the summary");
        let focused = browser.active_element().await.expect("focused element");
        focused
            .send_keys(ENTER)
            .await
            .expect("Enter opens the switcher");
        let open = "return document.querySelector('details.version-switcher').open \
                    && document.querySelector('.version-switcher-list').checkVisibility()";
        wait_for(browser, open, "the open switcher").await;
        browser
            .active_element()
            .await
            .expect("focus")
            .send_keys(TAB)
            .await
            .expect("Tab");
        let on_3 = "return document.activeElement.getAttribute('href') === '/app/3.0/guide/'";
        wait_for(browser, on_3, "focus on the 3.0 entry").await;
        browser
            .active_element()
            .await
            .expect("focus")
            .send_keys(ENTER)
            .await
            .expect("Enter follows the link");
        wait_for(browser, &path_is("/app/3.0/guide/"), "the same page in 3.0").await;
    });
}
