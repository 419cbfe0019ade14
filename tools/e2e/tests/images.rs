//! Photographs as readers get them: a phone and a desktop each fetch one variant of the
//! lead photograph, the one that fits; the lead photograph is the page's largest paint and
//! is fetched at once; a body photograph is fetched as the reader scrolls to it.

mod support;

use garage_harness::CannedResponse;
use support::{browser_kind, journey, BrowserKind, Page, SEED_SLUG};

const SEED_JSON: &str = "/api/articles/putin-presents-new-luxury-car-to-kim-jong-un.json";
/// The widths the build makes (`core::media::WIDTHS`), all of them for the seed's
/// 2400-pixel lead photograph.
const WIDTHS: [f64; 5] = [320.0, 640.0, 960.0, 1280.0, 1920.0];

fn dist_file(path: &str) -> String {
    std::fs::read_to_string(support::dist_dir().join(&path[1..])).unwrap()
}

/// Sets the window to `width` × `height` CSS pixels (headless: the viewport).
async fn viewport(page: &Page, width: u32, height: u32) {
    page.client
        .set_window_size(width, height)
        .await
        .expect("set the window size");
}

/// The seed's lead photograph, opened on a fresh profile at `width`: the variants fetched
/// must be one, the one the slot needs (the narrowest at least as wide as the slot's device
/// pixels), and it is what the image shows.
async fn loads_one_suitable_variant(width: u32, height: u32) {
    journey(move |page: Page| async move {
        viewport(&page, width, height).await;
        page.open_seed().await;
        page.wait_until(
            "(i => i.complete && i.naturalWidth > 0)(document.querySelector('.lead-image img'))",
        )
        .await;
        let seen = page
            .js("const img = document.querySelector('.lead-image img');
                 const fetched = performance.getEntriesByType('resource')
                   .map(e => new URL(e.name).pathname)
                   .filter(p => p.startsWith('/media/v/aurus-senat-'));
                 const bytes = performance.getEntriesByType('resource')
                   .filter(e => e.name.includes('/media/v/aurus-senat-'))
                   .reduce((sum, e) => sum + e.encodedBodySize, 0);
                 return { inner: innerWidth, dpr: devicePixelRatio,
                          shown_px: img.getBoundingClientRect().width * devicePixelRatio,
                          fetched: [...new Set(fetched)], bytes,
                          shown: new URL(img.currentSrc).pathname };")
            .await;
        // Firefox's window is never narrower than 500 pixels, even headless: there the
        // phone is as narrow as Firefox allows, and the choice is checked for that width.
        let inner = seen["inner"].as_u64().unwrap();
        match browser_kind() {
            BrowserKind::Firefox => assert_eq!(inner, u64::from(width.max(500)), "{seen}"),
            BrowserKind::Chromium => assert_eq!(inner, u64::from(width), "{seen}"),
        }
        let fetched = seen["fetched"].as_array().unwrap();
        assert_eq!(fetched.len(), 1, "one variant only: {seen}");
        assert_eq!(fetched[0], seen["shown"], "{seen}");
        let shown = seen["shown"].as_str().unwrap();
        assert!(shown.ends_with(".avif"), "the best format: {seen}");
        let chosen: f64 = shown
            .trim_start_matches("/media/v/aurus-senat-")
            .trim_end_matches(".avif")
            .parse()
            .unwrap();
        // The slot `sizes` gives (core::media::ARTICLE_SIZES: 40rem from a 42rem viewport,
        // the viewport less 2rem below), in device pixels.
        let dpr = seen["dpr"].as_f64().unwrap();
        let inner = inner as f64;
        let slot = if inner >= 42.0 * 16.0 {
            640.0
        } else {
            inner - 32.0
        } * dpr;
        let suitable = WIDTHS
            .iter()
            .copied()
            .find(|w| *w >= slot)
            .unwrap_or(1920.0);
        assert_eq!(
            chosen, suitable,
            "the narrowest variant that fills the slot: {seen}"
        );
        assert!(
            chosen >= seen["shown_px"].as_f64().unwrap(),
            "never stretched: {seen}"
        );
        // The budget for a phone's lead photograph (docs/performance.md).
        if width <= 500 {
            let bytes = seen["bytes"].as_u64().unwrap();
            assert!(bytes > 0 && bytes <= 60 * 1024, "{bytes} bytes: {seen}");
        }
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn a_360_pixel_phone_loads_one_suitable_variant() {
    loads_one_suitable_variant(360, 740).await;
}

#[tokio::test]
async fn a_1440_pixel_desktop_loads_one_suitable_variant() {
    loads_one_suitable_variant(1440, 900).await;
}

#[tokio::test]
async fn the_lead_photograph_is_the_largest_paint_and_is_fetched_at_once() {
    journey(|page: Page| async move {
        viewport(&page, 1440, 900).await;
        page.open_seed().await;
        let img = page.find(".lead-image img").await;
        assert_eq!(img.attr("loading").await.unwrap(), None, "not lazy");
        assert_eq!(img.attr("fetchpriority").await.unwrap().as_deref(), Some("high"));
        let preload = page
            .js("return document.querySelectorAll('link[rel=preload][as=image][imagesrcset]').length")
            .await;
        assert_eq!(preload, 1, "the page asks for it with its stylesheet");
        page.wait_until("(i => i.complete && i.naturalWidth > 0)(document.querySelector('.lead-image img'))")
            .await;
        let largest = page
            .js_async(
                "new PerformanceObserver((list, observer) => {
                   const last = list.getEntries().at(-1);
                   observer.disconnect();
                   done(last.element ? (last.element.closest('.lead-image') ? 'lead image' : last.element.outerHTML.slice(0, 80)) : 'none');
                 }).observe({ type: 'largest-contentful-paint', buffered: true });",
            )
            .await;
        assert_eq!(largest, "lead image");
    })
    .await;
}

#[tokio::test]
async fn a_body_photograph_is_fetched_as_the_reader_scrolls_to_it() {
    journey(|page: Page| async move {
        // A long article with a photograph at its end (its variants made, as the build says in
        // the data it publishes), as the app renders it from its JSON.
        let mut article: serde_json::Value = serde_json::from_str(&dist_file(SEED_JSON)).unwrap();
        let body = article["body"].as_array_mut().unwrap();
        let paragraphs = body.clone();
        body.extend(paragraphs.iter().cloned());
        body.extend(paragraphs);
        body.push(serde_json::json!({
            "type": "image", "src": "/media/night-drive.jpg", "width": 1200, "height": 800,
            "alt": "Sample illustration: an orange car on a road between green fields",
            "caption": "At the end of the article", "variants": true
        }));
        page.as_if_published_after_the_build(SEED_SLUG);
        page.server.always_respond_with(SEED_JSON, CannedResponse::json(200, article.to_string()));
        viewport(&page, 360, 740).await;
        page.open_seed().await;
        let img = page.find(".body-image img").await;
        assert_eq!(img.attr("loading").await.unwrap().as_deref(), Some("lazy"));
        assert_eq!(img.attr("decoding").await.unwrap().as_deref(), Some("async"));
        page.wait_until("(i => i.complete && i.naturalWidth > 0)(document.querySelector('.lead-image img'))")
            .await;
        let fetched = "performance.getEntriesByType('resource').some(e => e.name.includes('/media/v/night-drive-'))";
        assert_eq!(page.js(&format!("return {fetched}")).await, false, "not before the reader nears it");
        page.js("document.querySelector('.body-image').scrollIntoView(); return null;").await;
        page.wait_until(&format!(
            "{fetched} && (i => i.complete && i.naturalWidth > 0)(document.querySelector('.body-image img'))"
        ))
        .await;
        page.assert_no_errors().await;
    })
    .await;
}
