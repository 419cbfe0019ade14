//! Comments as the publisher sends them (`/api/comments/{slug}.json`) and as the thread holds them.

use crate::core::decode::{from_json, DecodeError, Entry, Optional};
use crate::core::time::Timestamp;
use serde::Deserialize;

/// The comments-file format version this reader understands.
pub const COMMENTS_VERSION: u32 = 1;

/// Who wrote a comment, as far as this browser knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Another reader's, or this reader's from before this browser knew it.
    Published,
    /// This reader's, and where it stands.
    Mine(Delivery),
}

/// Where one of the reader's comments stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Kept in this browser (no comment service).
    Kept,
    /// The browser would not keep it: it shows for this visit only.
    NotKept,
    /// On its way to the comment service.
    Sending,
    /// Kept in this browser's outbox until the comment service answers again.
    Queued,
    /// The comment service has it, and every reader sees it.
    Sent,
    /// The comment service has it, held for a moderator: only its author sees it.
    AwaitingModeration,
}

/// One comment, as the thread holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub id: String,
    pub parent: Option<String>,
    pub author: String,
    pub body: String,
    pub posted: Timestamp,
    /// Likes from other readers (published count); this reader's own like is added on top.
    pub likes: u32,
    pub origin: Origin,
    pub edited: Option<Timestamp>,
    pub deleted: bool,
    /// Until when (ms since the epoch) its author may change it; `None`: not this reader's
    /// to change.
    pub editable_until: Option<i64>,
}

impl Comment {
    pub fn is_mine(&self) -> bool {
        matches!(self.origin, Origin::Mine(_))
    }

    pub fn delivery(&self) -> Option<Delivery> {
        match self.origin {
            Origin::Mine(delivery) => Some(delivery),
            Origin::Published => None,
        }
    }
}

/// The comments file as the publisher writes it: a flat list, `E` for each entry.
#[derive(Deserialize)]
pub(crate) struct CommentsFile<E> {
    #[serde(default)]
    pub version: Option<u32>,
    pub comments: Vec<E>,
}

impl<E> CommentsFile<E> {
    pub(crate) fn check_version(&self) -> Result<(), DecodeError> {
        match self.version {
            None | Some(COMMENTS_VERSION) => Ok(()),
            Some(other) => Err(DecodeError(format!(
                "comments version {other} is not supported (this reader understands version {COMMENTS_VERSION})"
            ))),
        }
    }
}

/// One published entry. `parent` and `likes` are optional: a bad one is dropped alone.
#[derive(Deserialize)]
pub(crate) struct PublishedEntry {
    pub id: String,
    #[serde(default)]
    pub parent: Optional<String>,
    pub author: String,
    pub body: String,
    pub posted: Timestamp,
    #[serde(default)]
    pub likes: Optional<u32>,
}

/// The result of reading a comments file: the comments, how many entries were unusable,
/// and what was dropped from the rest.
#[derive(Debug, PartialEq)]
pub struct PublishedComments {
    pub comments: Vec<Comment>,
    pub skipped: usize,
    pub warnings: Vec<String>,
}

impl PublishedEntry {
    /// The comment, if it has an id; a bad optional field is dropped with a warning.
    pub(crate) fn into_comment(self, warnings: &mut Vec<String>) -> Option<Comment> {
        if self.id.is_empty() {
            return None;
        }
        let field = |name: &str| format!("`{name}` of comment \"{}\"", self.id);
        let parent = self.parent.take(&field("parent"), warnings);
        let likes = self.likes.take(&field("likes"), warnings);
        Some(Comment {
            id: self.id,
            parent: parent.filter(|p| !p.is_empty()),
            author: self.author,
            body: self.body,
            posted: self.posted,
            likes: likes.unwrap_or_default(),
            origin: Origin::Published,
            edited: None,
            deleted: false,
            editable_until: None,
        })
    }
}

/// Decodes a comments file. One malformed entry is skipped (and counted), not fatal; a bad
/// optional field drops alone; a file that is not a comments file at all is an error.
pub fn decode_comments(json: &[u8]) -> Result<PublishedComments, DecodeError> {
    // Every entry well formed, the common case, is read in one pass: this is what a reader
    // waits for when a thread of 10,000 comments arrives. Anything else is read entry by
    // entry, which keeps the good ones and explains a file that is no comments file.
    let entries: Vec<Entry<PublishedEntry>> = match from_json::<CommentsFile<PublishedEntry>>(json)
    {
        Ok(file) => {
            file.check_version()?;
            file.comments.into_iter().map(Entry::Good).collect()
        }
        Err(_) => {
            let file: CommentsFile<Entry<PublishedEntry>> = from_json(json)?;
            file.check_version()?;
            file.comments
        }
    };
    let total = entries.len();
    let mut warnings = Vec::new();
    let mut comments = Vec::with_capacity(total);
    for entry in entries {
        match entry {
            Entry::Good(entry) => comments.extend(entry.into_comment(&mut warnings)),
            Entry::Bad(reason) => warnings.push(format!("skipped a comment: {reason}")),
        }
    }
    Ok(PublishedComments {
        skipped: total - comments.len(),
        comments,
        warnings,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))] // native: proptest does not run in the browser
mod tests {
    use super::*;

    #[test]
    fn decodes_the_sample_thread() {
        let text = include_str!("../../../public/api/comments/volvo-xc60-comparison.json");
        let file = decode_comments(text.as_bytes()).unwrap();
        assert_eq!(file.skipped, 0);
        assert!(file.comments.len() >= 5);
        assert!(file
            .comments
            .iter()
            .any(|c| c.body.contains("<b>not bold</b>")));
    }

    #[test]
    fn skips_bad_entries_but_rejects_a_bad_file() {
        let text = r#"{"version":1,"comments":[
            {"id":"a","author":"A","body":"hi","posted":"2024-07-24T10:00:00Z","future":true},
            {"id":"b","author":"B","body":"no date"},
            {"id":"","author":"C","body":"no id","posted":"2024-07-24T10:00:00Z"},
            {"id":"d","parent":"a","author":"D","body":"re","posted":"2024-07-24T11:00:00Z","likes":3}]}"#;
        let file = decode_comments(text.as_bytes()).unwrap();
        assert_eq!(file.skipped, 2);
        let ids: Vec<_> = file.comments.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "d"]);
        assert_eq!(file.comments[1].likes, 3);
        assert_eq!(file.comments[1].parent.as_deref(), Some("a"));

        for bad in [
            "",
            "[]",
            "{\"comments\":{}}",
            "<html>",
            r#"{"version":9,"comments":[]}"#,
        ] {
            assert!(decode_comments(bad.as_bytes()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn refuses_a_file_that_is_not_utf8() {
        let file = |body: &[u8]| {
            [
                br#"{"comments":[{"id":"a","author":"A","posted":"2024-07-24T10:00:00Z","body":""#,
                body,
                br#""}]}"#,
            ]
            .concat()
        };
        assert!(decode_comments(&file(b"caf\xc3\xa9")).is_ok());
        let error = decode_comments(&file(b"caf\xe9")).unwrap_err();
        assert!(error.0.contains("invalid unicode"), "{error:?}");
    }

    #[test]
    fn a_large_generated_thread_is_read_whole() {
        let text = garage_thread_gen::comments_file(2_000, 11);
        let file = decode_comments(text.as_bytes()).unwrap();
        assert_eq!((file.comments.len(), file.skipped), (2_000, 0));
        assert!(file.warnings.is_empty());
    }

    /// A bad optional field drops that field, not the comment; `null` reads as absent.
    #[test]
    fn a_bad_optional_field_drops_alone() {
        let text = r#"{"comments":[
            {"id":"a","author":"A","body":"x","posted":"2024-07-24T10:00:00Z","likes":-1},
            {"id":"b","parent":7,"author":"B","body":"y","posted":"2024-07-24T10:00:00Z"},
            {"id":"c","parent":null,"likes":null,"author":"C","body":"z","posted":"2024-07-24T10:00:00Z"},
            {"id":"d","parent":"a","author":"D","body":"w","posted":"2024-07-24T10:00:00Z","likes":2}]}"#;
        let file = decode_comments(text.as_bytes()).unwrap();
        let ids: Vec<_> = file.comments.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "d"], "every comment stays");
        assert_eq!(file.skipped, 0);
        assert_eq!(file.comments[0].likes, 0);
        assert_eq!(file.comments[1].parent, None);
        assert_eq!(
            (file.comments[3].parent.as_deref(), file.comments[3].likes),
            (Some("a"), 2)
        );
        assert_eq!(
            file.warnings,
            [
                "dropped `likes` of comment \"a\": invalid value: integer `-1`, expected u32",
                "dropped `parent` of comment \"b\": invalid type: integer `7`, expected a string",
            ]
        );
    }

    /// One entry that cannot be a comment (a missing field, a bad date, the wrong type)
    /// is skipped, counted and told; the rest are kept in order.
    #[test]
    fn a_bad_entry_is_skipped_alone_and_told() {
        let text = r#"{"comments":[
            {"id":"a","author":"A","body":"x","posted":"2024-07-24T10:00:00Z"},
            {"id":"b","author":"B","body":"y","posted":"yesterday"},
            "not a comment",
            {"id":"c","author":"C","posted":"2024-07-24T10:00:00Z"},
            {"id":"d","author":"D","body":"w","posted":"2024-07-24T10:00:00Z"}]}"#;
        let file = decode_comments(text.as_bytes()).unwrap();
        let ids: Vec<_> = file.comments.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "d"]);
        assert_eq!(file.skipped, 3);
        assert_eq!(file.warnings.len(), 3, "{:?}", file.warnings);
        assert!(file.warnings[0].contains("not an RFC 3339 date-time"));
        assert!(file.warnings[1].contains("invalid type: string"));
        assert!(file.warnings[2].contains("missing field `body`"));
    }
}
