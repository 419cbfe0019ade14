//! Comments as the publisher sends them (`/api/comments/{slug}.json`) and as the thread holds them.

use crate::core::article::{timestamp, DecodeError};
use crate::core::json::{parse, Fields, Json};
use crate::core::json_reader::{JsonReader, Key};
use crate::core::time::Timestamp;
use std::borrow::Cow;

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
}

impl Comment {
    pub fn is_mine(&self) -> bool {
        matches!(self.origin, Origin::Mine { .. })
    }
}

/// A published entry's fields, as the file has them.
struct PublishedWire {
    id: String,
    parent: Option<String>,
    author: String,
    body: String,
    posted: Timestamp,
    likes: u32,
}

/// The result of reading a comments file: the comments, and how many entries were unusable.
#[derive(Debug, PartialEq)]
pub struct PublishedComments {
    pub comments: Vec<Comment>,
    pub skipped: usize,
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
pub fn decode_comments(json: &[u8]) -> Result<PublishedComments, DecodeError> {
    match read_well_formed(json) {
        Some(file) => Ok(file),
        None => decode_entry_by_entry(json),
    }
}

/// The common case, every entry well formed, read directly (see [`JsonReader`]): this is
/// what a reader waits for when a thread of 10,000 comments arrives. `None` for anything
/// else, which [`decode_entry_by_entry`] then decodes or explains.
fn read_well_formed(json: &[u8]) -> Option<PublishedComments> {
    // Entries take 250 bytes or more in real threads: this is room for all of them without
    // regrowing (a copy of a megabyte). Room never used costs nothing, as memory is only
    // committed when written.
    let mut comments = Vec::with_capacity(json.len() / 128);
    read_entries(json, |reader| {
        comments.push(read_entry(reader)?);
        Some(())
    })?;
    let total = comments.len();
    comments.retain(|c| !c.id.is_empty());
    Some(PublishedComments {
        skipped: total - comments.len(),
        comments,
    })
}

// The fields of the comments file, as the reader matches them (see [`Key`]).
const VERSION: Key = Key::of("version");
const COMMENTS: Key = Key::of("comments");
pub(crate) const ID: Key = Key::of("id");
pub(crate) const PARENT: Key = Key::of("parent");
const AUTHOR: Key = Key::of("author");
const BODY: Key = Key::of("body");
pub(crate) const POSTED: Key = Key::of("posted");
pub(crate) const LIKES: Key = Key::of("likes");

/// Reads a comments file's outer object directly, calling `entry` for each element of its
/// `comments` list (`entry` must read the element). `None` unless the file is plainly a
/// version-1 comments file: `comments` once, `version` at most once, nothing after.
pub(crate) fn read_entries(
    json: &[u8],
    mut entry: impl FnMut(&mut JsonReader) -> Option<()>,
) -> Option<()> {
    let mut reader = JsonReader::new(json);
    let (mut version, mut seen_comments) = (None, false);
    reader.object(|reader, key| match key {
        VERSION => fill(&mut version, reader.u32()?),
        COMMENTS if !seen_comments => {
            seen_comments = true;
            reader.array(&mut entry)
        }
        COMMENTS => None,
        _ => reader.skip_value(),
    })?;
    let current = version.unwrap_or(COMMENTS_VERSION) == COMMENTS_VERSION;
    (seen_comments && current && reader.at_end()).then_some(())
}

/// One entry, with every field as [`PublishedWire`] would take it. Not inlined: called once
/// per entry, it is soon optimised by the browser while the rest of the file is read.
#[inline(never)]
pub(crate) fn read_entry(reader: &mut JsonReader) -> Option<Comment> {
    let (mut id, mut parent, mut author, mut body, mut posted, mut likes) =
        (None, None, None, None, None, None);
    reader.object(|reader, key| match key {
        ID => fill(&mut id, reader.string()?),
        PARENT => {
            let value = if reader.null() {
                None
            } else {
                Some(reader.string()?)
            };
            fill(&mut parent, value)
        }
        AUTHOR => fill(&mut author, reader.string()?),
        BODY => fill(&mut body, reader.string()?),
        POSTED => fill(&mut posted, Timestamp::parse(&reader.string()?).ok()?),
        LIKES => fill(&mut likes, reader.u32()?),
        _ => reader.skip_value(),
    })?;
    Some(Comment::from(PublishedWire {
        id: id?.into_owned(),
        parent: parent.flatten().map(Cow::into_owned),
        author: author?.into_owned(),
        body: body?.into_owned(),
        posted: posted?,
        likes: likes.unwrap_or_default(),
    }))
}

/// Sets a field read once; a second one is refused, as serde refuses a repeated field.
#[inline(always)]
fn fill<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

/// Any file, read whole into a tree (see `core::json`): each entry on its own, so a bad one
/// is skipped and counted, and a file that is not a comments file is explained.
fn decode_entry_by_entry(json: &[u8]) -> Result<PublishedComments, DecodeError> {
    let text = std::str::from_utf8(json).map_err(|e| {
        DecodeError(format!(
            "the data is not unicode text (bad byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let tree = parse(text)?;
    let fields = Fields::of(&tree, "the comments file")?;
    if let Some(version) = fields.get("version")? {
        let version = version
            .as_u32()
            .ok_or_else(|| DecodeError("`version` is not a whole number".into()))?;
        if version != COMMENTS_VERSION {
            return Err(DecodeError(format!(
                "comments version {version} is not supported (this reader understands version {COMMENTS_VERSION})"
            )));
        }
    }
    let entries = fields
        .required("comments")?
        .as_array()
        .ok_or_else(|| DecodeError("`comments` is not a list".into()))?;
    let comments: Vec<Comment> = entries
        .iter()
        .filter_map(|entry| decode_entry(entry).ok())
        .filter(|c| !c.id.is_empty())
        .collect();
    Ok(PublishedComments {
        skipped: entries.len() - comments.len(),
        comments,
    })
}

/// One entry as the contract describes it; anything else is the entry's error.
fn decode_entry(entry: &Json) -> Result<Comment, String> {
    let fields = Fields::of(entry, "the entry")?;
    let likes = match fields.get("likes")? {
        None => 0,
        Some(value) => value.as_u32().ok_or("`likes` is not a whole number")?,
    };
    Ok(Comment::from(PublishedWire {
        id: fields.text("id")?,
        parent: fields.optional_text("parent")?,
        author: fields.text("author")?,
        body: fields.text("body")?,
        posted: timestamp(&fields, "posted")?,
        likes,
    }))
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
    fn refuses_a_file_that_is_not_utf8_as_serde_does() {
        let file = |body: &[u8]| {
            [
                br#"{"comments":[{"id":"a","author":"A","posted":"2024-07-24T10:00:00Z","body":""#,
                body,
                br#""}]}"#,
            ]
            .concat()
        };
        assert!(decode_comments(&file(b"caf\xc3\xa9")).is_ok());
        let bad = file(b"caf\xe9");
        assert_eq!(read_well_formed(&bad), None);
        let error = decode_comments(&bad).unwrap_err();
        assert!(error.0.contains("unicode"), "{error:?}");
    }

    #[test]
    fn a_large_generated_thread_takes_the_direct_path() {
        let text = garage_thread_gen::comments_file(2_000, 11);
        let direct =
            read_well_formed(text.as_bytes()).expect("a well-formed file is read directly");
        assert_eq!(direct.comments.len(), 2_000);
        assert_eq!(Ok(direct), decode_entry_by_entry(text.as_bytes()));
    }

    use proptest::prelude::*;

    /// The comments file's contract as serde types: the reference the readers are held to.
    fn by_serde(text: &str) -> Option<PublishedComments> {
        #[derive(serde::Deserialize)]
        struct File<'a> {
            #[serde(default = "one")]
            version: u32,
            #[serde(borrow)]
            comments: Vec<&'a serde_json::value::RawValue>,
        }
        #[derive(serde::Deserialize)]
        struct Entry {
            id: String,
            #[serde(default)]
            parent: Option<String>,
            author: String,
            body: String,
            posted: String,
            #[serde(default)]
            likes: u32,
        }
        fn one() -> u32 {
            1
        }
        let file: File = serde_json::from_str(text).ok()?;
        if file.version != 1 {
            return None;
        }
        let total = file.comments.len();
        let comments: Vec<Comment> = file
            .comments
            .iter()
            .filter_map(|raw| {
                let e: Entry = serde_json::from_str(raw.get()).ok()?;
                Some(Comment::from(PublishedWire {
                    id: e.id,
                    parent: e.parent,
                    author: e.author,
                    body: e.body,
                    posted: Timestamp::parse(&e.posted).ok()?,
                    likes: e.likes,
                }))
            })
            .filter(|c| !c.id.is_empty())
            .collect();
        Some(PublishedComments {
            skipped: total - comments.len(),
            comments,
        })
    }

    /// A field's value: mostly what the contract says, sometimes what a careless CMS sends.
    fn string_value() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => "[a-zA-Z0-9 ,.!?'<>&é🚗-]{0,40}".prop_map(|s| serde_json::to_string(&s).unwrap()),
            2 => any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
            1 => Just(r#""line\nbreak \"quoted\" \u00e9\ud83d\ude97""#.to_owned()),
            1 => prop_oneof![Just("null"), Just("7"), Just("[]"), Just("{}"), Just("\"\"")].prop_map(str::to_owned),
        ]
    }

    fn date_value() -> impl Strategy<Value = String> {
        prop_oneof![
            5 => Just("\"2024-07-24T10:00:00Z\"".to_owned()),
            2 => Just("\"2024-02-29T23:59:59.123+05:30\"".to_owned()),
            1 => Just("\"2023-02-29T10:00:00Z\"".to_owned()),
            1 => Just("\"yesterday\"".to_owned()),
            1 => Just("\"2024-07-24T10:00:00\\u005a\"".to_owned()),
        ]
    }

    fn likes_value() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => (0u32..500).prop_map(|n| n.to_string()),
            1 => prop_oneof![Just("-1"), Just("3.0"), Just("1e2"), Just("-0"), Just("4294967296"), Just("null"), Just("\"5\"")].prop_map(str::to_owned),
        ]
    }

    /// One entry as text: each field present, missing, repeated or joined by unknown ones.
    fn entry_text() -> impl Strategy<Value = String> {
        let field = |name: &'static str, value: BoxedStrategy<String>, present: u32| {
            prop_oneof![
                present => value.clone().prop_map(move |v| vec![format!("\"{name}\": {v}")]),
                10 - present => Just(Vec::new()),
                1 => (value.clone(), value).prop_map(move |(a, b)| vec![format!("\"{name}\":{a}"), format!("\"{name}\":{b}")]),
            ]
        };
        (
            field("id", "\"c[0-9]{1,3}\"|\"\"".boxed(), 9),
            field("parent", prop_oneof![3 => "\"c[0-9]{1,3}\"", 1 => Just("null".to_owned()), 1 => Just("\"\"".to_owned())].boxed(), 4),
            field("author", string_value().boxed(), 9),
            field("body", string_value().boxed(), 9),
            field("posted", date_value().boxed(), 9),
            field("likes", likes_value().boxed(), 7),
            prop::collection::vec(("[a-z]{1,8}", prop_oneof![Just("true"), Just("[1, {\"x\": null}]"), Just("-2.5e3"), Just("\"extra\"")]), 0..2),
            any::<bool>(),
        )
            .prop_map(|(id, parent, author, body, posted, likes, unknown, spaced)| {
                let mut fields: Vec<String> = [id, parent, author, body, posted, likes].concat();
                fields.extend(unknown.into_iter().map(|(k, v)| format!("\"{k}\": {v}")));
                let gap = if spaced { " \n\t" } else { "" };
                format!("{{{gap}{}{gap}}}", fields.join(&format!(",{gap}")))
            })
    }

    proptest! {
        /// The direct reader gives the whole reader's answer whenever it answers, and
        /// answers for every file whose entries are all well formed; and the whole reader
        /// gives serde's answer (`by_serde`, the contract written as serde types).
        #[test]
        fn the_readers_agree_with_each_other_and_with_serde(
            entries in prop::collection::vec(entry_text(), 0..8),
            version in prop_oneof![8 => Just(None), 1 => Just(Some("1")), 1 => Just(Some("2"))],
            tail in prop_oneof![8 => Just(""), 1 => Just(" \n"), 1 => Just(" x")],
        ) {
            let version = version.map(|v| format!("\"version\": {v}, ")).unwrap_or_default();
            let text = format!("{{{version}\"comments\": [{}]}}{tail}", entries.join(","));
            let whole = decode_entry_by_entry(text.as_bytes());
            let reference = by_serde(&text);
            prop_assert_eq!(whole.as_ref().ok(), reference.as_ref(), "{}", text);
            let by_serde = whole;
            match read_well_formed(text.as_bytes()) {
                Some(direct) => prop_assert_eq!(Ok(direct), by_serde, "{}", text),
                None => {
                    let well_formed = matches!(&by_serde, Ok(file) if file.skipped == 0 && file.comments.len() == entries.len());
                    let unusual = text.contains("-0") || tail == " x";
                    prop_assert!(!well_formed || unusual, "not read directly: {}", text);
                }
            }
        }
    }
}
