//! End-to-end journeys in headless Chromium against the release build, as a reader meets them.
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
        assert_eq!(page.find(".comment-prompt a[href$='#comments']").await.text().await.unwrap(), "See all");
        assert_eq!(page.find(".comment-prompt a[href$='#add-comment']").await.text().await.unwrap(), "Add a comment");
        assert_eq!(
            page.text(".standfirst").await,
            "The gift is viewed as an indication of strong connections between secluded leaders and may potentially breach UN sanctions prohibiting the export of luxury goods to North Korea."
        );
        assert_eq!(page.text(".lead-image figcaption").await, "Putin presents a new luxury car to Kim Jong-un");
        assert!(page.find_all(".lead-image img").await.is_empty(), "no broken image");
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
        for landmark in ["header.site-header", "nav", "main#main", "article.article", "aside.related", "footer.site-footer", "a.skip-link[href$='#main']"] {
            page.find(landmark).await;
        }
        page.approach_comments().await;
        page.wait_until("document.querySelector(\".comment-prompt a[href$='#comments']\").textContent === 'See all (0)'")
            .await;
    })
    .await;
}

#[tokio::test]
async fn related_links_navigate_without_a_reload_and_back_works() {
    journey(|page: Page| async move {
        // The app (front page and every page reached from it) navigates in place.
        page.open_seed_in_app().await;
        page.mark_window().await;
        page.js("window.scrollTo(0, 400); return null;").await;
        let html_requests = page.server.total_request_count();
        page.click(".related-item a[href$='/articles/volvo-xc60-comparison']")
            .await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        assert!(
            page.window_still_marked().await,
            "following a related link reloaded the page"
        );
        assert_eq!(
            page.client.title().await.unwrap(),
            "Volvo XC60 comparison | My Garage"
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
        assert_eq!(
            page.server.request_count("/articles/volvo-xc60-comparison"),
            0,
            "no document request"
        );
        assert!(
            page.server.total_request_count() - html_requests <= 2,
            "only the article's data was fetched"
        );

        page.client.back().await.unwrap();
        page.wait_for_text("h1", "Putin presents a new luxury car to Kim Jong-un")
            .await;
        assert!(
            page.window_still_marked().await,
            "going back reloaded the page"
        );
        assert_eq!(
            page.client.title().await.unwrap(),
            "Putin presents a new luxury car to Kim Jong-un | My Garage"
        );
    })
    .await;
}

#[tokio::test]
async fn a_prerendered_article_runs_no_app_code_until_the_reader_nears_the_comments() {
    journey(|page: Page| async move {
        page.open_seed().await;
        page.wait_until("document.readyState === 'complete'").await;
        let code = "return performance.getEntriesByType('resource').map(e => e.name).filter(n => /\\.(js|wasm)$/.test(n))";
        assert_eq!(page.js(code).await, serde_json::json!([]), "no code on the first load");
        page.find("#comments .loading").await;

        page.approach_comments().await;
        page.find("#add-comment").await;
        page.wait_until("!document.querySelector('#comments .loading')").await;
        let loaded = page.js(code).await;
        let loaded: Vec<&str> = loaded.as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
        assert!(loaded.iter().any(|n| n.contains("/comments-island-")), "{loaded:?}");
        assert!(!loaded.iter().any(|n| n.contains("/my-garage-")), "the whole app loaded: {loaded:?}");
        // The comments file is requested with the island's code, not after it.
        let order = page
            .js(&format!(
                "const start = part => performance.getEntriesByType('resource').find(e => e.name.includes(part)).startTime;
                 return start('/api/comments/{SEED_SLUG}.json') <= start('/comments-island-');"
            ))
            .await;
        assert_eq!(order, true, "the comments were requested after the island's code");

        // Links between articles are plain links to their prerendered pages.
        page.click(".related-item a[href$='/articles/volvo-xc60-comparison']").await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        assert_eq!(page.server.request_count("/articles/volvo-xc60-comparison"), 1);
        assert_eq!(page.client.title().await.unwrap(), "Volvo XC60 comparison | My Garage");
        page.client.back().await.unwrap();
        page.wait_for_text("h1", "Putin presents a new luxury car to Kim Jong-un").await;
    })
    .await;
}

#[tokio::test]
async fn when_the_comments_code_cannot_load_the_reader_is_told_and_can_try_again() {
    journey(|page: Page| async move {
        let island = std::fs::read_dir(support::dist_dir())
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .find(|name| name.starts_with("comments-island-") && name.ends_with("_bg.wasm"))
            .expect("the build has the comments island");
        let path = format!("/{island}");
        page.server
            .always_respond_with(&path, CannedResponse::json(503, "{}"));
        page.open_seed().await;
        page.approach_comments().await;
        page.wait_for_text("#comments .loading", "The comments could not be loaded")
            .await;
        page.server.clear(&path);
        page.click("#comments .loading button").await;
        page.find("#add-comment").await;
        page.wait_until("!document.querySelector('#comments .loading')")
            .await;
    })
    .await;
}

#[tokio::test]
async fn the_front_page_lists_every_article_newest_first() {
    journey(|page: Page| async move {
        page.open("/").await;
        page.wait_for_text(".article-list", "Volvo XC60 comparison")
            .await;
        let titles = page.texts(".card-title").await;
        assert_eq!(titles.len(), 5);
        assert_eq!(titles[0], "Volvo XC60 comparison");
        assert_eq!(titles[4], "Putin presents a new luxury car to Kim Jong-un");
        assert_eq!(page.texts(".card time").await[0], "Jul 24, 2024");
        page.mark_window().await;
        page.click(&format!(".card-title a[href$='/articles/{SEED_SLUG}']"))
            .await;
        page.wait_for_text("h1", "Putin presents").await;
        assert!(page.window_still_marked().await);
        page.click(".site-name").await;
        page.wait_for_text("h1", "Latest from My Garage").await;
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
        }
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
    })
    .await;
}

#[tokio::test]
async fn a_placeholder_holds_the_layout_while_loading() {
    journey(|page: Page| async move {
        let slow = CannedResponse::json(
            200,
            include_str!(
                "../public/api/articles/putin-presents-new-luxury-car-to-kim-jong-un.json"
            ),
        )
        .with_delay(std::time::Duration::from_millis(1500));
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
        page.click(".comment-prompt a[href$='#add-comment']").await;
        page.wait_until("document.activeElement.id === 'add-comment'").await;
        page.click(".comment-prompt a[href$='#comments']").await;
        page.wait_until("document.activeElement.id === 'comments'").await;
        assert!(page.client.current_url().await.unwrap().as_str().ends_with("#comments"));
    })
    .await;
}

#[tokio::test]
async fn the_prerendered_article_is_the_same_page_the_app_renders() {
    journey(|page: Page| async move {
        // The app renders the article from its JSON when the reader arrives from the front
        // page (or when the article was published after the build).
        page.open_seed_in_app().await;
        // Fetch the page as the server sends it (before any script), and compare it with the
        // live page element by element: tag, classes and text.
        let same = page
            .js(&format!(
                r#"const x = new XMLHttpRequest(); x.open('GET', '/articles/{SEED_SLUG}', false); x.send();
                   const sent = new DOMParser().parseFromString(x.responseText, 'text/html');
                   // The comment count is the one thing that differs: it arrives with the comments.
                   const shape = root => [...root.querySelectorAll('*')].map(e => e.tagName + '.' + e.className + ':' + (e.children.length || e.className === 'comment-count' ? '' : e.textContent));
                   const parts = ['.site-header', '.article', '.related'];
                   const diff = parts.map(p => [p, JSON.stringify(shape(sent.querySelector(p))), JSON.stringify(shape(document.querySelector(p)))]).filter(([, a, b]) => a !== b);
                   const headline = sent.querySelector('h1');
                   return {{ prerendered: !!headline && headline.textContent.startsWith('Putin presents'), title: sent.title, diff }};"#
            ))
            .await;
        assert_eq!(same["prerendered"], true, "the server sent a prerendered page");
        assert_eq!(same["title"], "Putin presents a new luxury car to Kim Jong-un | My Garage");
        assert_eq!(same["diff"], serde_json::json!([]), "prerendered and live markup differ");
    })
    .await;
}
