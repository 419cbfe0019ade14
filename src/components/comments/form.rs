//! The form to post a comment or a reply (and, with `editing`, to change one's own).

use crate::core::comments::element_id;
use crate::core::comments::validate::{
    char_count, characters_left_label, FormErrors, MAX_COMMENT_CHARS,
};
use crate::shell::browser::focus_id;
use crate::state::discussion::{Discussion, PostOutcome, DRAFT_NOT_SAVED};
use leptos::prelude::*;

/// Field ids must be unique on the page, whatever characters a comment id holds.
fn form_key(parent: &Option<String>) -> String {
    match parent {
        None => "new".to_owned(),
        Some(id) => element_id::of_field("reply", id, "form"),
    }
}

#[component]
pub fn CommentForm(discussion: Discussion, parent: Option<String>) -> impl IntoView {
    let key = form_key(&parent);
    let draft_key = parent.clone().unwrap_or_default();
    // What this browser kept (the name, a draft) is there once the discussion has started;
    // until then (and in the build's render) the form starts empty and waits.
    // A reply starts with whom it answers where the place keeps replies one level deep.
    let opening = parent
        .as_deref()
        .map(|parent| discussion.reply_opening(parent))
        .unwrap_or_default();
    let first_text = {
        let opening = opening.clone();
        move |draft: String| {
            if draft.is_empty() {
                opening.clone()
            } else {
                draft
            }
        }
    };
    let (name, body) = if discussion.started_untracked() {
        (
            discussion.reader_name(),
            first_text(discussion.draft(&draft_key)),
        )
    } else {
        Default::default()
    };
    let (name, body) = (RwSignal::new(name), RwSignal::new(body));
    if !discussion.started_untracked() {
        let draft_key = draft_key.clone();
        Effect::new(move |was_started: Option<bool>| {
            let started = discussion.started();
            if started && was_started != Some(true) {
                name.set(discussion.reader_name());
                body.set(first_text(discussion.draft(&draft_key)));
            }
            started
        });
    }
    let errors = RwSignal::new(FormErrors::default());
    let (name_id, body_id, counter_id) = (
        format!("{key}-name"),
        format!("{key}-body"),
        format!("{key}-counter"),
    );
    let (name_error_id, body_error_id) = (format!("{key}-name-error"), format!("{key}-body-error"));
    let is_reply = parent.is_some();
    let parent = StoredValue::new(parent);
    let draft_key = StoredValue::new(draft_key);
    let focus_targets = StoredValue::new((name_id.clone(), body_id.clone()));

    // Empties the form once the place has the comment (a reply's form closes).
    let sent = move || {
        body.try_set(String::new());
        if is_reply {
            discussion.close_reply();
        }
    };
    // A post sent later from the outbox empties the form that still holds its text.
    Effect::new(move |_| {
        if let Some((form, text)) = discussion.sent() {
            if draft_key.with_value(|key| *key == form) && body.with_untracked(|b| *b == text) {
                body.set(String::new());
            }
        }
    });
    let submit = move || {
        let outcome = discussion.post(
            parent.get_value(),
            &name.get_untracked(),
            &body.get_untracked(),
            sent,
        );
        match outcome {
            PostOutcome::Posted => {
                errors.set(FormErrors::default());
                sent();
            }
            PostOutcome::Kept | PostOutcome::Sending => errors.set(FormErrors::default()),
            PostOutcome::Repeat => {}
            PostOutcome::Invalid(found) => {
                let (name_field, body_field) = focus_targets.get_value();
                focus_id(if found.name.is_some() {
                    &name_field
                } else {
                    &body_field
                });
                let problems: Vec<String> = [found.name.clone(), found.body.clone()]
                    .into_iter()
                    .flatten()
                    .collect();
                discussion.announce(format!(
                    "Your comment was not posted. {}",
                    problems.join(" ")
                ));
                errors.set(found);
            }
        }
    };
    let form_id = if is_reply { None } else { Some("add-comment") };
    let heading = if is_reply { "Reply" } else { "Add a comment" };
    let over = move || char_count(&body.get()) > MAX_COMMENT_CHARS;

    view! {
        <form
            id=form_id
            class="comment-form"
            class:reply-form=is_reply
            tabindex="-1"
            aria-label=heading
            novalidate
            // Posting is the button's click (below); a submission started any other way (a
            // script's requestSubmit) posts too, instead of leaving the page.
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            {(!is_reply).then(|| view! { <h3 class="form-heading">"Add a comment"</h3> })}
            // Until what this browser kept is read (and before the app has taken the page
            // over), the form waits: nothing typed can be lost or sent as a page request.
            <fieldset class="form-fields" disabled=move || !discussion.started()>
            <div class="field">
                <label for=name_id.clone()>"Name"</label>
                <input
                    id=name_id.clone()
                    type="text"
                    autocomplete="name"
                    maxlength="200"
                    prop:value=name
                    aria-invalid=move || errors.with(|e| e.name.is_some()).to_string()
                    aria-describedby=move || errors.with(|e| e.name.is_some()).then(|| name_error_id.clone())
                    on:input:target=move |ev| name.set(ev.target().value())
                />
                {let id = format!("{key}-name-error"); move || errors.with(|e| e.name.clone()).map(|message| view! {
                    <p class="field-error" id=id.clone()>{message}</p>
                })}
            </div>
            <div class="field">
                <label for=body_id.clone()>"Comment"</label>
                <textarea
                    id=body_id.clone()
                    rows=if is_reply { "3" } else { "5" }
                    prop:value=body
                    aria-invalid=move || errors.with(|e| e.body.is_some()).to_string()
                    aria-describedby={
                        let counter_id = counter_id.clone();
                        move || match errors.with(|e| e.body.is_some()) {
                            true => format!("{body_error_id} {counter_id}"),
                            false => counter_id.clone(),
                        }
                    }
                    on:input:target=move |ev| {
                        let text = ev.target().value();
                        discussion.save_draft(&draft_key.get_value(), &text);
                        body.set(text);
                    }
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                            ev.prevent_default();
                            submit();
                        }
                    }
                ></textarea>
                <p class="counter" class:over=over id=counter_id.clone() aria-live="off">
                    {move || characters_left_label(&body.get())}
                </p>
                {let id = format!("{key}-body-error"); move || errors.with(|e| e.body.clone()).map(|message| view! {
                    <p class="field-error" id=id.clone()>{message}</p>
                })}
            </div>
            {move || draft_key.with_value(|form| discussion.post_warning(form)).map(|w| view! { <p class="warning" role="alert">{w}</p> })}
            {move || draft_key.with_value(|form| discussion.draft_not_saved(form)).then(|| view! { <p class="warning" role="alert">{DRAFT_NOT_SAVED}</p> })}
            <div class="form-actions">
                // Posted from the button's click (Enter in the name field clicks it too), which
                // is then cancelled: a form submission would set the browser's autofill to work
                // on the form, 10-17 ms of one core in Chromium, while the comment is shown.
                <button type="submit" class="button primary" on:click=move |ev| {
                    ev.prevent_default();
                    submit();
                }>"Post comment"</button>
                {is_reply.then(|| view! {
                    <button type="button" class="button" on:click=move |_| discussion.close_reply()>"Cancel"</button>
                })}
                <span class="hint">"Ctrl+Enter posts"</span>
            </div>
            </fieldset>
        </form>
    }
}
