//! End-to-end: reading offline. The service worker keeps every article the reader opened,
//! with its data and comments; with the network gone (the browser reaches the server through
//! a relay the journey cuts, so every request fails as it does offline), those still open
//! and work, posting included, and an article never opened says the reader is offline, with
//! Retry.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use support::{journey, Page, SEED_SLUG};

const VOLVO: &str = "/articles/volvo-xc60-comparison";

/// Waits until the service worker has kept the page at `path` (and so its data).
async fn kept(page: &Page, path: &str) {
    let deadline = std::time::Instant::now() + support::PATIENCE;
    let script = format!(
        "caches.keys()
           .then(names => Promise.all(names.map(name => caches.open(name).then(c => c.match({path:?})))))
           .then(found => done(found.some(Boolean)))
           .catch(() => done(false));"
    );
    while page.js_async(&script).await != true {
        assert!(
            std::time::Instant::now() < deadline,
            "{path} was never kept for offline"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Opens the current address again, as a reader does (WebDriver's refresh in Firefox is a
/// reload that bypasses the service worker, which no reader's reload does).
async fn open_again(page: &Page) {
    let url = page.client.current_url().await.unwrap();
    page.client.goto(url.as_str()).await.unwrap();
}

async fn comments_ready(page: &Page) {
    page.approach_comments().await;
    page.wait_until("document.querySelector('#comments-heading .count').textContent !== ''")
        .await;
}

#[tokio::test]
async fn visited_articles_read_offline_and_an_unvisited_one_says_so() {
    journey(|page: Page| async move {
        let page = page.behind_relay();
        page.open_seed().await;
        kept(&page, &format!("/articles/{SEED_SLUG}")).await;
        // A second article, reached within the app, with its comments read.
        page.click(".related-item a[href$='/articles/volvo-xc60-comparison']").await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        comments_ready(&page).await;
        kept(&page, VOLVO).await;
        kept(&page, "/api/comments/volvo-xc60-comparison.json").await;

        page.go_offline();
        open_again(&page).await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        page.wait_until("document.documentElement.dataset.app === 'ready'").await;
        page.record_errors().await;
        comments_ready(&page).await;
        if page.find_all(".comment").await.len() <= 1 {
            let state = page
                .js_async("caches.keys().then(ns => Promise.all(ns.map(n => caches.open(n).then(c => c.keys()).then(ks => [n, ks.map(k => k.url)])))).then(done)")
                .await;
            let shown = page.text("#comments").await;
            let controlled = page.js("return !!navigator.serviceWorker.controller").await;
            let direct = page
                .js_async("fetch('/api/comments/volvo-xc60-comparison.json').then(r => r.text().then(t => done(r.status + ' ' + r.type + ' ' + t.length + ' ' + [...r.headers].join(';'))), e => done(String(e)))")
                .await;
            panic!("the kept comments do not show: {shown}\ncontrolled: {controlled}, a fetch now: {direct}\ncaches: {state}");
        }
        page.post_comment("Ola", "Posted while offline").await;
        open_again(&page).await;
        page.wait_until("document.documentElement.dataset.app === 'ready'").await;
        comments_ready(&page).await;
        page.wait_for_comment("Posted while offline").await;

        // Within the app, back to the first article, then to one never opened.
        page.click(".related-item a[href$='/articles/record-surge-in-drivers-ignoring-smart-motorway-rules']").await;
        page.wait_for_text(".status-page", "offline").await;
        page.find(".status-page button").await;
        // Opened directly, an unvisited article gets the article page, which says the same.
        page.client
            .goto(&page.url("/articles/female-drivers-less-likely-to-be-in-severe-crashes"))
            .await
            .unwrap();
        page.wait_for_text(".status-page", "offline").await;
        assert_eq!(page.text(".status-page button").await, "Retry");
        page.client.goto(&page.url(&format!("/articles/{SEED_SLUG}"))).await.unwrap();
        page.wait_for_text("h1", "Putin presents").await;
        page.wait_until("document.documentElement.dataset.app === 'ready'").await;
    })
    .await;
}
