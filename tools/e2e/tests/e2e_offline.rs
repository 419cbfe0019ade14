//! End-to-end: reading offline. The service worker keeps every article the reader opened,
//! with its data and comments; with the network gone (the browser reaches the server through
//! a relay the journey cuts, so every request fails as it does offline), those still open
//! and work, posting included, and an article never opened says the reader is offline, with
//! Retry.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::path::Path;
use support::{dist_dir, journey, journey_on, Page, SiteCopy, SEED_SLUG};

const VOLVO: &str = "/articles/volvo-xc60-comparison";
/// What the worker answers, offline, for an article never opened.
const SHELL_PAGE: &str = "/articles/404.html";

/// Waits until the service worker has kept the page at `path` (and so its data).
async fn kept(page: &Page, path: &str) {
    let deadline = std::time::Instant::now() + support::PATIENCE;
    while !is_kept(page, path).await {
        assert!(
            std::time::Instant::now() < deadline,
            "{path} was never kept for offline"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Whether a cache of the service worker holds `path` now.
async fn is_kept(page: &Page, path: &str) -> bool {
    let script = format!(
        "caches.keys()
           .then(names => Promise.all(names.map(name => caches.open(name).then(c => c.match({path:?})))))
           .then(found => done(found.some(Boolean)))
           .catch(() => done(false));"
    );
    page.js_async(&script).await == true
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
        // A reader who reads one article never downloads the page for articles not opened.
        assert!(!is_kept(&page, SHELL_PAGE).await, "the shell kept on the first load");
        // A second article, reached within the app, with its comments read.
        page.click(".related-item a[href$='/articles/volvo-xc60-comparison']").await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        comments_ready(&page).await;
        kept(&page, VOLVO).await;
        kept(&page, "/api/comments/volvo-xc60-comparison.json").await;
        kept(&page, SHELL_PAGE).await;

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

/// Turns the build at `site` into the next one, as a deploy of changed code does: each file
/// named by its content gets a new name (its 16-digit hash changed, the old file gone), every
/// page, script and header names the new files, and the service worker (its cache named by
/// the build's version) is a new one. Returns the new worker's cache name.
fn deploy_the_next_build(site: &Path) -> String {
    let next = |hash: &str| -> String {
        hash.chars()
            .map(|c| std::char::from_digit((c.to_digit(16).unwrap() + 1) % 16, 16).unwrap())
            .collect()
    };
    let is_hash = |text: &str| {
        text.len() == 16
            && text
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    };
    let mut renames = Vec::new();
    for entry in std::fs::read_dir(site).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let stem = name.split('.').next().unwrap().trim_end_matches("_bg");
        if let Some((_, hash)) = stem.rsplit_once('-').filter(|(_, hash)| is_hash(hash)) {
            renames.push((hash.to_owned(), next(hash)));
        }
    }
    let worker = std::fs::read_to_string(site.join("sw.js")).unwrap();
    let version = worker
        .split("const VERSION = \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the worker names its version")
        .to_owned();
    renames.push((version.clone(), next(&version)));
    renames.sort();
    renames.dedup();
    rewrite_tree(site, &renames);
    format!("my-garage-{}", next(&version))
}

fn rewrite_tree(dir: &Path, renames: &[(String, String)]) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rewrite_tree(&path, renames);
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".html") || name.ends_with(".js") || name == "_headers" {
            let mut text = std::fs::read_to_string(&path).unwrap();
            for (old, new) in renames {
                text = text.replace(old.as_str(), new);
            }
            std::fs::write(&path, text).unwrap();
        }
        let mut renamed = name.clone();
        for (old, new) in renames {
            renamed = renamed.replace(old.as_str(), new);
        }
        if renamed != name {
            std::fs::rename(&path, path.with_file_name(renamed)).unwrap();
        }
    }
}

/// The names of the service worker's caches now.
async fn cache_names(page: &Page) -> serde_json::Value {
    page.js_async("caches.keys().then(done)").await
}

#[tokio::test]
async fn after_a_deploy_an_article_kept_offline_opens_with_its_code_and_styles() {
    let site = SiteCopy::of(&dist_dir());
    let root = site.path().to_owned();
    journey_on(root.clone(), |page: Page| async move {
        let page = page.behind_relay();
        // Build A: the reader opens an article, then another.
        page.open(VOLVO).await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        page.open_seed().await;
        kept(&page, &format!("/articles/{SEED_SLUG}")).await;

        // Build B replaces it; A's code and styles are gone from the server.
        let next_cache = deploy_the_next_build(&root);
        page.open_seed().await;
        let next = serde_json::json!([next_cache]);
        let deadline = std::time::Instant::now() + support::PATIENCE;
        while cache_names(&page).await != next {
            assert!(
                std::time::Instant::now() < deadline,
                "build B's worker never took over: {}",
                cache_names(&page).await
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        // Within the app, to the article read before the deploy: B's worker keeps it.
        page.click(".related-item a[href$='/articles/volvo-xc60-comparison']").await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        kept(&page, VOLVO).await;
        kept(&page, "/api/articles/volvo-xc60-comparison.json").await;

        // Offline, it opens as it did online: B's page, with B's code and styles.
        page.go_offline();
        page.client.goto(&page.url(VOLVO)).await.unwrap();
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        page.wait_until("document.documentElement.dataset.app === 'ready'").await;
        let styled = page
            .js("const link = document.querySelector('link[rel=stylesheet]');
                 return { href: link.getAttribute('href'), rules: link.sheet ? link.sheet.cssRules.length : 0 };")
            .await;
        let css = std::fs::read_dir(&root)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .find(|name| name.starts_with("main-") && name.ends_with(".css"))
            .unwrap();
        assert_eq!(styled["href"], format!("/{css}").as_str(), "build B's page");
        assert!(styled["rules"].as_u64().unwrap() > 0, "its styles apply: {styled}");
        // What it names is kept: the page does not lean on the browser's own cache, which
        // may still hold build A's files or may not.
        let missing = page
            .js_async(
                "const named = [...document.querySelectorAll('link[rel=stylesheet], script[src]')]
                   .map(e => new URL(e.getAttribute('href') || e.getAttribute('src'), location.href).pathname);
                 Promise.all(named.map(path => caches.match(path)))
                   .then(found => done(named.filter((path, i) => !found[i])));",
            )
            .await;
        assert_eq!(missing, serde_json::json!([]), "files the page names, not kept offline");
    })
    .await;
    drop(site);
}

/// Sets a bound the worker states (`const NAME = value;`) in the copy of the build at
/// `site`, to meet it within a journey.
fn set_bound(site: &Path, name: &str, value: usize) {
    let path = site.join("sw.js");
    let worker = std::fs::read_to_string(&path).unwrap();
    let start = worker
        .find(&format!("const {name} = "))
        .unwrap_or_else(|| panic!("the worker states {name}"));
    let end = start + worker[start..].find(';').unwrap();
    let worker = format!(
        "{}const {name} = {value}{}",
        &worker[..start],
        &worker[end..]
    );
    std::fs::write(&path, worker).unwrap();
}

#[tokio::test]
async fn the_worker_keeps_the_latest_articles_and_no_comments_file_over_its_bound() {
    let site = SiteCopy::of(&dist_dir());
    // Two articles kept, and comments files up to 1,000 bytes (the volvo's is 1.8 KB).
    set_bound(site.path(), "ARTICLES_KEPT", 2);
    set_bound(site.path(), "COMMENTS_MAX_BYTES", 1000);
    journey_on(site.path().to_owned(), |page: Page| async move {
        let page = page.behind_relay();
        let seed = format!("/articles/{SEED_SLUG}");
        page.open_seed().await;
        kept(&page, &seed).await;
        kept(&page, &format!("/api/comments/{SEED_SLUG}.json")).await;
        page.click(".related-item a[href$='/articles/volvo-xc60-comparison']")
            .await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        comments_ready(&page).await;
        kept(&page, "/api/articles/volvo-xc60-comparison.json").await;
        let third = "/articles/record-surge-in-drivers-ignoring-smart-motorway-rules";
        page.click(&format!(".related-item a[href$='{third}']"))
            .await;
        page.wait_for_text("h1", "Record surge").await;
        kept(&page, third).await;
        kept(
            &page,
            "/api/articles/record-surge-in-drivers-ignoring-smart-motorway-rules.json",
        )
        .await;
        kept(
            &page,
            "/api/comments/record-surge-in-drivers-ignoring-smart-motorway-rules.json",
        )
        .await;

        // The oldest article went with its data; the volvo's comments were too large to keep.
        for (path, expected) in [
            (seed.as_str(), false),
            (&format!("/api/articles/{SEED_SLUG}.json"), false),
            (&format!("/api/comments/{SEED_SLUG}.json"), false),
            (VOLVO, true),
            ("/api/articles/volvo-xc60-comparison.json", true),
            ("/api/comments/volvo-xc60-comparison.json", false),
            (third, true),
        ] {
            assert_eq!(is_kept(&page, path).await, expected, "{path} kept");
        }

        // Offline, a kept article reads, and the article dropped is as one never opened.
        // (Opening it counts as opening it: the worker may keep it again from what the
        // browser's own cache still holds, and drop the oldest in its place.)
        page.go_offline();
        page.client.goto(&page.url(VOLVO)).await.unwrap();
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        page.client.goto(&page.url(&seed)).await.unwrap();
        page.wait_for_text(".status-page", "offline").await;
    })
    .await;
    drop(site);
}

#[tokio::test]
async fn the_photograph_variant_the_reader_saw_is_kept_and_shows_offline() {
    journey(|page: Page| async move {
        let page = page.behind_relay();
        page.open_seed().await;
        let loaded = "(i => i.complete && i.naturalWidth > 0)(document.querySelector('.lead-image img'))";
        page.wait_until(loaded).await;
        let seen = page
            .js("return new URL(document.querySelector('.lead-image img').currentSrc).pathname")
            .await;
        let seen = seen.as_str().unwrap().to_owned();
        kept(&page, &format!("/articles/{SEED_SLUG}")).await;
        kept(&page, &seen).await;
        // That variant only: not the photograph's other widths and formats.
        let photos = page
            .js_async(
                "caches.keys()
                   .then(names => Promise.all(names.map(name => caches.open(name).then(c => c.keys()))))
                   .then(lists => done(lists.flat().map(r => new URL(r.url).pathname)
                     .filter(p => p.startsWith('/media/v/aurus-senat-'))));",
            )
            .await;
        assert_eq!(photos, serde_json::json!([seen]));

        page.go_offline();
        open_again(&page).await;
        page.wait_for_text("h1", "Putin presents a new luxury car to Kim Jong-un").await;
        page.wait_until(loaded).await;
        let shown = page
            .js("return new URL(document.querySelector('.lead-image img').currentSrc).pathname")
            .await;
        assert_eq!(shown, seen.as_str());
    })
    .await;
}
