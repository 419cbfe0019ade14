//! End-to-end: the thread on a real comment service. The site is the build made for one
//! (`target/service-site`), and every journey starts the real Isso from PyPI on loopback,
//! with a fresh database: what one reader posts reaches every other reader.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::time::Duration;
use support::service::{service_journey, Service};
use support::{Page, SEED_SLUG};

fn seed_uri() -> String {
    format!("/articles/{SEED_SLUG}")
}

/// Opens the seed article, scrolls to its comments and waits until the service's thread
/// is in (the count shows, nothing is loading).
async fn open_thread(page: &Page) {
    page.open_seed().await;
    thread_ready(page).await;
}

async fn thread_ready(page: &Page) {
    page.approach_comments().await;
    page.wait_until(
        "document.querySelector('#comments-heading .count').textContent !== ''
         && !document.querySelector('#comments .loading')",
    )
    .await;
}

/// Opens the current address again, as a reader does.
async fn reload(page: &Page) {
    let url = page.client.current_url().await.unwrap();
    page.client.goto(url.as_str()).await.unwrap();
    page.wait_until("document.documentElement.dataset.app === 'ready'")
        .await;
    page.record_errors().await;
    thread_ready(page).await;
}

/// Fills the form of a reply under the comment `id` and posts it.
async fn reply(page: &Page, id: &str, body: &str) {
    page.click(&format!("#{id} > .comment-actions button[aria-expanded]"))
        .await;
    page.wait_until(&format!(
        "!!document.querySelector('#{id} .reply-form textarea')"
    ))
    .await;
    // The form starts with whom it answers when the reply is to a reply: keep it.
    let opening = page
        .js(&format!(
            "return document.querySelector('#{id} .reply-form textarea').value"
        ))
        .await;
    let text = format!("{}{body}", opening.as_str().unwrap_or_default());
    page.fill(&format!("#{id} .reply-form input"), "Bo").await;
    page.fill(&format!("#{id} .reply-form textarea"), &text)
        .await;
    page.click(&format!("#{id} .reply-form button[type=submit]"))
        .await;
    page.wait_for_comment(&text).await;
}

/// Posts a top-level comment and waits until the service has it (the comment then has the
/// service's id, and no "Sending…" badge); returns its element id.
async fn post(page: &Page, name: &str, body: &str) -> String {
    page.post_comment(name, body).await;
    page.wait_until(&format!(
        "[...document.querySelectorAll('.comment')].some(c =>
           c.querySelector(':scope > .comment-body')?.textContent === {}
           && !c.querySelector(':scope > .comment-meta .badge.sending'))",
        serde_json::to_string(body).unwrap()
    ))
    .await;
    page.comment_id(body).await
}

/// The text of the comment element whose body contains `text`.
async fn comment_with(page: &Page, text: &str) -> String {
    page.wait_until(&format!(
        "[...document.querySelectorAll('.comment-body')].some(e => e.textContent.includes({}))",
        serde_json::to_string(text).unwrap()
    ))
    .await;
    page.js(&format!(
        "return [...document.querySelectorAll('.comment')].find(c => c.querySelector(':scope > .comment-body')?.textContent.includes({})).id",
        serde_json::to_string(text).unwrap()
    ))
    .await
    .as_str()
    .unwrap()
    .to_owned()
}

#[tokio::test]
async fn two_readers_see_each_others_comments_and_replies() {
    service_journey(
        |_| {},
        |ann: Page, service: Service| async move {
            open_thread(&ann).await;
            ann.post_comment("Ann", "Hello from Ann").await;
            let (bo, bo_browser) = ann.another_reader().await;
            open_thread(&bo).await;
            bo.wait_for_comment("Hello from Ann").await;
            let anns = bo.comment_id("Hello from Ann").await;
            reply(&bo, &anns, "Hi Ann, Bo here").await;
            // Ann sees Bo's reply under her comment; she answers it, and Isso files her
            // answer under the top-level comment, naming Bo.
            reload(&ann).await;
            ann.wait_for_comment("Hi Ann, Bo here").await;
            let bos = ann.comment_id("Hi Ann, Bo here").await;
            assert!(
                ann.js(&format!(
                    "return !!document.querySelector('#{anns} #{bos}')"
                ))
                .await
                    == true,
                "Bo's reply is under Ann's comment"
            );
            reply(&ann, &bos, "Thanks, Bo").await;
            reload(&bo).await;
            let answer = comment_with(&bo, "Thanks, Bo").await;
            assert_eq!(
                bo.text(&format!("#{answer} .in-reply-to")).await,
                "in reply to Bo"
            );
            let stored = service.comments(&seed_uri()).await;
            assert_eq!(stored.len(), 3, "{stored:?}");
            let top = stored
                .iter()
                .find(|c| c["text"] == "Hello from Ann")
                .unwrap();
            assert!(stored
                .iter()
                .filter(|c| c["text"] != "Hello from Ann")
                .all(|c| c["parent"] == top["id"]));
            ann.assert_no_errors().await;
            bo_browser.close().await;
        },
    )
    .await;
}

#[tokio::test]
async fn an_author_edits_and_deletes_within_the_window_and_is_refused_after_it() {
    service_journey(
        |options| options.edit_window = Duration::from_secs(6),
        |page: Page, service: Service| async move {
            open_thread(&page).await;
            let id = post(&page, "Ann", "First version").await;
            page.click(&format!("#{id} > .comment-actions button:nth-of-type(3)"))
                .await; // Edit
            page.fill(&format!("#{id} .edit-form textarea"), "Second version")
                .await;
            page.click(&format!("#{id} .edit-form button[type=submit]"))
                .await;
            page.wait_for_comment("Second version").await;
            let gone = post(&page, "Ann", "To be deleted").await;
            page.click(&format!("#{gone} > .comment-actions button:nth-of-type(4)"))
                .await; // Delete
            page.wait_until(&format!("!document.getElementById('{gone}')"))
                .await;
            let texts: Vec<String> = service
                .comments(&seed_uri())
                .await
                .iter()
                .map(|c| c["text"].as_str().unwrap().to_owned())
                .collect();
            assert_eq!(texts, ["Second version"]);

            let late = post(&page, "Ann", "Changed too late").await;
            let posted_at = page.js("return Date.now()").await.as_i64().unwrap();
            page.click(&format!("#{late} > .comment-actions button:nth-of-type(3)"))
                .await;
            page.fill(&format!("#{late} .edit-form textarea"), "Too late")
                .await;
            // The service's window (6 s here, 15 minutes by default) passes.
            page.wait_until(&format!("Date.now() > {}", posted_at + 8_000))
                .await;
            page.click(&format!("#{late} .edit-form button[type=submit]"))
                .await;
            page.wait_for_text(
                &format!("#{late} .edit-form .field-error"),
                "time for changing this comment has passed",
            )
            .await;
            let kept = page
                .js(&format!(
                    "return document.querySelector('#{late} .edit-form textarea').value"
                ))
                .await;
            assert_eq!(kept, "Too late", "the words stay in the form");
            page.click(&format!("#{late} .edit-form button[type=button]"))
                .await; // Cancel
            page.wait_for_comment("Changed too late").await;
            let actions = format!("#{late} > .comment-actions button");
            page.wait_until(&format!(
                "document.querySelectorAll('{actions}').length === 2"
            ))
            .await; // Like and Reply only

            // The service refuses (403) what it no longer lets this browser change: here the
            // browser lost Isso's credential (cookies cleared) while the window is open.
            let refused = post(&page, "Ann", "Refused by the service").await;
            page.click(&format!(
                "#{refused} > .comment-actions button:nth-of-type(3)"
            ))
            .await;
            page.client.delete_all_cookies().await.unwrap();
            page.fill(&format!("#{refused} .edit-form textarea"), "Not allowed")
                .await;
            page.click(&format!("#{refused} .edit-form button[type=submit]"))
                .await;
            page.wait_for_text(
                &format!("#{refused} .edit-form .field-error"),
                "The comment service refused the change",
            )
            .await;
            page.click(&format!("#{refused} .edit-form button[type=button]"))
                .await;
            let actions = format!("#{refused} > .comment-actions button");
            page.wait_until(&format!(
                "document.querySelectorAll('{actions}').length === 2"
            ))
            .await;
            let texts: Vec<String> = service
                .comments(&seed_uri())
                .await
                .iter()
                .map(|c| c["text"].as_str().unwrap().to_owned())
                .collect();
            assert!(
                texts.contains(&"Refused by the service".to_owned()),
                "{texts:?}"
            );
            page.assert_no_errors().await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_like_is_counted_once_at_the_service() {
    service_journey(
        |_| {},
        |page: Page, service: Service| async move {
            // Another reader's comment (from another address: Isso never counts an author's
            // own like, and all of this machine's browsers are one address).
            service
                .with(|isso| {
                    isso.post_comment(
                        &format!("/articles/{SEED_SLUG}"),
                        &serde_json::json!({"text": "Like me", "author": "Cy", "title": "Seed"}),
                        Some("198.51.100.7".parse().unwrap()),
                    )
                    .unwrap()
                })
                .await;
            open_thread(&page).await;
            let id = page.comment_id("Like me").await;
            let like = format!("#{id} > .comment-actions .like");
            page.click(&like).await;
            page.wait_until(&format!(
                "document.querySelector('{like}').getAttribute('aria-pressed') === 'true'
                 && document.querySelector('{like}').disabled"
            ))
            .await;
            assert!(page.text(&like).await.ends_with('1'));
            let label = page
                .js(&format!(
                    "return document.querySelector('{like}').getAttribute('aria-label')"
                ))
                .await;
            assert!(
                label.as_str().unwrap().contains("can't be taken back"),
                "the button says so: {label}"
            );
            let likes = || async { service.comments(&seed_uri()).await[0]["likes"].clone() };
            assert_eq!(likes().await, 1);
            reload(&page).await;
            page.wait_until(&format!(
                "document.querySelector('{like}').getAttribute('aria-pressed') === 'true'"
            ))
            .await;
            assert!(page.text(&like).await.ends_with('1'));
            // Another reader on the same network likes it too: still one, for Isso counts
            // one like per address.
            let (other, browser) = page.another_reader().await;
            open_thread(&other).await;
            other.click(&like).await;
            other
                .wait_until(&format!(
                    "document.querySelector('{like}').textContent.trim().endsWith('1')"
                ))
                .await;
            assert_eq!(likes().await, 1);
            browser.close().await;
            page.assert_no_errors().await;
        },
    )
    .await;
}

#[tokio::test]
async fn the_counts_show_on_the_front_page_and_the_article() {
    service_journey(
        |_| {},
        |page: Page, service: Service| async move {
            service
                .with(|isso| {
                    let post = |uri: &str, text: &str| {
                        isso.post_comment(
                            uri,
                            &serde_json::json!({"text": text, "author": "Di", "title": "T"}),
                            None,
                        )
                        .unwrap();
                    };
                    for text in ["One.", "Two.", "Three."] {
                        post(&format!("/articles/{SEED_SLUG}"), text);
                    }
                    post("/articles/volvo-xc60-comparison", "Only one.");
                })
                .await;
            page.open("/").await;
            let card =
                |slug: &str| format!(".card:has(a[href$='/articles/{slug}']) .card-comments");
            page.wait_for_text(&card(SEED_SLUG), "3 comments").await;
            page.wait_for_text(&card("volvo-xc60-comparison"), "1 comment")
                .await;
            // The article says how many before its thread is read.
            page.click(&format!(".card-title a[href$='/articles/{SEED_SLUG}']"))
                .await;
            page.wait_for_text(".comment-prompt .comment-count", "(3)")
                .await;
            page.assert_no_errors().await;
        },
    )
    .await;
}

#[tokio::test]
async fn with_the_service_down_the_words_survive_and_are_sent_once_it_is_back() {
    service_journey(
        |_| {},
        |page: Page, service: Service| async move {
            open_thread(&page).await;
            service.with(|isso| isso.stop()).await;
            let words = "Written while the service was down";
            page.fill("#add-comment input", "Ann").await;
            page.fill("#add-comment textarea", words).await;
            page.click("#add-comment button[type=submit]").await;
            page.wait_for_text("#add-comment .warning", "not sent yet")
                .await;
            let id = page.comment_id(words).await;
            page.wait_for_text(&format!("#{id} .badge"), "Not sent yet")
                .await;
            let form = "return document.querySelector('#add-comment textarea').value";
            assert_eq!(page.js(form).await, words, "the text stays in the form");
            // A reload while it is still down: the words are still here, in the thread (the
            // outbox) and in the form (the draft).
            let url = page.client.current_url().await.unwrap();
            page.client.goto(url.as_str()).await.unwrap();
            page.wait_until("document.documentElement.dataset.app === 'ready'")
                .await;
            page.approach_comments().await;
            page.wait_for_comment(words).await;
            page.wait_until(&format!(
                "document.querySelector('#add-comment textarea').value === {}",
                serde_json::to_string(words).unwrap()
            ))
            .await;
            // The service comes back: the comment is sent, once, and the form empties.
            service.with(|isso| isso.start_again().unwrap()).await;
            page.wait_until(&format!(
                "[...document.querySelectorAll('.comment')].some(c =>
                   c.querySelector(':scope > .comment-body')?.textContent === {}
                   && !c.querySelector('.badge'))",
                serde_json::to_string(words).unwrap()
            ))
            .await;
            page.wait_until("document.querySelector('#add-comment textarea').value === ''")
                .await;
            let stored = service.comments(&seed_uri()).await;
            assert_eq!(stored.len(), 1, "sent exactly once: {stored:?}");
            reload(&page).await;
            assert_eq!(page.find_all(".comment").await.len(), 1);
        },
    )
    .await;
}

#[tokio::test]
async fn with_moderation_a_pending_comment_shows_to_its_author_only() {
    service_journey(
        |options| options.moderation = true,
        |ann: Page, service: Service| async move {
            open_thread(&ann).await;
            ann.post_comment("Ann", "Please approve me").await;
            ann.wait_until("!!document.querySelector('.comment .badge.pending')")
                .await;
            let id = ann.comment_id("Please approve me").await;
            ann.wait_for_text(&format!("#{id} .badge"), "Awaiting moderation")
                .await;
            let (bo, browser) = ann.another_reader().await;
            open_thread(&bo).await;
            assert!(
                bo.find_all(".comment").await.is_empty(),
                "not shown to others"
            );
            reload(&ann).await;
            let id = ann.comment_id("Please approve me").await;
            ann.wait_for_text(&format!("#{id} .badge"), "Awaiting moderation")
                .await;
            let number: u64 = id.trim_start_matches("comment-").parse().unwrap();
            service
                .with(move |isso| isso.approve(number).unwrap())
                .await;
            reload(&bo).await;
            bo.wait_for_comment("Please approve me").await;
            browser.close().await;
        },
    )
    .await;
}

#[tokio::test]
async fn hostile_text_stays_text_and_only_web_addresses_are_links() {
    service_journey(
        |_| {},
        |page: Page, service: Service| async move {
            let body = "<img src=x onerror=\"window.__pwned = 1\"> javascript:alert(1) see https://example.com/a.";
            service
                .with(move |isso| {
                    isso.post_comment(
                        &format!("/articles/{SEED_SLUG}"),
                        &serde_json::json!({"text": body, "author": "<b>Eve</b> & co", "title": "T"}),
                        None,
                    )
                    .unwrap()
                })
                .await;
            open_thread(&page).await;
            page.wait_for_comment(body).await;
            let id = page.comment_id(body).await;
            assert_eq!(page.text(&format!("#{id} .author")).await, "<b>Eve</b> & co");
            assert!(page
                .find_all(&format!("#{id} img, #{id} script, #{id} b"))
                .await
                .is_empty());
            let links = page
                .js(&format!(
                    "return [...document.querySelectorAll('#{id} .comment-body a')].map(a => [a.getAttribute('href'), a.rel])"
                ))
                .await;
            assert_eq!(
                links,
                serde_json::json!([["https://example.com/a", "nofollow ugc noopener"]])
            );
            assert_eq!(page.js("return window.__pwned === undefined").await, true);
        },
    )
    .await;
}

#[tokio::test]
async fn a_visited_thread_reads_while_the_service_is_unreachable() {
    service_journey(
        |_| {},
        |page: Page, service: Service| async move {
            service
                .with(|isso| {
                    isso.post_comment(
                        &format!("/articles/{SEED_SLUG}"),
                        &serde_json::json!({"text": "Kept for later", "author": "Fay", "title": "T"}),
                        None,
                    )
                    .unwrap()
                })
                .await;
            open_thread(&page).await;
            // Once the service worker runs the page, the thread it reads is kept.
            page.wait_until("!!navigator.serviceWorker.controller").await;
            reload(&page).await;
            page.wait_for_comment("Kept for later").await;
            service.with(|isso| isso.stop()).await;
            reload(&page).await;
            page.wait_for_comment("Kept for later").await;
        },
    )
    .await;
}
