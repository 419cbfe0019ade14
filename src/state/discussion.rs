//! One article's discussion, with one owner: what the page shows of the thread, and every
//! change a reader makes. Its state is private; views read it through the methods below and
//! change it only through intents (post, reply, like, edit, delete, sort, show more,
//! reveal). The rules of the thread are the core's (`core::comments::conversation`), over
//! the place its comments go to (`shell::comment_place`: this browser, or a comment
//! service); this layer awaits the place, keeps the page's reactive state in step, and
//! tells the reader what happened.
//!
//! Each comment has reactive state of its own ([`CommentState`]): a like, an edit or a
//! highlight changes that comment's state and re-runs only its view. What the lists show
//! (which comments, in which order) changes through one trigger, `shape`.

use crate::core::comments::conversation::{send_outbox, Conversation, Done, Refused};
use crate::core::comments::element_id;
use crate::core::comments::first_screen::first_screen;
use crate::core::comments::model::{decode_comments, Comment};
use crate::core::comments::paging::{plan_reveal, Paging, FIRST_FRAME};
use crate::core::comments::saved::{draft_key, is_article_key, Store, StoreProblem};
use crate::core::comments::service::{CommentPlace, Listed, NewComment};
use crate::core::comments::thread::{Entry, SortOrder, Thread};
use crate::core::comments::validate::FormErrors;
use crate::core::load_error::LoadError;
use crate::core::page::take_over_retry_ms;
use crate::core::route::article_path;
use crate::shell::api::fetch_comments;
use crate::shell::browser::{
    after_or_online, location_hash, mark, new_comment_id, prepare_local_date_time,
    scroll_and_focus, warn, when_near,
};
use crate::shell::clock::now_ms;
use crate::shell::comment_place::Place;
use crate::shell::local_storage::LocalStorage;
use crate::shell::navigation::Navigation;
use crate::shell::task::spawn_owned;
use crate::state::comment_counts::{use_comment_counts, CommentCounts};
use crate::state::loader::Loader;
use futures::FutureExt;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::rc::Rc;

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
    /// Taken (or shown, and the reader told it is not kept): the form may empty.
    Posted,
    /// Not taken: the text stays in the form (the reader is told why).
    Kept,
    /// On its way: the form empties if the place takes it (`on_sent`).
    Sending,
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
    /// Why the last edit did not go through (the edit form keeps the text).
    pub edit_error: Option<String>,
    /// It was the target of a permalink or just posted.
    pub highlighted: bool,
}

/// What a form says when the browser would not keep its draft.
pub const DRAFT_NOT_SAVED: &str = "Your draft could not be saved in this browser (storage is full or turned off). Copy it before you leave this page.";

type Shared<T> = StoredValue<Rc<T>, leptos::prelude::LocalStorage>;

#[derive(Clone, Copy)]
pub struct Discussion {
    slug: StoredValue<String>,
    conversation: Shared<RefCell<Conversation<LocalStorage>>>,
    place: Shared<Place>,
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
    /// Under its form ("" or the id replied to): what became of the last post, when it
    /// did not go as it should.
    post_warning: RwSignal<Option<(String, String)>>,
    /// Beside the thread: a like, edit or deletion that did not go as it should.
    change_warning: RwSignal<Option<String>>,
    /// The form whose draft the browser would not keep, if any.
    draft_not_saved: RwSignal<Option<String>>,
    announcement: RwSignal<String>,
    reader_name: RwSignal<String>,
    /// A post the place took after its form was left (sent from the outbox): the form
    /// ("" or the id replied to) and the text, so a form still holding that text empties.
    sent: RwSignal<Option<(String, String)>>,
    replying_to: StoredValue<Option<String>>,
    editing: StoredValue<Option<String>>,
    highlighted: StoredValue<Option<String>>,
    /// The owner of the view the discussion started in: its tasks end with it.
    owner: StoredValue<Option<Owner>>,
    fetch_started: StoredValue<bool>,
    /// Failed attempts in a row at sending the outbox (for the pause before the next).
    outbox_failures: StoredValue<u32>,
    /// What a comment service counts, before its thread is read.
    counts: CommentCounts,
    /// Fetches the published comments (see [`Discussion::load_published`]).
    listing: Loader<()>,
}

fn store() -> Store<LocalStorage> {
    Store::new(LocalStorage)
}

impl Discussion {
    /// The discussion of the article `slug` titled `title`, as the page first shows it,
    /// before anything is read from this browser: its order, the reader's own comments
    /// and drafts come in with [`Discussion::start`], once the app runs, so the build's
    /// render and the browser's first one are the same.
    pub fn new(slug: String, title: String) -> Self {
        let site = crate::components::app::use_site();
        let path = article_path(&site.base, &slug);
        let place = Place::for_article(site.settings.comments.as_ref(), &slug, path, title);
        let conversation = Conversation::new(slug.clone(), store(), place.is_service());
        let shape = Trigger::new();
        let published = RwSignal::new(PublishedState::Loading);
        let conversation = StoredValue::new_local(Rc::new(RefCell::new(conversation)));
        let count = Memo::new(move |_| {
            let known = matches!(
                published.get(),
                PublishedState::Loaded | PublishedState::Failed(_)
            );
            shape.track();
            known.then(|| conversation.get_value().borrow().thread.visible_count())
        });
        let discussion = Discussion {
            slug: StoredValue::new(slug),
            conversation,
            place: StoredValue::new_local(Rc::new(place)),
            shape,
            comments: StoredValue::new(HashMap::new()),
            count,
            published,
            started: RwSignal::new(false),
            order: RwSignal::new(SortOrder::default()),
            paging: RwSignal::new(Paging::default()),
            first_frame_done: RwSignal::new(false),
            storage_warning: RwSignal::new(None),
            post_warning: RwSignal::new(None),
            change_warning: RwSignal::new(None),
            draft_not_saved: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            reader_name: RwSignal::new(String::new()),
            sent: RwSignal::new(None),
            replying_to: StoredValue::new(None),
            editing: StoredValue::new(None),
            highlighted: StoredValue::new(None),
            owner: StoredValue::new(None),
            fetch_started: StoredValue::new(false),
            outbox_failures: StoredValue::new(0),
            counts: use_comment_counts(),
            listing: Loader::idle(),
        };
        // The loader's task belongs to the view the discussion is made in: leaving the
        // article ends it and aborts its download.
        discussion
            .listing
            .run(move || async move { discussion.fetch_published().await });
        discussion
    }

    fn slug(&self) -> String {
        self.slug.get_value()
    }

    fn conversation(&self) -> Rc<RefCell<Conversation<LocalStorage>>> {
        self.conversation.get_value()
    }

    fn place(&self) -> Rc<Place> {
        self.place.get_value()
    }

    fn with_thread<T>(&self, read: impl FnOnce(&Thread) -> T) -> T {
        read(&self.conversation().borrow().thread)
    }

    /// Whether comments go to a comment service, where every reader sees them.
    pub fn has_service(&self) -> bool {
        self.place().is_service()
    }

    /// Reads what this browser kept, listens to other tabs and to permalinks, and fetches
    /// the published comments when the reader nears them (or a link leads there), so the
    /// article never waits for its discussion. Runs under the owner of the view that calls
    /// it: all of it stops when that view goes.
    pub fn start(self) {
        self.owner.set_value(Owner::current());
        let saved = self.open_record();
        let order = saved.sort.unwrap_or_default();
        {
            let conversation = self.conversation();
            let mut conversation = conversation.borrow_mut();
            conversation.old_drafts = saved.drafts.clone();
            conversation.build(Vec::new(), &saved, order, now_ms());
        }
        self.order.set(order);
        self.reader_name.set(store().reader_name());
        self.shape.notify();
        self.started.set(true);
        self.listen_to_other_tabs();
        if self.has_service() {
            // "See all (N)" before the thread is read: one small request.
            self.counts
                .fetch(&crate::components::app::use_site(), vec![self.slug()]);
            // What the outbox holds goes as soon as the browser is back online.
            let handle = window_event_listener(leptos::ev::online, move |_| self.send_outbox());
            on_cleanup(move || handle.remove());
        }
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
    fn open_record(&self) -> crate::core::comments::saved::SavedArticle {
        let opened = self.conversation().borrow().saved();
        let warning = opened.problem.as_ref().map(StoreProblem::message);
        if self.storage_warning.with_untracked(|w| *w != warning) {
            self.storage_warning.set(warning);
        }
        opened.saved
    }

    /// Runs `task` under the view the discussion started in, wherever it was asked for (a
    /// Retry click, the comments coming near): it stops when that view goes.
    fn spawn(self, task: impl Future<Output = ()> + 'static) {
        match self.owner.get_value() {
            Some(owner) => owner.with(|| spawn_owned(task)),
            None => spawn_owned(task),
        }
    }

    /// Fetches the published comments (again, after a failure): through the page's one
    /// loader (`state::loader`), which owns the retry, the deadline and the abort.
    pub fn load_published(self) {
        self.fetch_started.set_value(true);
        self.published.set(PublishedState::Loading);
        if self.listing.started() {
            self.listing.retry();
        } else {
            self.listing.start();
        }
        // Queued behind the request, so it runs once the request is on its way: the
        // network wait hides its cost, and the first comments on screen do not pay it.
        queue_microtask(prepare_local_date_time);
    }

    /// Fetches the published comments and shows them (the listing loader's work).
    async fn fetch_published(self) -> Result<(), LoadError> {
        let place = self.place();
        let fetched = match &*place {
            Place::Browser(_) => fetch_comments(&self.slug())
                .await
                .map(|json| self.show_published(json)),
            Place::Isso(isso) => match isso.page(self.order.get_untracked(), 0).await {
                Ok(first) => {
                    self.show_service_thread(first.listed.clone(), true);
                    self.load_rest_of_thread(first).await;
                    Ok(())
                }
                Err(error) => Err(error),
            },
        };
        if let Err(error) = &fetched {
            self.failed(error.clone());
        }
        fetched
    }

    fn failed(self, error: LoadError) {
        self.published.set(PublishedState::Failed(error));
        self.first_frame_done.set(true);
        // What the browser holds (the reader's own, the outbox) still shows, and what waits
        // in the outbox is sent as soon as the service answers.
        self.rebuild(Vec::new());
        self.send_outbox();
    }

    /// The rest of a comment service's thread, page by page after the first, then what
    /// waits in the outbox.
    async fn load_rest_of_thread(self, first: crate::shell::isso::ThreadPart) {
        let Place::Isso(isso) = &*self.place() else {
            return;
        };
        let mut all = first.listed.comments;
        let mut more_replies = first.more_replies;
        let mut next = first.next;
        let order = self.order.get_untracked();
        while let Some(offset) = next {
            match isso.page(order, offset).await {
                Ok(part) => {
                    all.extend(part.listed.comments);
                    tell(&part.listed.warnings);
                    more_replies.extend(part.more_replies);
                    next = part.next;
                }
                Err(error) => {
                    warn(&format!(
                        "My Garage: the rest of the comments could not be loaded: {}",
                        error.message(crate::core::load_error::COMMENTS)
                    ));
                    break;
                }
            }
        }
        for parent in more_replies {
            if let Ok(replies) = isso.replies(parent).await {
                all.extend(replies.comments);
            }
        }
        if first.next.is_some() || !all.is_empty() {
            self.show_service_thread(
                Listed {
                    comments: all,
                    warnings: Vec::new(),
                },
                false,
            );
        }
        self.send_outbox();
    }

    /// A comment service's comments (with the reader's own) as the thread. `first`: the
    /// first page, painted at once.
    fn show_service_thread(self, listed: Listed, first: bool) {
        if first {
            mark("comments-decoded");
            tell(&listed.warnings);
        }
        self.rebuild(listed.comments);
        if first {
            mark("comments-thread-built");
            self.published.set(PublishedState::Loaded);
            mark("comments-dom-updated");
            self.once_painted(move || self.show_rest());
        }
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
                let mine = self.conversation().borrow().own(&saved, &HashSet::new());
                first.extend(mine.into_iter().filter(|c| c.parent.is_none()));
                let thread = Thread::build(first, liked, order);
                mark("comments-thread-built");
                self.conversation().borrow_mut().thread = thread;
                self.refresh_all();
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
            Some(Ok(file)) => {
                tell(&file.warnings);
                Ok(file.comments)
            }
            Some(Err(error)) => Err(LoadError::from(error)),
        };
        step("comments-decoded");
        match published {
            Ok(all) => {
                self.rebuild(all);
                self.published.set(PublishedState::Loaded);
            }
            Err(error) => {
                self.rebuild(Vec::new());
                self.published.set(PublishedState::Failed(error));
            }
        }
        step("comments-thread-built");
    }

    /// The thread from `listed` and what this browser keeps, freshly read.
    fn rebuild(self, listed: Vec<Comment>) {
        let saved = self.open_record();
        let order = self.order.get_untracked();
        self.conversation()
            .borrow_mut()
            .build(listed, &saved, order, now_ms());
        self.refresh_all();
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
                    if !self.comments.is_disposed() {
                        then();
                    }
                },
                Default::default(),
            );
        });
    }

    /// Tells every comment's state, and the lists, what the thread now says.
    fn refresh_all(&self) {
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
            let entry = self.with_thread(|t| t.entry(id));
            if state.entry.with_untracked(|current| *current != entry) {
                state.entry.set(entry);
            }
        }
    }

    /// Another tab of this article wrote: take in its posts, edits, deletions, likes and
    /// unlikes (and what it sent or queued) without a reload.
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

    /// Takes in what this browser keeps as another tab left it.
    pub fn merge_from_other_tab(&self) {
        let saved = self.open_record();
        let merged = self.conversation().borrow_mut().merge_from_storage(&saved);
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
            entry: ArcRwSignal::new(self.with_thread(|t| t.entry(id))),
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
        self.with_thread(|t| t.top_level_page(limit))
    }

    /// How many top-level comments "Show more comments" would bring.
    pub fn hidden_count(&self) -> usize {
        self.shape.track();
        let paging = self.paging.get();
        paging.hidden(self.with_thread(Thread::top_level_count))
    }

    /// The replies displayed inside a comment (see `Thread::displayed_replies`).
    pub fn replies(&self, id: &str) -> Vec<String> {
        self.shape.track();
        self.with_thread(|t| t.displayed_replies(id))
    }

    /// The number of comments, once the published ones are in (until then it would mislead),
    /// or as a comment service counts them before that.
    pub fn count_label(&self) -> Option<usize> {
        self.count
            .get()
            .or_else(|| self.counts.get(&self.slug.get_value()).map(|n| n as usize))
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

    /// What became of the last post from `form`, when it did not go as it should.
    pub fn post_warning(&self, form: &str) -> Option<String> {
        self.post_warning.with(|w| {
            w.as_ref()
                .filter(|(f, _)| f == form)
                .map(|(_, w)| w.clone())
        })
    }

    /// Set when a like, edit or deletion did not go as it should.
    pub fn change_warning(&self) -> Option<String> {
        self.change_warning.get()
    }

    /// Whether the browser would not keep the draft of `form`.
    pub fn draft_not_saved(&self, form: &str) -> bool {
        self.draft_not_saved.with(|f| f.as_deref() == Some(form))
    }

    /// A post that reached the place after its form was left as it was: (form, text).
    pub fn sent(&self) -> Option<(String, String)> {
        self.sent.get()
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
        Conversation::<LocalStorage>::can_change(comment, now)
    }

    /// Whether a like, once given, stays (a comment service keeps it).
    pub fn likes_are_for_good(&self) -> bool {
        !self.place().can_unlike()
    }

    /// What a reply form under `parent` starts with: a comment service keeps replies one
    /// level deep, so a reply to a reply names whom it answers ("@Ann ").
    pub fn reply_opening(&self, parent: &str) -> String {
        if !self.has_service() {
            return String::new();
        }
        self.with_thread(|t| {
            t.entry(parent)
                .filter(|entry| entry.depth >= 1 && !entry.comment.deleted)
                .map(|entry| format!("@{} ", entry.comment.author))
                .unwrap_or_default()
        })
    }

    // Intents.

    pub fn announce(&self, text: String) {
        self.announcement.set(text);
    }

    /// The unposted text of a form ("" for a new comment, a comment id for a reply to it).
    pub fn draft(&self, form: &str) -> String {
        store()
            .draft(&draft_key(&self.slug(), form))
            .or_else(|| self.conversation().borrow().old_drafts.get(form).cloned())
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
        self.conversation().borrow_mut().thread.set_order(order);
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
        self.update_ui(id, |ui| ui.edit_error = None);
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

    /// Awaits a change at the place: at once when the place answers at once (this
    /// browser), so the page never shows a change as on its way for a moment; otherwise in
    /// a task of the discussion's view.
    fn when_done<T: 'static>(
        self,
        change: impl Future<Output = T> + 'static,
        then: impl FnOnce(T) + 'static,
    ) {
        let mut change = Box::pin(change);
        match (&mut change).now_or_never() {
            Some(result) => then(result),
            None => self.spawn(async move { then(change.await) }),
        }
    }

    /// Posts a comment or a reply. It shows at once; `on_sent` runs when the place takes
    /// it after this call has returned (a comment service answering), so the form can
    /// empty then. Whatever happens, the text stays in the form until the place has it.
    pub fn post(
        &self,
        parent: Option<String>,
        name: &str,
        body: &str,
        on_sent: impl FnOnce() + 'static,
    ) -> PostOutcome {
        let now = now_ms();
        let begun = self.conversation().borrow_mut().begin_post(
            parent.clone(),
            name,
            body,
            new_comment_id(now),
            now,
        );
        let begun = match begun {
            Ok(begun) => begun,
            Err(Refused::Repeat) => return PostOutcome::Repeat,
            Err(Refused::Invalid(errors)) => return PostOutcome::Invalid(errors),
            Err(Refused::Queued(_)) => {
                self.announce("Your comment is waiting to be sent: sending it again now.".into());
                self.send_outbox();
                return PostOutcome::Sending;
            }
        };
        self.reader_name.set(begun.new.author.clone());
        let id = begun.new.id.clone();
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
        let outcome = Rc::new(RefCell::new(PostOutcome::Sending));
        let result = outcome.clone();
        let place = self.place();
        let new = begun.new.clone();
        let discussion = *self;
        self.when_done(
            async move { place.post(&new).await },
            move |result_of_post| {
                let done = discussion
                    .conversation()
                    .borrow_mut()
                    .finish_post(&id, result_of_post);
                let posted = discussion.settle_post(&begun.new, &done);
                let sent_later = matches!(*result.borrow(), PostOutcome::Sending);
                *result.borrow_mut() = if posted {
                    PostOutcome::Posted
                } else {
                    PostOutcome::Kept
                };
                if posted && sent_later {
                    on_sent();
                }
            },
        );
        let outcome = outcome.borrow().clone();
        if outcome == PostOutcome::Sending {
            self.announce("Sending your comment…".into());
        }
        outcome
    }

    /// Shows what became of a post, and empties its draft once the place has it. True when
    /// the form may empty (the place has it, or the browser showed it as not kept).
    fn settle_post(&self, new: &NewComment, done: &Done) -> bool {
        self.shape.notify();
        self.refresh([new.id.as_str(), done.id.as_str()]);
        let form = new.parent.clone().unwrap_or_default();
        self.post_warning
            .set(done.warning.clone().map(|warning| (form.clone(), warning)));
        if !done.announce.is_empty() {
            self.announce(done.announce.clone());
        }
        if done.ok {
            self.conversation().borrow_mut().old_drafts.remove(&form);
            let _ = store().clear_posted_draft(&draft_key(&self.slug(), &form), &new.text);
            self.move_mark(self.highlighted, Some(&done.id), |ui, on| {
                ui.highlighted = on
            });
        }
        // Anything else (not kept, not sent yet, refused) keeps its text in the form.
        done.ok
    }

    /// Sends what waits in the outbox (a comment service only), once each; after a
    /// failure that may pass, tries again a little later for as long as the page is open,
    /// and at once when the browser is back online.
    pub fn send_outbox(self) {
        if !self.has_service() {
            return;
        }
        let conversation = self.conversation();
        let place = self.place();
        self.spawn(async move {
            let done = send_outbox(&conversation, &*place).await;
            let mut failed = false;
            for (new, outcome) in &done {
                failed |= !outcome.ok;
                let posted = self.settle_post(new, outcome);
                if posted {
                    let form = new.parent.clone().unwrap_or_default();
                    self.sent.set(Some((form, new.text.clone())));
                }
            }
            let still_queued = !conversation.borrow().saved().saved.outbox.is_empty();
            if failed && still_queued {
                let attempt = self.outbox_failures.get_value();
                self.outbox_failures.set_value(attempt + 1);
                after_or_online(take_over_retry_ms(attempt)).await;
                self.send_outbox();
            } else {
                self.outbox_failures.set_value(0);
            }
        });
    }

    /// Changes the text of one of the reader's comments. Errors found at once are the
    /// form's; what the place says later shows in the edit form (which keeps the text).
    pub fn edit(&self, id: &str, body: &str) -> Result<(), FormErrors> {
        let now = now_ms();
        let text = self.conversation().borrow().begin_edit(id, body, now)?;
        let place = self.place();
        let (id, discussion) = (id.to_owned(), *self);
        let change = {
            let (id, text) = (id.clone(), text.clone());
            async move { place.edit(&id, &text).await }
        };
        self.when_done(change, move |result| {
            let done =
                discussion
                    .conversation()
                    .borrow_mut()
                    .finish_edit(&id, &text, result, now_ms());
            discussion.settle_change(&done);
            if done.ok {
                discussion.stop_editing();
            } else {
                discussion.update_ui(&id, |ui| ui.edit_error = done.warning.clone());
            }
        });
        Ok(())
    }

    pub fn delete(&self, id: &str) {
        if !self.conversation().borrow().begin_delete(id, now_ms()) {
            return;
        }
        let place = self.place();
        let (id, discussion) = (id.to_owned(), *self);
        let change = {
            let id = id.clone();
            async move { place.delete(&id).await }
        };
        self.when_done(change, move |result| {
            let done = discussion
                .conversation()
                .borrow_mut()
                .finish_delete(&id, result);
            discussion.settle_change(&done);
        });
    }

    pub fn toggle_like(&self, id: &str) {
        let can_unlike = self.place().can_unlike();
        let Some(liked) = self.conversation().borrow_mut().begin_like(id, can_unlike) else {
            self.announce("You have liked this comment already.".into());
            return;
        };
        self.refresh([id]);
        let place = self.place();
        let (id, discussion) = (id.to_owned(), *self);
        let change = {
            let id = id.clone();
            async move { place.like(&id, liked).await }
        };
        self.when_done(change, move |result| {
            let done = discussion
                .conversation()
                .borrow_mut()
                .finish_like(&id, liked, result);
            discussion.settle_change(&done);
        });
    }

    /// Shows what became of a like, an edit or a deletion.
    fn settle_change(&self, done: &Done) {
        // A deleted comment with no replies leaves the list.
        self.shape.notify();
        self.refresh([done.id.as_str()]);
        self.change_warning.set(done.warning.clone());
        if !done.announce.is_empty() {
            self.announce(done.announce.clone());
        }
    }

    /// Opens whatever hides a comment (pages, folded threads, long reply lists), then
    /// scrolls to it, highlights it and focuses it. Returns where its top-level comment is
    /// among those shown (`None`: not in the thread, or not shown).
    pub fn reveal(&self, id: &str) -> Option<usize> {
        let reveal = self.with_thread(|t| t.reveal(id))?;
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

/// Tells the console (the publisher's developer) what was dropped from an answer.
fn tell(warnings: &[String]) {
    for warning in warnings {
        warn(&format!("My Garage: comments: {warning}"));
    }
}
