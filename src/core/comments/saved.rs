//! What this browser keeps for a reader: per article, their comments, likes and chosen
//! order; their name; and their unposted drafts.
//!
//! Nothing a reader wrote is ever lost or overwritten:
//! - Each thing lives under a key of its own (one comment, one like, one draft), and every
//!   write is one `set` of one key. A post never rewrites a record another tab wrote, so two
//!   tabs posting at the same moment both keep every comment: there is no read-modify-write
//!   of a shared record to race.
//! - A stored value this build cannot read (damaged, or written by a newer version after a
//!   rollback or in an old tab) stays exactly as it is: nothing is ever written over it. The
//!   reader is told.
//! - Reading is forward compatible: a field a newer build added within the same version is
//!   kept as it is when this build writes the comment back.
//! - Records of the first layout (one record per article, `my-garage:article:{slug}`) are
//!   still read, and never written: what is under the keys above overrides them.
//!
//! Storage sits behind [`KeyValue`], so the same rules run over `localStorage` in the
//! browser and over memory in tests.

use super::model::{Comment, Delivery, Origin};
use super::thread::SortOrder;
use super::validate::edit_deadline;
use crate::core::order::ordered;
use crate::core::time::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap};

/// Every key this app writes begins with this.
pub const KEY_PREFIX: &str = "my-garage:";
/// The version of the records this build writes (a comment, the reader).
pub const SAVED_VERSION: u32 = 1;

/// Where a record of one of the reader's comments is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shelf {
    /// A comment that lives in this browser only (no comment service).
    Own,
    /// A comment on its way to the comment service: sent when the service answers.
    Outbox,
    /// A comment the comment service has: what the reader needs of it that the service
    /// does not tell everyone (how long they may change it, that it awaits moderation).
    Sent,
}

impl Shelf {
    const ALL: [Shelf; 3] = [Shelf::Own, Shelf::Outbox, Shelf::Sent];

    fn prefix(self, slug: &str) -> String {
        let name = match self {
            Shelf::Own => "comment",
            Shelf::Outbox => "outbox",
            Shelf::Sent => "sent",
        };
        format!("{KEY_PREFIX}{name}:{slug}:")
    }
}

/// The key of one of the reader's comments on an article, on a shelf.
pub fn comment_key(shelf: Shelf, slug: &str, id: &str) -> String {
    format!("{}{id}", shelf.prefix(slug))
}

/// The key of the reader's like (`true`) or unlike (`false`) of a comment.
pub fn like_key(slug: &str, id: &str) -> String {
    format!("{}{id}", like_prefix(slug))
}

fn like_prefix(slug: &str) -> String {
    format!("{KEY_PREFIX}like:{slug}:")
}

/// The key of the order the reader chose for an article's comments.
pub fn sort_key(slug: &str) -> String {
    format!("{KEY_PREFIX}sort:{slug}")
}

/// The keys of an article's record in the first layout (read only): its own, and where
/// that layout kept a reader's record beside one it could not read.
pub fn legacy_keys(slug: &str) -> [String; 2] {
    let key = format!("{KEY_PREFIX}article:{slug}");
    let fallback = format!("{key}@v1");
    [key, fallback]
}

pub const READER_KEY: &str = "my-garage:reader";

/// The key of a draft: `form` is "" for a new comment, or the id of the comment replied to.
pub fn draft_key(slug: &str, form: &str) -> String {
    if form.is_empty() {
        format!("{KEY_PREFIX}draft:{slug}:new")
    } else {
        format!("{KEY_PREFIX}draft:{slug}:reply:{form}")
    }
}

/// Whether a changed key (another tab's write) holds this article's comments, likes or
/// order.
pub fn is_article_key(slug: &str, key: &str) -> bool {
    Shelf::ALL
        .iter()
        .any(|shelf| key.starts_with(&shelf.prefix(slug)))
        || key.starts_with(&like_prefix(slug))
        || key == sort_key(slug)
        || legacy_keys(slug).iter().any(|k| k == key)
}

/// Fields a newer build added within the same format version, each exactly as written:
/// not read, but written back as they were, so an older tab never strips what a newer one
/// stored. (Gathered by [`decode_record`] in a second, shallow read of the record rather
/// than by `#[serde(flatten)]` on reading, whose buffering cost the app's wasm 6.7 KB.)
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Extra(BTreeMap<String, Box<RawValue>>);

impl Extra {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The same fields, written the same.
impl PartialEq for Extra {
    fn eq(&self, other: &Extra) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|((a, x), (b, y))| a == b && x.get() == y.get())
    }
}

/// A stored record: its fields, and where it keeps the fields it does not know.
pub trait Record: for<'a> Deserialize<'a> + Serialize {
    /// The fields this build reads.
    const FIELDS: &'static [&'static str];
    fn extra(&mut self) -> &mut Extra;
}

/// A comment this reader wrote. Stored under its own key as a record (with its `version`),
/// or, in the first layout, inside the article's record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedComment {
    #[serde(default = "current_version")]
    pub version: u32,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub author: String,
    pub body: String,
    pub posted: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deleted: bool,
    /// Until when (ms since the epoch) the comment service lets its author change it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editable_until: Option<i64>,
    /// Held by the comment service for a moderator.
    #[serde(default, skip_serializing_if = "is_false")]
    pub pending: bool,
    #[serde(flatten, skip_deserializing)]
    pub extra: Extra,
}

impl Record for SavedComment {
    const FIELDS: &'static [&'static str] = &[
        "version",
        "id",
        "parent",
        "author",
        "body",
        "posted",
        "edited",
        "deleted",
        "editable_until",
        "pending",
    ];
    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }
}

fn current_version() -> u32 {
    SAVED_VERSION
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl SavedComment {
    /// The comment as the thread shows it, standing as `delivery` says.
    pub fn to_comment(&self, delivery: Delivery) -> Comment {
        Comment {
            id: self.id.clone(),
            parent: self.parent.clone(),
            author: self.author.clone(),
            body: self.body.clone(),
            posted: self.posted.clone(),
            likes: 0,
            origin: Origin::Mine(delivery),
            edited: self.edited.clone(),
            deleted: self.deleted,
            editable_until: match delivery {
                // A comment in this browser is the reader's to change for the usual time.
                Delivery::Kept | Delivery::NotKept => Some(edit_deadline(self.posted.epoch_ms)),
                _ => self.editable_until,
            },
        }
    }

    /// This reader's comment as the thread holds it, to store.
    pub fn of_comment(comment: &Comment) -> SavedComment {
        SavedComment {
            version: SAVED_VERSION,
            id: comment.id.clone(),
            parent: comment.parent.clone(),
            author: comment.author.clone(),
            body: comment.body.clone(),
            posted: comment.posted.clone(),
            edited: comment.edited.clone(),
            deleted: comment.deleted,
            editable_until: None,
            pending: false,
            extra: Extra::default(),
        }
    }
}

/// The reader's remembered name, as stored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedReader {
    pub version: u32,
    pub name: String,
    #[serde(flatten, skip_deserializing)]
    pub extra: Extra,
}

impl Record for SavedReader {
    const FIELDS: &'static [&'static str] = &["version", "name"];
    fn extra(&mut self) -> &mut Extra {
        &mut self.extra
    }
}

/// An article's record in the first layout (read, never written).
#[derive(Deserialize)]
struct LegacyArticle {
    #[serde(default)]
    comments: Vec<SavedComment>,
    #[serde(default)]
    likes: Vec<String>,
    #[serde(default)]
    drafts: BTreeMap<String, String>,
    #[serde(default)]
    sort: Option<String>,
}

/// Everything kept for one article but drafts, gathered from its keys.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SavedArticle {
    /// The reader's own comments, kept in this browser only (no comment service).
    pub comments: Vec<SavedComment>,
    /// Comments on their way to the comment service, oldest first.
    pub outbox: Vec<SavedComment>,
    /// The reader's comments the comment service has (see [`Shelf::Sent`]).
    pub sent: Vec<SavedComment>,
    pub likes: Vec<String>,
    /// Drafts as the first layout kept them, inside the article's record, by form ("" for
    /// a new comment, a comment id for a reply). Read when a form has no draft of its own.
    pub drafts: BTreeMap<String, String>,
    pub sort: Option<SortOrder>,
}

/// Why stored data could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    Corrupt(String),
    NewerVersion(u32),
}

/// Reads a stored record of this build's version, with the fields it does not know kept as
/// written. The version is read first: it says how to read the rest (a record of a later
/// version is another build's to read).
pub fn decode_record<T: Record>(raw: &str) -> Result<T, Unreadable> {
    match record_version(raw)? {
        SAVED_VERSION => {
            let mut record: T = serde_json::from_slice(raw.as_bytes()).map_err(corrupt)?;
            let fields: Extra = serde_json::from_slice(raw.as_bytes()).map_err(corrupt)?;
            let mut unknown = fields.0;
            // (`retain`, not a collect: building a map from an iterator sorts it, one more
            // copy of the sort in the wasm per record type.)
            unknown.retain(|name, _| !T::FIELDS.contains(&name.as_str()));
            *record.extra() = Extra(unknown);
            Ok(record)
        }
        newer if newer > SAVED_VERSION => Err(Unreadable::NewerVersion(newer)),
        // Version 1 is the first format; later versions add their migrations here.
        older => Err(Unreadable::Corrupt(format!(
            "no migration from version {older}"
        ))),
    }
}

/// A stored record's `version`.
fn record_version(raw: &str) -> Result<u32, Unreadable> {
    #[derive(Deserialize)]
    struct Version {
        version: u32,
    }
    let version: Version = serde_json::from_slice(raw.as_bytes()).map_err(corrupt)?;
    Ok(version.version)
}

fn corrupt(error: serde_json::Error) -> Unreadable {
    Unreadable::Corrupt(error.to_string())
}

/// Why the browser would not keep something.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// Quota exceeded.
    Full,
    /// Storage is disabled, blocked or missing (private modes, policies).
    Unavailable,
    /// What is stored there now cannot be read by this build, so it is not written over.
    Unreadable,
}

/// The one interface to wherever the reader's data lives.
pub trait KeyValue {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError>;
    fn remove(&self, key: &str) -> Result<(), StorageError>;
    /// Every key stored.
    fn keys(&self) -> Result<Vec<String>, StorageError>;
}

/// What went wrong with stored data, for the warning the reader sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreProblem {
    /// Some of what is stored for this article cannot be read here; it stays exactly as
    /// it is, and what the reader posts now is kept beside it.
    Unreadable(Unreadable),
    /// The browser refuses storage: nothing this visit will be kept.
    Unavailable,
}

impl StoreProblem {
    pub fn message(&self) -> String {
        match self {
            StoreProblem::Unreadable(Unreadable::NewerVersion(_)) => {
                "Comments saved by a newer version of this site can't be read here. They are left exactly as they are, and what you post here is saved separately.".into()
            }
            StoreProblem::Unreadable(Unreadable::Corrupt(_)) => {
                "Some of your saved comments for this article could not be read (the stored data is damaged). They are left as they are, and what you post now is saved separately.".into()
            }
            StoreProblem::Unavailable => {
                "This browser is not letting the site save anything, so comments you post will only show for this visit.".into()
            }
        }
    }
}

/// What was read for one article, and what could not be.
#[derive(Debug, Default, PartialEq)]
pub struct Opened {
    pub saved: SavedArticle,
    pub problem: Option<StoreProblem>,
}

/// What one key holds, as this build sees it.
enum Read<T> {
    Missing,
    Value(T),
    Unreadable(Unreadable),
}

/// Reads and writes the reader's data over any [`KeyValue`].
pub struct Store<K> {
    pub kv: K,
}

impl<K: KeyValue> Store<K> {
    pub fn new(kv: K) -> Self {
        Store { kv }
    }

    fn read<T: Record>(&self, key: &str) -> Result<Read<T>, StorageError> {
        Ok(match self.kv.get(key)? {
            None => Read::Missing,
            Some(raw) => match decode_record::<T>(&raw) {
                Ok(value) => Read::Value(value),
                Err(reason) => Read::Unreadable(reason),
            },
        })
    }

    /// An article's record in the first layout, read as it is (never written back).
    fn read_legacy(&self, key: &str) -> Result<Read<LegacyArticle>, StorageError> {
        let Some(raw) = self.kv.get(key)? else {
            return Ok(Read::Missing);
        };
        let read = match record_version(&raw) {
            Ok(SAVED_VERSION) => serde_json::from_slice(raw.as_bytes()).map_err(corrupt),
            Ok(newer) if newer > SAVED_VERSION => Err(Unreadable::NewerVersion(newer)),
            Ok(older) => Err(Unreadable::Corrupt(format!("version {older}"))),
            Err(reason) => Err(reason),
        };
        Ok(match read {
            Ok(legacy) => Read::Value(legacy),
            Err(reason) => Read::Unreadable(reason),
        })
    }

    /// Everything kept for an article: the first layout's record, with what is under the
    /// keys of each comment and like laid over it.
    pub fn open_article(&self, slug: &str) -> Opened {
        match self.gather(slug) {
            Ok(opened) => opened,
            Err(_) => Opened {
                saved: SavedArticle::default(),
                problem: Some(StoreProblem::Unavailable),
            },
        }
    }

    fn gather(&self, slug: &str) -> Result<Opened, StorageError> {
        let mut problem = None;
        let mut note = |reason: Unreadable| {
            // A newer version's data says more than damage does: it is the reader's own.
            if !matches!(
                problem,
                Some(StoreProblem::Unreadable(Unreadable::NewerVersion(_)))
            ) {
                problem = Some(StoreProblem::Unreadable(reason));
            }
        };
        let mut comments: Vec<SavedComment> = Vec::new();
        let mut likes: Vec<String> = Vec::new();
        let mut drafts = BTreeMap::new();
        let mut sort = None;
        for key in legacy_keys(slug) {
            match self.read_legacy(&key)? {
                Read::Missing => {}
                Read::Unreadable(reason) => note(reason),
                Read::Value(legacy) => {
                    comments.extend(legacy.comments);
                    likes.extend(legacy.likes);
                    drafts.extend(legacy.drafts);
                    sort = sort.or(legacy.sort.as_deref().and_then(SortOrder::from_key));
                }
            }
        }
        let mut keys = self.kv.keys()?;
        keys.sort_unstable();
        let like_prefix = like_prefix(slug);
        let prefixes = Shelf::ALL.map(|shelf| shelf.prefix(slug));
        // Keys are read in order, and a comment's key ends with its id: each list below is
        // in id order, which breaks ties of time as a sort by (time, id) would.
        let mut own: HashMap<String, SavedComment> = HashMap::new();
        let mut own_ids: Vec<String> = Vec::new();
        let (mut outbox, mut sent) = (Vec::new(), Vec::new());
        for key in &keys {
            if let Some(at) = prefixes.iter().position(|p| key.starts_with(p)) {
                match self.read::<SavedComment>(key)? {
                    Read::Value(comment) => match Shelf::ALL[at] {
                        Shelf::Own => {
                            own_ids.push(comment.id.clone());
                            own.insert(comment.id.clone(), comment);
                        }
                        Shelf::Outbox => outbox.push(comment),
                        Shelf::Sent => sent.push(comment),
                    },
                    Read::Unreadable(reason) => note(reason),
                    Read::Missing => {}
                }
            } else if let Some(id) = key.strip_prefix(&like_prefix) {
                let liked = self.kv.get(key)?.as_deref() == Some("true");
                likes.retain(|l| l != id);
                if liked {
                    likes.push(id.to_owned());
                }
            }
        }
        // A comment under its own key is the newer copy of a first-layout one.
        for comment in &mut comments {
            if let Some(newer) = own.remove(&comment.id) {
                *comment = newer;
            }
        }
        let rest: Vec<SavedComment> = own_ids.iter().filter_map(|id| own.remove(id)).collect();
        let by_time = |c: &SavedComment| (c.posted.epoch_ms, 0, 0);
        let (outbox, sent) = (ordered(outbox, by_time), ordered(sent, by_time));
        comments.extend(ordered(rest, by_time));
        if let Some(order) = self.kv.get(&sort_key(slug))? {
            sort = SortOrder::from_key(&order).or(sort);
        }
        // A first-layout draft that was posted since is no draft any more.
        drafts.retain(|_, text| !comments.iter().any(|c| c.body == *text));
        Ok(Opened {
            saved: SavedArticle {
                comments,
                outbox,
                sent,
                likes,
                drafts,
                sort,
            },
            problem,
        })
    }

    /// Keeps one of the reader's comments under its own key on a shelf, with what a newer
    /// build stored with it. Refuses to write over a record this build cannot read.
    pub fn put(
        &self,
        shelf: Shelf,
        slug: &str,
        comment: &SavedComment,
    ) -> Result<(), StorageError> {
        let key = comment_key(shelf, slug, &comment.id);
        let mut comment = SavedComment {
            version: SAVED_VERSION,
            ..comment.clone()
        };
        match self.read::<SavedComment>(&key)? {
            Read::Unreadable(_) => return Err(StorageError::Unreadable),
            Read::Value(kept) if comment.extra.is_empty() => comment.extra = kept.extra,
            _ => {}
        }
        let json = serde_json::to_string(&comment).map_err(|_| StorageError::Unavailable)?;
        self.kv.set(&key, &json)
    }

    /// A comment kept in this browser only (no comment service).
    pub fn put_comment(&self, slug: &str, comment: &SavedComment) -> Result<(), StorageError> {
        self.put(Shelf::Own, slug, comment)
    }

    /// Takes a record off a shelf (a comment sent, or forgotten by the service).
    pub fn remove(&self, shelf: Shelf, slug: &str, id: &str) -> Result<(), StorageError> {
        self.kv.remove(&comment_key(shelf, slug, id))
    }

    /// Reads one record (another tab's change, say).
    pub fn comment(&self, shelf: Shelf, slug: &str, id: &str) -> Option<SavedComment> {
        match self.read::<SavedComment>(&comment_key(shelf, slug, id)) {
            Ok(Read::Value(comment)) => Some(comment),
            _ => None,
        }
    }

    pub fn set_liked(&self, slug: &str, id: &str, liked: bool) -> Result<(), StorageError> {
        self.kv
            .set(&like_key(slug, id), if liked { "true" } else { "false" })
    }

    pub fn set_sort(&self, slug: &str, order: SortOrder) -> Result<(), StorageError> {
        self.kv.set(&sort_key(slug), order.key())
    }

    /// The reader's remembered name ("" if none, or if it cannot be read).
    pub fn reader_name(&self) -> String {
        match self.read::<SavedReader>(READER_KEY) {
            Ok(Read::Value(reader)) => reader.name,
            _ => String::new(),
        }
    }

    /// Remembers the reader's name, keeping what a newer build stored with it; never over a
    /// record this build cannot read.
    pub fn set_reader_name(&self, name: &str) -> Result<(), StorageError> {
        let reader = match self.read::<SavedReader>(READER_KEY)? {
            Read::Unreadable(_) => return Err(StorageError::Unreadable),
            Read::Value(reader) => SavedReader {
                name: name.to_owned(),
                ..reader
            },
            Read::Missing => SavedReader {
                version: SAVED_VERSION,
                name: name.to_owned(),
                extra: Extra::default(),
            },
        };
        let json = serde_json::to_string(&reader).map_err(|_| StorageError::Unavailable)?;
        self.kv.set(READER_KEY, &json)
    }

    /// A draft, if one is kept.
    pub fn draft(&self, key: &str) -> Option<String> {
        self.kv.get(key).ok().flatten().filter(|d| !d.is_empty())
    }

    /// Keeps a draft under its own key (an empty one is removed): a keystroke writes the
    /// draft alone, never a comment.
    pub fn save_draft(&self, key: &str, text: &str) -> Result<(), StorageError> {
        if text.is_empty() {
            self.kv.remove(key)
        } else {
            self.kv.set(key, text)
        }
    }

    /// Removes the draft once its text was posted; a different draft (typed meanwhile in
    /// another tab) stays.
    pub fn clear_posted_draft(&self, key: &str, posted: &str) -> Result<(), StorageError> {
        match self.kv.get(key)? {
            Some(draft) if draft == posted => self.kv.remove(key),
            _ => Ok(()),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // native: proptest does not run in the browser
pub mod tests {
    use super::*;
    use std::cell::RefCell;

    /// An in-memory store with a size limit, as a full browser storage behaves.
    #[derive(Default)]
    pub struct MemoryKv {
        pub map: RefCell<BTreeMap<String, String>>,
        pub capacity: Option<usize>,
        pub disabled: bool,
    }

    impl MemoryKv {
        pub fn with(entries: &[(&str, &str)]) -> MemoryKv {
            let kv = MemoryKv::default();
            for (k, v) in entries {
                kv.map.borrow_mut().insert((*k).into(), (*v).into());
            }
            kv
        }

        pub fn value(&self, key: &str) -> Option<String> {
            self.map.borrow().get(key).cloned()
        }
    }

    impl KeyValue for &MemoryKv {
        fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
            if self.disabled {
                return Err(StorageError::Unavailable);
            }
            Ok(self.map.borrow().get(key).cloned())
        }
        fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
            if self.disabled {
                return Err(StorageError::Unavailable);
            }
            let mut map = self.map.borrow_mut();
            let others: usize = map
                .iter()
                .filter(|(k, _)| *k != key)
                .map(|(k, v)| k.len() + v.len())
                .sum();
            if self
                .capacity
                .is_some_and(|cap| others + key.len() + value.len() > cap)
            {
                return Err(StorageError::Full);
            }
            map.insert(key.to_owned(), value.to_owned());
            Ok(())
        }
        fn remove(&self, key: &str) -> Result<(), StorageError> {
            if self.disabled {
                return Err(StorageError::Unavailable);
            }
            self.map.borrow_mut().remove(key);
            Ok(())
        }
        fn keys(&self) -> Result<Vec<String>, StorageError> {
            if self.disabled {
                return Err(StorageError::Unavailable);
            }
            Ok(self.map.borrow().keys().cloned().collect())
        }
    }

    pub fn comment(id: &str, body: &str) -> SavedComment {
        SavedComment {
            version: SAVED_VERSION,
            id: id.into(),
            parent: None,
            author: "Ann".into(),
            body: body.into(),
            posted: Timestamp::from_epoch_ms(1_700_000_000_000),
            edited: None,
            deleted: false,
            editable_until: None,
            pending: false,
            extra: Extra::default(),
        }
    }

    const SLUG: &str = "a";

    #[test]
    fn keys_are_namespaced_and_per_article() {
        assert_eq!(
            comment_key(Shelf::Own, "a", "c 1"),
            "my-garage:comment:a:c 1"
        );
        assert_eq!(
            comment_key(Shelf::Outbox, "a", "l1"),
            "my-garage:outbox:a:l1"
        );
        assert_eq!(comment_key(Shelf::Sent, "a", "24"), "my-garage:sent:a:24");
        assert!(is_article_key("a", "my-garage:outbox:a:l1"));
        assert_eq!(like_key("a", "c1"), "my-garage:like:a:c1");
        assert_eq!(sort_key("a"), "my-garage:sort:a");
        assert_eq!(draft_key("a", ""), "my-garage:draft:a:new");
        assert_eq!(draft_key("a", "c 1"), "my-garage:draft:a:reply:c 1");
        assert!(is_article_key("a", "my-garage:comment:a:x"));
        assert!(is_article_key("a", "my-garage:article:a@v1"));
        assert!(!is_article_key("a", "my-garage:comment:ab:x"));
        assert!(!is_article_key("a", "my-garage:draft:a:new"));
    }

    #[test]
    fn round_trips_everything_a_reader_keeps() {
        let kv = MemoryKv::default();
        let store = Store::new(&kv);
        let first = comment("c1", "first <b>text</b> \u{202e} 🚗");
        store.put_comment(SLUG, &first).unwrap();
        store.set_liked(SLUG, "p1", true).unwrap();
        store.set_sort(SLUG, SortOrder::Oldest).unwrap();
        let opened = store.open_article(SLUG);
        assert_eq!(opened.problem, None);
        assert_eq!(opened.saved.comments, [first]);
        assert_eq!(opened.saved.likes, ["p1"]);
        assert_eq!(opened.saved.sort, Some(SortOrder::Oldest));
        assert!(kv
            .value("my-garage:comment:a:c1")
            .unwrap()
            .starts_with(r#"{"version":1,"id":"c1""#));
        assert!(
            store.open_article("b").saved.comments.is_empty(),
            "per article"
        );
    }

    /// Invariant: a post never rewrites what another tab wrote. Two tabs that read the
    /// article before either posted, then post in turn, keep every comment, and a like,
    /// an edit or a deletion in one tab never undoes a post in the other.
    #[test]
    fn tabs_posting_at_once_keep_every_comment() {
        let kv = MemoryKv::default();
        let (tab_a, tab_b) = (Store::new(&kv), Store::new(&kv));
        let stale_a = tab_a.open_article(SLUG);
        let stale_b = tab_b.open_article(SLUG);
        for n in 0..20 {
            tab_a
                .put_comment(SLUG, &comment(&format!("a{n}"), "from A"))
                .unwrap();
            tab_b
                .put_comment(SLUG, &comment(&format!("b{n}"), "from B"))
                .unwrap();
        }
        tab_a.set_liked(SLUG, "b3", true).unwrap();
        let mut edited = comment("b4", "edited in B");
        edited.edited = Some(Timestamp::from_epoch_ms(1_700_000_100_000));
        tab_b.put_comment(SLUG, &edited).unwrap();
        let mut deleted = comment("a5", "");
        deleted.deleted = true;
        tab_a.put_comment(SLUG, &deleted).unwrap();
        assert!(stale_a.saved.comments.is_empty() && stale_b.saved.comments.is_empty());
        let now = Store::new(&kv).open_article(SLUG).saved;
        assert_eq!(now.comments.len(), 40, "every comment of both tabs is kept");
        assert_eq!(now.likes, ["b3"]);
        let find = |id: &str| now.comments.iter().find(|c| c.id == id).unwrap();
        assert_eq!(find("b4").body, "edited in B");
        assert!(find("a5").deleted);
    }

    /// Invariant: a value this build cannot read stays byte for byte at its key, however
    /// the page is used; the reader is told, and new comments are kept beside it.
    #[test]
    fn unreadable_data_stays_byte_for_byte_and_new_comments_go_beside_it() {
        for (key, raw, newer) in [
            ("my-garage:comment:a:x", "{not json", false),
            ("my-garage:comment:a:x", r#"{"version":1,"id":"x"}"#, false),
            (
                "my-garage:comment:a:x",
                r#"{"version":7,"id":"x","reactions":["🚗"]}"#,
                true,
            ),
            (
                "my-garage:article:a",
                r#"{"version":1,"comments":"oops"}"#,
                false,
            ),
            (
                "my-garage:article:a",
                r#"{"version":2,"comments":[]}"#,
                true,
            ),
        ] {
            let kv = MemoryKv::with(&[(key, raw)]);
            let store = Store::new(&kv);
            let opened = store.open_article(SLUG);
            let Some(StoreProblem::Unreadable(reason)) = &opened.problem else {
                panic!("{raw}: {:?}", opened.problem);
            };
            assert_eq!(
                matches!(reason, Unreadable::NewerVersion(_)),
                newer,
                "{raw}"
            );
            let message = opened.problem.as_ref().unwrap().message();
            assert!(message.contains("saved separately"), "{message}");
            // The reader posts, likes, and edits; other tabs' events re-open the article.
            for n in 0..3 {
                store
                    .put_comment(SLUG, &comment(&format!("c{n}"), "kept"))
                    .unwrap();
                store.set_liked(SLUG, "p", n % 2 == 0).unwrap();
                store.open_article(SLUG);
            }
            assert_eq!(
                store.put_comment(SLUG, &comment("x", "over it")),
                if key.starts_with("my-garage:comment:") {
                    Err(StorageError::Unreadable)
                } else {
                    Ok(())
                },
                "a record that cannot be read is never written over"
            );
            assert_eq!(kv.value(key).as_deref(), Some(raw), "untouched");
            let reopened = store.open_article(SLUG);
            assert!(
                reopened
                    .saved
                    .comments
                    .iter()
                    .filter(|c| c.body == "kept")
                    .count()
                    == 3
            );
            assert!(reopened.problem.is_some(), "and the reader is still told");
        }
    }

    /// Invariant: reading is forward compatible; a field added within the same format
    /// version is ignored, and written back as it was.
    #[test]
    fn fields_a_newer_build_added_are_read_past_and_kept() {
        let raw = r#"{"version":1,"id":"c","author":"A","body":"b","posted":"2024-01-01T00:00:00Z","reactions":["🚗"],"theme":{"dark":true}}"#;
        let kv = MemoryKv::with(&[("my-garage:comment:a:c", raw)]);
        let store = Store::new(&kv);
        let opened = store.open_article(SLUG);
        assert_eq!(opened.problem, None);
        let mut edited = opened.saved.comments[0].clone();
        assert_eq!(edited.body, "b");
        edited.body = "edited".into();
        store.put_comment(SLUG, &edited).unwrap();
        // A tab that built the comment afresh (from the thread) keeps the fields too.
        let mut from_thread = SavedComment::of_comment(&edited.to_comment(Delivery::Kept));
        from_thread.body = "edited again".into();
        store.put_comment(SLUG, &from_thread).unwrap();
        let written = kv.value("my-garage:comment:a:c").unwrap();
        assert!(written.contains(r#""theme":{"dark":true}"#), "{written}");
        assert!(written.starts_with(r#"{"version":1,"id":"c""#), "{written}");
        assert!(written.contains(r#""reactions":["🚗"]"#), "{written}");
        assert!(written.contains(r#""body":"edited again""#), "{written}");
        let reader =
            MemoryKv::with(&[(READER_KEY, r#"{"version":1,"name":"Ann","pronouns":"she"}"#)]);
        let store = Store::new(&reader);
        assert_eq!(store.reader_name(), "Ann");
        store.set_reader_name("Bo").unwrap();
        assert!(reader
            .value(READER_KEY)
            .unwrap()
            .contains(r#""pronouns":"she""#));
        assert_eq!(store.reader_name(), "Bo");
    }

    /// The first layout (one record per article) is still read, and never written: what
    /// the reader changes goes under the new keys and wins over it.
    #[test]
    fn the_first_layout_is_read_and_overridden_never_written() {
        let legacy = r#"{"version":1,"comments":[{"id":"old","author":"A","body":"from an old build","posted":"2024-01-01T00:00:00Z"}],"likes":["p1","p2"],"drafts":{"":"half a thought","c9":"from an old build"},"sort":"oldest"}"#;
        let kv = MemoryKv::with(&[("my-garage:article:a", legacy)]);
        let store = Store::new(&kv);
        let opened = store.open_article(SLUG).saved;
        assert_eq!(opened.comments[0].body, "from an old build");
        assert_eq!(opened.likes, ["p1", "p2"]);
        assert_eq!(opened.sort, Some(SortOrder::Oldest));
        assert_eq!(
            opened.drafts.into_iter().collect::<Vec<_>>(),
            [("".to_owned(), "half a thought".to_owned())],
            "a draft that was posted since is gone"
        );
        let mut edited = comment("old", "edited");
        edited.posted = Timestamp::parse("2024-01-01T00:00:00Z").unwrap();
        store.put_comment(SLUG, &edited).unwrap();
        store.set_liked(SLUG, "p1", false).unwrap();
        store.set_sort(SLUG, SortOrder::MostLiked).unwrap();
        let opened = store.open_article(SLUG).saved;
        assert_eq!(opened.comments.len(), 1);
        assert_eq!(opened.comments[0].body, "edited");
        assert_eq!(opened.likes, ["p2"]);
        assert_eq!(opened.sort, Some(SortOrder::MostLiked));
        assert_eq!(kv.value("my-garage:article:a").as_deref(), Some(legacy));
    }

    #[test]
    fn wrong_shapes_and_newer_versions_are_not_read_as_ours() {
        for raw in [
            "[]",
            "null",
            "{oops",
            r#"{"version":"1"}"#,
            r#"{"version":-1}"#,
            r#"{"id":"x"}"#,
            r#"{"version":1,"id":"x"}"#,
            r#"{"version":0,"id":"x","author":"A","body":"b","posted":"2024-01-01T00:00:00Z"}"#,
        ] {
            assert!(
                matches!(
                    decode_record::<SavedComment>(raw),
                    Err(Unreadable::Corrupt(_))
                ),
                "{raw}"
            );
        }
        assert!(matches!(
            decode_record::<SavedComment>(r#"{"version":7,"whatever":1}"#),
            Err(Unreadable::NewerVersion(7))
        ));
    }

    #[test]
    fn full_and_disabled_storage_report_failure() {
        let full = MemoryKv {
            capacity: Some(10),
            ..Default::default()
        };
        let store = Store::new(&full);
        assert_eq!(
            store.put_comment(SLUG, &comment("c", "x")),
            Err(StorageError::Full)
        );
        assert_eq!(
            store.set_liked(SLUG, "a-long-comment-id", true),
            Err(StorageError::Full)
        );
        assert_eq!(
            store.save_draft(&draft_key(SLUG, ""), "a long draft that will not fit"),
            Err(StorageError::Full)
        );
        let off = MemoryKv {
            disabled: true,
            ..Default::default()
        };
        let store = Store::new(&off);
        let opened = store.open_article(SLUG);
        assert_eq!(opened.problem, Some(StoreProblem::Unavailable));
        assert_eq!(
            store.put_comment(SLUG, &comment("c", "x")),
            Err(StorageError::Unavailable)
        );
        assert_eq!(
            store.set_liked(SLUG, "c", true),
            Err(StorageError::Unavailable)
        );
        assert_eq!(store.set_reader_name("Ann"), Err(StorageError::Unavailable));
    }

    /// Invariant: a draft is written under its own key, never into a comment, and clearing
    /// it after a post leaves a different draft (another tab's) alone.
    #[test]
    fn drafts_are_kept_on_their_own() {
        let kv = MemoryKv::default();
        let store = Store::new(&kv);
        store.put_comment(SLUG, &comment("c", "x")).unwrap();
        let record = kv.value("my-garage:comment:a:c");
        let draft = draft_key(SLUG, "");
        for text in ["H", "He", "Hello"] {
            store.save_draft(&draft, text).unwrap();
        }
        assert_eq!(
            kv.value("my-garage:comment:a:c"),
            record,
            "the comment is not rewritten"
        );
        assert_eq!(store.draft(&draft).as_deref(), Some("Hello"));
        // Another tab typed something else meanwhile: posting "Hello" here leaves it.
        store.save_draft(&draft, "Other tab's words").unwrap();
        store.clear_posted_draft(&draft, "Hello").unwrap();
        assert_eq!(store.draft(&draft).as_deref(), Some("Other tab's words"));
        store
            .clear_posted_draft(&draft, "Other tab's words")
            .unwrap();
        assert_eq!(store.draft(&draft), None);
        store.save_draft(&draft, "x").unwrap();
        store.save_draft(&draft, "").unwrap();
        assert_eq!(kv.value(&draft), None, "an emptied draft is removed");
    }

    proptest::proptest! {
        #[test]
        fn any_comment_text_round_trips(body in ".{0,300}", author in ".{1,40}", id in ".{1,20}") {
            let kv = MemoryKv::default();
            let store = Store::new(&kv);
            let mut c = comment(&id, &body);
            c.author = author;
            store.put_comment(SLUG, &c).unwrap();
            proptest::prop_assert_eq!(&store.open_article(SLUG).saved.comments, &vec![c]);
        }
    }
}
