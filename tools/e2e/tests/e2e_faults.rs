//! End-to-end: what goes wrong, and that nothing a reader wrote is lost: leaving while data
//! is on its way, two tabs, storage that is full, damaged or from a newer version, comment
//! ids that look like the page's own, and data with a bad entry in it.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use garage_harness::CannedResponse;
use std::time::Duration;
use support::{journey, Page, SEED_SLUG};

const SEED_JSON: &str = "/api/articles/putin-presents-new-luxury-car-to-kim-jong-un.json";
const SEED_COMMENTS: &str = "/api/comments/putin-presents-new-luxury-car-to-kim-jong-un.json";
const VOLVO_JSON: &str = "/api/articles/volvo-xc60-comparison.json";
/// The seed article's record in the first storage layout (one record per article).
const STORE_KEY: &str = "my-garage:article:putin-presents-new-luxury-car-to-kim-jong-un";
/// Where each of the reader's comments on the seed article is kept, by id.
const COMMENT_KEY_PREFIX: &str = "my-garage:comment:putin-presents-new-luxury-car-to-kim-jong-un:";

fn dist_file(path: &str) -> String {
    std::fs::read_to_string(support::dist_dir().join(&path[1..])).unwrap()
}

fn slow(body: String, ms: u64) -> CannedResponse {
    CannedResponse::json(200, body).with_delay(Duration::from_millis(ms))
}

/// Waits until the server has answered (or dropped) `count` canned responses for `path`:
/// a late answer has then come and gone.
async fn answered(page: &Page, path: &str, count: usize) {
    let deadline = std::time::Instant::now() + support::PATIENCE;
    while page.server.answered_count(path) < count {
        assert!(
            std::time::Instant::now() < deadline,
            "{path} was never answered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Scrolls to the comments and waits until the whole thread is in (the count shows).
async fn comments_ready(page: &Page) {
    page.approach_comments().await;
    page.wait_until("document.querySelector('#comments-heading .count').textContent !== ''")
        .await;
}

#[tokio::test]
async fn leaving_an_article_mid_load_logs_nothing_and_the_page_keeps_working() {
    journey(|page: Page| async move {
        page.server
            .respond_with(VOLVO_JSON, vec![slow(dist_file(VOLVO_JSON), 1500)]);
        page.open("/").await;
        page.click(".card-title a[href$='/articles/volvo-xc60-comparison']")
            .await;
        page.find("[aria-busy='true'] .skeleton").await;
        page.client.back().await.unwrap();
        page.wait_for_text("h1", "Latest from My Garage").await;
        answered(&page, VOLVO_JSON, 1).await;
        page.wait_for_text("h1", "Latest from My Garage").await;
        page.click(&format!(".card-title a[href$='/articles/{SEED_SLUG}']"))
            .await;
        page.wait_for_text("h1", "Putin presents").await;
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn switching_articles_quickly_shows_the_last_one_chosen() {
    journey(|page: Page| async move {
        page.server
            .respond_with(VOLVO_JSON, vec![slow(dist_file(VOLVO_JSON), 1500)]);
        page.open(&format!("/articles/{SEED_SLUG}")).await;
        page.click(".related-item a[href$='/articles/volvo-xc60-comparison']").await;
        page.find("[aria-busy='true'] .skeleton").await;
        page.client.back().await.unwrap();
        page.wait_for_text("h1", "Putin presents").await;
        page.click(".related-item a[href$='/articles/record-surge-in-drivers-ignoring-smart-motorway-rules']").await;
        page.wait_for_text("h1", "Record surge").await;
        answered(&page, VOLVO_JSON, 1).await;
        assert!(page.text("h1").await.starts_with("Record surge"), "a late answer changed the page");
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn a_comments_response_after_the_reader_left_changes_nothing() {
    journey(|page: Page| async move {
        let thread = r#"{"version":1,"comments":[{"id":"late","author":"L","body":"Too late","posted":"2024-02-21T10:00:00Z"}]}"#;
        page.server
            .respond_with(SEED_COMMENTS, vec![slow(thread.into(), 1500)]);
        page.open_seed().await;
        page.approach_comments().await;
        page.find("#comments .loading").await;
        page.click(".related-item a[href$='/articles/volvo-xc60-comparison']").await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        answered(&page, SEED_COMMENTS, 1).await;
        comments_ready(&page).await;
        assert!(page.find_all(".comment-body").await.len() > 1, "the Volvo thread shows");
        let bodies = page.texts(".comment-body").await;
        assert!(!bodies.iter().any(|b| b == "Too late"), "{bodies:?}");
        page.assert_no_errors().await;
    })
    .await;
}

/// Stores `value` under `key` in the page's localStorage.
async fn store(page: &Page, key: &str, value: &str) {
    page.js(&format!(
        "localStorage.setItem({}, {}); return null;",
        serde_json::to_string(key).unwrap(),
        serde_json::to_string(value).unwrap()
    ))
    .await;
}

async fn stored(page: &Page, key: &str) -> serde_json::Value {
    page.js(&format!(
        "return localStorage.getItem({})",
        serde_json::to_string(key).unwrap()
    ))
    .await
}

#[tokio::test]
async fn a_record_from_a_newer_version_stays_as_it_is_and_new_comments_are_kept_beside_it() {
    journey(|page: Page| async move {
        let newer = r#"{"version":7,"comments":[{"id":"n1","body":"Written by a newer build","reactions":{"🚗":3}}]}"#;
        let newer_comment = r#"{"version":7,"id":"n2","body":"Also from a newer build"}"#;
        page.open_seed().await;
        store(&page, STORE_KEY, newer).await;
        store(&page, &format!("{COMMENT_KEY_PREFIX}n2"), newer_comment).await;
        page.client.refresh().await.unwrap();
        page.wait_until("document.documentElement.dataset.app === 'ready'").await;
        comments_ready(&page).await;
        page.wait_for_text("#comments .warning", "newer version").await;
        page.post_comment("Ed", "Kept beside the newer record").await;
        page.client.refresh().await.unwrap();
        page.wait_until("document.documentElement.dataset.app === 'ready'").await;
        comments_ready(&page).await;
        page.wait_for_comment("Kept beside the newer record").await;
        assert_eq!(stored(&page, STORE_KEY).await, newer, "byte for byte");
        assert_eq!(
            stored(&page, &format!("{COMMENT_KEY_PREFIX}n2")).await,
            newer_comment,
            "byte for byte"
        );
    })
    .await;
}

#[tokio::test]
async fn damaged_data_is_never_written_over_however_busy_the_other_tab() {
    journey(|page: Page| async move {
        let damaged = r#"{"version":1,"comments":[{"broken"#;
        let damaged_comment = r#"{"version":1,"id":"d1","body":"no author, no date"#;
        page.open_seed().await;
        store(&page, STORE_KEY, damaged).await;
        store(&page, &format!("{COMMENT_KEY_PREFIX}d1"), damaged_comment).await;
        page.client.refresh().await.unwrap();
        page.wait_until("document.documentElement.dataset.app === 'ready'")
            .await;
        comments_ready(&page).await;
        page.wait_for_text("#comments .warning", "could not be read")
            .await;
        let first = page.client.window().await.unwrap();
        let second = page.client.new_window(true).await.unwrap();
        page.client.switch_to_window(second.handle).await.unwrap();
        page.open_seed().await;
        comments_ready(&page).await;
        // Typing and posting here sends storage events to the first tab.
        for word in ["One", "One more", "One more draft"] {
            page.fill("#add-comment textarea", word).await;
        }
        page.post_comment("Fi", "Posted from the second tab").await;
        page.post_comment("Fi", "And another").await;
        page.client.switch_to_window(first).await.unwrap();
        page.wait_for_comment("And another").await;
        assert_eq!(stored(&page, STORE_KEY).await, damaged, "left as it was");
        assert_eq!(
            stored(&page, &format!("{COMMENT_KEY_PREFIX}d1")).await,
            damaged_comment,
            "left as it was"
        );
        page.assert_no_errors().await;
    })
    .await;
}

/// Posts `count` comments from this tab's page as fast as its form takes them, starting at
/// the wall-clock time `at_ms`, letting other work in between posts (another tab's included).
async fn start_posting(page: &Page, tab: &str, count: usize, at_ms: u64) {
    page.js(&format!(
        "const tab = {tab:?}, count = {count}, at = {at_ms};
         window.__posted = 0;
         const form = document.getElementById('add-comment');
         const field = (css, value) => {{
           const el = form.querySelector(css);
           el.value = value;
           el.dispatchEvent(new Event('input', {{ bubbles: true }}));
         }};
         setTimeout(async () => {{
           for (let n = 0; n < count; n++) {{
             field('input', 'Tab ' + tab);
             field('textarea', 'Comment ' + n + ' from tab ' + tab);
             form.querySelector('button[type=submit]').click();
             window.__posted = n + 1;
             await new Promise((next) => setTimeout(next, 0));
           }}
         }}, Math.max(0, at - Date.now()));
         return null;"
    ))
    .await;
}

#[tokio::test]
async fn two_tabs_posting_at_the_same_moment_keep_every_comment() {
    journey(|page: Page| async move {
        page.open_seed().await;
        comments_ready(&page).await;
        let first = page.client.window().await.unwrap();
        let second = page.client.new_window(true).await.unwrap();
        page.client
            .switch_to_window(second.handle.clone())
            .await
            .unwrap();
        page.open_seed().await;
        comments_ready(&page).await;
        // Both tabs start at the same moment, a little from now.
        let at = page.js("return Date.now() + 1500").await.as_u64().unwrap();
        start_posting(&page, "B", 20, at).await;
        page.client.switch_to_window(first.clone()).await.unwrap();
        start_posting(&page, "A", 20, at).await;
        page.wait_until("window.__posted === 20").await;
        page.client.switch_to_window(second.handle).await.unwrap();
        page.wait_until("window.__posted === 20").await;
        page.client.switch_to_window(first).await.unwrap();
        page.client.refresh().await.unwrap();
        page.wait_until("document.documentElement.dataset.app === 'ready'")
            .await;
        comments_ready(&page).await;
        // What the reader sees after the reload: the count, and every comment once all
        // pages are shown.
        page.wait_for_text("#comments-heading .count", "(40)").await;
        while !page.find_all(".show-more").await.is_empty() {
            page.click(".show-more").await;
        }
        let mut shown = page.texts(".comment-body").await;
        shown.sort();
        let mut expected: Vec<String> = ["A", "B"]
            .iter()
            .flat_map(|tab| (0..20).map(move |n| format!("Comment {n} from tab {tab}")))
            .collect();
        expected.sort();
        assert_eq!(shown, expected, "all 40 comments are kept");
    })
    .await;
}

#[tokio::test]
async fn a_like_edit_or_deletion_the_browser_refuses_is_told_and_not_silently_undone() {
    journey(|page: Page| async move {
        open_volvo_comments(&page).await;
        page.post_comment("Hal", "Mine to change").await;
        let id = page.comment_id("Mine to change").await;
        // From here the browser refuses to keep anything of this article.
        page.js("const set = Storage.prototype.setItem;
             Storage.prototype.setItem = function (key, value) {
               if (key.startsWith('my-garage:comment:') || key.startsWith('my-garage:like:'))
                 throw new DOMException('full', 'QuotaExceededError');
               return set.call(this, key, value);
             };
             return null;")
            .await;
        page.click("#comment-c1 > .comment-actions .like").await;
        page.wait_for_text(
            "#comments .warning",
            "Your like is shown but this browser would not save it",
        )
        .await;
        page.click(&format!("#{id} > .comment-actions button:nth-of-type(3)"))
            .await; // Edit
        page.fill(&format!("#{id} .edit-form textarea"), "Changed, not kept")
            .await;
        page.click(&format!("#{id} .edit-form button[type=submit]"))
            .await;
        page.wait_for_comment("Changed, not kept").await;
        assert_eq!(page.text(&format!("#{id} .not-saved")).await, "Not saved");
        page.wait_for_text(
            "#comments .warning",
            "Your change is shown but this browser would not save it",
        )
        .await;
        page.assert_no_errors().await;
    })
    .await;
}

/// Opens the Volvo article's sample thread in this tab and waits for it.
async fn open_volvo_comments(page: &Page) {
    page.open("/articles/volvo-xc60-comparison").await;
    comments_ready(page).await;
}

#[tokio::test]
async fn posts_likes_unlikes_edits_and_deletions_converge_across_tabs() {
    journey(|page: Page| async move {
        open_volvo_comments(&page).await;
        let first = page.client.window().await.unwrap();
        let second = page.client.new_window(true).await.unwrap();
        page.client
            .switch_to_window(second.handle.clone())
            .await
            .unwrap();
        open_volvo_comments(&page).await;
        page.client.switch_to_window(first.clone()).await.unwrap();
        let like = "#comment-c1 > .comment-actions .like";
        page.click(like).await;
        page.post_comment("Gus", "Posted in the first tab").await;
        let id = page.comment_id("Posted in the first tab").await;
        page.client
            .switch_to_window(second.handle.clone())
            .await
            .unwrap();
        page.wait_until(&format!(
            "document.querySelector('{like}').getAttribute('aria-pressed') === 'true'"
        ))
        .await;
        page.wait_for_comment("Posted in the first tab").await;

        page.client.switch_to_window(first.clone()).await.unwrap();
        page.click(like).await;
        page.click(&format!("#{id} > .comment-actions button:nth-of-type(3)"))
            .await; // Edit
        page.fill(
            &format!("#{id} .edit-form textarea"),
            "Edited in the first tab",
        )
        .await;
        page.click(&format!("#{id} .edit-form button[type=submit]"))
            .await;
        page.wait_for_comment("Edited in the first tab").await;
        page.client
            .switch_to_window(second.handle.clone())
            .await
            .unwrap();
        page.wait_until(&format!(
            "document.querySelector('{like}').getAttribute('aria-pressed') === 'false'"
        ))
        .await;
        page.wait_for_comment("Edited in the first tab").await;

        page.client.switch_to_window(first).await.unwrap();
        page.click(&format!("#{id} > .comment-actions button:nth-of-type(4)"))
            .await; // Delete
        page.client.switch_to_window(second.handle).await.unwrap();
        page.wait_until(&format!("!document.getElementById('{id}')"))
            .await;
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn a_draft_belongs_to_its_tab_and_a_reload_restores_the_latest() {
    journey(|page: Page| async move {
        page.open_seed().await;
        comments_ready(&page).await;
        // Count every write to anything but a draft from here on.
        page.js(
            "window.__recordWrites = 0;
             const set = Storage.prototype.setItem;
             Storage.prototype.setItem = function (key, value) {
               if (key.startsWith('my-garage:') && !key.includes(':draft:')) window.__recordWrites += 1;
               return set.call(this, key, value);
             };
             return null;",
        )
        .await;
        page.fill("#add-comment textarea", "Typed in the first tab").await;
        assert_eq!(page.js("return window.__recordWrites").await, 0, "a keystroke writes its draft alone");
        let first = page.client.window().await.unwrap();
        let second = page.client.new_window(true).await.unwrap();
        page.client.switch_to_window(second.handle).await.unwrap();
        page.open_seed().await;
        comments_ready(&page).await;
        page.fill("#add-comment textarea", "Typed later in the second tab").await;
        page.client.switch_to_window(first).await.unwrap();
        let mine = page.js("return document.querySelector('#add-comment textarea').value").await;
        assert_eq!(mine, "Typed in the first tab", "the other tab's typing left this draft alone");
        page.client.refresh().await.unwrap();
        page.wait_until("document.documentElement.dataset.app === 'ready'").await;
        comments_ready(&page).await;
        page.wait_until("document.querySelector('#add-comment textarea').value === 'Typed later in the second tab'").await;
    })
    .await;
}

#[tokio::test]
async fn a_draft_the_browser_will_not_keep_is_told_and_stays_on_screen() {
    journey(|page: Page| async move {
        page.open_seed().await;
        comments_ready(&page).await;
        page.js("const set = Storage.prototype.setItem;
             Storage.prototype.setItem = function (key, value) {
               if (key.includes(':draft:')) throw new DOMException('full', 'QuotaExceededError');
               return set.call(this, key, value);
             };
             return null;")
            .await;
        page.fill("#add-comment textarea", "Words the browser will not keep")
            .await;
        page.wait_for_text("#add-comment .warning", "Your draft could not be saved")
            .await;
        let kept = page
            .js("return document.querySelector('#add-comment textarea').value")
            .await;
        assert_eq!(kept, "Words the browser will not keep");
    })
    .await;
}

#[tokio::test]
async fn comment_ids_never_stand_for_the_pages_own_and_odd_ids_work() {
    journey(|page: Page| async move {
        let comments = serde_json::json!({"version": 1, "comments": [
            {"id": "sort", "author": "S", "body": "My id is sort", "posted": "2024-02-21T10:00:00Z"},
            {"id": "with space", "author": "W", "body": "My id has a space", "posted": "2024-02-21T10:01:00Z"},
            {"id": "quo\"te 100% é", "parent": "with space", "author": "Q", "body": "A reply with an odd id", "posted": "2024-02-21T10:02:00Z"},
        ]});
        page.server.always_respond_with(SEED_COMMENTS, CannedResponse::json(200, comments.to_string()));
        page.open_static(&format!("/articles/{SEED_SLUG}#comment-%")).await;
        page.wait_until("document.documentElement.dataset.app === 'ready'").await;
        page.record_errors().await;
        comments_ready(&page).await;
        // The permalink of the comment whose id is `sort` leads to it, not to the order box.
        page.js("location.hash = '#comment-sort'; return null;").await;
        page.wait_until("document.activeElement.classList.contains('comment') && document.activeElement.textContent.includes('My id is sort')").await;
        // Every id that aria-controls names is an element of the page.
        let controls = page
            .js("return [...document.querySelectorAll('[aria-controls]')].map(b => b.getAttribute('aria-controls')).filter(id => id.split(' ').some(part => !document.getElementById(part)))")
            .await;
        assert_eq!(controls, serde_json::json!([]), "aria-controls names a missing element");
        assert!(!page.find_all("[aria-controls]").await.is_empty());
        // The odd id's permalink, followed as a reader does, opens that comment.
        page.click(".comment .comment .permalink").await;
        page.wait_until("document.activeElement.textContent.includes('A reply with an odd id')").await;
        let ids = page.js("return [...document.querySelectorAll('[id]')].map(e => e.id).filter(id => !/^[A-Za-z0-9_.-]+$/.test(id))").await;
        assert_eq!(ids, serde_json::json!([]), "element ids without spaces, quotes, % or accents");
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn a_bad_entry_drops_alone_and_a_mismatched_slug_is_invalid_data() {
    journey(|page: Page| async move {
        let mut seed: serde_json::Value = serde_json::from_str(&dist_file(SEED_JSON)).unwrap();
        seed["related"][1]["published"] = "yesterday".into();
        seed["lead_image"]["src"] = "/media/logo.png".into();
        seed["lead_image"]["width"] = (-1).into();
        page.as_if_published_after_the_build(SEED_SLUG);
        page.server.always_respond_with(SEED_JSON, CannedResponse::json(200, seed.to_string()));
        page.open(&format!("/articles/{SEED_SLUG}")).await;
        page.wait_for_text("h1", "Putin presents").await;
        assert_eq!(page.find_all(".related-item").await.len(), 3, "only the bad entry is dropped");
        let width = page.js("return document.querySelector('.lead-image img').getAttribute('width')").await;
        assert_eq!(width, serde_json::Value::Null, "the bad width is dropped, the image stays");

        let mut index: serde_json::Value = serde_json::from_str(&dist_file("/api/articles/index.json")).unwrap();
        index["articles"].as_array_mut().unwrap().push(serde_json::json!({"slug": "Not A Slug", "title": "Bad", "published": "2024-01-01T00:00:00Z"}));
        page.server.always_respond_with("/api/articles/index.json", CannedResponse::json(200, index.to_string()));
        page.open("/").await;
        page.wait_until("document.querySelectorAll('.card-title').length === 5").await;

        seed["slug"] = "another-article".into();
        page.server.always_respond_with(SEED_JSON, CannedResponse::json(200, seed.to_string()));
        page.open(&format!("/articles/{SEED_SLUG}")).await;
        page.wait_for_text(".status-page", "This article's data is invalid").await;
        page.wait_for_text(".status-page", "is not the one in its address").await;
        page.assert_no_errors().await;
    })
    .await;
}

/// What many CMSs write for absent fields, and an optional field of the wrong kind: the
/// article and its comments show, without the one bad field.
#[tokio::test]
async fn null_fields_and_a_bad_optional_field_cost_only_themselves() {
    journey(|page: Page| async move {
        let mut seed: serde_json::Value = serde_json::from_str(&dist_file(SEED_JSON)).unwrap();
        for field in ["body", "related", "standfirst", "section", "updated", "lead_image"] {
            seed[field] = serde_json::Value::Null;
        }
        page.as_if_published_after_the_build(SEED_SLUG);
        page.server
            .always_respond_with(SEED_JSON, CannedResponse::json(200, seed.to_string()));
        let comments = serde_json::json!({"version": 1, "comments": [
            {"id": "a", "author": "Ann", "body": "Likes of minus one", "posted": "2024-02-21T10:00:00Z", "likes": -1},
            {"id": "b", "parent": 7, "author": "Bo", "body": "A parent that is a number", "posted": "2024-02-21T10:01:00Z"},
            {"id": "c", "parent": null, "likes": null, "author": "Cy", "body": "Nulls", "posted": "2024-02-21T10:02:00Z"},
        ]});
        page.server
            .always_respond_with(SEED_COMMENTS, CannedResponse::json(200, comments.to_string()));
        page.open(&format!("/articles/{SEED_SLUG}")).await;
        page.wait_for_text("h1", "Putin presents").await;
        assert_eq!(page.find_all(".article-body p").await.len(), 0, "no body, no error");
        assert_eq!(page.find_all(".related-item").await.len(), 0);
        comments_ready(&page).await;
        let bodies = page.texts(".comment-body").await;
        for body in ["Likes of minus one", "A parent that is a number", "Nulls"] {
            assert!(bodies.iter().any(|b| b == body), "{body:?} shows: {bodies:?}");
        }
        page.wait_for_text("#comments-heading .count", "(3)").await;
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn a_comments_file_over_the_limit_is_told_not_a_crash() {
    journey(|page: Page| async move {
        let body = "x".repeat(21_000_000);
        let file = format!(r#"{{"version":1,"comments":[{{"id":"big","author":"B","body":"{body}","posted":"2024-02-21T10:00:00Z"}}]}}"#);
        page.server.always_respond_with(SEED_COMMENTS, CannedResponse::json(200, file));
        page.open_seed().await;
        page.approach_comments().await;
        page.wait_for_text("#comments .warning", "too large to be shown here").await;
        page.post_comment("Hal", "Still able to comment").await;
        page.assert_no_errors().await;
    })
    .await;
}
