//! Component tests in headless Chromium (wasm-bindgen-test): each mounts one component and
//! checks what a reader would see and do.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use my_garage::components::article_view::ArticleView;
use my_garage::components::comments::CommentsSection;
use my_garage::core::article::decode_article;
use my_garage::state::discussion::Discussion;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a view into a fresh container and returns the container.
fn mount(view: impl FnOnce() -> AnyView + 'static) -> HtmlElement {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), view);
    handle.forget();
    container
}

fn query(root: &HtmlElement, css: &str) -> HtmlElement {
    root.query_selector(css)
        .unwrap()
        .unwrap_or_else(|| panic!("no {css}"))
        .unchecked_into()
}

fn texts(root: &HtmlElement, css: &str) -> Vec<String> {
    let list = root.query_selector_all(css).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

/// Lets effects and reactive updates run.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn type_into(element: &HtmlElement, text: &str) {
    if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        input.set_value(text);
    } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
        area.set_value(text);
    }
    element
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

const ARTICLE: &str = r#"{"version":1,"slug":"component-test","title":"A <b>headline</b>","section":"Tests",
  "standfirst":"Standfirst text","author":{"name":"Ann"},"published":"2024-02-20T12:00:00Z",
  "lead_image":{"caption":"Caption only"},
  "body":[{"type":"paragraph","text":"First <script>alert(1)</script>"},{"type":"heading","text":"Sub"},
          {"type":"quote","text":"Quoted","cite":"Someone"},{"type":"mystery","text":"skipped"}],
  "related":[{"slug":"other","title":"Other story","summary":"Its summary","published":"2024-07-24T12:00:00Z"}]}"#;

const PHOTOS: &str = r#"{"version":1,"slug":"photos","title":"Photos","author":{"name":"Ann"},
  "published":"2024-02-20T12:00:00Z",
  "lead_image":{"src":"/media/car.jpg","alt":"A car","width":2400,"height":1350,"caption":"The car","variants":true},
  "body":[{"type":"image","src":"https://images.example.com/a.jpg","alt":"","width":800,"height":450},
          {"type":"image","src":"/media/new.jpg","alt":"New","width":800,"height":450}]}"#;

#[wasm_bindgen_test]
async fn photographs_are_pictures_of_their_variants_and_another_origins_are_as_given() {
    let article = decode_article(PHOTOS.as_bytes()).unwrap().value;
    let root = mount(move || view! { <ArticleView article focus_headline=false /> }.into_any());
    settle().await;
    let attr = |element: &HtmlElement, name: &str| element.get_attribute(name);
    // The lead photograph: each format's variants, fetched first, its size declared.
    let lead = query(&root, ".lead-image picture img");
    assert_eq!(attr(&lead, "alt").as_deref(), Some("A car"));
    assert_eq!(attr(&lead, "fetchpriority").as_deref(), Some("high"));
    assert_eq!(attr(&lead, "loading"), None);
    assert_eq!(
        (attr(&lead, "width"), attr(&lead, "height")),
        (Some("2400".into()), Some("1350".into()))
    );
    assert_eq!(attr(&lead, "src").as_deref(), Some("/media/v/car-640.jpg"));
    let source = query(&root, ".lead-image source");
    assert_eq!(attr(&source, "type").as_deref(), Some("image/avif"));
    assert!(attr(&source, "srcset")
        .unwrap()
        .starts_with("/media/v/car-320.avif 320w, /media/v/car-640.avif 640w"));
    assert_eq!(texts(&root, ".lead-image figcaption"), ["The car"]);
    // On another origin: as given, with its declared size, fetched as it nears the screen.
    let body = query(&root, ".body-image img");
    assert_eq!(
        attr(&body, "src").as_deref(),
        Some("https://images.example.com/a.jpg")
    );
    assert_eq!(attr(&body, "srcset"), None);
    assert_eq!(attr(&body, "width").as_deref(), Some("800"));
    assert_eq!(attr(&body, "loading").as_deref(), Some("lazy"));
    assert_eq!(attr(&body, "decoding").as_deref(), Some("async"));
    assert!(root.query_selector(".body-image source").unwrap().is_none());
    // A photograph the build has not seen (no `variants` in its data): as given.
    let new = query(&root, ".body-image:last-child img");
    assert_eq!(attr(&new, "src").as_deref(), Some("/media/new.jpg"));
    assert_eq!(attr(&new, "srcset"), None);
}

#[wasm_bindgen_test]
async fn article_view_renders_blocks_as_text_and_no_broken_image() {
    let article = decode_article(ARTICLE.as_bytes()).unwrap().value;
    let root = mount(move || view! { <ArticleView article focus_headline=false /> }.into_any());
    settle().await;
    assert_eq!(
        query(&root, "h1").text_content().unwrap(),
        "A <b>headline</b>"
    );
    assert!(
        root.query_selector("h1 b").unwrap().is_none(),
        "markup in data stays text"
    );
    assert_eq!(
        query(&root, ".byline").text_content().unwrap(),
        "By Ann | February 20, 2024"
    );
    assert_eq!(
        texts(&root, ".article-body > p"),
        ["First <script>alert(1)</script>"]
    );
    assert_eq!(texts(&root, ".article-body h2"), ["Sub"]);
    assert_eq!(texts(&root, "blockquote cite"), ["Someone"]);
    assert!(root.query_selector("figure img").unwrap().is_none());
    assert_eq!(texts(&root, "figure figcaption"), ["Caption only"]);
    assert_eq!(texts(&root, ".related-item time"), ["Jul 24, 2024"]);
    assert_eq!(
        query(&root, ".related-title")
            .get_attribute("href")
            .unwrap(),
        "/articles/other"
    );
}

/// Forgets what earlier runs kept for `slug` (each of its comments, likes and order).
fn clear_storage(slug: &str) {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let length = storage.length().unwrap();
    let keys: Vec<String> = (0..length)
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|key| key.contains(&format!(":{slug}:")) || key.ends_with(&format!(":{slug}")))
        .collect();
    for key in keys {
        storage.remove_item(&key).unwrap();
    }
}

#[wasm_bindgen_test]
async fn comment_form_refuses_empty_input_with_linked_messages() {
    clear_storage("form-test");
    let root = mount(|| {
        let discussion = Discussion::new("form-test".into(), "Form test".into());
        Effect::new(move |_| untrack(|| discussion.start()));
        view! { <CommentsSection discussion /> }.into_any()
    });
    settle().await;
    let form = query(&root, "#add-comment");
    type_into(&query(&form, "input"), "");
    type_into(&query(&form, "textarea"), "   ");
    query(&form, "button[type=submit]").click();
    settle().await;
    let errors = texts(&form, ".field-error");
    assert_eq!(
        errors,
        ["Enter your name.", "Write a comment before posting."]
    );
    let name = query(&form, "input");
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = name.get_attribute("aria-describedby").unwrap();
    assert_eq!(
        document()
            .get_element_by_id(&described)
            .unwrap()
            .text_content()
            .unwrap(),
        "Enter your name."
    );
    assert!(texts(&root, ".comment").is_empty(), "nothing posted");
    assert_eq!(
        query(&root, "[role=status][aria-live=polite]")
            .text_content()
            .unwrap(),
        "Your comment was not posted. Enter your name. Write a comment before posting."
    );
}

#[wasm_bindgen_test]
async fn posting_shows_the_comment_as_text_and_counts_it() {
    clear_storage("post-test");
    let root = mount(|| {
        let discussion = Discussion::new("post-test".into(), "Post test".into());
        Effect::new(move |_| untrack(|| discussion.start()));
        view! { <CommentsSection discussion /> }.into_any()
    });
    settle().await;
    let form = query(&root, "#add-comment");
    type_into(&query(&form, "input"), "<i>Ann</i>");
    let hostile = "<img src=x onerror=alert(1)> &amp; مرحبا 🚗";
    type_into(&query(&form, "textarea"), hostile);
    settle().await;
    assert_eq!(hostile.chars().count(), 42);
    assert_eq!(
        query(&form, ".counter").text_content().unwrap(),
        "1,958 characters left"
    );
    query(&form, "button[type=submit]").click();
    settle().await;
    assert_eq!(texts(&root, ".comment .comment-body"), [hostile]);
    assert!(root.query_selector(".comment img").unwrap().is_none());
    assert_eq!(texts(&root, ".comment .author"), ["<i>Ann</i>"]);
    assert_eq!(
        query(&root, "#comments-heading .count")
            .text_content()
            .unwrap(),
        "(1)"
    );
    assert_eq!(
        query(&form, "textarea")
            .unchecked_into::<HtmlTextAreaElement>()
            .value(),
        "",
        "form cleared"
    );
    assert_eq!(
        query(&root, "[role=status][aria-live=polite]")
            .text_content()
            .unwrap(),
        "Your comment was posted."
    );
    // A second click right away is the same intent, not a second comment.
    type_into(&query(&form, "textarea"), hostile);
    query(&form, "button[type=submit]").click();
    settle().await;
    assert_eq!(texts(&root, ".comment").len(), 1);
}

/// A download that stalls at any step (here: a step that never ends) ends in a timeout the
/// reader is told about, and its request is aborted; a step that ends in time gives its
/// value, and one that fails is a network failure.
#[wasm_bindgen_test]
async fn a_download_step_that_never_ends_times_out() {
    use my_garage::core::load_error::{LoadError, Unavailable};
    use my_garage::shell::http::Deadline;
    let never = || std::future::pending::<Result<(), ()>>();
    let mut deadline = Deadline::start(30);
    assert_eq!(
        deadline.run(never()).await,
        Err(LoadError::Unavailable(Unavailable::Timeout))
    );
    assert!(
        deadline.signal().unwrap().aborted(),
        "the request is stopped"
    );
    // A later step of the same download is out of time at once: the limit is the
    // download's, not each step's.
    assert_eq!(
        deadline.run(never()).await,
        Err(LoadError::Unavailable(Unavailable::Timeout))
    );

    let mut deadline = Deadline::start(5_000);
    assert_eq!(deadline.run(async { Ok::<_, ()>(7) }).await, Ok(7));
    assert_eq!(
        deadline.run(async { Err::<(), _>("offline") }).await,
        Err(LoadError::Unavailable(Unavailable::Network))
    );
    assert!(!deadline.signal().unwrap().aborted());
    drop(deadline);
}
