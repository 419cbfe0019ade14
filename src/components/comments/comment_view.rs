//! One comment, its actions, and the replies displayed inside it.

use super::discussion::{Discussion, REPLIES_SHOWN};
use super::form::CommentForm;
use crate::core::comments::model::Origin;
use crate::core::comments::validate::edit_deadline;
use crate::core::time::{minutes_left, relative_time};
use crate::shell::browser::local_date_time;
use crate::shell::clock::use_clock;
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

#[component]
pub fn CommentView(discussion: Discussion, id: String) -> AnyView {
    let clock = use_clock();
    let entry = {
        let id = id.clone();
        Memo::new(move |_| discussion.thread.with(|t| t.entry(&id)))
    };
    let id = StoredValue::new(id);

    // Each part reads only what it shows, so a like, an edit or the clock's tick updates text
    // and attributes in place: buttons are never rebuilt, and keyboard focus stays put.
    let Some(first) = entry.get_untracked() else {
        return ().into_any();
    };
    let comment_id = first.comment.id.clone();
    // A comment's id and whose it is never change: plain values, not reactive ones.
    let element_id = format!("comment-{comment_id}");
    let mine = first.comment.is_mine();
    let author = first.comment.author.clone();
    let posted = first.comment.posted.clone();
    let posted_ms = posted.epoch_ms;
    let deleted = Memo::new(move |_| entry.with(|e| e.as_ref().is_none_or(|e| e.comment.deleted)));
    let editing = {
        let comment_id = comment_id.clone();
        Memo::new(move |_| {
            discussion
                .editing
                .with(|e| e.as_deref() == Some(comment_id.as_str()))
        })
    };
    // The shared clock ticks every 20 s; a comment posted since is never "in the future".
    let now = move || clock.0.get().max(posted_ms);
    let can_change = Memo::new(move |_| {
        let now = now();
        entry.with(|e| {
            e.as_ref()
                .is_some_and(|e| discussion.can_change(&e.comment, now))
        })
    });
    let likes = move || entry.with(|e| e.as_ref().map_or(0, |e| e.likes));
    let liked = move || entry.with(|e| e.as_ref().is_some_and(|e| e.liked));
    let relative = {
        let posted = posted.clone();
        move || relative_time(&posted, now())
    };
    let permalink_label = {
        let relative = relative.clone();
        move || format!("Link to this comment, posted {}", relative())
    };
    let reply_open = {
        let comment_id = comment_id.clone();
        move || discussion.replying_to.get().as_deref() == Some(comment_id.as_str())
    };

    let body = {
        let comment_id = comment_id.clone();
        move || {
            if deleted.get() {
                view! { <p class="comment-body deleted">"This comment was deleted."</p> }.into_any()
            } else if editing.get() {
                let text = entry.with_untracked(|e| {
                    e.as_ref()
                        .map(|e| e.comment.body.clone())
                        .unwrap_or_default()
                });
                view! { <EditForm discussion id=comment_id.clone() body=text /> }.into_any()
            } else {
                let text = move || {
                    entry.with(|e| {
                        e.as_ref()
                            .map(|e| e.comment.body.clone())
                            .unwrap_or_default()
                    })
                };
                // `elementtiming`: the browser notes when the text is first painted (Element
                // Timing), so a benchmark or a publisher's monitoring can see it on screen.
                view! { <p class="comment-body" dir="auto" {..custom_attribute("elementtiming", "comment")}>{text}</p> }
                    .into_any()
            }
        }
    };

    let actions = {
        let comment_id = comment_id.clone();
        let author = author.clone();
        move || {
            (!deleted.get()).then(|| {
                let (like_id, reply_id, edit_id, delete_id) =
                    (comment_id.clone(), comment_id.clone(), comment_id.clone(), comment_id.clone());
                let author = author.clone();
                let reply_open = reply_open.clone();
                view! {
                    <div class="comment-actions">
                        <button
                            type="button"
                            class="action like"
                            aria-pressed=move || liked().to_string()
                            aria-label=move || format!("Like comment by {} ({} likes)", author, likes())
                            on:click=move |_| discussion.toggle_like(&like_id)
                        >
                            <span aria-hidden="true">{move || if liked() { "♥" } else { "♡" }}</span>
                            " "
                            {move || likes().to_string()}
                        </button>
                        <button
                            type="button"
                            class="action"
                            aria-expanded=move || reply_open().to_string()
                            on:click=move |_| {
                                let open = discussion.replying_to.get_untracked().as_deref() == Some(reply_id.as_str());
                                discussion.replying_to.set((!open).then(|| reply_id.clone()));
                            }
                        >"Reply"</button>
                        {move || (can_change.get() && !editing.get()).then(|| {
                            let (edit_id, delete_id) = (edit_id.clone(), delete_id.clone());
                            view! {
                                <button type="button" class="action" on:click=move |_| discussion.editing.set(Some(edit_id.clone()))>"Edit"</button>
                                <button type="button" class="action" on:click=move |_| discussion.delete(&delete_id)>"Delete"</button>
                                <span class="time-left">
                                    {move || format!("{} min left to edit or delete", minutes_left(edit_deadline(posted_ms), now()))}
                                </span>
                            }
                        })}
                    </div>
                }
            })
        }
    };

    let header = view! {
        <header class="comment-meta">
            {move || if deleted.get() {
                view! { <span class="author deleted">"Comment deleted"</span> }.into_any()
            } else {
                view! { <span class="author" dir="auto">{author.clone()}</span> }.into_any()
            }}
            " "
            <a class="permalink" href=discussion.link_to(&format!("comment-{comment_id}")) aria-label=permalink_label>
                <time datetime=posted.raw.clone() title=local_date_time(posted_ms)>{relative}</time>
            </a>
            {move || entry.with(|e| e.as_ref().is_some_and(|e| e.comment.edited.is_some())).then(|| view! {
                <span class="edited">" (edited)"</span>
            })}
            {move || entry.with(|e| e.as_ref().is_some_and(|e| e.comment.origin == Origin::Mine { saved: false })).then(|| view! {
                <span class="badge not-saved">"Not saved"</span>
            })}
            {first.in_reply_to.map(|(parent_id, name)| view! {
                <span class="in-reply-to">
                    "in reply to " <a href=discussion.link_to(&format!("comment-{parent_id}")) dir="auto">{name}</a>
                </span>
            })}
        </header>
    };

    view! {
        <article
            id=element_id
            class="comment"
            class:mine=mine
            class:highlighted=move || discussion.highlighted.with(|h| h.as_deref() == Some(id.get_value().as_str()))
            tabindex="-1"
        >
            {header}
            {body}
            {actions}
            {move || (discussion.replying_to.get().as_deref() == Some(id.get_value().as_str())).then(|| view! {
                <CommentForm discussion parent=Some(id.get_value()) />
            })}
            // The first frame of a thread shows no replies: their part of the view is built
            // in the frame after it, so the first comments reach the screen sooner.
            {move || discussion.first_frame_done.get().then(|| view! { <Replies discussion id /> })}
        </article>
    }
    .into_any()
}

/// A comment's replies, with the buttons that fold them and show the rest.
#[component]
fn Replies(discussion: Discussion, id: StoredValue<String>) -> impl IntoView {
    let replies = Memo::new(move |_| {
        discussion
            .thread
            .with(|t| t.displayed_replies(&id.get_value()))
    });
    let expanded = move || discussion.expanded.with(|e| e.contains(&id.get_value()));
    let collapsed = move || discussion.collapsed.with(|c| c.contains(&id.get_value()));
    let shown_replies = move || {
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
    let replies_id = format!("replies-{}", id.get_value());
    let controls_id = replies_id.clone();
    view! {
        {move || (!replies.with(Vec::is_empty)).then(|| view! {
            <button
                type="button"
                class="action collapse"
                aria-expanded=move || (!collapsed()).to_string()
                aria-controls=controls_id.clone()
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
        {move || (more_replies() > 0 && !collapsed()).then(|| view! {
            <button
                type="button"
                class="action show-replies"
                on:click=move |_| discussion.expanded.update(|e| { e.insert(id.get_value()); })
            >
                {format!("Show {} more replies", more_replies())}
            </button>
        })}
    }
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
                // As "Post comment": the click saves, and no form submission starts.
                <button type="submit" class="button primary" on:click=move |ev| { ev.prevent_default(); save(); }>"Save"</button>
                <button type="button" class="button" on:click=move |_| discussion.editing.set(None)>"Cancel"</button>
            </div>
        </form>
    }
}
