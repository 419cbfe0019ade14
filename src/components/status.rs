//! What the page shows while it waits or when something went wrong.

use super::app::use_site;
use crate::core::head::Head;
use crate::core::load_error::{LoadError, Subject};
use crate::shell::head;
use leptos::prelude::*;

const NOT_FOUND: &str = "Page not found";
const NOT_FOUND_TEXT: &str =
    "We couldn't find the page you were looking for. It may have moved or never existed.";

#[component]
pub fn NotFound() -> impl IntoView {
    let site = use_site();
    let page_head = Head::unlisted(&site.settings, NOT_FOUND, NOT_FOUND_TEXT);
    Effect::new(move |_| head::apply(&page_head));
    view! {
        <section class="status-page" aria-labelledby="page-heading">
            <h1 id="page-heading" tabindex="-1">{NOT_FOUND}</h1>
            <p>{NOT_FOUND_TEXT}</p>
            <p><a href=site.front_path()>"Go to the front page"</a></p>
        </section>
    }
}

/// A failure to load `what`; retryable ones offer Retry.
#[component]
pub fn LoadFailed(
    error: LoadError,
    what: Subject,
    #[prop(into)] retry: Callback<()>,
) -> impl IntoView {
    if error == LoadError::NotFound {
        return view! { <NotFound /> }.into_any();
    }
    let site = use_site();
    let message = error.message(what);
    let detail = error.detail();
    let retryable = error.is_retryable();
    let page_head = Head::unlisted(&site.settings, "Something went wrong", &message);
    Effect::new(move |_| head::apply(&page_head));
    view! {
        <section class="status-page" role="alert" aria-labelledby="page-heading">
            <h1 id="page-heading" tabindex="-1">"Something went wrong"</h1>
            <p class="status-message">{message}</p>
            {detail.map(|d| view! { <p class="status-detail">{d}</p> })}
            {retryable.then(|| view! {
                <button type="button" class="button" on:click=move |_| retry.run(())>"Retry"</button>
            })}
            <p><a href=site.front_path()>"Go to the front page"</a></p>
        </section>
    }
    .into_any()
}

/// Grey blocks the size of what is coming, so nothing jumps when it arrives.
#[component]
pub fn ArticleSkeleton() -> impl IntoView {
    view! {
        <div class="article-layout" aria-busy="true">
            <p class="visually-hidden" role="status">"Loading article…"</p>
            <div class="article skeleton" aria-hidden="true">
                <div class="sk sk-label"></div>
                <div class="sk sk-title"></div>
                <div class="sk sk-title sk-short"></div>
                <div class="sk sk-line sk-byline"></div>
                <div class="sk sk-block"></div>
                {(0..6).map(|_| view! { <div class="sk sk-line"></div> }).collect_view()}
            </div>
            <div class="related skeleton" aria-hidden="true">
                <div class="sk sk-label"></div>
                {(0..4).map(|_| view! { <div class="sk sk-block"></div> }).collect_view()}
            </div>
        </div>
    }
}
