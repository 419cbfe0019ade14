//! One comment, its actions, and the replies displayed inside it.

use super::discussion::{Discussion, REPLIES_SHOWN};
use super::form::CommentForm;
use crate::core::comments::model::Origin;
use crate::core::comments::validate::edit_deadline;
use crate::core::time::{minutes_left, relative_time};
use crate::shell::browser::local_date_time;
use crate::shell::clock::use_clock;
use leptos::prelude::*;

#[component]
pub fn CommentView(discussion: Discussion, id: String) -> AnyView {
    let clock = use_clock();
    let entry = {
        let id = id.clone();
        Memo::new(move |_| discussion.thread.with(|t| t.entry(&id)))
    };
    let id = StoredValue::new(id);
    let replies = Memo::new(move |_| {
        discussion
            .thread
            .with(|t| t.displayed_replies(&id.get_value()))
    });
    let expanded = move || discussion.expanded.with(|e| e.contains(&id.get_value()));
    let collapsed = move || discussion.collapsed.with(|c| c.contains(&id.get_value()));
    let shown_replies = move || {
        if !discussion.replies_ready.get() {
            return Vec::new();
        }
        let all = replies.get();
        if expanded() {
            all
        } else {
            all.into_iter().take(REPLIES_SHOWN).collect()
        }
    };
    let more_replies = move || {
        if expanded() {
            0
        } else {
            replies.with(|r| r.len().saturating_sub(REPLIES_SHOWN))
        }
    };
    let element_id = move || format!("comment-{}", id.get_value());
    let replies_id = move || format!("replies-{}", id.get_value());

    let body = move || {
        let Some(entry) = entry.get() else {
            return ().into_any();
        };
        let c = entry.comment;
        // The shared clock ticks every 20 s; a comment posted since is never "in the future".
        let now = clock.0.get();
        let can_change = discussion.can_change(&c, now);
        let editing = discussion
            .editing
            .with(|e| e.as_deref() == Some(c.id.as_str()));
        let posted_ms = c.posted.epoch_ms;
        view! {
            <header class="comment-meta">
                {if c.deleted {
                    view! { <span class="author deleted">"Comment deleted"</span> }.into_any()
                } else {
                    view! { <span class="author" dir="auto">{c.author.clone()}</span> }.into_any()
                }}
                " "
                <a class="permalink" href=discussion.link_to(&format!("comment-{}", c.id)) aria-label=format!("Link to this comment, posted {}", relative_time(&c.posted, now))>
                    <time datetime=c.posted.raw.clone() title=local_date_time(posted_ms)>{relative_time(&c.posted, now)}</time>
                </a>
                {c.edited.is_some().then(|| view! { <span class="edited">" (edited)"</span> })}
                {matches!(c.origin, Origin::Mine { saved: false }).then(|| view! {
                    <span class="badge not-saved">"Not saved"</span>
                })}
                {entry.in_reply_to.map(|(parent_id, name)| view! {
                    <span class="in-reply-to">
                        "in reply to " <a href=discussion.link_to(&format!("comment-{parent_id}")) dir="auto">{name}</a>
                    </span>
                })}
            </header>
            {if c.deleted {
                view! { <p class="comment-body deleted">"This comment was deleted."</p> }.into_any()
            } else if editing {
                view! { <EditForm discussion id=c.id.clone() body=c.body.clone() /> }.into_any()
            } else {
                view! { <p class="comment-body" dir="auto">{c.body.clone()}</p> }.into_any()
            }}
            {(!c.deleted).then(|| {
                let like_id = c.id.clone();
                let reply_id = c.id.clone();
                view! {
                    <div class="comment-actions">
                        <button
                            type="button"
                            class="action like"
                            aria-pressed=entry.liked.to_string()
                            aria-label=format!("Like comment by {} ({} likes)", c.author, entry.likes)
                            on:click=move |_| discussion.toggle_like(&like_id)
                        >
                            <span aria-hidden="true">{if entry.liked { "♥" } else { "♡" }}</span>
                            " " {entry.likes.to_string()}
                        </button>
                        <button
                            type="button"
                            class="action"
                            aria-expanded=move || (discussion.replying_to.get().as_deref() == Some(reply_id.as_str())).to_string()
                            on:click={
                                let reply_id = c.id.clone();
                                move |_| {
                                    let open = discussion.replying_to.get_untracked().as_deref() == Some(reply_id.as_str());
                                    discussion.replying_to.set((!open).then(|| reply_id.clone()));
                                }
                            }
                        >"Reply"</button>
                        {(can_change && !editing).then(|| {
                            let edit_id = c.id.clone();
                            let delete_id = c.id.clone();
                            view! {
                                <button type="button" class="action" on:click=move |_| discussion.editing.set(Some(edit_id.clone()))>"Edit"</button>
                                <button type="button" class="action" on:click=move |_| discussion.delete(&delete_id)>"Delete"</button>
                                <span class="time-left">
                                    {format!("{} min left to edit or delete", minutes_left(edit_deadline(posted_ms), now.max(posted_ms)))}
                                </span>
                            }
                        })}
                    </div>
                }
            })}
        }
        .into_any()
    };

    view! {
        <article
            id=element_id
            class="comment"
            class:mine=move || entry.with(|e| e.as_ref().is_some_and(|e| e.comment.is_mine()))
            class:highlighted=move || discussion.highlighted.with(|h| h.as_deref() == Some(id.get_value().as_str()))
            tabindex="-1"
        >
            {body}
            {move || (discussion.replying_to.get().as_deref() == Some(id.get_value().as_str())).then(|| view! {
                <CommentForm discussion parent=Some(id.get_value()) />
            })}
            {move || (discussion.replies_ready.get() && !replies.with(Vec::is_empty)).then(|| view! {
                <button
                    type="button"
                    class="action collapse"
                    aria-expanded=move || (!collapsed()).to_string()
                    aria-controls=replies_id
                    on:click=move |_| discussion.collapsed.update(|c| {
                        let id = id.get_value();
                        if !c.remove(&id) {
                            c.insert(id);
                        }
                    })
                >
                    {move || if collapsed() {
                        format!("Show {} replies", replies.with(Vec::len))
                    } else {
                        "Hide replies".to_owned()
                    }}
                </button>
            })}
            <ol class="replies" id=replies_id hidden=collapsed>
                <For each=shown_replies key=|id| id.clone() let(reply_id)>
                    <li><CommentView discussion id=reply_id /></li>
                </For>
            </ol>
            {move || (discussion.replies_ready.get() && more_replies() > 0 && !collapsed()).then(|| view! {
                <button
                    type="button"
                    class="action show-replies"
                    on:click=move |_| discussion.expanded.update(|e| { e.insert(id.get_value()); })
                >
                    {format!("Show {} more replies", more_replies())}
                </button>
            })}
        </article>
    }
    .into_any()
}

#[component]
fn EditForm(discussion: Discussion, id: String, body: String) -> impl IntoView {
    let text = RwSignal::new(body);
    let error = RwSignal::new(None::<String>);
    let field_id = format!(
        "edit-{}",
        id.bytes().map(|b| format!("{b:02x}")).collect::<String>()
    );
    let error_id = format!("{field_id}-error");
    let id = StoredValue::new(id);
    let save = move || match discussion.edit(&id.get_value(), &text.get_untracked()) {
        Ok(()) => error.set(None),
        Err(errors) => error.set(errors.body),
    };
    view! {
        <form class="edit-form" novalidate on:submit=move |ev| { ev.prevent_default(); save(); }>
            <label for=field_id.clone()>"Edit your comment"</label>
            <textarea
                id=field_id
                rows="3"
                prop:value=text
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby={let error_id = error_id.clone(); move || error.with(Option::is_some).then(|| error_id.clone())}
                on:input:target=move |ev| text.set(ev.target().value())
                on:keydown=move |ev| if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) { ev.prevent_default(); save(); }
            ></textarea>
            {move || error.get().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
            <div class="form-actions">
                <button type="submit" class="button primary">"Save"</button>
                <button type="button" class="button" on:click=move |_| discussion.editing.set(None)>"Cancel"</button>
            </div>
        </form>
    }
}
