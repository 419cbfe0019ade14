//! One comment, its actions, and the replies displayed inside it. Each part reads only the
//! comment's own state (`CommentState`), so a like, an edit or the clock's tick updates
//! text and attributes in place: buttons are never rebuilt, keyboard focus stays put, and
//! no other comment's view runs again.

use super::comment_text::CommentText;
use super::form::CommentForm;
use crate::core::comments::element_id;
use crate::core::comments::model::Delivery;
use crate::core::comments::paging::REPLIES_SHOWN;
use crate::core::comments::thread::Entry;
use crate::core::time::{minutes_left, relative_time};
use crate::shell::browser::local_date_time;
use crate::shell::clock::use_clock;
use crate::state::discussion::{CommentUi, Discussion};
use leptos::prelude::*;

#[component]
pub fn CommentView(discussion: Discussion, id: String) -> AnyView {
    let clock = use_clock();
    let state = discussion.comment(&id);
    let entry: RwSignal<Option<Entry>> = state.entry.into();
    let ui: RwSignal<CommentUi> = state.ui.into();
    let Some(first) = entry.get_untracked() else {
        return ().into_any();
    };
    // A comment's id, author, date and whose it is never change: plain values.
    let id = StoredValue::new(id);
    let element_id = element_id::of_comment(&first.comment.id);
    let mine = first.comment.is_mine();
    let author = first.comment.author.clone();
    let posted = first.comment.posted.clone();
    let posted_ms = posted.epoch_ms;
    let deleted = Memo::new(move |_| entry.with(|e| e.as_ref().is_none_or(|e| e.comment.deleted)));
    let editing = Memo::new(move |_| ui.with(|u| u.editing));
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
    let editable_until = move || {
        entry.with(|e| {
            e.as_ref()
                .and_then(|e| e.comment.editable_until)
                .unwrap_or(0)
        })
    };
    let liked = move || entry.with(|e| e.as_ref().is_some_and(|e| e.liked));
    let relative = {
        let posted = posted.clone();
        move || relative_time(&posted, now())
    };
    let permalink_label = {
        let relative = relative.clone();
        move || format!("Link to this comment, posted {}", relative())
    };

    let body = move || {
        if deleted.get() {
            view! { <p class="comment-body deleted">"This comment was deleted."</p> }.into_any()
        } else if editing.get() {
            let text = entry.with_untracked(|e| {
                e.as_ref()
                    .map(|e| e.comment.body.clone())
                    .unwrap_or_default()
            });
            view! { <EditForm discussion id=id.get_value() body=text ui /> }.into_any()
        } else {
            let text = Signal::derive(move || {
                entry.with(|e| {
                    e.as_ref()
                        .map(|e| e.comment.body.clone())
                        .unwrap_or_default()
                })
            });
            view! { <CommentText text /> }.into_any()
        }
    };

    let actions = {
        let author = author.clone();
        move || {
            (!deleted.get()).then(|| {
                let author = author.clone();
                // A comment service keeps a like for good: once given, the button says so.
                let for_good = discussion.likes_are_for_good();
                view! {
                    <div class="comment-actions">
                        <button
                            type="button"
                            class="action like"
                            aria-pressed=move || liked().to_string()
                            disabled=move || for_good && liked()
                            aria-label=move || if for_good && liked() {
                                format!("You liked this comment by {} ({} likes); a like can't be taken back", author, likes())
                            } else {
                                format!("Like comment by {} ({} likes)", author, likes())
                            }
                            on:click=move |_| id.with_value(|id| discussion.toggle_like(id))
                        >
                            <span aria-hidden="true">{move || if liked() { "♥" } else { "♡" }}</span>
                            " "
                            {move || likes().to_string()}
                        </button>
                        <button
                            type="button"
                            class="action"
                            aria-expanded=move || ui.with(|u| u.replying).to_string()
                            on:click=move |_| id.with_value(|id| discussion.toggle_reply(id))
                        >"Reply"</button>
                        {move || (can_change.get() && !editing.get()).then(|| view! {
                            <button type="button" class="action" on:click=move |_| id.with_value(|id| discussion.start_editing(id))>"Edit"</button>
                            <button type="button" class="action" on:click=move |_| id.with_value(|id| discussion.delete(id))>"Delete"</button>
                            <span class="time-left">
                                {move || format!("{} min left to edit or delete", minutes_left(editable_until(), now()))}
                            </span>
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
            <a class="permalink" href=discussion.permalink(&first.comment.id) aria-label=permalink_label>
                <time datetime=posted.raw.clone() title=local_date_time(posted_ms)>{relative}</time>
            </a>
            {move || entry.with(|e| e.as_ref().is_some_and(|e| e.comment.edited.is_some())).then(|| view! {
                <span class="edited">" (edited)"</span>
            })}
            {move || entry.with(|e| e.as_ref().and_then(|e| e.comment.delivery())).and_then(badge)}
            {first.in_reply_to.map(|(parent_id, name)| view! {
                <span class="in-reply-to">
                    "in reply to " <a href=discussion.permalink(&parent_id) dir="auto">{name}</a>
                </span>
            })}
        </header>
    };

    view! {
        <article
            id=element_id
            class="comment"
            class:mine=mine
            class:highlighted=move || ui.with(|u| u.highlighted)
            tabindex="-1"
        >
            {header}
            {body}
            {actions}
            {move || ui.with(|u| u.replying).then(|| view! {
                <CommentForm discussion parent=Some(id.get_value()) />
            })}
            // The first frame of a thread shows no replies: their part of the view is built
            // in the frame after it, so the first comments reach the screen sooner.
            {move || discussion.first_frame_done().then(|| view! { <Replies discussion id ui /> })}
        </article>
    }
    .into_any()
}

/// A comment's replies, with the buttons that fold them and show the rest.
#[component]
fn Replies(
    discussion: Discussion,
    id: StoredValue<String>,
    ui: RwSignal<CommentUi>,
) -> impl IntoView {
    let replies = Memo::new(move |_| id.with_value(|id| discussion.replies(id)));
    let all = move || ui.with(|u| u.all_replies);
    let folded = move || ui.with(|u| u.folded);
    let shown_replies = move || {
        let replies = replies.get();
        if all() {
            replies
        } else {
            replies.into_iter().take(REPLIES_SHOWN).collect()
        }
    };
    let more_replies = move || {
        if all() {
            0
        } else {
            replies.with(|r| r.len().saturating_sub(REPLIES_SHOWN))
        }
    };
    let replies_id = id.with_value(|id| element_id::of_replies(id));
    let controls_id = replies_id.clone();
    view! {
        {move || (!replies.with(Vec::is_empty)).then(|| view! {
            <button
                type="button"
                class="action collapse"
                aria-expanded=move || (!folded()).to_string()
                aria-controls=controls_id.clone()
                on:click=move |_| id.with_value(|id| discussion.toggle_folded(id))
            >
                {move || if folded() {
                    format!("Show {} replies", replies.with(Vec::len))
                } else {
                    "Hide replies".to_owned()
                }}
            </button>
        })}
        <ol class="replies" id=replies_id hidden=folded>
            <For each=shown_replies key=|id| id.clone() let(reply_id)>
                <li><CommentView discussion id=reply_id /></li>
            </For>
        </ol>
        {move || (more_replies() > 0 && !folded()).then(|| view! {
            <button
                type="button"
                class="action show-replies"
                on:click=move |_| id.with_value(|id| discussion.show_all_replies(id))
            >
                {format!("Show {} more replies", more_replies())}
            </button>
        })}
    }
}

/// Where one of the reader's comments stands, when that is worth a word.
fn badge(delivery: Delivery) -> Option<AnyView> {
    let (class, text) = match delivery {
        Delivery::NotKept => ("badge not-saved", "Not saved"),
        Delivery::Sending => ("badge sending", "Sending…"),
        Delivery::Queued => ("badge not-saved", "Not sent yet"),
        Delivery::AwaitingModeration => ("badge pending", "Awaiting moderation"),
        Delivery::Kept | Delivery::Sent => return None,
    };
    Some(view! { <span class=class>{text}</span> }.into_any())
}

#[component]
fn EditForm(
    discussion: Discussion,
    id: String,
    body: String,
    ui: RwSignal<CommentUi>,
) -> impl IntoView {
    let text = RwSignal::new(body);
    let error = RwSignal::new(None::<String>);
    // What the place said of the last try (the time for changes is over, the service is
    // down...): the text stays here.
    Effect::new(move |_| {
        if let Some(message) = ui.with(|u| u.edit_error.clone()) {
            error.set(Some(message));
        }
    });
    let field_id = element_id::of_field("edit", &id, "body");
    let error_id = format!("{field_id}-error");
    let id = StoredValue::new(id);
    let save = move || match id.with_value(|id| discussion.edit(id, &text.get_untracked())) {
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
                <button type="button" class="button" on:click=move |_| discussion.stop_editing()>"Cancel"</button>
            </div>
        </form>
    }
}
