//! One article's discussion: published comments merged with this reader's own, the view
//! state (pages, collapsed threads), and the actions a reader can take. Components only
//! call these methods; storage stays behind the core's `Store`.

use crate::core::comments::first_screen::first_screen;
use crate::core::comments::model::{decode_comments, Comment, Origin};
use crate::core::comments::saved::{
    article_key, reader_key, Loaded, SavedArticle, SavedComment, SavedReader, Store, StoreProblem,
};
use crate::core::comments::thread::{SortOrder, Thread};
use crate::core::comments::validate::{
    edit_deadline, is_repeat_submission, tidy_body, validate, FormErrors, LastPost,
};
use crate::core::load_error::LoadError;
use crate::core::time::Timestamp;
use crate::shell::api::fetch_comments;
use crate::shell::browser::{
    article_path, location_hash, mark, new_comment_id, prepare_local_date_time, scroll_and_focus,
};
use crate::shell::clock::now_ms;
use crate::shell::local_storage::LocalStorage;
use crate::shell::navigation::Navigation;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::{BTreeMap, HashSet};

/// Top-level comments shown at first, and added by each "Show more comments".
pub const PAGE_SIZE: usize = 20;
/// Replies shown under a comment before "Show N more replies".
pub const REPLIES_SHOWN: usize = 3;
/// Top-level comments in the first frame of a thread: a phone's or a laptop's screenful,
/// so the first comments reach the screen without waiting for the whole page of 20.
pub const FIRST_FRAME: usize = 6;

#[derive(Clone, Debug, PartialEq)]
pub enum PublishedState {
    Loading,
    /// The first screen of comments is shown; the whole thread follows a frame later.
    Preview,
    Loaded,
    Failed(LoadError),
}

/// What became of a submitted form.
#[derive(Clone, Debug, PartialEq)]
pub enum PostOutcome {
    Posted {
        id: String,
        saved: bool,
    },
    /// A double click: the first one counted.
    Repeat,
    Invalid(FormErrors),
}

#[derive(Clone, Copy)]
pub struct Discussion {
    slug: StoredValue<String>,
    pub thread: RwSignal<Thread>,
    pub published: RwSignal<PublishedState>,
    pub storage_warning: RwSignal<Option<String>>,
    pub save_warning: RwSignal<Option<String>>,
    pub announcement: RwSignal<String>,
    pub top_shown: RwSignal<usize>,
    pub expanded: RwSignal<HashSet<String>>,
    pub collapsed: RwSignal<HashSet<String>>,
    pub replying_to: RwSignal<Option<String>>,
    pub editing: RwSignal<Option<String>>,
    pub highlighted: RwSignal<Option<String>>,
    /// False until the first frame of published comments is on screen. That frame holds a
    /// screenful of top-level comments ([`FIRST_FRAME`]); the rest of the page and all the
    /// replies follow in the next frame, before the reader can scroll to them.
    pub first_frame_done: RwSignal<bool>,
    pub reader_name: RwSignal<String>,
    drafts: StoredValue<BTreeMap<String, String>>,
    writable: StoredValue<bool>,
    /// This reader's comments the browser would not keep: shown this visit only.
    unsaved: StoredValue<Vec<SavedComment>>,
    last_post: StoredValue<Option<LastPost>>,
}

fn store() -> Store<LocalStorage> {
    Store::new(LocalStorage)
}

fn fresh_reader() -> SavedReader {
    SavedReader {
        version: 1,
        name: String::new(),
    }
}

impl Discussion {
    /// Reads what this browser kept, then fetches the published comments once the article
    /// has painted, so the article never waits for its discussion.
    pub fn start(slug: String) -> Self {
        let Loaded {
            value: saved,
            problem,
            writable,
        } = store().load(&article_key(&slug), SavedArticle::new, now_ms());
        let reader = store().load(&reader_key(), fresh_reader, now_ms()).value;
        let order = saved.sort_order().unwrap_or_default();
        let liked: HashSet<String> = saved.likes.iter().cloned().collect();
        let mine = saved.comments.iter().map(|c| c.to_comment(true)).collect();
        let discussion = Discussion {
            slug: StoredValue::new(slug),
            thread: RwSignal::new(Thread::build(mine, liked, order)),
            published: RwSignal::new(PublishedState::Loading),
            storage_warning: RwSignal::new(problem.as_ref().map(StoreProblem::message)),
            save_warning: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            top_shown: RwSignal::new(PAGE_SIZE),
            expanded: RwSignal::new(HashSet::new()),
            collapsed: RwSignal::new(HashSet::new()),
            replying_to: RwSignal::new(None),
            editing: RwSignal::new(None),
            highlighted: RwSignal::new(None),
            first_frame_done: RwSignal::new(false),
            reader_name: RwSignal::new(reader.name),
            drafts: StoredValue::new(saved.drafts),
            writable: StoredValue::new(writable),
            unsaved: StoredValue::new(Vec::new()),
            last_post: StoredValue::new(None),
        };
        discussion.listen_to_other_tabs();
        // A permalink followed within the page ("in reply to", a shared link) opens its comment.
        if let Some(navigation) = use_context::<Navigation>() {
            Effect::new(move |_| {
                if let Some(id) = navigation.hash.get().strip_prefix("comment-") {
                    discussion.reveal(id);
                }
            });
        }
        request_animation_frame(move || {
            set_timeout(move || discussion.load_published(), Default::default())
        });
        discussion
    }

    fn slug(&self) -> String {
        self.slug.get_value()
    }

    pub fn load_published(self) {
        self.published.set(PublishedState::Loading);
        spawn_local(async move {
            match fetch_comments(self.slug()).await {
                Ok(json) => self.show_published(json),
                Err(error) => {
                    self.published.set(PublishedState::Failed(error));
                    self.first_frame_done.set(true);
                }
            }
        });
        // Queued behind the task above, so it runs once the request is on its way: the
        // network wait hides its cost, and the first comments on screen do not pay it.
        queue_microtask(prepare_local_date_time);
    }

    /// The first screen of comments as soon as it is read (see `core::comments::first_screen`),
    /// then the whole thread once that is painted. A file the preview cannot read, or no
    /// file, goes straight to the whole thread.
    fn show_published(self, json: Option<Vec<u8>>) {
        let order = self.thread.with_untracked(Thread::order);
        let saved = self.saved_article();
        let liked: HashSet<String> = saved.likes.iter().cloned().collect();
        let preview = json
            .as_deref()
            .and_then(|json| first_screen(json, order, &liked, FIRST_FRAME));
        match preview {
            Some(mut first) => {
                mark("comments-decoded");
                // This reader's own top-level comments may belong on the first screen too;
                // their replies wait for the whole thread, where their parents are.
                let mine = self.own_comments(&saved);
                first.extend(mine.into_iter().filter(|c| c.parent.is_none()));
                let thread = Thread::build(first, liked, order);
                mark("comments-thread-built");
                self.thread.set(thread);
                mark("comments-dom-updated");
                self.published.set(PublishedState::Preview);
                once_painted(move || {
                    self.show_whole(json.as_deref(), false);
                    self.show_rest();
                });
            }
            None => {
                self.show_whole(json.as_deref(), true);
                mark("comments-dom-updated");
                once_painted(move || self.show_rest());
            }
        }
    }

    /// Every published comment with this reader's own, as one thread. `milestones`: mark
    /// the steps (when no preview has marked them already).
    fn show_whole(self, json: Option<&[u8]>, milestones: bool) {
        let step = |name| {
            if milestones {
                mark(name);
            }
        };
        let published = match json.map(decode_comments) {
            None => Ok(Vec::new()),
            Some(Ok(file)) => Ok(file.comments),
            Some(Err(error)) => Err(LoadError::from(error)),
        };
        step("comments-decoded");
        let saved = self.saved_article();
        let order = self.thread.with_untracked(Thread::order);
        let mine = self.own_comments(&saved);
        let liked = saved.likes.into_iter().collect();
        let (all, state) = match published {
            Ok(mut all) => {
                all.extend(mine);
                (all, PublishedState::Loaded)
            }
            Err(error) => (mine, PublishedState::Failed(error)),
        };
        let thread = Thread::build(all, liked, order);
        step("comments-thread-built");
        self.thread.set(thread);
        self.published.set(state);
    }

    /// The rest of the first page and the replies.
    fn show_rest(self) {
        self.first_frame_done.set(true);
        request_animation_frame(|| mark("comments-page-rendered"));
        self.reveal_from_url();
    }

    fn saved_article(&self) -> SavedArticle {
        store()
            .load(&article_key(&self.slug()), SavedArticle::new, now_ms())
            .value
    }

    /// This reader's comments: those the browser kept, then those it would not keep.
    fn own_comments(&self, saved: &SavedArticle) -> Vec<Comment> {
        let unsaved = self.unsaved.get_value();
        let mut mine = Vec::with_capacity(saved.comments.len() + unsaved.len());
        mine.extend(saved.comments.iter().map(|c| c.to_comment(true)));
        mine.extend(unsaved.iter().map(|c| c.to_comment(false)));
        mine
    }

    /// Another tab of this article wrote: take in its comments and likes without a reload.
    fn listen_to_other_tabs(self) {
        let key = article_key(&self.slug());
        let handle = window_event_listener(leptos::ev::storage, move |event| {
            if event.key().as_deref() != Some(key.as_str()) {
                return;
            }
            let saved = store().load(&key, SavedArticle::new, now_ms()).value;
            let mut added = 0;
            self.thread.update(|thread| {
                for c in &saved.comments {
                    let comment = c.to_comment(true);
                    if thread.get(&c.id).is_some() {
                        thread.update(comment);
                    } else if thread.insert(comment) {
                        added += 1;
                    }
                }
                for id in &saved.likes {
                    thread.set_liked(id, true);
                }
            });
            if added > 0 {
                self.announce(if added == 1 {
                    "A new comment was added.".to_owned()
                } else {
                    format!("{added} new comments were added.")
                });
            }
        });
        on_cleanup(move || handle.remove());
    }

    /// The number of comments, once the published ones are in (until then it would mislead).
    pub fn count_label(&self) -> Option<usize> {
        let known = matches!(
            self.published.get(),
            PublishedState::Loaded | PublishedState::Failed(_)
        );
        known.then(|| self.thread.with(Thread::visible_count))
    }

    /// A link to a place in this article's page (`comments`, `comment-{id}`).
    pub fn link_to(&self, fragment: &str) -> String {
        format!("{}#{fragment}", article_path(&self.slug()))
    }

    pub fn announce(&self, text: String) {
        self.announcement.set(text);
    }

    pub fn draft(&self, form: &str) -> String {
        self.drafts
            .with_value(|d| d.get(form).cloned().unwrap_or_default())
    }

    /// Keeps unposted text as the reader types, so a reload or a crash loses nothing.
    pub fn save_draft(&self, form: &str, text: &str) {
        self.drafts.update_value(|d| {
            if text.is_empty() {
                d.remove(form);
            } else {
                d.insert(form.to_owned(), text.to_owned());
            }
        });
        if self.writable.get_value() {
            let _ = store().update(
                &article_key(&self.slug()),
                SavedArticle::new,
                now_ms(),
                |s| s.set_draft(form, text),
            );
        }
    }

    pub fn set_order(&self, order: SortOrder) {
        self.thread.update(|t| t.set_order(order));
        self.top_shown.set(PAGE_SIZE);
        self.save(|s| s.sort = Some(order.key().to_owned()));
        self.announce(format!(
            "Comments sorted by {}.",
            order.label().to_lowercase()
        ));
    }

    /// Writes a change to this article's saved data; false when the browser refused it.
    fn save(&self, change: impl FnOnce(&mut SavedArticle)) -> bool {
        self.writable.get_value()
            && store()
                .update(
                    &article_key(&self.slug()),
                    SavedArticle::new,
                    now_ms(),
                    change,
                )
                .is_ok()
    }

    /// Posts a comment or a reply. If storage refuses it, it still shows (marked as not
    /// saved) and the caller keeps the text in the form.
    pub fn post(&self, parent: Option<String>, name: &str, body: &str) -> PostOutcome {
        let now = now_ms();
        if self
            .last_post
            .with_value(|last| is_repeat_submission(last.as_ref(), parent.as_deref(), body, now))
        {
            return PostOutcome::Repeat;
        }
        let errors = validate(name, body, true);
        if !errors.is_empty() {
            return PostOutcome::Invalid(errors);
        }
        let name = name.trim().to_owned();
        let saved_comment = SavedComment {
            id: new_comment_id(now),
            parent: parent.clone(),
            author: name.clone(),
            body: tidy_body(body),
            posted: Timestamp::from_epoch_ms(now),
            edited: None,
            deleted: false,
        };
        let form = parent.clone().unwrap_or_default();
        let saved = self.save(|s| {
            s.put_comment(saved_comment.clone());
            s.set_draft(&form, "");
        });
        if saved {
            self.drafts.update_value(|d| {
                d.remove(&form);
            });
            self.save_warning.set(None);
        } else {
            self.unsaved.update_value(|u| u.push(saved_comment.clone()));
            self.save_warning.set(Some(
                "Your comment is shown below but this browser would not save it (storage is full or turned off). It will be gone after you leave this page, so your text is still in the form: copy it to keep it.".into(),
            ));
        }
        self.remember_name(&name);
        self.last_post.set_value(Some(LastPost {
            parent: parent.clone(),
            body: saved_comment.body.clone(),
            at_ms: now,
        }));
        let id = saved_comment.id.clone();
        self.thread.update(|t| {
            t.insert(saved_comment.to_comment(saved));
        });
        let shown = self.top_shown.get_untracked();
        if let Some(parent) = &parent {
            self.collapsed.update(|c| {
                c.remove(parent);
            });
        }
        let position = self.reveal(&id);
        // A new top-level comment joins the page rather than push its last comment off:
        // nothing the reader could see goes out of view (and nothing is torn down).
        if parent.is_none() && position.is_some_and(|p| p < shown) {
            self.top_shown.update(|shown| *shown += 1);
        }
        self.announce(if saved {
            "Your comment was posted.".into()
        } else {
            "Your comment is shown but was not saved.".into()
        });
        PostOutcome::Posted { id, saved }
    }

    /// Keeps the name for the next comment; a name this page already holds is not written
    /// again.
    fn remember_name(&self, name: &str) {
        if self.reader_name.with_untracked(|known| known == name) {
            return;
        }
        self.reader_name.set(name.to_owned());
        let _ = store().update(&reader_key(), fresh_reader, now_ms(), |r| {
            r.name = name.to_owned()
        });
    }

    /// Whether the reader may still edit or delete this comment.
    pub fn can_change(&self, comment: &Comment, now: i64) -> bool {
        comment.is_mine() && !comment.deleted && now < edit_deadline(comment.posted.epoch_ms)
    }

    fn own_comment(&self, id: &str) -> Option<Comment> {
        self.thread
            .with_untracked(|t| t.get(id).cloned())
            .filter(|c| self.can_change(c, now_ms()))
    }

    fn store_own(&self, comment: &Comment) -> bool {
        let saved_comment = SavedComment {
            id: comment.id.clone(),
            parent: comment.parent.clone(),
            author: comment.author.clone(),
            body: comment.body.clone(),
            posted: comment.posted.clone(),
            edited: comment.edited.clone(),
            deleted: comment.deleted,
        };
        let was_saved = comment.origin == Origin::Mine { saved: true };
        let saved = was_saved && self.save(|s| s.put_comment(saved_comment.clone()));
        if !saved {
            self.unsaved.update_value(|u| {
                u.retain(|c| c.id != saved_comment.id);
                u.push(saved_comment);
            });
        }
        saved
    }

    pub fn edit(&self, id: &str, body: &str) -> Result<(), FormErrors> {
        let Some(mut comment) = self.own_comment(id) else {
            return Err(FormErrors {
                body: Some("This comment can no longer be edited.".into()),
                name: None,
            });
        };
        let errors = validate("", body, false);
        if !errors.is_empty() {
            return Err(errors);
        }
        comment.body = tidy_body(body);
        comment.edited = Some(Timestamp::from_epoch_ms(now_ms()));
        let saved = self.store_own(&comment);
        self.thread.update(|t| {
            t.update(comment);
        });
        self.editing.set(None);
        self.announce(if saved {
            "Your comment was updated.".into()
        } else {
            "Your comment was updated but not saved.".into()
        });
        Ok(())
    }

    pub fn delete(&self, id: &str) {
        let Some(mut comment) = self.own_comment(id) else {
            return;
        };
        comment.deleted = true;
        comment.body.clear();
        self.store_own(&comment);
        self.thread.update(|t| {
            t.update(comment);
        });
        self.announce("Your comment was deleted.".into());
    }

    pub fn toggle_like(&self, id: &str) {
        let liked = !self
            .thread
            .with_untracked(|t| t.entry(id).is_some_and(|e| e.liked));
        self.thread.update(|t| t.set_liked(id, liked));
        self.save(|s| s.set_liked(id, liked));
    }

    /// Opens whatever hides a comment (pages, collapsed threads, folded replies), then
    /// scrolls to it, highlights it and focuses it. Returns where its top-level comment is
    /// among those shown (`None`: not in the thread, or not shown).
    pub fn reveal(&self, id: &str) -> Option<usize> {
        let reveal = self.thread.with_untracked(|t| t.reveal(id))?;
        if reveal.top_position >= self.top_shown.get_untracked() {
            self.top_shown
                .set((reveal.top_position / PAGE_SIZE + 1) * PAGE_SIZE);
        }
        for (container, position) in reveal.containers {
            self.collapsed.update(|c| {
                c.remove(&container);
            });
            if position >= REPLIES_SHOWN {
                self.expanded.update(|e| {
                    e.insert(container);
                });
            }
        }
        self.highlighted.set(Some(id.to_owned()));
        let element_id = format!("comment-{id}");
        request_animation_frame(move || scroll_and_focus(&element_id));
        Some(reveal.top_position)
    }

    fn reveal_from_url(&self) {
        if let Some(id) = location_hash().strip_prefix("comment-") {
            self.reveal(id);
        }
    }
}

/// Marks `comments-rendered` at the next frame (the first comments paint in it), then runs
/// `then` in a task after that frame, so its work never delays the paint.
fn once_painted(then: impl FnOnce() + 'static) {
    request_animation_frame(move || {
        mark("comments-rendered");
        set_timeout(then, Default::default());
    });
}
