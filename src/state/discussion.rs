//! One article's discussion, with one owner: the published comments merged with this
//! reader's own, what is shown of them, and every change a reader makes. Its state is
//! private; views read it through the methods below and change it only through intents
//! (post, reply, like, edit, delete, sort, show more, reveal; merging another tab's changes
//! happens on its own). The decisions are the core's (`core::comments`); storage stays
//! behind the core's `Store`.
//!
//! Each comment has reactive state of its own ([`CommentState`]): a like, an edit or a
//! highlight changes that comment's state and re-runs only its view. What the lists show
//! (which comments, in which order) changes through one trigger, `shape`.

use crate::core::comments::element_id;
use crate::core::comments::first_screen::first_screen;
use crate::core::comments::merge::merge;
use crate::core::comments::model::{decode_comments, Comment, Origin};
use crate::core::comments::paging::{plan_reveal, Paging, FIRST_FRAME};
use crate::core::comments::saved::{
    draft_key, is_article_key, SavedArticle, SavedComment, Store, StoreProblem, SAVED_VERSION,
};
use crate::core::comments::thread::{Entry, SortOrder, Thread};
use crate::core::comments::validate::{
    edit_deadline, is_repeat_submission, tidy_body, validate, FormErrors, LastPost,
};
use crate::core::load_error::LoadError;
use crate::core::time::Timestamp;
use crate::shell::api::fetch_comments;
use crate::shell::browser::{
    location_hash, mark, new_comment_id, prepare_local_date_time, scroll_and_focus, when_near,
};
use crate::shell::clock::now_ms;
use crate::shell::local_storage::LocalStorage;
use crate::shell::navigation::Navigation;
use crate::shell::task::spawn_owned;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::collections::{BTreeMap, HashMap, HashSet};

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

/// One comment's own reactive state: what the thread says of it, and what is open about it.
#[derive(Clone)]
pub struct CommentState {
    /// `None` once it is not in the thread.
    pub entry: ArcRwSignal<Option<Entry>>,
    pub ui: ArcRwSignal<CommentUi>,
}

/// What the reader has opened or closed about one comment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommentUi {
    /// Its replies are folded away.
    pub folded: bool,
    /// All its replies show, not just the first few.
    pub all_replies: bool,
    /// The reply form under it is open.
    pub replying: bool,
    /// It is being edited.
    pub editing: bool,
    /// It was the target of a permalink or just posted.
    pub highlighted: bool,
}

/// What a form says when the browser would not keep its draft.
pub const DRAFT_NOT_SAVED: &str = "Your draft could not be saved in this browser (storage is full or turned off). Copy it before you leave this page.";
const POST_NOT_SAVED: &str = "Your comment is shown below but this browser would not save it (storage is full or turned off). It will be gone after you leave this page, so your text is still in the form: copy it to keep it.";
const EDIT_NOT_SAVED: &str = "Your change is shown but this browser would not save it (storage is full or turned off): after you leave this page the comment will be as it was.";
const LIKE_NOT_SAVED: &str = "Your like is shown but this browser would not save it (storage is full or turned off): it will be gone after you leave this page.";

#[derive(Clone, Copy)]
pub struct Discussion {
    slug: StoredValue<String>,
    /// The thread itself; what it shows is told through `shape` and each comment's state.
    thread: StoredValue<Thread>,
    /// Notified when which comments show, or where, changes.
    shape: Trigger,
    comments: StoredValue<HashMap<String, CommentState>>,
    count: Memo<Option<usize>>,
    published: RwSignal<PublishedState>,
    started: RwSignal<bool>,
    order: RwSignal<SortOrder>,
    paging: RwSignal<Paging>,
    first_frame_done: RwSignal<bool>,
    storage_warning: RwSignal<Option<String>>,
    save_warning: RwSignal<Option<String>>,
    /// A like, edit or deletion the browser would not keep.
    change_warning: RwSignal<Option<String>>,
    /// The form whose draft the browser would not keep, if any.
    draft_not_saved: RwSignal<Option<String>>,
    announcement: RwSignal<String>,
    reader_name: RwSignal<String>,
    replying_to: StoredValue<Option<String>>,
    editing: StoredValue<Option<String>>,
    highlighted: StoredValue<Option<String>>,
    /// Drafts as builds before this one kept them, inside the article's record.
    old_drafts: StoredValue<BTreeMap<String, String>>,
    /// This reader's comments the browser would not keep: shown this visit only.
    unsaved: StoredValue<Vec<SavedComment>>,
    last_post: StoredValue<Option<LastPost>>,
    /// The owner of the view the discussion started in: its tasks end with it.
    owner: StoredValue<Option<Owner>>,
    fetch_started: StoredValue<bool>,
}

fn store() -> Store<LocalStorage> {
    Store::new(LocalStorage)
}

impl Discussion {
    /// The discussion as the page first shows it, before anything is read from this browser:
    /// its order, the reader's own comments and drafts come in with [`Discussion::start`],
    /// once the app runs, so the build's render and the browser's first one are the same.
    pub fn new(slug: String) -> Self {
        let thread = StoredValue::new(Thread::default());
        let shape = Trigger::new();
        let published = RwSignal::new(PublishedState::Loading);
        let count = Memo::new(move |_| {
            let known = matches!(
                published.get(),
                PublishedState::Loaded | PublishedState::Failed(_)
            );
            shape.track();
            known.then(|| thread.with_value(Thread::visible_count))
        });
        Discussion {
            slug: StoredValue::new(slug),
            thread,
            shape,
            comments: StoredValue::new(HashMap::new()),
            count,
            published,
            started: RwSignal::new(false),
            order: RwSignal::new(SortOrder::default()),
            paging: RwSignal::new(Paging::default()),
            first_frame_done: RwSignal::new(false),
            storage_warning: RwSignal::new(None),
            save_warning: RwSignal::new(None),
            change_warning: RwSignal::new(None),
            draft_not_saved: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            reader_name: RwSignal::new(String::new()),
            replying_to: StoredValue::new(None),
            editing: StoredValue::new(None),
            highlighted: StoredValue::new(None),
            old_drafts: StoredValue::new(BTreeMap::new()),
            unsaved: StoredValue::new(Vec::new()),
            last_post: StoredValue::new(None),
            owner: StoredValue::new(None),
            fetch_started: StoredValue::new(false),
        }
    }

    fn slug(&self) -> String {
        self.slug.get_value()
    }

    /// Reads what this browser kept, listens to other tabs and to permalinks, and fetches
    /// the published comments when the reader nears them (or a link leads there), so the
    /// article never waits for its discussion. Runs under the owner of the view that calls
    /// it: all of it stops when that view goes.
    pub fn start(self) {
        self.owner.set_value(Owner::current());
        let saved = self.open_record();
        let reader_name = store().reader_name();
        let order = saved.sort.unwrap_or_default();
        let liked: HashSet<String> = saved.likes.iter().cloned().collect();
        let mine = saved.comments.iter().map(|c| c.to_comment(true)).collect();
        self.thread.set_value(Thread::build(mine, liked, order));
        self.order.set(order);
        self.reader_name.set(reader_name);
        self.old_drafts.set_value(saved.drafts);
        self.shape.notify();
        self.started.set(true);
        self.listen_to_other_tabs();
        // A permalink followed within the page ("in reply to", a shared link) opens its comment.
        let navigation = use_context::<Navigation>();
        if let Some(navigation) = navigation {
            Effect::new(move |_| {
                if let Some(id) = element_id::comment_of_fragment(&navigation.hash.get()) {
                    self.reveal(&id);
                }
            });
        }
        let wanted = || {
            let hash = location_hash();
            hash == "comments" || hash == "add-comment" || hash.starts_with(element_id::PREFIX)
        };
        let load_once = move || {
            if !self.fetch_started.get_value() {
                self.load_published();
            }
        };
        if wanted() {
            load_once();
            return;
        }
        let watch = SendWrapper::new(when_near("comments", load_once));
        on_cleanup(move || drop(watch));
        if let Some(navigation) = navigation {
            Effect::new(move |_| {
                navigation.hash.track();
                if wanted() {
                    load_once();
                }
            });
        }
    }

    /// Reads what this browser keeps for this article, and says what went wrong with it,
    /// if anything.
    fn open_record(&self) -> SavedArticle {
        let opened = store().open_article(&self.slug());
        let warning = opened.problem.as_ref().map(StoreProblem::message);
        if self.storage_warning.with_untracked(|w| *w != warning) {
            self.storage_warning.set(warning);
        }
        opened.saved
    }

    /// Fetches the published comments (again, after a failure).
    pub fn load_published(self) {
        self.fetch_started.set_value(true);
        self.published.set(PublishedState::Loading);
        let task = async move {
            match fetch_comments(&self.slug()).await {
                Ok(json) => self.show_published(json),
                Err(error) => {
                    self.published.set(PublishedState::Failed(error));
                    self.first_frame_done.set(true);
                }
            }
        };
        // The task belongs to the view the discussion started in, wherever it was asked for
        // (a Retry click, the comments coming near): it stops when that view goes.
        match self.owner.get_value() {
            Some(owner) => owner.with(|| spawn_owned(task)),
            None => spawn_owned(task),
        }
        // Queued behind the task above, so it runs once the request is on its way: the
        // network wait hides its cost, and the first comments on screen do not pay it.
        queue_microtask(prepare_local_date_time);
    }

    /// The first screen of comments as soon as it is read (see `core::comments::first_screen`),
    /// then the whole thread once that is painted. A file the preview cannot read, or no
    /// file, goes straight to the whole thread.
    fn show_published(self, json: Option<Vec<u8>>) {
        let order = self.order.get_untracked();
        let saved = self.open_record();
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
                self.replace_thread(thread);
                mark("comments-dom-updated");
                self.published.set(PublishedState::Preview);
                self.once_painted(move || {
                    self.show_whole(json.as_deref(), false);
                    self.show_rest();
                });
            }
            None => {
                self.show_whole(json.as_deref(), true);
                mark("comments-dom-updated");
                self.once_painted(move || self.show_rest());
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
        let saved = self.open_record();
        let mine = self.own_comments(&saved);
        let liked = saved.likes.into_iter().collect();
        let (all, state) = match published {
            Ok(mut all) => {
                all.extend(mine);
                (all, PublishedState::Loaded)
            }
            Err(error) => (mine, PublishedState::Failed(error)),
        };
        let thread = Thread::build(all, liked, self.order.get_untracked());
        step("comments-thread-built");
        self.replace_thread(thread);
        self.published.set(state);
    }

    /// The rest of the first page and the replies.
    fn show_rest(self) {
        self.first_frame_done.set(true);
        request_animation_frame(|| mark("comments-page-rendered"));
        if let Some(id) = element_id::comment_of_fragment(&location_hash()) {
            self.reveal(&id);
        }
    }

    /// Marks `comments-rendered` at the next frame (the first comments paint in it), then runs
    /// `then` in a task after that frame, so its work never delays the paint. Nothing runs if
    /// the discussion's view has gone meanwhile.
    fn once_painted(self, then: impl FnOnce() + 'static) {
        request_animation_frame(move || {
            mark("comments-rendered");
            set_timeout(
                move || {
                    if !self.thread.is_disposed() {
                        then();
                    }
                },
                Default::default(),
            );
        });
    }

    fn replace_thread(&self, thread: Thread) {
        self.thread.set_value(thread);
        self.shape.notify();
        let ids: Vec<String> = self.comments.with_value(|c| c.keys().cloned().collect());
        self.refresh(ids.iter().map(String::as_str));
    }

    /// Tells the comments' own states what the thread now says of them.
    fn refresh<'a>(&self, ids: impl IntoIterator<Item = &'a str>) {
        for id in ids {
            let Some(state) = self.comments.with_value(|c| c.get(id).cloned()) else {
                continue;
            };
            let entry = self.thread.with_value(|t| t.entry(id));
            if state.entry.with_untracked(|current| *current != entry) {
                state.entry.set(entry);
            }
        }
    }

    /// This reader's comments: those the browser kept, then those it would not keep.
    fn own_comments(&self, saved: &SavedArticle) -> Vec<Comment> {
        let unsaved = self.unsaved.get_value();
        let mut mine = Vec::with_capacity(saved.comments.len() + unsaved.len());
        // A change the browser would not keep is the one this page shows.
        mine.extend(unsaved.iter().map(|c| c.to_comment(false)));
        mine.extend(
            saved
                .comments
                .iter()
                .filter(|c| !unsaved.iter().any(|u| u.id == c.id))
                .map(|c| c.to_comment(true)),
        );
        mine
    }

    /// Another tab of this article wrote: take in its posts, edits, deletions, likes and
    /// unlikes without a reload.
    fn listen_to_other_tabs(self) {
        let slug = self.slug();
        let handle = window_event_listener(leptos::ev::storage, move |event| {
            let Some(changed) = event.key() else {
                return;
            };
            if is_article_key(&slug, &changed) {
                self.merge_from_other_tab();
            }
        });
        on_cleanup(move || handle.remove());
    }

    /// Takes in the stored record as another tab left it.
    pub fn merge_from_other_tab(&self) {
        let saved = self.open_record();
        let merged = self.thread.try_update_value(|t| merge(t, &saved));
        let Some(merged) = merged else {
            return;
        };
        // A new comment joins the lists; a deleted one may leave them.
        if !merged.added.is_empty() || !merged.changed.is_empty() {
            self.shape.notify();
        }
        self.refresh(
            merged
                .changed
                .iter()
                .chain(&merged.added)
                .map(String::as_str),
        );
        let added = merged.added.len();
        if added > 0 {
            self.announce(if added == 1 {
                "A new comment was added.".to_owned()
            } else {
                format!("{added} new comments were added.")
            });
        }
    }

    // What views read.

    /// A comment's own state (made the first time it is asked for).
    pub fn comment(&self, id: &str) -> CommentState {
        if let Some(state) = self.comments.with_value(|c| c.get(id).cloned()) {
            return state;
        }
        let state = CommentState {
            entry: ArcRwSignal::new(self.thread.with_value(|t| t.entry(id))),
            ui: ArcRwSignal::new(CommentUi::default()),
        };
        self.comments
            .update_value(|c| drop(c.insert(id.to_owned(), state.clone())));
        state
    }

    /// The top-level comments on screen, in order.
    pub fn top_level(&self) -> Vec<String> {
        self.shape.track();
        let limit = self.paging.get().on_screen(self.first_frame_done.get());
        self.thread.with_value(|t| t.top_level_page(limit))
    }

    /// How many top-level comments "Show more comments" would bring.
    pub fn hidden_count(&self) -> usize {
        self.shape.track();
        let paging = self.paging.get();
        paging.hidden(self.thread.with_value(Thread::top_level_count))
    }

    /// The replies displayed inside a comment (see `Thread::displayed_replies`).
    pub fn replies(&self, id: &str) -> Vec<String> {
        self.shape.track();
        self.thread.with_value(|t| t.displayed_replies(id))
    }

    /// The number of comments, once the published ones are in (until then it would mislead).
    pub fn count_label(&self) -> Option<usize> {
        self.count.get()
    }

    pub fn published(&self) -> PublishedState {
        self.published.get()
    }

    /// Whether what this browser kept has been read (the form waits for it).
    pub fn started(&self) -> bool {
        self.started.get()
    }

    pub fn started_untracked(&self) -> bool {
        self.started.get_untracked()
    }

    /// False until the first frame of published comments is on screen: that frame holds a
    /// screenful of top-level comments; the rest and all replies follow a frame later.
    pub fn first_frame_done(&self) -> bool {
        self.first_frame_done.get()
    }

    pub fn order(&self) -> SortOrder {
        self.order.get()
    }

    pub fn storage_warning(&self) -> Option<String> {
        self.storage_warning.get()
    }

    pub fn save_warning(&self) -> Option<String> {
        self.save_warning.get()
    }

    /// Set when the browser would not keep a like, an edit or a deletion.
    pub fn change_warning(&self) -> Option<String> {
        self.change_warning.get()
    }

    /// Whether the browser would not keep the draft of `form`.
    pub fn draft_not_saved(&self, form: &str) -> bool {
        self.draft_not_saved.with(|f| f.as_deref() == Some(form))
    }

    pub fn announcement(&self) -> String {
        self.announcement.get()
    }

    /// The name to offer in a new form.
    pub fn reader_name(&self) -> String {
        self.reader_name.get_untracked()
    }

    /// A link to a place in this article's page (`comments`, `add-comment`).
    pub fn link_to(&self, fragment: &str) -> String {
        format!("#{fragment}")
    }

    /// The permalink of a comment.
    pub fn permalink(&self, id: &str) -> String {
        format!("#{}", element_id::of_comment(id))
    }

    /// Whether the reader may still edit or delete this comment.
    pub fn can_change(&self, comment: &Comment, now: i64) -> bool {
        comment.is_mine() && !comment.deleted && now < edit_deadline(comment.posted.epoch_ms)
    }

    // Intents.

    pub fn announce(&self, text: String) {
        self.announcement.set(text);
    }

    /// The unposted text of a form ("" for a new comment, a comment id for a reply to it).
    pub fn draft(&self, form: &str) -> String {
        store()
            .draft(&draft_key(&self.slug(), form))
            .or_else(|| self.old_drafts.with_value(|d| d.get(form).cloned()))
            .unwrap_or_default()
    }

    /// Keeps unposted text as the reader types, so a reload or a crash loses nothing. The
    /// draft is written alone, under its own key; a draft the browser would not keep is
    /// told, by the form.
    pub fn save_draft(&self, form: &str, text: &str) {
        let saved = store()
            .save_draft(&draft_key(&self.slug(), form), text)
            .is_ok();
        let not_saved = (!saved).then(|| form.to_owned());
        if self.draft_not_saved.with_untracked(|f| *f != not_saved) {
            self.draft_not_saved.set(not_saved);
        }
    }

    pub fn set_order(&self, order: SortOrder) {
        self.thread.update_value(|t| t.set_order(order));
        self.order.set(order);
        self.paging.update(Paging::reset);
        self.shape.notify();
        // An order the browser would not keep is only this visit's: nothing is lost.
        let _ = store().set_sort(&self.slug(), order);
        self.announce(format!(
            "Comments sorted by {}.",
            order.label().to_ascii_lowercase()
        ));
    }

    pub fn show_more(&self) {
        self.paging.update(Paging::show_more);
        self.announce("More comments shown.".into());
    }

    fn update_ui(&self, id: &str, change: impl FnOnce(&mut CommentUi)) {
        let state = self.comment(id);
        let mut ui = state.ui.get_untracked();
        change(&mut ui);
        if state.ui.with_untracked(|current| *current != ui) {
            state.ui.set(ui);
        }
    }

    /// Moves a one-at-a-time mark (the open reply form, the comment being edited, the
    /// highlight) to `id`, or takes it away.
    fn move_mark(
        &self,
        holder: StoredValue<Option<String>>,
        id: Option<&str>,
        set: fn(&mut CommentUi, bool),
    ) {
        if let Some(previous) = holder.get_value() {
            self.update_ui(&previous, |ui| set(ui, false));
        }
        holder.set_value(id.map(str::to_owned));
        if let Some(id) = id {
            self.update_ui(id, |ui| set(ui, true));
        }
    }

    /// Opens the reply form under a comment, or closes it if it is open there.
    pub fn toggle_reply(&self, id: &str) {
        let open = self.replying_to.with_value(|r| r.as_deref() == Some(id));
        self.move_mark(self.replying_to, (!open).then_some(id), |ui, on| {
            ui.replying = on
        });
    }

    pub fn close_reply(&self) {
        self.move_mark(self.replying_to, None, |ui, on| ui.replying = on);
    }

    pub fn start_editing(&self, id: &str) {
        self.move_mark(self.editing, Some(id), |ui, on| ui.editing = on);
    }

    pub fn stop_editing(&self) {
        self.move_mark(self.editing, None, |ui, on| ui.editing = on);
    }

    pub fn toggle_folded(&self, id: &str) {
        self.update_ui(id, |ui| ui.folded = !ui.folded);
    }

    pub fn show_all_replies(&self, id: &str) {
        self.update_ui(id, |ui| ui.all_replies = true);
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
            version: SAVED_VERSION,
            id: new_comment_id(now),
            parent: parent.clone(),
            author: name.clone(),
            body: tidy_body(body),
            posted: Timestamp::from_epoch_ms(now),
            edited: None,
            deleted: false,
            extra: Default::default(),
        };
        let form = parent.clone().unwrap_or_default();
        let saved = store().put_comment(&self.slug(), &saved_comment).is_ok();
        if saved {
            self.old_drafts.update_value(|d| drop(d.remove(&form)));
            let _ = store().clear_posted_draft(&draft_key(&self.slug(), &form), body);
            self.save_warning.set(None);
        } else {
            self.unsaved.update_value(|u| u.push(saved_comment.clone()));
            self.save_warning.set(Some(POST_NOT_SAVED.into()));
        }
        self.remember_name(&name);
        self.last_post.set_value(Some(LastPost {
            parent: parent.clone(),
            body: saved_comment.body.clone(),
            at_ms: now,
        }));
        let id = saved_comment.id.clone();
        self.thread.update_value(|t| {
            t.insert(saved_comment.to_comment(saved));
        });
        self.shape.notify();
        if let Some(parent) = &parent {
            self.update_ui(parent, |ui| ui.folded = false);
        }
        let shown_before = self.paging.get_untracked().shown();
        if let Some(position) = self.reveal(&id) {
            if parent.is_none() {
                self.paging.update(|p| p.joined(position, shown_before));
            }
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
        // A name the browser would not keep is asked for again next time: nothing is lost.
        let _ = store().set_reader_name(name);
    }

    fn own_comment(&self, id: &str) -> Option<Comment> {
        self.thread
            .with_value(|t| t.get(id).cloned())
            .filter(|c| self.can_change(c, now_ms()))
    }

    /// Stores a change to one of the reader's comments. When the browser would not keep it,
    /// the comment is marked "Not saved", kept for this visit only, and the reader is told.
    fn store_own(&self, comment: &mut Comment) -> bool {
        let saved_comment = SavedComment::of_comment(comment);
        let was_saved = comment.origin == Origin::Mine { saved: true };
        let saved = was_saved && store().put_comment(&self.slug(), &saved_comment).is_ok();
        if saved {
            self.change_warning.set(None);
        } else {
            comment.origin = Origin::Mine { saved: false };
            self.unsaved.update_value(|u| {
                u.retain(|c| c.id != saved_comment.id);
                u.push(saved_comment);
            });
            self.change_warning.set(Some(EDIT_NOT_SAVED.into()));
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
        let saved = self.store_own(&mut comment);
        self.thread.update_value(|t| {
            t.update(comment);
        });
        self.refresh([id]);
        self.stop_editing();
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
        let saved = self.store_own(&mut comment);
        self.thread.update_value(|t| {
            t.update(comment);
        });
        // A deleted comment with no replies leaves the list.
        self.shape.notify();
        self.refresh([id]);
        self.announce(if saved {
            "Your comment was deleted.".into()
        } else {
            "Your comment was deleted on this page but not saved.".into()
        });
    }

    pub fn toggle_like(&self, id: &str) {
        let liked = !self.thread.with_value(|t| t.is_liked(id));
        self.thread.update_value(|t| t.set_liked(id, liked));
        self.refresh([id]);
        if store().set_liked(&self.slug(), id, liked).is_ok() {
            self.change_warning.set(None);
        } else {
            self.change_warning.set(Some(LIKE_NOT_SAVED.into()));
            self.announce(LIKE_NOT_SAVED.into());
        }
    }

    /// Opens whatever hides a comment (pages, folded threads, long reply lists), then
    /// scrolls to it, highlights it and focuses it. Returns where its top-level comment is
    /// among those shown (`None`: not in the thread, or not shown).
    pub fn reveal(&self, id: &str) -> Option<usize> {
        let reveal = self.thread.with_value(|t| t.reveal(id))?;
        self.paging.update(|p| p.reveal(reveal.top_position));
        let plan = plan_reveal(&reveal);
        for container in &plan.unfold {
            self.update_ui(container, |ui| ui.folded = false);
        }
        for container in &plan.show_all_replies {
            self.update_ui(container, |ui| ui.all_replies = true);
        }
        self.move_mark(self.highlighted, Some(id), |ui, on| ui.highlighted = on);
        let element = element_id::of_comment(id);
        request_animation_frame(move || scroll_and_focus(&element));
        Some(reveal.top_position)
    }
}
