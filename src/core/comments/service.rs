//! Where a thread's comments go: the one interface a discussion talks to, whichever keeps
//! them. Two implementations: the reader's own browser (comments stay with the reader; the
//! publisher's file is read beside them), and a comment service (Isso), where what one
//! reader posts reaches every other reader. Each answers with what became of a change; the
//! rules of the thread (`conversation`) decide what the reader sees.

use super::model::Comment;
use crate::core::time::Timestamp;
use std::future::Future;

/// A comment as the reader sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewComment {
    /// This browser's id for it (a comment service gives it its own).
    pub id: String,
    /// The comment replied to, if any.
    pub parent: Option<String>,
    pub author: String,
    pub text: String,
    /// When the reader posted it.
    pub posted: Timestamp,
}

/// A comment the place accepted: as stored there, with how long its author may change it.
#[derive(Clone, Debug, PartialEq)]
pub struct Accepted {
    pub comment: Comment,
    /// Until then (ms since the epoch) the author may edit or delete it; `None`: never.
    pub editable_until: Option<i64>,
    /// Held for a moderator: shown to its author only until it is approved.
    pub pending: bool,
}

/// What became of a deletion.
#[derive(Clone, Debug, PartialEq)]
pub enum Deleted {
    Gone,
    /// Kept as "deleted" because it has replies.
    KeptForReplies,
}

/// Why a change did not reach the place comments are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    /// The browser would not keep it (storage full or turned off): it shows for this visit.
    NotKept,
    /// The service could not be reached (offline, refused, a network failure).
    Unreachable,
    /// The service took too long to answer.
    Slow,
    /// The service is busy (429): try later.
    Busy,
    /// The service failed (5xx).
    Down(u16),
    /// The time for changing this comment has passed, or it is not this reader's (403).
    Forbidden,
    /// The service would not take it (it said why).
    Refused(String),
    /// The service answered with something that is not an answer (malformed, a web page,
    /// too large).
    BadAnswer(String),
}

impl SendError {
    /// Whether sending the same thing later may work: the text is then kept to be sent
    /// again.
    pub fn may_pass(&self) -> bool {
        matches!(
            self,
            SendError::Unreachable | SendError::Slow | SendError::Busy | SendError::Down(_)
        )
    }

    /// What the reader is told.
    pub fn message(&self) -> String {
        match self {
            SendError::NotKept => "This browser would not save it (storage is full or turned off).".into(),
            SendError::Unreachable => "The comment service can't be reached: you may be offline, or it may be down.".into(),
            SendError::Slow => "The comment service took too long to answer.".into(),
            SendError::Busy => "The comment service is busy (too many requests).".into(),
            SendError::Down(status) => format!("The comment service had a problem (error {status})."),
            SendError::Forbidden => "The comment service refused the change: the time for changing this comment has passed, or this browser no longer holds the right to change it.".into(),
            SendError::Refused(reason) => format!("The comment service refused it: {reason}"),
            SendError::BadAnswer(detail) => format!("The comment service sent an answer this page can't read ({detail})."),
        }
    }
}

/// The comments of a thread, as the place that keeps them has them.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Listed {
    pub comments: Vec<Comment>,
    /// What was dropped, and why (for the console).
    pub warnings: Vec<String>,
}

/// Where a thread's comments go. The futures are the browser's (`!Send`).
#[allow(async_fn_in_trait)]
pub trait CommentPlace {
    /// Posts a comment or a reply.
    fn post(&self, new: &NewComment) -> impl Future<Output = Result<Accepted, SendError>>;
    /// Replaces the text of one of the reader's comments.
    fn edit(&self, id: &str, text: &str) -> impl Future<Output = Result<Accepted, SendError>>;
    fn delete(&self, id: &str) -> impl Future<Output = Result<Deleted, SendError>>;
    /// Likes (`true`) or unlikes a comment. A place may keep a like for good (it says so
    /// with `can_unlike`); `Ok(Some(n))` is the comment's new count, when it knows it.
    fn like(&self, id: &str, liked: bool) -> impl Future<Output = Result<Option<u32>, SendError>>;
    /// Whether a like can be taken back.
    fn can_unlike(&self) -> bool;
}
