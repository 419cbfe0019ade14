//! What the page shows while it waits or when something went wrong.

use crate::core::load_error::{LoadError, Subject};
use crate::shell::browser::base_path;
use crate::shell::browser::set_page_meta;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    set_page_meta(
        "Page not found | My Garage",
        "This page of My Garage could not be found.",
    );
    view! {
        <section class="status-page" aria-labelledby="page-heading">
            <h1 id="page-heading" tabindex="-1">"Page not found"</h1>
            <p>"We couldn't find the page you were looking for. It may have moved or never existed."</p>
            <p><a href=format!("{}/", base_path())>"Go to the front page"</a></p>
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
    let message = error.message(what);
    let detail = error.detail();
    let retryable = error.is_retryable();
    set_page_meta("Something went wrong | My Garage", &message);
    view! {
        <section class="status-page" role="alert" aria-labelledby="page-heading">
            <h1 id="page-heading" tabindex="-1">"Something went wrong"</h1>
            <p class="status-message">{message}</p>
            {detail.map(|d| view! { <p class="status-detail">{d}</p> })}
            {retryable.then(|| view! {
                <button type="button" class="button" on:click=move |_| retry.run(())>"Retry"</button>
            })}
            <p><a href=format!("{}/", base_path())>"Go to the front page"</a></p>
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
