//! End-to-end journeys through the comment thread in headless Chromium (release build).
#![cfg(not(target_arch = "wasm32"))]

mod support;

use garage_harness::thread_gen::comments_file;
use garage_harness::CannedResponse;
use support::{journey, Page, SEED_SLUG};

const SEED_COMMENTS: &str = "/api/comments/putin-presents-new-luxury-car-to-kim-jong-un.json";
/// The seed article's record in the first storage layout (one record per article).
const STORE_KEY: &str = "my-garage:article:putin-presents-new-luxury-car-to-kim-jong-un";
/// A comment of the seed article under its own key, as a newer build might have written it.
const NEWER_KEY: &str = "my-garage:comment:putin-presents-new-luxury-car-to-kim-jong-un:n1";

/// Records, at the start of each frame, the top-level comments shown and the heading's
/// count, until a frame shows comments.
const FIRST_SCREEN_WATCH: &str = r#"
window.__firstScreen = null;
const watch = () => {
  const ids = [...document.querySelectorAll('.comment-list > li > article')].map(a => a.id);
  if (ids.length === 0) return requestAnimationFrame(watch);
  const count = document.querySelector('#comments-heading .count');
  window.__firstScreen = { ids, count: count ? count.textContent : '' };
};
requestAnimationFrame(watch);
return null;
"#;

async fn open_seed_comments(page: &Page) {
    page.open_seed().await;
    comments_ready(page).await;
}

/// Scrolls to the comments, as a reader does (that brings in their code), and waits until
/// the article shows and the whole thread is in: the heading shows its count.
async fn comments_ready(page: &Page) {
    page.wait_for_text("h1", "Putin presents").await;
    page.approach_comments().await;
    page.wait_until("document.querySelector('#comments-heading .count').textContent !== ''")
        .await;
}

#[tokio::test]
async fn a_reader_posts_replies_likes_edits_deletes_and_finds_it_all_after_a_reload() {
    journey(|page: Page| async move {
        open_seed_comments(&page).await;
        page.find("#comments .empty").await;
        page.post_comment("Ann", "First thoughts from Ann").await;
        assert_eq!(page.text("#comments-heading").await, "Comments (1)");
        assert_eq!(
            page.text(".comment-prompt a[href$='#comments']").await,
            "See all (1)"
        );
        let parent = page.comment_id("First thoughts from Ann").await;
        page.wait_until(&format!("document.activeElement.id === '{parent}'"))
            .await;
        page.wait_for_text(
            "[role=status][aria-live=polite]",
            "Your comment was posted.",
        )
        .await;
        let name = page
            .js("return document.querySelector('#add-comment input').value")
            .await;
        assert_eq!(name, "Ann", "the name is remembered");
        let time_left = page.text(&format!("#{parent} .time-left")).await;
        assert!(time_left.contains("15 min left"), "{time_left:?}");

        page.click(&format!("#{parent} .comment-actions button:nth-child(2)"))
            .await;
        let reply_form = format!("#{parent} .reply-form");
        page.fill(&format!("{reply_form} textarea"), "A reply to myself")
            .await;
        page.click(&format!("{reply_form} button[type=submit]"))
            .await;
        page.wait_for_comment("A reply to myself").await;
        let reply = page.comment_id("A reply to myself").await;
        page.find(&format!("#{parent} .replies #{reply}")).await;

        page.click(&format!("#{parent} > .comment-actions .like"))
            .await;
        page.wait_until(&format!(
            "document.querySelector('#{parent} .like').getAttribute('aria-pressed') === 'true'"
        ))
        .await;
        assert_eq!(page.text(&format!("#{parent} .like")).await.trim(), "♥ 1");
        let focus_kept = page.js(&format!("return document.activeElement === document.querySelector('#{parent} > .comment-actions .like')")).await;
        assert_eq!(focus_kept, true, "liking keeps focus on the Like button");

        page.click(&format!("#{reply} .comment-actions button:nth-child(3)"))
            .await;
        page.fill(
            &format!("#{reply} .edit-form textarea"),
            "A corrected reply",
        )
        .await;
        page.click(&format!("#{reply} .edit-form button[type=submit]"))
            .await;
        page.wait_for_comment("A corrected reply").await;
        assert!(page
            .text(&format!("#{reply} .edited"))
            .await
            .contains("edited"));

        page.client.refresh().await.unwrap();
        comments_ready(&page).await;
        page.wait_for_comment("First thoughts from Ann").await;
        page.wait_for_comment("A corrected reply").await;
        assert_eq!(page.text("#comments-heading").await, "Comments (2)");
        assert_eq!(page.text(&format!("#{parent} .like")).await.trim(), "♥ 1");

        page.click(&format!("#{parent} > .comment-actions button:nth-child(4)"))
            .await;
        page.wait_for_text(&format!("#{parent} .author"), "Comment deleted")
            .await;
        page.find(&format!("#{parent} .replies #{reply}")).await;
        page.client.refresh().await.unwrap();
        comments_ready(&page).await;
        page.wait_for_text(&format!("#{parent} .author"), "Comment deleted")
            .await;
        page.wait_for_comment("A corrected reply").await;
        assert_eq!(page.text("#comments-heading").await, "Comments (1)");
    })
    .await;
}

#[tokio::test]
async fn the_sample_thread_nests_three_levels_then_continues_flat() {
    journey(|page: Page| async move {
        page.open("/articles/volvo-xc60-comparison").await;
        page.approach_comments().await;
        page.wait_for_text("#comments-heading", "Comments (8)")
            .await;
        // c1 > c2 > c3 nest; c4 and c5 continue flat beside c3, saying whom they answer.
        page.find("#comment-c1 > .replies #comment-c2 > .replies > li > #comment-c3")
            .await;
        page.find("#comment-c2 > .replies > li > #comment-c4").await;
        let flat = page.text("#comment-c5 .in-reply-to").await;
        assert!(flat.starts_with("in reply to Sample reader"), "{flat}");
        let link = page
            .find("#comment-c5 .in-reply-to a")
            .await
            .attr("href")
            .await
            .unwrap();
        assert_eq!(
            link.as_deref(),
            Some("#comment-c4"),
            "a link within the page"
        );
        let collapse = "#comment-c1 > .collapse";
        assert_eq!(
            page.find(collapse)
                .await
                .attr("aria-expanded")
                .await
                .unwrap()
                .as_deref(),
            Some("true")
        );
        page.click(collapse).await;
        page.wait_until("document.querySelector('#comment-c1 > .replies').hidden")
            .await;
        assert_eq!(
            page.find(collapse)
                .await
                .attr("aria-expanded")
                .await
                .unwrap()
                .as_deref(),
            Some("false")
        );
    })
    .await;
}

#[tokio::test]
async fn the_chosen_order_is_remembered() {
    journey(|page: Page| async move {
        page.open("/articles/volvo-xc60-comparison").await;
        page.approach_comments().await;
        page.wait_for_text("#comments-heading", "Comments (8)").await;
        let select = "document.querySelector('#sort-comments')";
        page.js(&format!("{select}.value = 'oldest'; {select}.dispatchEvent(new Event('change', {{bubbles: true}})); return null;")).await;
        let top = "return [...document.querySelectorAll('.comment-list > li > .comment')].map(c => c.id)";
        let oldest = page.js(top).await;
        page.client.refresh().await.unwrap();
        page.approach_comments().await;
        page.wait_for_text("#comments-heading", "Comments (8)").await;
        assert_eq!(page.js(&format!("return {select}.value")).await, "oldest");
        assert_eq!(page.js(top).await, oldest);
        page.js(&format!("{select}.value = 'newest'; {select}.dispatchEvent(new Event('change', {{bubbles: true}})); return null;")).await;
        let newest = page.js(top).await;
        let mut reversed = oldest.as_array().unwrap().clone();
        reversed.reverse();
        assert_eq!(newest.as_array().unwrap(), &reversed);
    })
    .await;
}

#[tokio::test]
async fn drafts_survive_a_reload_and_bad_input_is_refused_with_messages() {
    journey(|page: Page| async move {
        open_seed_comments(&page).await;
        page.click("#add-comment button[type=submit]").await;
        page.wait_for_text("#add-comment", "Enter your name.").await;
        page.wait_for_text("#add-comment", "Write a comment before posting.")
            .await;
        page.fill("#add-comment input", "Bo").await;
        page.fill("#add-comment textarea", &"x".repeat(2_010)).await;
        page.wait_for_text("#add-comment .counter", "10 characters over the limit")
            .await;
        page.click("#add-comment button[type=submit]").await;
        page.wait_for_text(
            "#add-comment",
            "Your comment is 10 characters over the 2,000 limit",
        )
        .await;
        assert!(
            page.find_all(".comment").await.is_empty(),
            "nothing was posted"
        );
        page.fill("#add-comment textarea", "Half-written thought")
            .await;
        page.client.refresh().await.unwrap();
        comments_ready(&page).await;
        let kept = page
            .js("return document.querySelector('#add-comment textarea').value")
            .await;
        assert_eq!(kept, "Half-written thought");
    })
    .await;
}

#[tokio::test]
async fn a_comment_posted_in_one_tab_shows_in_another_without_a_reload() {
    journey(|page: Page| async move {
        open_seed_comments(&page).await;
        page.mark_window().await;
        let first = page.client.window().await.unwrap();
        let second = page.client.new_window(true).await.unwrap();
        page.client.switch_to_window(second.handle).await.unwrap();
        open_seed_comments(&page).await;
        page.post_comment("Tab two", "Written in the second tab")
            .await;
        page.client.switch_to_window(first).await.unwrap();
        page.wait_for_comment("Written in the second tab").await;
        assert!(
            page.window_still_marked().await,
            "the first tab was not reloaded"
        );
    })
    .await;
}

#[tokio::test]
async fn a_permalink_opens_whatever_hides_the_comment() {
    journey(|page: Page| async move {
        // 30 top-level comments (20 show at first); the target is the 6th reply of the 26th.
        let mut comments: Vec<serde_json::Value> = (0..30)
            .map(|i| serde_json::json!({"id": format!("t{i}"), "author": "A", "body": format!("top {i}"), "posted": format!("2024-02-21T10:{i:02}:00Z")}))
            .collect();
        for r in 0..6 {
            comments.push(serde_json::json!({"id": format!("r{r}"), "parent": "t4", "author": "B", "body": format!("reply {r}"), "posted": format!("2024-02-22T10:{r:02}:00Z")}));
        }
        let file = serde_json::json!({"version": 1, "comments": comments}).to_string();
        page.server.always_respond_with(SEED_COMMENTS, CannedResponse::json(200, file));
        page.open(&format!("/articles/{SEED_SLUG}#comment-r5")).await;
        page.find("#comment-r5").await;
        page.wait_until("document.activeElement && document.activeElement.id === 'comment-r5'").await;
        page.wait_until("document.querySelector('#comment-r5').classList.contains('highlighted')").await;
        let visible = page.js("const r = document.querySelector('#comment-r5').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;").await;
        assert_eq!(visible, true, "the comment is scrolled into view");
    })
    .await;
}

#[tokio::test]
async fn hostile_text_shows_literally_and_never_runs() {
    journey(|page: Page| async move {
        open_seed_comments(&page).await;
        let name = "<script>window.__pwned = 1</script>";
        let long_word = "A".repeat(400);
        let body = format!("<img src=x onerror=\"window.__pwned = 1\"> &amp; &lt;b&gt; مرحبا بالعالم 🚗👍 {long_word}");
        page.post_comment(name, &body).await;
        let id = page.comment_id(&body).await;
        assert_eq!(page.text(&format!("#{id} .author")).await, name);
        assert!(page.find_all(&format!("#{id} img, #{id} script, #{id} b")).await.is_empty());
        assert_eq!(page.js("return window.__pwned === undefined").await, true);
        let fits = page.js(&format!("const c = document.querySelector('#{id} .comment-body'); return c.scrollWidth <= c.clientWidth;")).await;
        assert_eq!(fits, true, "a very long word wraps instead of running off the screen");
        assert_eq!(page.find(&format!("#{id} .comment-body")).await.attr("dir").await.unwrap().as_deref(), Some("auto"));
    })
    .await;
}

/// Blank lines make paragraphs, `> ` lines a quote, http(s) addresses safe links; a
/// `javascript:` address, or anything else, is never a link.
#[tokio::test]
async fn a_comments_text_has_paragraphs_quotes_and_safe_links_only() {
    journey(|page: Page| async move {
        open_seed_comments(&page).await;
        let body = "> Putin gave a car?\n> Really?\nYes: see https://example.com/news?id=1.\n\nSecond paragraph javascript:alert(1) [x](javascript:alert(2)) <a href=\"https://evil.example\">no</a>";
        page.fill("#add-comment input", "Ivy").await;
        page.fill("#add-comment textarea", body).await;
        page.click("#add-comment button[type=submit]").await;
        page.wait_until("[...document.querySelectorAll('.comment-body')].some(e => e.textContent.includes('Second paragraph'))")
            .await;
        let shown = page
            .js("const b = [...document.querySelectorAll('.comment-body')].find(e => e.textContent.includes('Second paragraph'));
                 return {
                   quote: [...b.querySelectorAll('blockquote')].map(q => q.innerText),
                   paragraphs: [...b.querySelectorAll(':scope > p')].map(p => p.textContent),
                   links: [...b.querySelectorAll('a')].map(a => [a.getAttribute('href'), a.getAttribute('rel'), a.textContent]),
                 };")
            .await;
        assert_eq!(shown["quote"], serde_json::json!(["Putin gave a car?\nReally?"]));
        assert_eq!(
            shown["paragraphs"],
            serde_json::json!([
                "Yes: see https://example.com/news?id=1.",
                "Second paragraph javascript:alert(1) [x](javascript:alert(2)) <a href=\"https://evil.example\">no</a>"
            ])
        );
        assert_eq!(
            shown["links"],
            serde_json::json!([
                ["https://example.com/news?id=1", "nofollow ugc noopener", "https://example.com/news?id=1"],
                ["https://evil.example", "nofollow ugc noopener", "https://evil.example"],
            ]),
            "the https addresses are links, as text, and nothing else is"
        );
    })
    .await;
}

#[tokio::test]
async fn with_storage_full_the_comment_shows_unsaved_and_the_text_stays() {
    journey(|page: Page| async move {
        open_seed_comments(&page).await;
        // Fill this origin's storage to its quota, as a reader's browser may be.
        page.js("let size = 1 << 20, i = 0; while (size >= 1) { try { localStorage.setItem('filler-' + i++, 'x'.repeat(size)); } catch (e) { size = Math.floor(size / 2); } } return null;").await;
        page.fill("#add-comment input", "Cy").await;
        page.fill("#add-comment textarea", "Please keep this comment").await;
        page.click("#add-comment button[type=submit]").await;
        page.wait_for_comment("Please keep this comment").await;
        let id = page.comment_id("Please keep this comment").await;
        assert_eq!(page.text(&format!("#{id} .not-saved")).await, "Not saved");
        page.wait_for_text("#add-comment .warning", "would not save it").await;
        let kept = page.js("return document.querySelector('#add-comment textarea').value").await;
        assert_eq!(kept, "Please keep this comment", "the text stays in the form to copy");
        // A second click on the same text is the same intent: still one comment.
        page.click("#add-comment button[type=submit]").await;
        assert_eq!(page.find_all(".comment").await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn stored_data_this_build_cannot_read_stays_as_it_is_and_the_thread_still_works() {
    journey(|page: Page| async move {
        open_seed_comments(&page).await;
        let damaged = r#"{"version":1,"comments":[{"broken"#;
        let newer = r#"{"version":99,"id":"n1","body":"From a newer build"}"#;
        for (key, value) in [(STORE_KEY, damaged), (NEWER_KEY, newer)] {
            page.js(&format!(
                "localStorage.setItem({}, {}); return null;",
                serde_json::to_string(key).unwrap(),
                serde_json::to_string(value).unwrap()
            ))
            .await;
        }
        page.client.refresh().await.unwrap();
        comments_ready(&page).await;
        page.wait_for_text("#comments .warning", "newer version")
            .await;
        page.post_comment("Di", "Still works beside unreadable data")
            .await;
        page.client.refresh().await.unwrap();
        comments_ready(&page).await;
        page.wait_for_comment("Still works beside unreadable data")
            .await;
        for (key, value) in [(STORE_KEY, damaged), (NEWER_KEY, newer)] {
            let stored = page
                .js(&format!(
                    "return localStorage.getItem({})",
                    serde_json::to_string(key).unwrap()
                ))
                .await;
            assert_eq!(stored, value, "{key} is left byte for byte");
        }
    })
    .await;
}

#[tokio::test]
async fn a_malformed_comments_file_is_a_message_and_the_article_and_own_comments_stay() {
    journey(|page: Page| async move {
        open_seed_comments(&page).await;
        page.post_comment("Ed", "Mine survives a bad file").await;
        page.server.always_respond_with(
            SEED_COMMENTS,
            CannedResponse::json(200, "{\"comments\": [oops"),
        );
        page.client.refresh().await.unwrap();
        page.approach_comments().await;
        page.wait_for_text(
            "#comments .warning",
            "The comments' data is invalid, so it can't be shown.",
        )
        .await;
        page.wait_for_comment("Mine survives a bad file").await;
        assert_eq!(page.texts(".article-body p").await.len(), 8);
    })
    .await;
}

#[tokio::test]
async fn ten_thousand_published_comments_page_and_still_take_a_new_one() {
    journey(|page: Page| async move {
        page.server.always_respond_with(
            SEED_COMMENTS,
            CannedResponse::json(200, comments_file(10_000, 7)),
        );
        page.open_seed().await;
        // What the first frame with comments in it shows, seen at the start of each frame.
        page.js(FIRST_SCREEN_WATCH).await;
        page.approach_comments().await;
        page.wait_for_text("#comments-heading", "Comments (10000)")
            .await;
        // A screenful comes first, the rest of the page of 20 a frame later.
        page.wait_until("document.querySelectorAll('.comment-list > li').length === 20")
            .await;
        let first = page.js("return window.__firstScreen;").await;
        let first_ids: Vec<&str> = first["ids"]
            .as_array()
            .expect("a frame showed comments")
            .iter()
            .filter_map(|id| id.as_str())
            .collect();
        let page_ids = page
            .js("return [...document.querySelectorAll('.comment-list > li > article')].map(a => a.id);")
            .await;
        let page_ids: Vec<&str> = page_ids
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|id| id.as_str())
            .collect();
        assert_eq!(first_ids, page_ids[..6], "the first screen is the page's first 6");
        // The count waits for the whole thread rather than show the preview's.
        assert_eq!(first["count"], "");
        page.click("#comments .show-more").await;
        page.wait_until("document.querySelectorAll('.comment-list > li').length === 40")
            .await;
        page.post_comment("Fay", "Comment ten thousand and one")
            .await;
        assert_eq!(page.text("#comments-heading").await, "Comments (10001)");
        // The new comment joins the page: none of the 40 the reader could see goes away.
        let shown = page
            .js("return document.querySelectorAll('.comment-list > li').length;")
            .await;
        assert_eq!(shown, 41);
    })
    .await;
}

/// Enter in the name field posts (the browser clicks the form's "Post comment" button). The
/// app posts from that click and cancels it, so no form submission starts: the page stays,
/// and the browser's autofill is not set to work on a comment form.
#[tokio::test]
async fn enter_in_the_name_field_posts_without_a_form_submission() {
    journey(|page: Page| async move {
        open_seed_comments(&page).await;
        page.mark_window().await;
        page.js("window.__submitted = false; document.addEventListener('submit', () => { window.__submitted = true; }, true); return null;")
            .await;
        let address = page.js("return location.href;").await;
        page.fill("#add-comment textarea", "Posted with Enter").await;
        let name = page.find("#add-comment input").await;
        name.send_keys("Hal\u{E007}").await.unwrap();
        page.wait_for_comment("Posted with Enter").await;
        assert_eq!(page.text("#comments-heading").await, "Comments (1)");
        assert!(page.window_still_marked().await, "the page was reloaded");
        assert_eq!(page.js("return location.href;").await, address);
        assert_eq!(page.js("return window.__submitted;").await, false, "a form submission started");
    })
    .await;
}

#[tokio::test]
async fn ctrl_enter_posts_from_the_keyboard() {
    journey(|page: Page| async move {
        open_seed_comments(&page).await;
        page.fill("#add-comment input", "Gus").await;
        let field = page.find("#add-comment textarea").await;
        field.send_keys("Posted with the keyboard").await.unwrap();
        // Control down, Enter, then release every modifier.
        field.send_keys("\u{E009}\u{E007}\u{E000}").await.unwrap();
        page.wait_for_comment("Posted with the keyboard").await;
        assert_eq!(page.text("#comments-heading").await, "Comments (1)");
    })
    .await;
}
