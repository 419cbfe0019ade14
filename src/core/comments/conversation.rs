//! The rules of a thread, whichever place its comments go to (the reader's browser, or a
//! comment service): posting, replying, editing, deleting, liking, what another tab did,
//! and the outbox that keeps what a reader wrote until a comment service takes it.
//!
//! Plain Rust: the storage is any [`KeyValue`], the place any [`CommentPlace`], and the
//! time is passed in, so every rule is tested natively against fakes. Each change has a
//! `begin` (what the reader sees at once) and a `finish` (what became of it at the place);
//! `state::discussion` awaits the place in between and shows the outcome.

use super::model::{Comment, Delivery, Origin};
use super::saved::{KeyValue, SavedArticle, SavedComment, Shelf, Store, SAVED_VERSION};
use super::service::{Accepted, CommentPlace, Deleted, NewComment, SendError};
use super::thread::{SortOrder, Thread};
use super::validate::{
    is_repeat_submission, tidy_body, validate, FormErrors, LastPost, EDIT_WINDOW_MS,
};
use crate::core::time::Timestamp;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What the reader is told when the browser would not keep their comment.
pub const POST_NOT_KEPT: &str = "Your comment is shown below but this browser would not save it (storage is full or turned off). It will be gone after you leave this page, so your text is still in the form: copy it to keep it.";
pub const EDIT_NOT_KEPT: &str = "Your change is shown but this browser would not save it (storage is full or turned off): after you leave this page the comment will be as it was.";
pub const LIKE_NOT_KEPT: &str = "Your like is shown but this browser would not save it (storage is full or turned off): it will be gone after you leave this page.";

/// A comment awaiting moderation is shown to its author for this long, at most, if the
/// service never lists it (a moderator who deletes it says nothing).
const PENDING_KEPT_MS: i64 = 30 * 24 * 3600 * 1000;

/// How far the service's clock may be behind this browser's, when a comment it lists is
/// matched with one the outbox holds.
const CLOCK_SKEW_MS: i64 = 10 * 60 * 1000;

/// What another tab's change did to the thread, by comment id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    /// The reader's comments new to this tab.
    pub added: Vec<String>,
    /// Comments whose content or like changed.
    pub changed: Vec<String>,
}

/// Why a post was not started.
#[derive(Clone, Debug, PartialEq)]
pub enum Refused {
    /// A double click: the first one counted.
    Repeat,
    Invalid(FormErrors),
    /// The same text is already waiting in the outbox: it is sent again instead.
    Queued(String),
}

/// A post shown at once, for the place to take.
#[derive(Clone, Debug, PartialEq)]
pub struct Begun {
    pub new: NewComment,
}

/// What became of a post, a change or a like.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Done {
    /// The comment's id now (a comment service gives it its own).
    pub id: String,
    /// Whether the change stands (a post: whether its form may be emptied).
    pub ok: bool,
    /// For the reader, beside the thread or the form, when something went wrong.
    pub warning: Option<String>,
    /// For the live region.
    pub announce: String,
}

/// The rules of one article's thread.
pub struct Conversation<K> {
    pub slug: String,
    store: Store<K>,
    /// Comments go to a comment service (else they stay in this browser).
    service: bool,
    pub thread: Thread,
    /// The reader's changes the browser would not keep (no service): this visit only.
    unsaved: Vec<SavedComment>,
    last_post: Option<LastPost>,
    /// Outbox entries being sent now: an entry is never sent twice at once.
    in_flight: HashSet<String>,
    /// Drafts as the first storage layout kept them, inside the article's record.
    pub old_drafts: BTreeMap<String, String>,
}

impl<K: KeyValue> Conversation<K> {
    pub fn new(slug: String, store: Store<K>, service: bool) -> Self {
        Conversation {
            slug,
            store,
            service,
            thread: Thread::default(),
            unsaved: Vec::new(),
            last_post: None,
            in_flight: HashSet::new(),
            old_drafts: BTreeMap::new(),
        }
    }

    pub fn store(&self) -> &Store<K> {
        &self.store
    }

    pub fn has_service(&self) -> bool {
        self.service
    }

    /// What this browser keeps for the article, freshly read.
    pub fn saved(&self) -> super::saved::Opened {
        self.store.open_article(&self.slug)
    }

    /// The reader's own comments as the thread shows them, beside what the place lists:
    /// without a service, those kept in this browser (and those it would not keep); with
    /// one, those the service has not listed (awaiting moderation, or just posted) and
    /// those in the outbox.
    pub fn own(&self, saved: &SavedArticle, listed: &HashSet<&str>) -> Vec<Comment> {
        if !self.service {
            let unsaved = self.unsaved.iter().map(|c| c.to_comment(Delivery::NotKept));
            let kept = saved
                .comments
                .iter()
                .filter(|c| !self.unsaved.iter().any(|u| u.id == c.id))
                .map(|c| c.to_comment(Delivery::Kept));
            return unsaved.chain(kept).collect();
        }
        let sent = saved
            .sent
            .iter()
            .filter(|c| !listed.contains(c.id.as_str()))
            .map(|c| c.to_comment(sent_delivery(c)));
        let queued = saved.outbox.iter().map(|c| c.to_comment(Delivery::Queued));
        sent.chain(queued).collect()
    }

    /// The whole thread: what the place lists with the reader's own, in `order`.
    pub fn build(
        &mut self,
        mut listed: Vec<Comment>,
        saved: &SavedArticle,
        order: SortOrder,
        now: i64,
    ) {
        if self.service {
            self.forget_what_the_service_settled(&listed, saved, now);
            mark_own(&mut listed, saved);
        }
        let ids: HashSet<&str> = listed.iter().map(|c| c.id.as_str()).collect();
        let own = self.own(saved, &ids);
        listed.extend(own);
        let liked = saved.likes.iter().cloned().collect();
        self.thread = Thread::build(listed, liked, order);
        if self.service {
            self.thread.count_own_likes_as_published();
        }
    }

    /// Records of sent comments that have nothing left to tell: listed, and past their
    /// edit window; or never listed, past it (deleted by a moderator) or long pending.
    fn forget_what_the_service_settled(&self, listed: &[Comment], saved: &SavedArticle, now: i64) {
        let ids: HashSet<&str> = listed.iter().map(|c| c.id.as_str()).collect();
        for record in &saved.sent {
            let window_over = record.editable_until.is_none_or(|until| until <= now);
            let settled = if record.pending && !ids.contains(record.id.as_str()) {
                now - record.posted.epoch_ms > PENDING_KEPT_MS
            } else {
                window_over
            };
            if settled {
                let _ = self.store.remove(Shelf::Sent, &self.slug, &record.id);
            }
        }
    }

    /// Whether the reader may still edit or delete this comment.
    pub fn can_change(comment: &Comment, now: i64) -> bool {
        let standing = matches!(
            comment.delivery(),
            Some(
                Delivery::Kept | Delivery::NotKept | Delivery::Sent | Delivery::AwaitingModeration
            )
        );
        standing && !comment.deleted && comment.editable_until.is_some_and(|until| now < until)
    }

    // Posting.

    /// Checks a post and shows it at once (as being sent); with a service, it is kept in
    /// the outbox first, so the words survive whatever happens next. `id`: a fresh id for
    /// it (the browser's random one).
    pub fn begin_post(
        &mut self,
        parent: Option<String>,
        name: &str,
        body: &str,
        id: String,
        now: i64,
    ) -> Result<Begun, Refused> {
        if is_repeat_submission(self.last_post.as_ref(), parent.as_deref(), body, now) {
            return Err(Refused::Repeat);
        }
        let errors = validate(name, body, true);
        if !errors.is_empty() {
            return Err(Refused::Invalid(errors));
        }
        let text = tidy_body(body);
        if self.service {
            let waiting = self
                .saved()
                .saved
                .outbox
                .into_iter()
                .find(|entry| entry.parent == parent && entry.body == text);
            if let Some(entry) = waiting {
                return Err(Refused::Queued(entry.id));
            }
        }
        let saved = SavedComment {
            version: SAVED_VERSION,
            id,
            parent: parent.clone(),
            author: name.trim().to_owned(),
            body: text.clone(),
            posted: Timestamp::from_epoch_ms(now),
            edited: None,
            deleted: false,
            editable_until: None,
            pending: false,
            extra: Default::default(),
        };
        if self.service {
            // Even if the browser refuses it, the post goes on: the text is still in the form.
            let _ = self.store.put(Shelf::Outbox, &self.slug, &saved);
            self.in_flight.insert(saved.id.clone());
        }
        let _ = self.store.set_reader_name(&saved.author);
        self.last_post = Some(LastPost {
            parent,
            body: text,
            at_ms: now,
        });
        self.thread.insert(saved.to_comment(Delivery::Sending));
        Ok(Begun {
            new: new_comment(&saved),
        })
    }

    /// What became of a post (`id`: as [`Conversation::begin_post`] made it).
    pub fn finish_post(&mut self, id: &str, result: Result<Accepted, SendError>) -> Done {
        self.in_flight.remove(id);
        let Some(mine) = self.thread.get(id).cloned() else {
            return Done::default();
        };
        match result {
            Ok(accepted) => {
                let delivery = if !self.service {
                    Delivery::Kept
                } else if accepted.pending {
                    Delivery::AwaitingModeration
                } else {
                    Delivery::Sent
                };
                let mut comment = accepted.comment;
                comment.origin = Origin::Mine(delivery);
                comment.editable_until = accepted.editable_until;
                // The service answers with its own rendering; what the reader wrote is the text.
                comment.body = mine.body.clone();
                if self.service {
                    let _ = self.store.remove(Shelf::Outbox, &self.slug, id);
                    let mut record = SavedComment::of_comment(&comment);
                    record.editable_until = accepted.editable_until;
                    record.pending = accepted.pending;
                    let _ = self.store.put(Shelf::Sent, &self.slug, &record);
                }
                let new_id = comment.id.clone();
                self.thread.replace_id(id, comment);
                Done {
                    id: new_id,
                    ok: true,
                    warning: None,
                    announce: if delivery == Delivery::AwaitingModeration {
                        "Your comment was sent and awaits moderation: until a moderator approves it, only you can see it.".into()
                    } else {
                        "Your comment was posted.".into()
                    },
                }
            }
            Err(SendError::NotKept) => {
                self.unsaved.push(SavedComment::of_comment(&mine));
                self.set_delivery(id, Delivery::NotKept);
                Done {
                    id: id.to_owned(),
                    ok: false,
                    warning: Some(POST_NOT_KEPT.into()),
                    announce: "Your comment is shown but was not saved.".into(),
                }
            }
            Err(error) if error.may_pass() => {
                self.set_delivery(id, Delivery::Queued);
                Done {
                    id: id.to_owned(),
                    ok: false,
                    warning: Some(format!(
                        "Your comment is not sent yet. {} It is kept in this browser and will be sent as soon as the comment service answers again.",
                        error.message()
                    )),
                    announce: "Your comment is not sent yet.".into(),
                }
            }
            Err(error) => {
                let _ = self.store.remove(Shelf::Outbox, &self.slug, id);
                self.hide(id);
                Done {
                    id: id.to_owned(),
                    ok: false,
                    warning: Some(format!(
                        "Your comment was not posted. {} Your text is still in the form.",
                        error.message()
                    )),
                    announce: "Your comment was not posted.".into(),
                }
            }
        }
    }

    /// The outbox entries to send now. An entry the thread already lists was sent before
    /// (its answer lost on the way): it is settled, never sent twice.
    pub fn due(&mut self) -> Vec<NewComment> {
        let outbox = self.saved().saved.outbox;
        let mut due = Vec::new();
        for entry in outbox {
            if let Some(listed) = self.listed_match(&entry) {
                let _ = self.store.remove(Shelf::Outbox, &self.slug, &entry.id);
                let mut record = SavedComment::of_comment(&listed);
                // Its credential came with the lost answer, if at all: the service will say.
                record.editable_until = Some(entry.posted.epoch_ms + EDIT_WINDOW_MS);
                let _ = self.store.put(Shelf::Sent, &self.slug, &record);
                let mut mine = listed;
                mine.origin = Origin::Mine(Delivery::Sent);
                mine.editable_until = record.editable_until;
                self.thread.replace_id(&entry.id, mine);
            } else if self.in_flight.insert(entry.id.clone()) {
                if self.thread.get(&entry.id).is_none() {
                    self.thread.insert(entry.to_comment(Delivery::Queued));
                }
                self.set_delivery(&entry.id, Delivery::Sending);
                due.push(new_comment(&entry));
            }
        }
        due
    }

    /// The comment the service lists that is this outbox entry: the same author, text and
    /// level, posted (by the service's clock) no earlier than the entry.
    fn listed_match(&self, entry: &SavedComment) -> Option<Comment> {
        self.thread
            .top_level()
            .into_iter()
            .flat_map(|id| {
                let mut ids = vec![id.clone()];
                ids.extend(self.thread.displayed_replies(&id));
                ids
            })
            .filter_map(|id| self.thread.get(&id))
            .find(|c| {
                !matches!(
                    c.delivery(),
                    Some(Delivery::Sending | Delivery::Queued | Delivery::NotKept | Delivery::Kept)
                ) && c.author == entry.author
                    && c.body == entry.body
                    && c.parent.is_some() == entry.parent.is_some()
                    && c.posted.epoch_ms >= entry.posted.epoch_ms - CLOCK_SKEW_MS
            })
            .cloned()
    }

    // Changing one's own comments.

    /// The new text of an edit, once checked; refused when the comment is no longer the
    /// reader's to change.
    pub fn begin_edit(&self, id: &str, body: &str, now: i64) -> Result<String, FormErrors> {
        let can = self
            .thread
            .get(id)
            .is_some_and(|c| Self::can_change(c, now));
        if !can {
            return Err(FormErrors {
                body: Some("The time for changing this comment has passed.".into()),
                name: None,
            });
        }
        let errors = validate("", body, false);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(tidy_body(body))
    }

    pub fn finish_edit(
        &mut self,
        id: &str,
        text: &str,
        result: Result<Accepted, SendError>,
        now: i64,
    ) -> Done {
        let Some(mut comment) = self.thread.get(id).cloned() else {
            return Done::default();
        };
        let kept = match result {
            Ok(accepted) => {
                comment.editable_until = accepted.editable_until.or(comment.editable_until);
                comment.edited = accepted
                    .comment
                    .edited
                    .or(Some(Timestamp::from_epoch_ms(now)));
                true
            }
            Err(SendError::NotKept) => false,
            Err(error) => return self.refused(id, "Your comment was not changed.", error),
        };
        comment.body = text.to_owned();
        comment.edited = comment.edited.or(Some(Timestamp::from_epoch_ms(now)));
        self.changed(comment, kept, "Your comment was updated.")
    }

    pub fn begin_delete(&self, id: &str, now: i64) -> bool {
        self.thread
            .get(id)
            .is_some_and(|c| Self::can_change(c, now))
    }

    pub fn finish_delete(&mut self, id: &str, result: Result<Deleted, SendError>) -> Done {
        let Some(mut comment) = self.thread.get(id).cloned() else {
            return Done::default();
        };
        let kept = match result {
            Ok(_) => true,
            Err(SendError::NotKept) => false,
            Err(error) => return self.refused(id, "Your comment was not deleted.", error),
        };
        comment.deleted = true;
        comment.body.clear();
        if self.service {
            let _ = self.store.remove(Shelf::Sent, &self.slug, id);
        }
        self.changed(comment, kept, "Your comment was deleted.")
    }

    /// A change the place took (`kept`) or that only this page shows.
    fn changed(&mut self, mut comment: Comment, kept: bool, announce: &str) -> Done {
        let id = comment.id.clone();
        if !kept {
            comment.origin = Origin::Mine(Delivery::NotKept);
            let record = SavedComment::of_comment(&comment);
            self.unsaved.retain(|c| c.id != id);
            self.unsaved.push(record);
        } else if self.service && !comment.deleted {
            let mut record = SavedComment::of_comment(&comment);
            record.editable_until = comment.editable_until;
            record.pending = comment.delivery() == Some(Delivery::AwaitingModeration);
            let _ = self.store.put(Shelf::Sent, &self.slug, &record);
        }
        self.thread.update(comment);
        Done {
            id,
            ok: true,
            warning: (!kept).then(|| EDIT_NOT_KEPT.to_owned()),
            announce: if kept {
                announce.to_owned()
            } else {
                format!("{} It was not saved.", announce.trim_end_matches('.'))
            },
        }
    }

    /// A change the place refused: the comment stays as it was. When the time for changes
    /// has passed, the comment's buttons go.
    fn refused(&mut self, id: &str, what: &str, error: SendError) -> Done {
        if error == SendError::Forbidden {
            if let Some(mut comment) = self.thread.get(id).cloned() {
                // Closed for good, whatever the page's clock says.
                comment.editable_until = Some(i64::MIN);
                self.thread.update(comment);
            }
        }
        let retry = if error.may_pass() {
            " Please try again."
        } else {
            ""
        };
        Done {
            id: id.to_owned(),
            ok: false,
            warning: Some(format!("{what} {}{retry}", error.message())),
            announce: what.to_owned(),
        }
    }

    // Likes.

    /// Likes or unlikes at once; `None` when there is nothing to do (a like a comment
    /// service keeps for good cannot be taken back).
    pub fn begin_like(&mut self, id: &str, can_unlike: bool) -> Option<bool> {
        let liked = !self.thread.is_liked(id);
        if !liked && !can_unlike {
            return None;
        }
        self.thread.set_liked(id, liked);
        if self.service {
            self.add_likes(id, if liked { 1 } else { -1 });
        }
        Some(liked)
    }

    pub fn finish_like(
        &mut self,
        id: &str,
        liked: bool,
        result: Result<Option<u32>, SendError>,
    ) -> Done {
        match result {
            Ok(count) => {
                if self.service {
                    if let (Some(count), Some(mut comment)) = (count, self.thread.get(id).cloned())
                    {
                        comment.likes = count;
                        self.thread.update(comment);
                    }
                    // Shown as given from now on, in this browser.
                    let _ = self.store.set_liked(&self.slug, id, liked);
                }
                Done {
                    id: id.to_owned(),
                    ok: true,
                    ..Done::default()
                }
            }
            Err(SendError::NotKept) => Done {
                id: id.to_owned(),
                ok: true,
                warning: Some(LIKE_NOT_KEPT.into()),
                announce: LIKE_NOT_KEPT.into(),
            },
            Err(error) => {
                self.thread.set_liked(id, !liked);
                if self.service {
                    self.add_likes(id, if liked { -1 } else { 1 });
                }
                let message = format!("Your like was not counted. {}", error.message());
                Done {
                    id: id.to_owned(),
                    ok: false,
                    warning: Some(message.clone()),
                    announce: message,
                }
            }
        }
    }

    fn add_likes(&mut self, id: &str, by: i64) {
        if let Some(mut comment) = self.thread.get(id).cloned() {
            comment.likes = (i64::from(comment.likes) + by).clamp(0, i64::from(u32::MAX)) as u32;
            self.thread.update(comment);
        }
    }

    // Other tabs.

    /// Takes in what another tab of this article stored: its posts, edits, deletions,
    /// likes and unlikes, and (with a service) what it sent or queued.
    pub fn merge_from_storage(&mut self, saved: &SavedArticle) -> Merged {
        let mut merged = Merged::default();
        let listed: HashSet<&str> = HashSet::new();
        for comment in self.own(saved, &listed) {
            match self.thread.get(&comment.id) {
                None => {
                    let id = comment.id.clone();
                    if self.thread.insert(comment) {
                        merged.added.push(id);
                    }
                }
                // A comment service's own copy is the truth; a change this tab could not
                // store, and what this tab is sending, are what this tab shows.
                Some(_) if self.service => {}
                Some(current)
                    if matches!(
                        current.delivery(),
                        Some(Delivery::NotKept | Delivery::Sending)
                    ) => {}
                Some(current) if *current != comment => {
                    merged.changed.push(comment.id.clone());
                    self.thread.update(comment);
                }
                Some(_) => {}
            }
        }
        if self.service {
            // What this tab showed as queued, another tab has sent since.
            let queued: HashSet<&str> = saved.outbox.iter().map(|c| c.id.as_str()).collect();
            let gone: Vec<String> = self
                .thread_ids()
                .into_iter()
                .filter(|id| {
                    self.thread
                        .get(id)
                        .is_some_and(|c| c.delivery() == Some(Delivery::Queued) && !c.deleted)
                        && !queued.contains(id.as_str())
                        && !self.in_flight.contains(id)
                })
                .collect();
            for id in gone {
                self.hide(&id);
                merged.changed.push(id);
            }
        }
        let stored: HashSet<&str> = saved.likes.iter().map(String::as_str).collect();
        let unliked: Vec<String> = self
            .thread
            .liked()
            .filter(|id| !stored.contains(id.as_str()))
            .cloned()
            .collect();
        // A comment service keeps likes: another tab cannot take one back.
        if !self.service {
            for id in unliked {
                self.thread.set_liked(&id, false);
                merged.changed.push(id);
            }
        }
        for id in &saved.likes {
            if !self.thread.is_liked(id) {
                self.thread.set_liked(id, true);
                if self.service {
                    self.add_likes(id, 1);
                }
                merged.changed.push(id.clone());
            }
        }
        merged
    }

    fn thread_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for id in self.thread.top_level() {
            ids.extend(self.thread.displayed_replies(&id));
            ids.push(id);
        }
        ids
    }

    fn set_delivery(&mut self, id: &str, delivery: Delivery) {
        if let Some(mut comment) = self.thread.get(id).cloned() {
            comment.origin = Origin::Mine(delivery);
            self.thread.update(comment);
        }
    }

    /// Takes a comment out of the thread's view (as a deleted one without replies goes).
    fn hide(&mut self, id: &str) {
        if let Some(mut comment) = self.thread.get(id).cloned() {
            comment.deleted = true;
            self.thread.update(comment);
        }
    }
}

/// Where a sent comment stands, as its record says.
fn sent_delivery(record: &SavedComment) -> Delivery {
    if record.pending {
        Delivery::AwaitingModeration
    } else {
        Delivery::Sent
    }
}

/// The reader's comments among those a service lists: theirs to change while the time
/// lasts.
fn mark_own(listed: &mut [Comment], saved: &SavedArticle) {
    let sent: HashMap<&str, &SavedComment> =
        saved.sent.iter().map(|c| (c.id.as_str(), c)).collect();
    for comment in listed {
        if let Some(record) = sent.get(comment.id.as_str()) {
            comment.origin = Origin::Mine(Delivery::Sent);
            comment.editable_until = record.editable_until;
        }
    }
}

fn new_comment(saved: &SavedComment) -> NewComment {
    NewComment {
        id: saved.id.clone(),
        parent: saved.parent.clone(),
        author: saved.author.clone(),
        text: saved.body.clone(),
        posted: saved.posted.clone(),
    }
}

/// Sends what the outbox holds, once each, and says what became of each.
pub async fn send_outbox<K: KeyValue, P: CommentPlace>(
    conversation: &RefCell<Conversation<K>>,
    place: &P,
) -> Vec<(NewComment, Done)> {
    let due = conversation.borrow_mut().due();
    let mut done = Vec::with_capacity(due.len());
    for new in due {
        let result = place.post(&new).await;
        let outcome = conversation.borrow_mut().finish_post(&new.id, result);
        done.push((new, outcome));
    }
    done
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::comments::in_browser::InBrowser;
    use crate::core::comments::saved::tests::MemoryKv;
    use futures::executor::block_on;
    use std::collections::VecDeque;

    const SLUG: &str = "a";
    const T0: i64 = 1_800_000_000_000;

    /// A comment service played by the test: it answers each post with the next scripted
    /// result (accepting by default), and counts what reached it.
    #[derive(Default)]
    struct FakeService {
        answers: RefCell<VecDeque<Result<(), SendError>>>,
        moderated: bool,
        received: RefCell<Vec<NewComment>>,
        next_id: std::cell::Cell<u64>,
    }

    impl FakeService {
        fn answering(answers: Vec<Result<(), SendError>>) -> FakeService {
            FakeService {
                answers: RefCell::new(answers.into()),
                next_id: std::cell::Cell::new(100),
                ..FakeService::default()
            }
        }

        fn accept(&self, new: &NewComment) -> Accepted {
            self.next_id.set(self.next_id.get() + 1);
            Accepted {
                comment: Comment {
                    id: self.next_id.get().to_string(),
                    parent: new.parent.clone(),
                    author: new.author.clone(),
                    body: format!("<p>{}</p>", new.text),
                    posted: new.posted.clone(),
                    likes: 0,
                    origin: Origin::Published,
                    edited: None,
                    deleted: false,
                    editable_until: None,
                },
                editable_until: Some(new.posted.epoch_ms + EDIT_WINDOW_MS),
                pending: self.moderated,
            }
        }
    }

    impl CommentPlace for FakeService {
        async fn post(&self, new: &NewComment) -> Result<Accepted, SendError> {
            match self.answers.borrow_mut().pop_front().unwrap_or(Ok(())) {
                Ok(()) => {
                    self.received.borrow_mut().push(new.clone());
                    Ok(self.accept(new))
                }
                Err(error) => Err(error),
            }
        }
        async fn edit(&self, id: &str, text: &str) -> Result<Accepted, SendError> {
            match self.answers.borrow_mut().pop_front().unwrap_or(Ok(())) {
                Ok(()) => {
                    let mut accepted = self.accept(&NewComment {
                        id: id.into(),
                        parent: None,
                        author: String::new(),
                        text: text.into(),
                        posted: Timestamp::from_epoch_ms(T0),
                    });
                    accepted.comment.id = id.into();
                    Ok(accepted)
                }
                Err(error) => Err(error),
            }
        }
        async fn delete(&self, _: &str) -> Result<Deleted, SendError> {
            self.answers
                .borrow_mut()
                .pop_front()
                .unwrap_or(Ok(()))
                .map(|()| Deleted::Gone)
        }
        async fn like(&self, _: &str, _: bool) -> Result<Option<u32>, SendError> {
            self.answers
                .borrow_mut()
                .pop_front()
                .unwrap_or(Ok(()))
                .map(|()| Some(4))
        }
        fn can_unlike(&self) -> bool {
            false
        }
    }

    fn conversation(kv: &MemoryKv, service: bool) -> Conversation<&MemoryKv> {
        let mut conversation = Conversation::new(SLUG.into(), Store::new(kv), service);
        let saved = conversation.saved().saved;
        conversation.build(Vec::new(), &saved, SortOrder::Oldest, T0);
        conversation
    }

    /// Posts through `place` and returns what became of it.
    fn post<P: CommentPlace>(
        conversation: &mut Conversation<&MemoryKv>,
        place: &P,
        text: &str,
        id: &str,
        now: i64,
    ) -> Done {
        let begun = conversation
            .begin_post(None, "Ann", text, id.into(), now)
            .unwrap();
        let result = block_on(place.post(&begun.new));
        conversation.finish_post(id, result)
    }

    fn published(id: &str, text: &str, author: &str, posted: i64) -> Comment {
        Comment {
            id: id.into(),
            parent: None,
            author: author.into(),
            body: text.into(),
            posted: Timestamp::from_epoch_ms(posted),
            likes: 3,
            origin: Origin::Published,
            edited: None,
            deleted: false,
            editable_until: None,
        }
    }

    #[test]
    fn in_the_browser_a_post_is_kept_and_changed_within_the_window() {
        let kv = MemoryKv::default();
        let mut tab = conversation(&kv, false);
        let browser = InBrowser::new(Store::new(&kv), SLUG.into());
        let done = post(&mut tab, &browser, "Hello", "l1", T0);
        assert!(done.ok && done.warning.is_none());
        assert_eq!(
            tab.thread.get("l1").unwrap().delivery(),
            Some(Delivery::Kept)
        );
        assert_eq!(
            tab.begin_post(None, "Ann", "Hello", "l2".into(), T0 + 1_000),
            Err(Refused::Repeat),
            "a double click posts once"
        );
        // Edited within the window; refused after it.
        let text = tab.begin_edit("l1", "Hello again", T0 + 60_000).unwrap();
        browser.now.set(T0 + 60_000);
        let done = tab.finish_edit(
            "l1",
            &text,
            block_on(browser.edit("l1", &text)),
            T0 + 60_000,
        );
        assert!(done.ok);
        assert!(tab
            .begin_edit("l1", "Too late", T0 + EDIT_WINDOW_MS + 1)
            .is_err());
        assert!(!tab.begin_delete("l1", T0 + EDIT_WINDOW_MS + 1));
        // Kept: a new visit finds it as edited.
        let again = conversation(&kv, false);
        let kept = again.thread.get("l1").unwrap();
        assert_eq!(
            (kept.body.as_str(), kept.edited.is_some()),
            ("Hello again", true)
        );
    }

    #[test]
    fn in_the_browser_what_storage_refuses_shows_and_is_told() {
        let kv = MemoryKv {
            capacity: Some(10),
            ..MemoryKv::default()
        };
        let mut tab = conversation(&kv, false);
        let browser = InBrowser::new(Store::new(&kv), SLUG.into());
        let done = post(&mut tab, &browser, "Keep me", "l1", T0);
        assert!(!done.ok, "the form keeps the text");
        assert_eq!(done.warning.as_deref(), Some(POST_NOT_KEPT));
        assert_eq!(
            tab.thread.get("l1").unwrap().delivery(),
            Some(Delivery::NotKept)
        );
        // The like is shown, and the reader told it is not kept.
        let liked = tab.begin_like("l1", true).unwrap();
        let done = tab.finish_like("l1", liked, block_on(browser.like("l1", liked)));
        assert_eq!(done.warning.as_deref(), Some(LIKE_NOT_KEPT));
        assert!(tab.thread.is_liked("l1"));
    }

    #[test]
    fn a_comment_service_takes_a_post_and_its_author_may_change_it() {
        let kv = MemoryKv::default();
        let service = FakeService::answering(vec![]);
        let mut tab = conversation(&kv, true);
        let done = post(&mut tab, &service, "Hello", "l1", T0);
        assert!(done.ok);
        assert_eq!(done.id, "101", "the service's id");
        let saved = tab.saved().saved;
        assert!(saved.outbox.is_empty());
        assert_eq!(saved.sent.len(), 1);
        let shown = tab.thread.get("101").unwrap();
        assert_eq!(
            shown.body, "Hello",
            "the reader's text, not the service's rendering"
        );
        assert_eq!(shown.delivery(), Some(Delivery::Sent));
        assert!(Conversation::<&MemoryKv>::can_change(shown, T0 + 1000));
        // Listed by the service on the next visit: still theirs to change, for the window.
        let mut again = conversation(&kv, true);
        let saved = again.saved().saved;
        again.build(
            vec![published("101", "Hello", "Ann", T0)],
            &saved,
            SortOrder::Oldest,
            T0 + 2000,
        );
        assert!(Conversation::<&MemoryKv>::can_change(
            again.thread.get("101").unwrap(),
            T0 + 2000
        ));
    }

    #[test]
    fn a_pending_comment_shows_to_its_author_only_and_after_a_reload() {
        let kv = MemoryKv::default();
        let service = FakeService {
            moderated: true,
            ..FakeService::answering(vec![])
        };
        let mut tab = conversation(&kv, true);
        let done = post(&mut tab, &service, "Moderate me", "l1", T0);
        assert!(
            done.announce.contains("awaits moderation"),
            "{}",
            done.announce
        );
        // A reload: the service does not list it, this browser still shows it to its author.
        let mut again = conversation(&kv, true);
        let saved = again.saved().saved;
        again.build(
            vec![published("7", "Someone else's", "Bo", T0)],
            &saved,
            SortOrder::Oldest,
            T0 + 60_000,
        );
        let pending = again.thread.get("101").expect("shown to its author");
        assert_eq!(pending.delivery(), Some(Delivery::AwaitingModeration));
        assert_eq!(again.thread.visible_count(), 2);
        // Another reader's browser has no record of it: the service's list is all they see.
        let other = MemoryKv::default();
        let mut theirs = conversation(&other, true);
        let saved = theirs.saved().saved;
        theirs.build(
            vec![published("7", "Someone else's", "Bo", T0)],
            &saved,
            SortOrder::Oldest,
            T0,
        );
        assert!(theirs.thread.get("101").is_none());
    }

    /// Invariant: what a reader wrote is never lost, and is sent exactly once.
    #[test]
    fn the_outbox_keeps_a_post_the_service_did_not_take_and_sends_it_once() {
        let kv = MemoryKv::default();
        let service =
            FakeService::answering(vec![Err(SendError::Unreachable), Err(SendError::Down(503))]);
        let mut tab = conversation(&kv, true);
        let done = post(&mut tab, &service, "Offline words", "l1", T0);
        assert!(!done.ok, "the text stays in the form");
        assert!(done.warning.unwrap().contains("will be sent"));
        assert_eq!(
            tab.thread.get("l1").unwrap().delivery(),
            Some(Delivery::Queued)
        );
        assert_eq!(tab.saved().saved.outbox.len(), 1, "and in the outbox");
        // A reload while the service is still down: still there, still queued.
        let tab = RefCell::new(conversation(&kv, true));
        assert_eq!(
            tab.borrow().thread.get("l1").unwrap().delivery(),
            Some(Delivery::Queued)
        );
        let sent = block_on(send_outbox(&tab, &service));
        assert_eq!(sent.len(), 1);
        assert!(!sent[0].1.ok, "503: still queued");
        let sent = block_on(send_outbox(&tab, &service));
        assert!(sent[0].1.ok, "the service answers again");
        assert_eq!(service.received.borrow().len(), 1);
        assert!(
            block_on(send_outbox(&tab, &service)).is_empty(),
            "never twice"
        );
        assert!(tab.borrow().saved().saved.outbox.is_empty());
        assert_eq!(service.received.borrow().len(), 1);
    }

    /// The service took the post, but its answer was lost on the way: the outbox entry
    /// is matched against the thread before it is sent again, and is not sent again.
    #[test]
    fn a_post_whose_answer_was_lost_is_not_sent_twice() {
        let kv = MemoryKv::default();
        let service = FakeService::answering(vec![Err(SendError::Slow)]);
        let mut tab = conversation(&kv, true);
        post(&mut tab, &service, "Did it arrive?", "l1", T0);
        // The service did get it (listed, with its own id and clock, a little behind).
        let saved = tab.saved().saved;
        tab.build(
            vec![published("55", "Did it arrive?", "Ann", T0 - 2_000)],
            &saved,
            SortOrder::Oldest,
            T0 + 10_000,
        );
        let tab = RefCell::new(tab);
        assert!(block_on(send_outbox(&tab, &service)).is_empty());
        assert!(service.received.borrow().is_empty(), "nothing sent again");
        let tab = tab.borrow();
        assert!(tab.saved().saved.outbox.is_empty());
        assert_eq!(tab.thread.visible_count(), 1, "shown once");
        assert_eq!(
            tab.thread.get("55").unwrap().delivery(),
            Some(Delivery::Sent)
        );
    }

    #[test]
    fn a_post_the_service_refuses_leaves_the_outbox_and_keeps_the_form() {
        let kv = MemoryKv::default();
        let service = FakeService::answering(vec![Err(SendError::Refused(
            "text is too short (minimum length: 3).".into(),
        ))]);
        let mut tab = conversation(&kv, true);
        let done = post(&mut tab, &service, "Hi", "l1", T0);
        assert!(!done.ok);
        let warning = done.warning.unwrap();
        assert!(
            warning.contains("too short") && warning.contains("still in the form"),
            "{warning}"
        );
        assert!(tab.saved().saved.outbox.is_empty());
        assert_eq!(tab.thread.visible_count(), 0);
    }

    #[test]
    fn posting_the_same_text_while_it_waits_sends_it_again_instead() {
        let kv = MemoryKv::default();
        let service = FakeService::answering(vec![Err(SendError::Unreachable)]);
        let mut tab = conversation(&kv, true);
        post(&mut tab, &service, "Patience", "l1", T0);
        assert_eq!(
            tab.begin_post(None, "Ann", "Patience", "l2".into(), T0 + 60_000),
            Err(Refused::Queued("l1".into()))
        );
    }

    #[test]
    fn after_the_window_the_service_refuses_and_the_buttons_go() {
        let kv = MemoryKv::default();
        let service = FakeService::answering(vec![Ok(()), Err(SendError::Forbidden)]);
        let mut tab = conversation(&kv, true);
        let done = post(&mut tab, &service, "Mine", "l1", T0);
        let text = tab.begin_edit(&done.id, "Changed", T0 + 1_000).unwrap();
        let result = block_on(service.edit(&done.id, &text));
        let edited = tab.finish_edit(&done.id, &text, result, T0 + 1_000);
        assert!(!edited.ok);
        assert!(edited
            .warning
            .unwrap()
            .contains("time for changing this comment has passed"));
        let comment = tab.thread.get(&done.id).unwrap();
        assert_eq!(comment.body, "Mine", "unchanged");
        assert!(!Conversation::<&MemoryKv>::can_change(comment, T0 + 1_000));
    }

    #[test]
    fn a_like_at_a_service_is_given_once_and_for_good() {
        let kv = MemoryKv::default();
        let service = FakeService::answering(vec![Ok(()), Err(SendError::Unreachable)]);
        let mut tab = conversation(&kv, true);
        let saved = tab.saved().saved;
        tab.build(
            vec![
                published("7", "Like me", "Bo", T0),
                published("8", "Me too", "Cy", T0),
            ],
            &saved,
            SortOrder::Oldest,
            T0,
        );
        let liked = tab.begin_like("7", service.can_unlike()).unwrap();
        assert_eq!(tab.thread.entry("7").unwrap().likes, 4, "counted at once");
        tab.finish_like("7", liked, block_on(service.like("7", liked)));
        assert_eq!(
            tab.thread.entry("7").unwrap().likes,
            4,
            "as the service counts"
        );
        assert_eq!(tab.begin_like("7", service.can_unlike()), None, "no unlike");
        // A like the service did not get is taken back, and the reader told.
        let liked = tab.begin_like("8", service.can_unlike()).unwrap();
        let done = tab.finish_like("8", liked, block_on(service.like("8", liked)));
        assert!(done.warning.unwrap().contains("not counted"));
        assert!(!tab.thread.is_liked("8"));
        assert_eq!(tab.thread.entry("8").unwrap().likes, 3);
        // A reload shows the given like as given.
        let mut again = conversation(&kv, true);
        let saved = again.saved().saved;
        again.build(
            vec![published("7", "Like me", "Bo", T0)],
            &saved,
            SortOrder::Oldest,
            T0,
        );
        assert!(again.thread.is_liked("7"));
        assert_eq!(
            again.thread.entry("7").unwrap().likes,
            3,
            "the service's count includes it"
        );
    }

    #[test]
    fn tabs_in_the_browser_converge() {
        let kv = MemoryKv::default();
        let browser = InBrowser::new(Store::new(&kv), SLUG.into());
        let (mut a, mut b) = (conversation(&kv, false), conversation(&kv, false));
        post(&mut a, &browser, "From A", "a1", T0);
        let liked = a.begin_like("a1", true).unwrap();
        a.finish_like("a1", liked, block_on(browser.like("a1", liked)));
        let merged = b.merge_from_storage(&b.saved().saved);
        assert_eq!(merged.added, ["a1"]);
        assert!(b.thread.is_liked("a1"));
        // An unlike and a deletion in B arrive in A.
        let unliked = b.begin_like("a1", true).unwrap();
        b.finish_like("a1", unliked, block_on(browser.like("a1", unliked)));
        assert!(b.begin_delete("a1", T0 + 1_000));
        b.finish_delete("a1", block_on(browser.delete("a1")));
        let merged = a.merge_from_storage(&a.saved().saved);
        assert!(merged.changed.contains(&"a1".to_owned()));
        assert!(!a.thread.is_liked("a1"));
        assert!(a.thread.get("a1").unwrap().deleted);
    }

    #[test]
    fn tabs_at_a_service_see_each_others_queue_and_sends() {
        let kv = MemoryKv::default();
        let down = FakeService::answering(vec![Err(SendError::Unreachable)]);
        let (mut a, mut b) = (conversation(&kv, true), conversation(&kv, true));
        post(&mut a, &down, "Queued in A", "a1", T0);
        let merged = b.merge_from_storage(&b.saved().saved);
        assert_eq!(merged.added, ["a1"], "B shows A's queued comment");
        // B sends it when the service answers; A's copy then gives way to the sent one.
        let up = FakeService::answering(vec![]);
        let b = RefCell::new(b);
        let sent = block_on(send_outbox(&b, &up));
        assert!(sent[0].1.ok);
        let merged = a.merge_from_storage(&a.saved().saved);
        assert!(merged.added.contains(&"101".to_owned()), "{merged:?}");
        assert!(
            a.thread.get("a1").unwrap().deleted,
            "the queued copy is gone"
        );
        assert_eq!(a.thread.visible_count(), 1);
        assert_eq!(up.received.borrow().len(), 1);
    }
}
