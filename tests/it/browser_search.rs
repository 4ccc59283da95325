//! Search in a real browser: headless Chromium on `folio serve` types into the header box,
//! widens the scope, moves through the results from the keyboard, opens a shared
//! `/search/?q=` link, and sees a deleted page leave the results.

use fantoccini::key::Key;
use fantoccini::{Client, Locator};

use crate::browser::{in_browser, wait_for};
use crate::search::versioned_site;
use crate::serve::{Server, wait_until};

/// Serves `site` as of a date on which App 1.0 has ended, once its index is served.
fn serve_with_index(site: &crate::harness::TestSite) -> Server {
    let server = Server::start(site, &["--as-of", "2023-06-01"]);
    wait_until(|| Some(()).filter(|_| server.get("/pagefind/pagefind.js").status == 200))
        .unwrap_or_else(|| panic!("the index was never served:\n{}", server.stderr()));
    server
}

/// A script that is true when the result links under `list` are exactly `urls`.
fn results_are(list: &str, urls: &[&str]) -> String {
    let wanted = serde_json::to_string(urls).expect("json");
    format!(
        "const links = Array.from(document.querySelectorAll('{list} .search-result')); \
         return JSON.stringify(links.map(a => new URL(a.href).pathname).sort()) === '{wanted}'"
    )
}

/// Opens App 3.0's install page and types a word into the header box; the box, once it
/// shows that page's results (of App 3.0 only).
async fn box_with_results(browser: &Client, server: &Server) -> fantoccini::elements::Element {
    let url = format!("http://127.0.0.1:{}/app/3.0/install/", server.port);
    browser.goto(&url).await.expect("open the page");
    let input = browser
        .find(Locator::Css(".search-box-input"))
        .await
        .expect("the header box");
    input.send_keys("frobnicate").await.expect("type");
    let scoped = results_are(".search-box", &["/app/3.0/install/"]);
    wait_for(browser, &scoped, "results from App 3.0 only").await;
    input
}

#[test]
fn the_header_box_keeps_to_the_line_until_widened_and_works_from_the_keyboard() {
    let site = versioned_site();
    let server = serve_with_index(&site);
    in_browser(async |browser| {
        let input = box_with_results(browser, &server).await;

        browser
            .find(Locator::Css(".search-box input[name=all]"))
            .await
            .expect("the switch")
            .click()
            .await
            .expect("widen");
        let all = [
            "/app/1.0/install/",
            "/app/3.0/install/",
            "/tool/1.0/install/",
        ];
        wait_for(
            browser,
            &results_are(".search-box", &all),
            "results from every line",
        )
        .await;
        let ended = "return Array.from(document.querySelectorAll('.search-box .search-result')) \
                     .filter(a => a.querySelector('.search-result-ended')) \
                     .map(a => new URL(a.href).pathname).join() === '/app/1.0/install/'";
        wait_for(browser, ended, "the ended mark on App 1.0 alone").await;

        input
            .send_keys(&char::from(Key::Down).to_string())
            .await
            .expect("down");
        let focused = "return document.activeElement.classList.contains('search-result')";
        wait_for(browser, focused, "the first result focused").await;
        let target = browser
            .execute("return document.activeElement.href", vec![])
            .await
            .expect("focused link");
        browser
            .active_element()
            .await
            .expect("focus")
            .send_keys(&char::from(Key::Enter).to_string())
            .await
            .expect("enter");
        let arrived = format!("return location.href === {target}");
        wait_for(browser, &arrived, "the result's page after Enter").await;
    });
}

/// Escape closes the header box's list and keeps its words; Down in the box opens the list
/// again and moves into the results, as a combobox does.
#[test]
fn down_in_the_header_box_opens_its_list_again_after_escape() {
    let site = versioned_site();
    let server = serve_with_index(&site);
    in_browser(async |browser| {
        let input = box_with_results(browser, &server).await;
        input
            .send_keys(&char::from(Key::Escape).to_string())
            .await
            .expect("escape");
        let hidden = "return document.querySelector('.search-box-panel').hidden \
                      && document.querySelector('.search-box-input').value === 'frobnicate'";
        wait_for(browser, hidden, "the list closed, the words kept").await;
        input
            .send_keys(&char::from(Key::Down).to_string())
            .await
            .expect("down");
        let focused = "return !document.querySelector('.search-box-panel').hidden \
                       && document.activeElement.classList.contains('search-result')";
        wait_for(
            browser,
            focused,
            "the list open again, its first result focused",
        )
        .await;
    });
}

#[test]
fn a_shared_search_link_shows_its_results_on_load_in_its_scope() {
    let site = versioned_site();
    let server = serve_with_index(&site);
    in_browser(async |browser| {
        let base = format!("http://127.0.0.1:{}", server.port);
        let scoped = format!("{base}/search/?q=frobnicate&product=app&line=1.0");
        browser.goto(&scoped).await.expect("open the link");
        let one = results_are(".search-page", &["/app/1.0/install/"]);
        wait_for(browser, &one, "App 1.0's page on load").await;
        let ended = "return !!document.querySelector('.search-page .search-result-ended')";
        wait_for(browser, ended, "the ended mark").await;
        let value = "return document.querySelector('.search-page-input').value === 'frobnicate'";
        wait_for(browser, value, "the query in the box").await;

        browser
            .goto(&format!("{base}/search/?q=frobnicate"))
            .await
            .expect("open the unscoped link");
        let all = [
            "/app/1.0/install/",
            "/app/3.0/install/",
            "/tool/1.0/install/",
        ];
        wait_for(browser, &results_are(".search-page", &all), "every page").await;
    });
}

#[test]
fn a_deleted_page_leaves_the_served_index() {
    let site = versioned_site();
    let server = serve_with_index(&site);
    in_browser(async |browser| {
        let link = format!("http://127.0.0.1:{}/search/?q=frobnicate", server.port);
        browser.goto(&link).await.expect("open the link");
        let all = [
            "/app/1.0/install/",
            "/app/3.0/install/",
            "/tool/1.0/install/",
        ];
        wait_for(browser, &results_are(".search-page", &all), "every page").await;

        std::fs::remove_file(site.root().join("content/tool/1.0/install.md")).expect("delete");
        let left = ["/app/1.0/install/", "/app/3.0/install/"];
        let gone = results_are(".search-page", &left);
        for _ in 0..100 {
            browser.goto(&link).await.expect("reload");
            let shown = wait_for_any(browser, &gone).await;
            if shown {
                return;
            }
        }
        panic!(
            "the deleted page stayed in the results:\n{}",
            server.stderr()
        );
    });
}

/// Whether `script` turns true within a second (the page's search has run by then).
async fn wait_for_any(browser: &Client, script: &str) -> bool {
    for _ in 0..20 {
        let value = browser.execute(script, vec![]).await;
        if value.is_ok_and(|v| v == serde_json::Value::Bool(true)) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}

/// Past 1,000 pages the index comes in parts (`pagefind/part-2/`...); the search script
/// merges them, so a word is found whichever part its page is in.
#[test]
fn a_large_sites_index_parts_are_searched_as_one() {
    let mut site = crate::harness::TestSite::new().page("index.md", "Home", "Home\n");
    for i in 0..1001 {
        let body = format!(
            "Entry {i}.{}\n",
            if i % 500 == 0 { " Quuxify here." } else { "" }
        );
        site = site.page(&format!("p{i:04}.md"), &format!("Page {i}"), &body);
    }
    let server = Server::start(&site, &[]);
    wait_until(|| {
        Some(()).filter(|_| server.get("/pagefind/part-2/pagefind-entry.json").status == 200)
    })
    .unwrap_or_else(|| panic!("the second part was never served:\n{}", server.stderr()));
    assert_eq!(
        server.get("/pagefind/folio-parts.json").body,
        "[\"part-2/\"]"
    );
    in_browser(async |browser| {
        let link = format!("http://127.0.0.1:{}/search/?q=quuxify", server.port);
        browser.goto(&link).await.expect("open the link");
        let all = ["/p0000/", "/p0500/", "/p1000/"];
        wait_for(
            browser,
            &results_are(".search-page", &all),
            "pages of both parts",
        )
        .await;
    });
}
