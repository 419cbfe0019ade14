//! Comments as the publisher sends them (`/api/comments/{slug}.json`) and as the thread holds them.

use crate::core::article::DecodeError;
use crate::core::time::Timestamp;
use serde::Deserialize;

/// The comments-file format version this reader understands.
pub const COMMENTS_VERSION: u32 = 1;

/// Who wrote a comment, as far as this browser knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Published,
    /// Written by this reader in this browser; `saved` is false when storage refused it.
    Mine {
        saved: bool,
    },
}

/// Decoded straight from a published entry, so a large file needs no intermediate list.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(from = "PublishedWire")]
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
}

impl Comment {
    pub fn is_mine(&self) -> bool {
        matches!(self.origin, Origin::Mine { .. })
    }
}

#[derive(Deserialize)]
struct PublishedWire {
    id: String,
    #[serde(default)]
    parent: Option<String>,
    author: String,
    body: String,
    posted: Timestamp,
    #[serde(default)]
    likes: u32,
}

/// Entries stay raw slices of the text until each is decoded on its own: one bad entry is
/// skipped, and no intermediate JSON tree is built for a 10,000-comment file.
#[derive(Deserialize)]
struct FileWire<'a> {
    #[serde(default = "default_version")]
    version: u32,
    #[serde(borrow)]
    comments: Vec<&'a serde_json::value::RawValue>,
}

fn default_version() -> u32 {
    COMMENTS_VERSION
}

/// The result of reading a comments file: the comments, and how many entries were unusable.
#[derive(Debug, PartialEq)]
pub struct PublishedComments {
    pub comments: Vec<Comment>,
    pub skipped: usize,
}

/// The common case, a file with nothing wrong in it, decoded in one pass.
#[derive(Deserialize)]
struct WellFormedFile {
    #[serde(default = "default_version")]
    version: u32,
    comments: Vec<Comment>,
}

impl From<PublishedWire> for Comment {
    fn from(wire: PublishedWire) -> Self {
        Comment {
            id: wire.id,
            parent: wire.parent.filter(|p| !p.is_empty()),
            author: wire.author,
            body: wire.body,
            posted: wire.posted,
            likes: wire.likes,
            origin: Origin::Published,
            edited: None,
            deleted: false,
        }
    }
}

/// Decodes a comments file. One malformed entry is skipped (and counted), not fatal;
/// a file that is not a comments file at all is an error.
pub fn decode_comments(text: &str) -> Result<PublishedComments, DecodeError> {
    if let Ok(file) = serde_json::from_str::<WellFormedFile>(text) {
        if file.version == COMMENTS_VERSION {
            let mut comments = file.comments;
            let total = comments.len();
            comments.retain(|c| !c.id.is_empty());
            return Ok(PublishedComments {
                skipped: total - comments.len(),
                comments,
            });
        }
    }
    let wire: FileWire = serde_json::from_str(text).map_err(|e| DecodeError(e.to_string()))?;
    if wire.version != COMMENTS_VERSION {
        return Err(DecodeError(format!(
            "comments version {} is not supported (this reader understands version {COMMENTS_VERSION})",
            wire.version
        )));
    }
    let total = wire.comments.len();
    let comments: Vec<Comment> = wire
        .comments
        .into_iter()
        .filter_map(|raw| serde_json::from_str::<Comment>(raw.get()).ok())
        .filter(|c| !c.id.is_empty())
        .collect();
    Ok(PublishedComments {
        skipped: total - comments.len(),
        comments,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))] // native: proptest does not run in the browser
mod tests {
    use super::*;

    #[test]
    fn decodes_the_sample_thread() {
        let text = include_str!("../../../public/api/comments/volvo-xc60-comparison.json");
        let file = decode_comments(text).unwrap();
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
        let file = decode_comments(text).unwrap();
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
            assert!(decode_comments(bad).is_err(), "{bad:?}");
        }
    }
}
