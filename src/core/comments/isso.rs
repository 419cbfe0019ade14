//! Isso's HTTP API (0.14), as the thread uses it: its answers as serde types, read
//! leniently (a comment with a missing or hostile field drops alone, with a warning), the
//! addresses asked for, and what its answers mean for the reader. The requests themselves
//! are the shell's (`shell::isso`).
//!
//! - A thread is `GET /?uri={article path}&plain=1`, paged with `limit`, `offset` and
//!   `nested_limit`. `plain=1` always: the service then answers with the text as written,
//!   and the app never takes HTML from it.
//! - Isso keeps one level of replies: a reply to a reply is stored under its top-level
//!   comment. The reply form names whom it answers ("@Ann …"), which the thread shows as
//!   "in reply to Ann".
//! - The author's credential is a cookie Isso sets on its own origin; the browser sends it
//!   back (`credentials: "include"`). `X-Set-Cookie` says until when it lasts.

use super::model::{Comment, Origin};
use super::service::{Accepted, Listed};
use crate::core::decode::{from_json, DecodeError, Entry, Optional};
use crate::core::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Top-level comments asked for at once: the first screen and more, in one answer.
pub const PAGE: u32 = 100;
/// Replies asked for with each top-level comment (more are asked for on their own).
pub const NESTED: u32 = 200;
/// The largest answer read: a page of long comments is far smaller.
pub const ANSWER_LIMIT: usize = 8_000_000;

/// `GET /`: a page of a thread, or of one comment's replies.
#[derive(Deserialize)]
pub struct ThreadPage {
    #[serde(default)]
    pub hidden_replies: Optional<i64>,
    pub replies: Vec<Entry<IssoComment>>,
}

/// One comment as Isso answers with it.
#[derive(Deserialize)]
pub struct IssoComment {
    pub id: u64,
    #[serde(default)]
    pub parent: Optional<u64>,
    /// Seconds since the epoch, by the service's clock.
    pub created: f64,
    #[serde(default)]
    pub modified: Optional<f64>,
    /// 1 published, 2 awaiting moderation, 4 deleted but kept for its replies.
    #[serde(default)]
    pub mode: Optional<u8>,
    #[serde(default)]
    pub text: Optional<String>,
    /// Stored HTML-escaped by Isso.
    #[serde(default)]
    pub author: Optional<String>,
    #[serde(default)]
    pub likes: Optional<i64>,
    #[serde(default)]
    pub hidden_replies: Optional<i64>,
    #[serde(default)]
    pub replies: Option<Vec<Entry<IssoComment>>>,
}

/// A new comment, as Isso takes it (`POST /new?uri=`).
#[derive(Serialize)]
pub struct NewIssoComment<'a> {
    pub text: &'a str,
    pub author: &'a str,
    /// Isso needs the page's title to open a thread on a page it cannot fetch.
    pub title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<u64>,
}

/// An edit (`PUT /id/N`).
#[derive(Serialize)]
pub struct IssoEdit<'a> {
    pub text: &'a str,
}

/// `POST /id/N/like`.
#[derive(Deserialize)]
pub struct LikeAnswer {
    pub likes: u32,
}

/// The address of a thread's page: `offset` top-level comments in, in Isso's `sort`.
pub fn thread_query(uri: &str, sort: &str, offset: u32) -> String {
    format!(
        "?uri={}&plain=1&sort={sort}&limit={PAGE}&offset={offset}&nested_limit={NESTED}",
        encode_component(uri)
    )
}

/// The address of the rest of one comment's replies.
pub fn replies_query(uri: &str, parent: u64, offset: u32) -> String {
    format!(
        "?uri={}&plain=1&parent={parent}&limit={NESTED}&offset={offset}",
        encode_component(uri)
    )
}

/// Isso's name for the reader's order.
pub fn isso_sort(order: super::thread::SortOrder) -> &'static str {
    match order {
        super::thread::SortOrder::Newest => "newest",
        super::thread::SortOrder::Oldest => "oldest",
        super::thread::SortOrder::MostLiked => "upvotes",
    }
}

/// A query component: everything but unreserved characters percent-encoded.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A page of a thread, read: its comments (replies flattened after their parent) and
/// how many top-level comments (or replies) are still to come.
pub struct Page {
    pub listed: Listed,
    pub more: bool,
    /// Top-level comments whose further replies must be asked for on their own.
    pub replies_to_fetch: Vec<u64>,
}

/// Reads a page of a thread (or of one comment's replies).
pub fn read_page(bytes: &[u8]) -> Result<Page, DecodeError> {
    let page: ThreadPage = from_json(bytes)?;
    let mut listed = Listed::default();
    let mut replies_to_fetch = Vec::new();
    let more = page
        .hidden_replies
        .take("`hidden_replies` of the thread", &mut listed.warnings)
        .is_some_and(|n| n > 0);
    for (n, entry) in page.replies.into_iter().enumerate() {
        let comment = match entry {
            Entry::Good(comment) => comment,
            Entry::Bad(reason) => {
                listed
                    .warnings
                    .push(format!("dropped comment {}: {reason}", n + 1));
                continue;
            }
        };
        let id = comment.id;
        let (top, replies, hidden) = comment.into_parts(&mut listed.warnings);
        listed.comments.extend(top);
        if hidden {
            replies_to_fetch.push(id);
        }
        for (m, reply) in replies.into_iter().enumerate() {
            match reply {
                Entry::Good(reply) => {
                    let (reply, ..) = reply.into_parts(&mut listed.warnings);
                    listed.comments.extend(reply);
                }
                Entry::Bad(reason) => listed
                    .warnings
                    .push(format!("dropped reply {} of comment {id}: {reason}", m + 1)),
            }
        }
    }
    Ok(Page {
        listed,
        more,
        replies_to_fetch,
    })
}

impl IssoComment {
    /// The comment (unless it cannot be shown), its replies, and whether more of them are
    /// to be asked for.
    fn into_parts(
        self,
        warnings: &mut Vec<String>,
    ) -> (Option<Comment>, Vec<Entry<IssoComment>>, bool) {
        let field = |name: &str| format!("`{name}` of comment {}", self.id);
        let hidden = self
            .hidden_replies
            .take(&field("hidden_replies"), warnings)
            .is_some_and(|n| n > 0);
        let replies = self.replies.unwrap_or_default();
        let mode = self.mode.take(&field("mode"), warnings).unwrap_or(1);
        let deleted = mode == 4;
        let text = self.text.take(&field("text"), warnings);
        let comment = match (text, deleted) {
            (None, false) => {
                warnings.push(format!("dropped comment {}: it has no text", self.id));
                None
            }
            (text, _) => Some(Comment {
                id: self.id.to_string(),
                parent: self
                    .parent
                    .take(&field("parent"), warnings)
                    .map(|p| p.to_string()),
                author: author_name(self.author.take(&field("author"), warnings)),
                body: if deleted {
                    String::new()
                } else {
                    text.unwrap_or_default()
                },
                posted: Timestamp::from_epoch_ms(seconds_to_ms(self.created)),
                likes: self
                    .likes
                    .take(&field("likes"), warnings)
                    .map_or(0, |n| n.clamp(0, i64::from(u32::MAX)) as u32),
                origin: Origin::Published,
                edited: self
                    .modified
                    .take(&field("modified"), warnings)
                    .map(|s| Timestamp::from_epoch_ms(seconds_to_ms(s))),
                deleted,
                editable_until: None,
            }),
        };
        (comment, replies, hidden)
    }
}

/// A comment Isso took (201, or 202 when it awaits moderation), with how long its author
/// may change it (`X-Set-Cookie`'s expiry, as `now` plus its `Max-Age`).
pub fn read_accepted(
    bytes: &[u8],
    credential: Option<&str>,
    now_ms: i64,
) -> Result<Accepted, DecodeError> {
    let comment: IssoComment = from_json(bytes)?;
    let pending = matches!(comment.mode, Optional::Good(2));
    let mut warnings = Vec::new();
    let (comment, ..) = comment.into_parts(&mut warnings);
    let comment = comment.ok_or_else(|| DecodeError("the comment has no text".into()))?;
    Ok(Accepted {
        comment,
        editable_until: credential
            .and_then(max_age_seconds)
            .map(|s| now_ms + s * 1000),
        pending,
    })
}

/// `Max-Age` of a `Set-Cookie` header value, in seconds.
pub fn max_age_seconds(cookie: &str) -> Option<i64> {
    cookie.split(';').find_map(|part| {
        let (name, value) = part.trim().split_once('=')?;
        name.eq_ignore_ascii_case("max-age")
            .then(|| value.trim().parse::<i64>().ok())
            .flatten()
            .filter(|&s| s > 0)
    })
}

/// Isso answers with seconds (a fraction of them) since the epoch.
fn seconds_to_ms(seconds: f64) -> i64 {
    if seconds.is_finite() {
        (seconds * 1000.0) as i64
    } else {
        0
    }
}

/// The author's name as Isso stores it (HTML-escaped), as text; no name is "Anonymous".
fn author_name(stored: Option<String>) -> String {
    let name = stored
        .map(|name| {
            name.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#x27;", "'")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
        .unwrap_or_default();
    if name.trim().is_empty() {
        "Anonymous".into()
    } else {
        name
    }
}

/// `POST /count`'s answer: a count per address asked for, in order.
pub fn read_counts(bytes: &[u8]) -> Result<Vec<u32>, DecodeError> {
    from_json(bytes)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// An answer as Isso 0.14.0 gave it (`/work/notes` of the session that checked it).
    const THREAD: &str = r#"{"id": null, "total_replies": 3, "hidden_replies": 0,
      "replies": [
        {"id": 24, "parent": null, "created": 1796429070.5445776, "modified": null, "mode": 1,
         "text": "First!\n\n> quoted", "author": "Tom &amp; Jerry &lt;3", "website": null, "likes": 2, "dislikes": 0,
         "notification": null, "hash": "4505c1eeda98", "total_replies": 2, "hidden_replies": 0,
         "replies": [
           {"id": 25, "parent": 24, "created": 1796429070.5772977, "modified": 1796429080.5, "mode": 1,
            "text": "A reply", "author": null, "website": null, "likes": 0, "dislikes": 0,
            "notification": null, "hash": "4505c1eeda98"},
           {"id": 26, "parent": 24, "created": 1796429071.0, "mode": 4, "text": "", "author": null}]}],
      "config": {"reply-to-self": false}}"#;

    #[test]
    fn reads_a_thread_with_its_replies_after_their_parent() {
        let page = read_page(THREAD.as_bytes()).unwrap();
        assert!(!page.more && page.replies_to_fetch.is_empty());
        assert_eq!(page.listed.warnings, Vec::<String>::new());
        let ids: Vec<_> = page.listed.comments.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["24", "25", "26"]);
        let first = &page.listed.comments[0];
        assert_eq!(
            first.author, "Tom & Jerry <3",
            "shown as text, unescaped once"
        );
        assert_eq!(first.body, "First!\n\n> quoted");
        assert_eq!(first.likes, 2);
        assert_eq!(first.posted.epoch_ms, 1_796_429_070_544);
        let reply = &page.listed.comments[1];
        assert_eq!(reply.parent.as_deref(), Some("24"));
        assert_eq!(reply.author, "Anonymous");
        assert_eq!(reply.edited.as_ref().unwrap().epoch_ms, 1_796_429_080_500);
        assert!(page.listed.comments[2].deleted);
    }

    #[test]
    fn a_comment_with_a_missing_or_hostile_field_drops_alone() {
        let answer = r#"{"hidden_replies": 3, "replies": [
            {"parent": null, "created": 1.0, "text": "no id"},
            {"id": 2, "created": "yesterday", "text": "bad date"},
            {"id": 3, "created": 3.0, "text": {"html": "<script>"}},
            {"id": 4, "created": 4.0, "text": "<img src=x onerror=alert(1)>", "author": ["x"], "likes": "many", "hidden_replies": 5, "replies": [7]},
            {"id": 5, "created": 5.0, "text": "fine"}]}"#;
        let page = read_page(answer.as_bytes()).unwrap();
        assert!(page.more, "more top-level comments to come");
        assert_eq!(page.replies_to_fetch, [4]);
        let ids: Vec<_> = page.listed.comments.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["4", "5"]);
        let hostile = &page.listed.comments[0];
        assert_eq!(hostile.body, "<img src=x onerror=alert(1)>", "kept as text");
        assert_eq!((hostile.author.as_str(), hostile.likes), ("Anonymous", 0));
        let warnings = page.listed.warnings.join("\n");
        for expected in [
            "dropped comment 1: missing field `id`",
            "dropped comment 2:",
            "dropped `text` of comment 3",
            "dropped comment 3: it has no text",
            "dropped `author` of comment 4",
            "dropped `likes` of comment 4",
            "dropped reply 1 of comment 4",
        ] {
            assert!(warnings.contains(expected), "{expected:?} in\n{warnings}");
        }
    }

    #[test]
    fn not_a_thread_is_an_error() {
        for bad in [
            "",
            "<!DOCTYPE html><p>Bad Gateway</p>",
            "{\"replies\": 7}",
            "[]",
        ] {
            assert!(read_page(bad.as_bytes()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_accepted_comment_says_whether_it_awaits_moderation_and_for_how_long_it_is_editable() {
        let answer = br#"{"id": 24, "parent": null, "created": 1796429070.5, "mode": 2, "text": "<p>Hi</p>", "author": "Ann", "likes": 0}"#;
        let cookie = "isso-24=WzI0...; Expires=Sat, 05 Dec 2026 00:19:30 GMT; Max-Age=900; Path=/; SameSite=Lax";
        let accepted = read_accepted(answer, Some(cookie), 1_000_000).unwrap();
        assert!(accepted.pending);
        assert_eq!(accepted.editable_until, Some(1_000_000 + 900_000));
        assert_eq!(accepted.comment.id, "24");
        let published = br#"{"id": 25, "created": 1.0, "mode": 1, "text": "x"}"#;
        let accepted = read_accepted(published, None, 0).unwrap();
        assert!(!accepted.pending);
        assert_eq!(accepted.editable_until, None, "no credential, no changes");
        assert_eq!(max_age_seconds("a=b; max-age=60"), Some(60));
        assert_eq!(max_age_seconds("a=b; Max-Age=0"), None);
        assert_eq!(max_age_seconds("a=b"), None);
    }

    #[test]
    fn asks_for_pages_in_plain_text_with_every_limit() {
        assert_eq!(
            thread_query("/articles/a b", "newest", 100),
            "?uri=%2Farticles%2Fa%20b&plain=1&sort=newest&limit=100&offset=100&nested_limit=200"
        );
        assert_eq!(
            replies_query("/articles/x", 24, 200),
            "?uri=%2Farticles%2Fx&plain=1&parent=24&limit=200&offset=200"
        );
        assert_eq!(read_counts(b"[1, 0, 3]").unwrap(), [1, 0, 3]);
        assert!(read_counts(b"{\"error\": 1}").is_err());
    }
}
