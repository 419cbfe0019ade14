//! The `#comments` section: heading with the count, warnings, order, form and thread.

use super::comment_view::CommentView;
use super::form::CommentForm;
use crate::core::comments::thread::SortOrder;
use crate::core::load_error::COMMENTS;
use crate::state::discussion::{Discussion, PublishedState};
use leptos::prelude::*;

/// "See all (3)": the article's link down to the discussion, with its count.
#[component]
pub fn CommentCountLink(discussion: Discussion) -> impl IntoView {
    view! {
        <a href=discussion.link_to("comments")>
            "See all"
            <span class="comment-count">{count_suffix(discussion)}</span>
        </a>
    }
}

/// " (3)" once the count is known: the text of the header link's `.comment-count`.
pub fn count_suffix(discussion: Discussion) -> impl Fn() -> Option<String> + Copy {
    move || discussion.count_label().map(|n| format!(" ({n})"))
}

#[component]
pub fn CommentsSection(discussion: Discussion) -> impl IntoView {
    let count = move || discussion.count_label();
    view! {
        <section id="comments" class="comments" aria-labelledby="comments-heading" tabindex="-1">
            <h2 id="comments-heading">"Comments " <span class="count">{move || count().map(|n| format!("({n})"))}</span></h2>
            <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
                {move || Some(discussion.announcement()).filter(|text| !text.is_empty())}
            </div>
            {move || discussion.storage_warning().map(|w| view! { <p class="warning" role="alert">{w}</p> })}
            {move || discussion.change_warning().map(|w| view! { <p class="warning" role="alert">{w}</p> })}
            {move || match discussion.published() {
                PublishedState::Failed(error) => Some(view! {
                    <div class="warning" role="alert">
                        <p>{error.message(COMMENTS)}</p>
                        {error.detail().map(|d| view! { <p class="status-detail">{d}</p> })}
                        {error.is_retryable().then(|| view! {
                            <button type="button" class="button" on:click=move |_| discussion.load_published()>"Retry"</button>
                        })}
                    </div>
                }),
                _ => None,
            }}
            <CommentForm discussion parent=None />
            <div class="comments-toolbar">
                <label for="sort-comments">"Sort by"</label>
                <select
                    id="sort-comments"
                    on:change:target=move |ev| {
                        if let Some(order) = SortOrder::from_key(&ev.target().value()) {
                            discussion.set_order(order);
                        }
                    }
                >
                    {SortOrder::ALL.into_iter().map(|order| view! {
                        <option value=order.key() selected=move || discussion.order() == order>
                            {order.label()}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            {move || (discussion.published() == PublishedState::Loading).then(|| view! {
                <p class="loading" role="status">"Loading comments…"</p>
            })}
            {move || (count() == Some(0)).then(|| view! {
                <p class="empty">"No comments yet. Be the first to comment."</p>
            })}
            <ol class="comment-list">
                <For each=move || discussion.top_level() key=|id| id.clone() let(id)>
                    <li><CommentView discussion id /></li>
                </For>
            </ol>
            {move || {
                let hidden = discussion.hidden_count();
                (hidden > 0).then(|| view! {
                    <button type="button" class="button show-more" on:click=move |_| discussion.show_more()>
                        {format!("Show more comments ({hidden} more)")}
                    </button>
                })
            }}
        </section>
    }
}
