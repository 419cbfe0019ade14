//! End-to-end journeys against the release build, as a reader meets them: the pages, taking
//! them over, navigation, loading and failure.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use garage_harness::CannedResponse;
use support::{journey, Page, SEED_SLUG};

const SEED_JSON_PATH: &str = "/api/articles/putin-presents-new-luxury-car-to-kim-jong-un.json";

/// The seed as the publisher gave it: body paragraphs sit between the repeated headline
/// and "Related Articles".
fn seed_paragraphs() -> Vec<String> {
    let seed = include_str!("fixtures/seed-article.txt");
    let lines: Vec<&str> = seed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let headline = lines
        .iter()
        .rposition(|l| *l == "Putin presents a new luxury car to Kim Jong-un")
        .unwrap();
    let related = lines.iter().position(|l| *l == "Related Articles").unwrap();
    lines[headline + 1..related]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn seed_related() -> Vec<[String; 3]> {
    let seed = include_str!("fixtures/seed-article.txt");
    let lines: Vec<&str> = seed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let related = lines.iter().position(|l| *l == "Related Articles").unwrap();
    lines[related + 1..]
        .chunks(3)
        .map(|c| [c[0].to_owned(), c[1].to_owned(), c[2].to_owned()])
        .collect()
}

#[tokio::test]
async fn the_seed_article_reads_word_for_word() {
    journey(|page: Page| async move {
        page.open_seed().await;
        assert_eq!(page.text(".site-name").await, "My Garage");
        assert_eq!(page.text(".section-label").await.to_lowercase(), "new hero");
        assert_eq!(page.texts("h1").await, ["Putin presents a new luxury car to Kim Jong-un"]);
        assert_eq!(page.text(".byline").await, "By Mathilda Bartholomew | February 20, 2024");
        let datetime = page.find(".byline time").await.attr("datetime").await.unwrap();
        assert_eq!(datetime.as_deref(), Some("2024-02-20T12:00:00Z"));
        assert!(page.text(".comment-prompt").await.starts_with("Why not leave a comment? See all"));
        // The count arrives with the comments, as the reader nears them.
        assert_eq!(page.find(".comment-prompt a[href='#comments']").await.text().await.unwrap(), "See all");
        assert_eq!(page.find(".comment-prompt a[href='#add-comment']").await.text().await.unwrap(), "Add a comment");
        assert_eq!(
            page.text(".standfirst").await,
            "The gift is viewed as an indication of strong connections between secluded leaders and may potentially breach UN sanctions prohibiting the export of luxury goods to North Korea."
        );
        assert_eq!(page.text(".lead-image figcaption").await, "Putin presents a new luxury car to Kim Jong-un");
        // The lead photograph under the standfirst: described, and loaded.
        let alt = page.find(".lead-image img").await.attr("alt").await.unwrap().unwrap_or_default();
        assert!(alt.contains("a red saloon car"), "{alt}");
        page.wait_until("(i => i.complete && i.naturalWidth > 0)(document.querySelector('.lead-image img'))").await;
        assert_eq!(page.texts(".article-body p").await, seed_paragraphs());
        assert_eq!(page.text(".related h2").await, "Related Articles");
        let mut related = Vec::new();
        for item in page.find_all(".related-item").await {
            let text = item.text().await.unwrap();
            related.push(text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect::<Vec<_>>());
        }
        let expected: Vec<Vec<String>> = seed_related().into_iter().map(|r| r.to_vec()).collect();
        assert_eq!(related, expected);
        assert_eq!(page.client.title().await.unwrap(), "Putin presents a new luxury car to Kim Jong-un | My Garage");
        let description = page.js("return document.querySelector('meta[name=description]')?.content").await;
        assert!(description.as_str().unwrap().starts_with("The gift is viewed"));
        for landmark in ["header.site-header", "nav", "main#main", "article.article", "aside.related", "footer.site-footer", "a.skip-link[href='#main']"] {
            page.find(landmark).await;
        }
        page.approach_comments().await;
        page.wait_until("document.querySelector(\".comment-prompt a[href='#comments']\").textContent === 'See all (0)'")
            .await;
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn an_article_opened_directly_is_taken_over_as_it_is() {
    journey(|page: Page| async move {
        // The app's code arrives late, so the reader has the prerendered page to themselves
        // for a moment: they scroll, select a phrase and focus a link.
        let wasm = page.wasm_path();
        let bytes = std::fs::read(support::dist_dir().join(&wasm[1..])).unwrap();
        page.server.respond_with(
            &wasm,
            vec![CannedResponse::new(200, "application/wasm", bytes)
                .with_delay(std::time::Duration::from_millis(1500))],
        );
        page.open_static(&format!("/articles/{SEED_SLUG}")).await;
        assert_eq!(
            page.texts("h1").await,
            ["Putin presents a new luxury car to Kim Jong-un"],
            "readable before the app runs"
        );
        assert!(
            page.js("return document.documentElement.dataset.app === undefined")
                .await
                == true,
            "the app is not running yet"
        );
        page.js("window.scrollTo(0, 300);
             window.__headline = document.querySelector('h1');
             const text = document.querySelector('.article-body p').firstChild;
             getSelection().setBaseAndExtent(text, 0, text, 24);
             document.querySelector('.related-title').focus({ preventScroll: true });
             return null;")
            .await;
        page.record_errors().await;
        page.wait_until("document.documentElement.dataset.app === 'ready'")
            .await;
        let after = page
            .js("return {
                   same_headline: window.__headline === document.querySelector('h1'),
                   headline_in_page: document.contains(window.__headline),
                   scroll: window.scrollY,
                   selection: String(getSelection()),
                   focused: document.activeElement.className,
                 };")
            .await;
        assert_eq!(
            after["same_headline"], true,
            "the prerendered headline is still the page's node"
        );
        assert_eq!(after["headline_in_page"], true);
        assert_eq!(after["scroll"], 300);
        assert_eq!(after["selection"], "Russian President Vladim");
        assert_eq!(after["focused"], "related-title");
        // The app took the article's data from the download the page started early: the page
        // fetched it once (the service worker may fetch it later, to keep it for offline).
        let fetched = page
            .js(&format!("return performance.getEntriesByType('resource').filter(e => e.name.endsWith('{SEED_JSON_PATH}')).length"))
            .await;
        assert_eq!(fetched, 1);
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn related_links_navigate_without_a_reload_and_back_works() {
    journey(|page: Page| async move {
        // Opened directly: the prerendered page, taken over by the app.
        page.open_seed().await;
        page.mark_window().await;
        page.js("window.scrollTo(0, 400); return null;").await;
        page.click(".related-item a[href$='/articles/volvo-xc60-comparison']")
            .await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        assert!(
            page.window_still_marked().await,
            "following a related link loaded a document"
        );
        assert_eq!(
            page.client.title().await.unwrap(),
            "Volvo XC60 comparison | My Garage"
        );
        let description = page
            .js("return document.querySelector('meta[name=description]').content")
            .await;
        assert!(
            description.as_str().unwrap().starts_with("We were testing"),
            "{description}"
        );
        assert!(page
            .client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/articles/volvo-xc60-comparison"));
        page.wait_until("window.scrollY === 0").await;
        page.wait_until("document.activeElement && document.activeElement.id === 'headline'")
            .await;
        let first_document = format!("/articles/{SEED_SLUG}");
        assert_eq!(
            page.document_path().await,
            first_document,
            "no document loaded"
        );

        page.client.back().await.unwrap();
        page.wait_for_text("h1", "Putin presents a new luxury car to Kim Jong-un")
            .await;
        assert!(
            page.window_still_marked().await,
            "going back loaded a document"
        );
        assert_eq!(
            page.client.title().await.unwrap(),
            "Putin presents a new luxury car to Kim Jong-un | My Garage"
        );
        page.click(".site-name").await;
        page.wait_for_text("h1", "Latest from My Garage").await;
        assert!(
            page.window_still_marked().await,
            "the site name loaded a document"
        );
        assert_eq!(
            page.document_path().await,
            first_document,
            "the front page came without a document"
        );
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn without_the_apps_code_the_page_still_reads_and_its_links_work() {
    journey(|page: Page| async move {
        let wasm = page.wasm_path();
        page.server
            .always_respond_with(&wasm, CannedResponse::json(503, "{}"));
        page.open_static(&format!("/articles/{SEED_SLUG}")).await;
        assert_eq!(page.texts(".article-body p").await, seed_paragraphs());
        // The skip link (shown when focused) leads into this page, not to another.
        page.js("document.querySelector('.skip-link').click(); return null;")
            .await;
        page.wait_until("location.hash === '#main'").await;
        assert_eq!(
            page.server.request_count(&format!("/articles/{SEED_SLUG}")),
            1,
            "the skip link stays on the page"
        );
        page.click(".related-item a[href$='/articles/volvo-xc60-comparison']")
            .await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        assert_eq!(
            page.server.request_count("/articles/volvo-xc60-comparison"),
            1,
            "a plain link"
        );
        assert_eq!(
            page.client.title().await.unwrap(),
            "Volvo XC60 comparison | My Garage"
        );
    })
    .await;
}

#[tokio::test]
async fn an_article_published_after_the_build_renders_from_its_json() {
    journey(|page: Page| async move {
        let seed = std::fs::read_to_string(support::dist_dir().join(&SEED_JSON_PATH[1..])).unwrap();
        let fresh = seed.replace(SEED_SLUG, "fresh-off-the-press").replace(
            "Putin presents a new luxury car to Kim Jong-un",
            "Fresh off the press",
        );
        page.server.always_respond_with(
            "/api/articles/fresh-off-the-press.json",
            CannedResponse::json(200, fresh).with_delay(std::time::Duration::from_millis(500)),
        );
        page.open_static("/articles/fresh-off-the-press").await;
        // The host's page for articles it has no page for: the article's placeholder, which
        // the app takes over and fills.
        page.find("[aria-busy='true'] .skeleton").await;
        page.wait_for_text("h1", "Fresh off the press").await;
        page.wait_until("document.documentElement.dataset.app === 'ready'")
            .await;
        assert_eq!(
            page.client.title().await.unwrap(),
            "Fresh off the press | My Garage"
        );
        assert_eq!(page.texts(".article-body p").await, seed_paragraphs());
        page.record_errors().await;
        page.mark_window().await;
        page.click(".related-item a[href$='/articles/volvo-xc60-comparison']")
            .await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        assert!(page.window_still_marked().await);
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn the_prerendered_markup_is_the_apps_markup() {
    journey(|page: Page| async move {
        // A short window, so the comments stay far away and are not fetched: the page is
        // compared as both renders leave it.
        page.client.set_window_size(1280, 500).await.unwrap();
        // The app renders the article itself when the reader arrives from the front page.
        page.open_seed_in_app().await;
        let compared = page
            .js(&format!(
                r#"const x = new XMLHttpRequest(); x.open('GET', '/articles/{SEED_SLUG}', false); x.send();
                   const sent = new DOMParser().parseFromString(x.responseText, 'text/html');
                   // Elements (tag, every attribute) and text, in document order; comments
                   // (the renderer's own markers) left out.
                   const walk = (node, out) => {{
                     for (const child of node.childNodes) {{
                       if (child.nodeType === Node.TEXT_NODE) {{ if (child.data) out.push('#' + child.data); }}
                       else if (child.nodeType === Node.ELEMENT_NODE) {{
                         let attrs = [...child.attributes].map(a => a.name + '=' + a.value);
                         // Until the app runs, the comment form waits (it cannot post without
                         // the app): the one attribute the live page has dropped.
                         if (child.matches('fieldset.form-fields')) attrs = attrs.filter(a => !a.startsWith('disabled='));
                         out.push('<' + child.tagName + ' ' + attrs.sort().join(' '));
                         walk(child, out);
                         out.push('</' + child.tagName);
                       }}
                     }}
                     return out;
                   }};
                   const merge = list => list.reduce((acc, item) => {{
                     if (item.startsWith('#') && acc.length && acc[acc.length - 1].startsWith('#')) acc[acc.length - 1] += item.slice(1);
                     else acc.push(item);
                     return acc;
                   }}, []);
                   const a = merge(walk(sent.body, [])), b = merge(walk(document.body, []));
                   const first = a.findIndex((item, i) => item !== b[i]);
                   return {{ prerendered: sent.querySelector('h1')?.textContent, sent: a.length, live: b.length,
                             first, at: first < 0 ? null : [a.slice(Math.max(0, first - 3), first + 3), b.slice(Math.max(0, first - 3), first + 3)] }};"#
            ))
            .await;
        assert_eq!(compared["prerendered"], "Putin presents a new luxury car to Kim Jong-un");
        assert_eq!(compared["sent"], compared["live"], "{compared}");
        assert_eq!(compared["first"], -1, "the prerendered body and the app's differ: {compared}");
    })
    .await;
}

#[tokio::test]
async fn the_front_page_lists_every_article_newest_first() {
    journey(|page: Page| async move {
        page.open("/").await;
        let titles = page.texts(".card-title").await;
        assert_eq!(titles.len(), 5);
        assert_eq!(titles[0], "Volvo XC60 comparison");
        assert_eq!(titles[4], "Putin presents a new luxury car to Kim Jong-un");
        assert_eq!(page.texts(".card time").await[0], "Jul 24, 2024");
        assert_eq!(
            page.client.title().await.unwrap(),
            "My Garage — motoring news"
        );
        page.mark_window().await;
        page.click(&format!(".card-title a[href$='/articles/{SEED_SLUG}']"))
            .await;
        page.wait_for_text("h1", "Putin presents").await;
        assert!(page.window_still_marked().await);
        page.click(".site-name").await;
        page.wait_for_text("h1", "Latest from My Garage").await;
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn unknown_slugs_and_paths_show_not_found_with_a_way_home() {
    journey(|page: Page| async move {
        for path in [
            "/articles/no-such-article",
            "/no/such/page",
            "/articles/Bad%20Slug",
        ] {
            page.open(path).await;
            page.wait_for_text("h1", "Page not found").await;
            let home = page.find(".status-page a").await;
            assert_eq!(home.text().await.unwrap(), "Go to the front page");
            assert_eq!(
                page.client.title().await.unwrap(),
                "Page not found | My Garage"
            );
        }
        page.mark_window().await;
        page.click(".status-page a").await;
        page.wait_for_text("h1", "Latest from My Garage").await;
        assert!(
            page.window_still_marked().await,
            "the way home loads no document"
        );
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn an_spa_fallback_page_for_a_missing_article_is_not_found() {
    journey(|page: Page| async move {
        // What `trunk serve` and SPA hosts do: index.html with status 200 for any missing file.
        page.server.always_respond_with(
            "/api/articles/gone.json",
            CannedResponse::html(200, "<!DOCTYPE html><html></html>"),
        );
        page.open("/articles/gone").await;
        page.wait_for_text("h1", "Page not found").await;
    })
    .await;
}

#[tokio::test]
async fn broken_json_and_html_instead_of_json_say_the_data_is_invalid() {
    journey(|page: Page| async move {
        page.as_if_published_after_the_build(SEED_SLUG);
        page.server.always_respond_with(
            SEED_JSON_PATH,
            CannedResponse::json(200, "{\"slug\": \"putin"),
        );
        page.open(&format!("/articles/{SEED_SLUG}")).await;
        page.wait_for_text(".status-page", "This article's data is invalid")
            .await;
        assert!(
            page.find_all(".status-page button").await.is_empty(),
            "retrying cannot fix bad data"
        );

        page.server.always_respond_with(
            SEED_JSON_PATH,
            CannedResponse::html(200, "<!DOCTYPE html><html><body>app</body></html>"),
        );
        page.client.refresh().await.unwrap();
        page.wait_for_text(".status-page", "This article's data is invalid")
            .await;
        page.wait_for_text(".status-page", "web page where JSON data was expected")
            .await;
    })
    .await;
}

#[tokio::test]
async fn a_server_error_offers_retry_which_loads_the_article() {
    journey(|page: Page| async move {
        page.as_if_published_after_the_build(SEED_SLUG);
        page.server.respond_with(
            SEED_JSON_PATH,
            vec![CannedResponse::json(500, "{\"error\":\"boom\"}")],
        );
        page.open(&format!("/articles/{SEED_SLUG}")).await;
        page.wait_for_text(
            ".status-page",
            "The server had a problem loading this article (error 500)",
        )
        .await;
        page.click(".status-page button").await;
        page.wait_for_text("h1", "Putin presents a new luxury car to Kim Jong-un")
            .await;
        assert_eq!(page.texts(".article-body p").await.len(), 8);
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn a_placeholder_holds_the_layout_while_loading() {
    journey(|page: Page| async move {
        let seed = std::fs::read_to_string(support::dist_dir().join(&SEED_JSON_PATH[1..])).unwrap();
        let slow =
            CannedResponse::json(200, seed).with_delay(std::time::Duration::from_millis(1500));
        page.open("/").await;
        page.server.respond_with(SEED_JSON_PATH, vec![slow]);
        page.click(&format!(".card-title a[href$='/articles/{SEED_SLUG}']"))
            .await;
        page.find("[aria-busy='true'] .skeleton").await;
        page.wait_for_text("h1", "Putin presents").await;
        assert!(page.find_all("[aria-busy='true']").await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn reloading_a_deep_link_shows_the_same_article() {
    journey(|page: Page| async move {
        page.open("/articles/volvo-xc60-comparison").await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        page.client.refresh().await.unwrap();
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        assert!(page.text(".article-body").await.starts_with("Sample text:"));
    })
    .await;
}

#[tokio::test]
async fn keyboard_readers_can_skip_to_content_and_jump_to_the_comments() {
    journey(|page: Page| async move {
        page.open_seed().await;
        page.find("body").await.send_keys("\u{E004}").await.unwrap(); // Tab
        page.wait_until("document.activeElement.classList.contains('skip-link')").await;
        let visible = page.js("const r = document.activeElement.getBoundingClientRect(); return r.top >= 0 && r.height > 0;").await;
        assert_eq!(visible, true, "the focused skip link is visible");
        page.js("document.activeElement.click(); return null;").await;
        page.wait_until("document.activeElement.id === 'main'").await;
        page.click(".comment-prompt a[href='#add-comment']").await;
        page.wait_until("document.activeElement.id === 'add-comment'").await;
        page.click(".comment-prompt a[href='#comments']").await;
        page.wait_until("document.activeElement.id === 'comments'").await;
        assert!(page.client.current_url().await.unwrap().as_str().ends_with("#comments"));
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn a_campaign_query_string_never_breaks_the_pages_own_links() {
    journey(|page: Page| async move {
        let arrival = format!("/articles/{SEED_SLUG}?utm_source=newsletter&utm_medium=email");
        page.open(&arrival).await;
        page.mark_window().await;
        // The skip link, the comment prompt's links and "See all" stay on this article.
        for (link, lands_on) in [
            (".skip-link", "main"),
            (".comment-prompt a[href='#add-comment']", "add-comment"),
            (".comment-prompt a[href='#comments']", "comments"),
        ] {
            // As a keyboard reader activates it (the skip link shows only when focused).
            page.js(&format!(
                "document.querySelector({}).click(); return null;",
                serde_json::to_string(link).unwrap()
            ))
            .await;
            page.wait_until(&format!(
                "document.activeElement && document.activeElement.id === '{lands_on}'"
            ))
            .await;
            assert_eq!(
                page.texts("h1").await,
                ["Putin presents a new luxury car to Kim Jong-un"],
                "after {link}"
            );
            let url = page.client.current_url().await.unwrap();
            assert_eq!(url.path(), format!("/articles/{SEED_SLUG}"), "after {link}");
            assert_eq!(
                url.query(),
                Some("utm_source=newsletter&utm_medium=email"),
                "the campaign's query stays in the address after {link}"
            );
        }
        // A comment's permalink, too.
        page.post_comment("Ann", "Query strings are everywhere")
            .await;
        let id = page.comment_id("Query strings are everywhere").await;
        page.click(&format!("#{id} a.permalink")).await;
        page.wait_until(&format!("document.activeElement.id === '{id}'"))
            .await;
        assert_eq!(
            page.texts("h1").await,
            ["Putin presents a new luxury car to Kim Jong-un"]
        );
        assert!(
            page.window_still_marked().await,
            "no link loaded a document"
        );
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn an_article_opened_by_its_pages_file_name_stays_the_article() {
    journey(|page: Page| async move {
        // nginx's try_files and some CDNs serve the page under this address too.
        page.open(&format!("/articles/{SEED_SLUG}/index.html"))
            .await;
        page.wait_for_text("h1", "Putin presents a new luxury car to Kim Jong-un")
            .await;
        assert_eq!(
            page.texts("h1").await,
            ["Putin presents a new luxury car to Kim Jong-un"],
            "the app, running, kept the article"
        );
        page.mark_window().await;
        page.click(".related-item a[href$='/articles/volvo-xc60-comparison']")
            .await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        assert!(page.window_still_marked().await);
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn a_page_whose_data_failed_once_is_taken_over_when_it_comes_back() {
    journey(|page: Page| async move {
        // The article's data fails as the page loads (the preload and the app's first try),
        // and is fine a moment later.
        page.server.respond_with(
            SEED_JSON_PATH,
            vec![
                CannedResponse::json(503, r#"{"error":"busy"}"#),
                CannedResponse::json(503, r#"{"error":"busy"}"#),
            ],
        );
        page.open_static(&format!("/articles/{SEED_SLUG}")).await;
        assert_eq!(
            page.texts("h1").await,
            ["Putin presents a new luxury car to Kim Jong-un"],
            "the page reads meanwhile"
        );
        page.record_errors().await;
        page.wait_until("document.documentElement.dataset.app === 'ready'")
            .await;
        assert!(
            page.server.request_count(SEED_JSON_PATH) >= 2,
            "the data was fetched again after the failure"
        );
        page.mark_window().await;
        page.click(".related-item a[href$='/articles/volvo-xc60-comparison']")
            .await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        assert!(
            page.window_still_marked().await,
            "a related link loaded a document: the app never took the page over"
        );
        page.assert_no_errors().await;
    })
    .await;
}
