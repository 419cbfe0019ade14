//! End-to-end: a deploy under a sub-path (`trunk build --public-url /garage/`): pages,
//! links, navigation in the page, heads, feed, sitemap, and the service worker's scope all
//! stay under `/garage/`.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use support::{journey_on, subpath_root, Page, SEED_SLUG};

const ORIGIN: &str = "https://www.example.com";

#[tokio::test]
async fn a_site_under_a_sub_path_works_and_says_so_everywhere() {
    journey_on(subpath_root(), |page: Page| async move {
        page.open(&format!("/garage/articles/{SEED_SLUG}")).await;
        page.wait_for_text("h1", "Putin presents").await;
        // The lead photograph's variant, under the base path too.
        page.wait_until(
            "(i => i.complete && i.naturalWidth > 0 && new URL(i.currentSrc).pathname.startsWith('/garage/media/v/aurus-senat-'))(document.querySelector('.lead-image img'))",
        )
        .await;
        let head = page
            .js("return {
                   canonical: document.querySelector('link[rel=canonical]').href,
                   og: document.querySelector('meta[property=\"og:url\"]').content,
                   feed: document.querySelector('link[type=\"application/atom+xml\"]').getAttribute('href'),
                   site: document.querySelector('.site-name').getAttribute('href'),
                   related: [...document.querySelectorAll('.related-title')].map(a => a.getAttribute('href')),
                   logo: JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent).publisher.logo.url,
                 }")
            .await;
        let url = format!("{ORIGIN}/garage/articles/{SEED_SLUG}");
        assert_eq!(head["canonical"], url.as_str());
        assert_eq!(head["og"], url.as_str());
        assert_eq!(head["feed"], "/garage/feed.xml");
        assert_eq!(head["site"], "/garage/");
        for link in head["related"].as_array().unwrap() {
            assert!(link.as_str().unwrap().starts_with("/garage/articles/"), "{link}");
        }
        // The publisher's logo in the structured data is the file the deploy holds.
        assert_eq!(head["logo"], format!("{ORIGIN}/garage/media/logo.png").as_str());
        let logo = page
            .js_async("fetch('/garage/media/logo.png').then(r => done([r.status, r.headers.get('content-type')]))")
            .await;
        assert_eq!(logo, serde_json::json!([200, "image/png"]));

        // Navigation in the page, under the sub-path.
        page.mark_window().await;
        page.click(".related-item a[href$='/articles/volvo-xc60-comparison']").await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        assert!(page.window_still_marked().await);
        assert!(page.client.current_url().await.unwrap().path().starts_with("/garage/articles/"));
        page.approach_comments().await;
        page.wait_until("document.querySelector('#comments-heading .count').textContent !== ''").await;
        page.click(".site-name").await;
        page.wait_for_text("h1", "Latest from My Garage").await;
        assert!(page.window_still_marked().await);

        // The service worker serves the sub-path only.
        let scope = page
            .js_async("navigator.serviceWorker.ready.then(r => done(r.scope))")
            .await;
        assert_eq!(scope, page.url("/garage/").as_str());

        // Feed and sitemap name the sub-path's addresses.
        let text = |path: &str| {
            std::fs::read_to_string(subpath_root().join(path.trim_start_matches('/'))).unwrap()
        };
        let feed = text("/garage/feed.xml");
        let feed = roxmltree::Document::parse(&feed).unwrap();
        let entries: Vec<&str> = feed
            .descendants()
            .filter(|n| n.has_tag_name("entry"))
            .filter_map(|entry| entry.children().find(|c| c.has_tag_name("id"))?.text())
            .collect();
        assert_eq!(entries.len(), 5);
        assert!(entries.iter().all(|id| id.starts_with(&format!("{ORIGIN}/garage/articles/"))), "{entries:?}");
        let sitemap = text("/garage/sitemap.xml");
        let sitemap = roxmltree::Document::parse(&sitemap).unwrap();
        let locations: Vec<&str> = sitemap
            .descendants()
            .filter(|n| n.has_tag_name("loc"))
            .filter_map(|n| n.text())
            .collect();
        assert!(locations.contains(&format!("{ORIGIN}/garage/").as_str()), "{locations:?}");
        assert!(locations.iter().all(|l| l.starts_with(&format!("{ORIGIN}/garage/"))));

        // An address the build has no page for is the not-found page, under the sub-path.
        page.open("/garage/no/such/page").await;
        page.wait_for_text("h1", "Page not found").await;
        assert_eq!(page.find(".status-page a").await.attr("href").await.unwrap().as_deref(), Some("/garage/"));
        page.assert_no_errors().await;
    })
    .await;
}
