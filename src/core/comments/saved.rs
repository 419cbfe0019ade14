//! What this browser keeps for a reader: per article, their comments, likes and chosen
//! order; their name; and, each under its own key, their unposted drafts.
//!
//! Nothing a reader wrote is ever lost or overwritten:
//! - A stored record this build cannot read (damaged, or written by a newer version after a
//!   rollback or in an old tab) stays exactly as it is at its key. The reader is told, and
//!   this build keeps what they post under a key of its own beside it ([`RecordKey`]); a
//!   damaged one is also copied aside once, boundedly.
//! - Reading is forward compatible: a field a newer build added within the same version is
//!   kept as it is when this build writes the record back.
//! - Every change is applied to the freshest stored record, so tabs never undo each other.
//!
//! Storage sits behind [`KeyValue`], so the same logic runs over `localStorage` in the
//! browser, over memory in tests, or over a comments service later.

use super::model::{Comment, Origin};
use super::thread::SortOrder;
use crate::core::article::{optional_timestamp, timestamp};
use crate::core::digest::digest;
use crate::core::json::{object, parse, Fields, Json, ObjectWriter};
use crate::core::time::Timestamp;
use std::collections::BTreeMap;

/// Every key this app writes begins with this.
pub const KEY_PREFIX: &str = "my-garage:";
/// The version of [`SavedArticle`] this build writes.
pub const SAVED_VERSION: u32 = 1;
/// Copies of damaged records kept aside, at most.
pub const MAX_KEPT_ASIDE: usize = 5;
/// A damaged record larger than this is left where it is and not copied.
pub const MAX_KEPT_ASIDE_BYTES: usize = 256 * 1024;
const KEPT_ASIDE_PREFIX: &str = "my-garage:kept-aside:";

/// Where a record lives, and where this build keeps its own when what is there cannot be
/// read by it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordKey {
    pub primary: String,
    /// This format version's own key, used only beside an unreadable primary record.
    pub fallback: String,
}

impl RecordKey {
    fn of(name: &str) -> RecordKey {
        RecordKey {
            primary: format!("{KEY_PREFIX}{name}"),
            fallback: format!("{KEY_PREFIX}{name}@v{SAVED_VERSION}"),
        }
    }
}

pub fn article_key(slug: &str) -> RecordKey {
    RecordKey::of(&format!("article:{slug}"))
}

pub fn reader_key() -> RecordKey {
    RecordKey::of("reader")
}

/// The key of a draft: `form` is "" for a new comment, or the id of the comment replied to.
pub fn draft_key(slug: &str, form: &str) -> String {
    if form.is_empty() {
        format!("{KEY_PREFIX}draft:{slug}:new")
    } else {
        format!("{KEY_PREFIX}draft:{slug}:reply:{form}")
    }
}

/// Fields a newer build added within the same format version, each as written: not read,
/// but written back as they were, so an older tab never strips what a newer one stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extra(Vec<(String, String)>);

impl Extra {
    fn of(fields: &Fields, known: &[&str]) -> Extra {
        Extra(fields.others(known))
    }

    fn write(&self, out: &mut ObjectWriter) {
        for (name, raw) in &self.0 {
            out.raw(name, raw);
        }
    }
}

/// A comment this reader wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedComment {
    pub id: String,
    pub parent: Option<String>,
    pub author: String,
    pub body: String,
    pub posted: Timestamp,
    pub edited: Option<Timestamp>,
    pub deleted: bool,
    pub extra: Extra,
}

const COMMENT_FIELDS: [&str; 7] = [
    "id", "parent", "author", "body", "posted", "edited", "deleted",
];

impl SavedComment {
    pub fn to_comment(&self, saved: bool) -> Comment {
        Comment {
            id: self.id.clone(),
            parent: self.parent.clone(),
            author: self.author.clone(),
            body: self.body.clone(),
            posted: self.posted.clone(),
            likes: 0,
            origin: Origin::Mine { saved },
            edited: self.edited.clone(),
            deleted: self.deleted,
        }
    }

    /// This reader's comment as the thread holds it, to store.
    pub fn of_comment(comment: &Comment) -> SavedComment {
        SavedComment {
            id: comment.id.clone(),
            parent: comment.parent.clone(),
            author: comment.author.clone(),
            body: comment.body.clone(),
            posted: comment.posted.clone(),
            edited: comment.edited.clone(),
            deleted: comment.deleted,
            extra: Extra::default(),
        }
    }

    fn decode(value: &Json) -> Result<SavedComment, String> {
        let fields = Fields::of(value, "a comment")?;
        let deleted = match fields.get("deleted")? {
            None => false,
            Some(value) => value.as_bool().ok_or("`deleted` is not true or false")?,
        };
        Ok(SavedComment {
            id: fields.text("id")?,
            parent: fields.optional_text("parent")?,
            author: fields.text("author")?,
            body: fields.text("body")?,
            posted: timestamp(&fields, "posted")?,
            edited: optional_timestamp(&fields, "edited")?,
            deleted,
            extra: Extra::of(&fields, &COMMENT_FIELDS),
        })
    }

    fn write(&self, out: &mut ObjectWriter) {
        out.string("id", &self.id);
        if let Some(parent) = &self.parent {
            out.string("parent", parent);
        }
        out.string("author", &self.author)
            .string("body", &self.body)
            .string("posted", &self.posted.raw);
        if let Some(edited) = &self.edited {
            out.string("edited", &edited.raw);
        }
        if self.deleted {
            out.bool("deleted", true);
        }
        self.extra.write(out);
    }
}

/// Everything kept for one article but drafts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SavedArticle {
    pub version: u32,
    pub comments: Vec<SavedComment>,
    pub likes: Vec<String>,
    /// Drafts as builds before this one kept them, by form ("" for a new comment, a comment
    /// id for a reply). This build reads them once, keeps drafts under keys of their own
    /// ([`draft_key`]), and drops a form's old draft when it posts from that form.
    pub drafts: BTreeMap<String, String>,
    pub sort: Option<String>,
    pub extra: Extra,
}

const ARTICLE_FIELDS: [&str; 5] = ["version", "comments", "likes", "drafts", "sort"];

impl SavedArticle {
    pub fn new() -> Self {
        SavedArticle {
            version: SAVED_VERSION,
            ..Default::default()
        }
    }

    fn decode(version: u32, fields: &Fields) -> Result<SavedArticle, String> {
        let comments = fields
            .list("comments")?
            .iter()
            .map(SavedComment::decode)
            .collect::<Result<_, _>>()?;
        let likes = fields
            .list("likes")?
            .iter()
            .map(|like| like.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or("`likes` must be a list of text")?;
        let drafts = match fields.get("drafts")? {
            None => BTreeMap::new(),
            Some(value) => Fields::of(value, "`drafts`")?
                .members
                .iter()
                .map(|m| Some((m.name.to_string(), m.value.as_str()?.to_owned())))
                .collect::<Option<_>>()
                .ok_or("`drafts` must hold text")?,
        };
        Ok(SavedArticle {
            version,
            comments,
            likes,
            drafts,
            sort: fields.optional_text("sort")?,
            extra: Extra::of(fields, &ARTICLE_FIELDS),
        })
    }

    pub fn sort_order(&self) -> Option<SortOrder> {
        self.sort.as_deref().and_then(SortOrder::from_key)
    }

    pub fn set_liked(&mut self, id: &str, liked: bool) {
        self.likes.retain(|l| l != id);
        if liked {
            self.likes.push(id.to_owned());
        }
    }

    /// Adds or replaces (by id) one of the reader's comments, keeping what a newer build
    /// stored with it.
    pub fn put_comment(&mut self, comment: SavedComment) {
        match self.comments.iter_mut().find(|c| c.id == comment.id) {
            Some(existing) => {
                let extra = std::mem::take(&mut existing.extra);
                *existing = SavedComment { extra, ..comment };
            }
            None => self.comments.push(comment),
        }
    }
}

/// The reader's remembered name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SavedReader {
    pub version: u32,
    pub name: String,
    pub extra: Extra,
}

impl SavedReader {
    pub fn new() -> Self {
        SavedReader {
            version: 1,
            ..Default::default()
        }
    }
}

/// Why stored data could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    Corrupt(String),
    NewerVersion(u32),
}

/// A stored record that knows its version and how to migrate older ones.
pub trait Versioned: Sized {
    const CURRENT: u32;
    /// Reads a record written as `version` (at most `CURRENT`) from its fields.
    fn from_version(version: u32, fields: &Fields) -> Result<Self, String>;
    /// The record as stored, in the current version.
    fn to_json(&self) -> String;
}

impl Versioned for SavedArticle {
    const CURRENT: u32 = SAVED_VERSION;

    fn from_version(version: u32, fields: &Fields) -> Result<Self, String> {
        match version {
            // Version 1 is the first format; later versions add their migrations here.
            1 => SavedArticle::decode(version, fields),
            other => Err(format!("no migration from version {other}")),
        }
    }

    fn to_json(&self) -> String {
        object(|out| {
            out.number("version", SAVED_VERSION);
            out.objects("comments", &self.comments, SavedComment::write);
            out.strings("likes", self.likes.iter().map(String::as_str));
            if !self.drafts.is_empty() {
                out.object("drafts", |drafts| {
                    for (form, text) in &self.drafts {
                        drafts.string(form, text);
                    }
                });
            }
            if let Some(sort) = &self.sort {
                out.string("sort", sort);
            }
            self.extra.write(out);
        })
    }
}

impl Versioned for SavedReader {
    const CURRENT: u32 = 1;

    fn from_version(version: u32, fields: &Fields) -> Result<Self, String> {
        match version {
            1 => Ok(SavedReader {
                version,
                name: fields.text("name")?,
                extra: Extra::of(fields, &["version", "name"]),
            }),
            other => Err(format!("no migration from version {other}")),
        }
    }

    fn to_json(&self) -> String {
        object(|out| {
            out.number("version", 1).string("name", &self.name);
            self.extra.write(out);
        })
    }
}

/// Decodes a stored record of any known version, migrating it to the current one. The
/// version is read first: it says how to read the rest.
pub fn decode_record<T: Versioned>(raw: &str) -> Result<T, Unreadable> {
    let json = parse(raw).map_err(Unreadable::Corrupt)?;
    let fields = Fields::of(&json, "the record").map_err(Unreadable::Corrupt)?;
    let version = fields
        .get("version")
        .map_err(Unreadable::Corrupt)?
        .ok_or_else(|| Unreadable::Corrupt("no version number".into()))?;
    let version = version
        .as_integer()
        .filter(|&v| v >= 0)
        .ok_or_else(|| Unreadable::Corrupt("the version is not a whole number".into()))?;
    let version = u32::try_from(version).unwrap_or(u32::MAX);
    if version > T::CURRENT {
        return Err(Unreadable::NewerVersion(version));
    }
    T::from_version(version, &fields).map_err(Unreadable::Corrupt)
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
    /// What is stored under the record's key cannot be read here; it stays exactly as it
    /// is. `separate`: what the reader posts now is kept under a key of this build's own;
    /// otherwise nothing new is kept. `kept_as`: where a copy of damaged data was set aside.
    Unreadable {
        reason: Unreadable,
        separate: bool,
        kept_as: Option<String>,
    },
    /// The browser refuses storage: nothing this visit will be kept.
    Unavailable,
}

impl StoreProblem {
    pub fn message(&self) -> String {
        match self {
            StoreProblem::Unreadable { reason: Unreadable::NewerVersion(_), separate: true, .. } => {
                "Comments saved by a newer version of this site can't be read here. They are left exactly as they are, and what you post here is saved separately.".into()
            }
            StoreProblem::Unreadable { separate: true, .. } => {
                "Your saved comments for this article could not be read (the stored data is damaged). They are left as they are, and what you post now is saved separately.".into()
            }
            StoreProblem::Unreadable { separate: false, .. } => {
                "Your saved comments for this article could not be read. To protect them, nothing new will be saved in this browser: what you post shows for this visit only.".into()
            }
            StoreProblem::Unavailable => {
                "This browser is not letting the site save anything, so comments you post will only show for this visit.".into()
            }
        }
    }
}

/// A record as read: usable data (perhaps fresh), the problem if there was one, and where
/// this build writes it (`None`: nowhere is safe, so nothing is written).
#[derive(Debug, PartialEq)]
pub struct Opened<T> {
    pub value: T,
    pub problem: Option<StoreProblem>,
    pub home: Option<String>,
}

/// What one key holds, as this build sees it.
enum Read<T> {
    Missing,
    Value(T),
    Unreadable { reason: Unreadable, raw: String },
    Unavailable,
}

/// Reads and writes the reader's records over any [`KeyValue`].
pub struct Store<K> {
    pub kv: K,
}

impl<K: KeyValue> Store<K> {
    pub fn new(kv: K) -> Self {
        Store { kv }
    }

    fn read<T: Versioned>(&self, key: &str) -> Read<T> {
        match self.kv.get(key) {
            Ok(None) => Read::Missing,
            Err(_) => Read::Unavailable,
            Ok(Some(raw)) => match decode_record::<T>(&raw) {
                Ok(value) => Read::Value(value),
                Err(reason) => Read::Unreadable { reason, raw },
            },
        }
    }

    /// Reads a record. When what is at its key cannot be read, it is left as it is, and
    /// this build's own record beside it is read instead (see [`RecordKey`]).
    pub fn open<T: Versioned>(&self, key: &RecordKey, fresh: impl Fn() -> T) -> Opened<T> {
        let (reason, raw) = match self.read::<T>(&key.primary) {
            Read::Missing => return Opened::at(fresh(), &key.primary),
            Read::Value(value) => return Opened::at(value, &key.primary),
            Read::Unavailable => {
                return Opened {
                    value: fresh(),
                    problem: Some(StoreProblem::Unavailable),
                    home: None,
                }
            }
            Read::Unreadable { reason, raw } => (reason, raw),
        };
        let kept_as = match reason {
            Unreadable::Corrupt(_) => self.keep_aside(&key.primary, &raw),
            // Another build's valid data: its own to keep.
            Unreadable::NewerVersion(_) => None,
        };
        let (value, home) = match self.read::<T>(&key.fallback) {
            Read::Missing => (fresh(), Some(key.fallback.clone())),
            Read::Value(value) => (value, Some(key.fallback.clone())),
            Read::Unreadable { .. } | Read::Unavailable => (fresh(), None),
        };
        Opened {
            value,
            problem: Some(StoreProblem::Unreadable {
                reason,
                separate: home.is_some(),
                kept_as,
            }),
            home,
        }
    }

    /// Copies damaged data aside, once per distinct content (the copy's key holds the
    /// content's digest), and only while few and small copies are kept.
    fn keep_aside(&self, key: &str, raw: &str) -> Option<String> {
        let rest = key.strip_prefix(KEY_PREFIX).unwrap_or(key);
        let kept_as = format!("{KEPT_ASIDE_PREFIX}{}:{rest}", digest(raw.as_bytes()));
        if self.kv.get(&kept_as).ok()?.is_some() {
            return Some(kept_as);
        }
        let kept = self.kv.keys().ok()?;
        let count = kept
            .iter()
            .filter(|k| k.starts_with(KEPT_ASIDE_PREFIX))
            .count();
        if count >= MAX_KEPT_ASIDE || raw.len() > MAX_KEPT_ASIDE_BYTES {
            return None;
        }
        self.kv.set(&kept_as, raw).ok()?;
        Some(kept_as)
    }

    /// Applies `change` to the freshest record at `home` and writes it back, so two tabs
    /// that write in turn never undo each other. Writes nothing over a record this build
    /// cannot read (another tab of a newer build may have written it meanwhile).
    pub fn update<T: Versioned>(
        &self,
        home: &str,
        fresh: impl Fn() -> T,
        change: impl FnOnce(&mut T),
    ) -> Result<T, StorageError> {
        let mut value = match self.read::<T>(home) {
            Read::Missing => fresh(),
            Read::Value(value) => value,
            Read::Unreadable { .. } => return Err(StorageError::Unreadable),
            Read::Unavailable => return Err(StorageError::Unavailable),
        };
        change(&mut value);
        self.kv.set(home, &value.to_json())?;
        Ok(value)
    }

    /// A draft, if one is kept.
    pub fn draft(&self, key: &str) -> Option<String> {
        self.kv.get(key).ok().flatten().filter(|d| !d.is_empty())
    }

    /// Keeps a draft under its own key (an empty one is removed): a keystroke writes the
    /// draft alone, never the record of comments.
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

impl<T> Opened<T> {
    fn at(value: T, key: &str) -> Opened<T> {
        Opened {
            value,
            problem: None,
            home: Some(key.to_owned()),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // native: proptest does not run in the browser
pub mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::HashMap;

    /// An in-memory store with a size limit, as a full browser storage behaves.
    #[derive(Default)]
    pub struct MemoryKv {
        pub map: RefCell<HashMap<String, String>>,
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
            id: id.into(),
            parent: None,
            author: "Ann".into(),
            body: body.into(),
            posted: Timestamp::from_epoch_ms(1_700_000_000_000),
            edited: None,
            deleted: false,
            extra: Extra::default(),
        }
    }

    const SLUG: &str = "a";

    fn key() -> RecordKey {
        article_key(SLUG)
    }

    fn kept_aside(kv: &MemoryKv) -> Vec<String> {
        let mut keys: Vec<_> = kv
            .map
            .borrow()
            .keys()
            .filter(|k| k.starts_with(KEPT_ASIDE_PREFIX))
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    #[test]
    fn keys_are_namespaced_and_per_article() {
        assert_eq!(key().primary, "my-garage:article:a");
        assert_eq!(key().fallback, "my-garage:article:a@v1");
        assert!(reader_key().primary.starts_with(KEY_PREFIX));
        assert_eq!(draft_key("a", ""), "my-garage:draft:a:new");
        assert_eq!(draft_key("a", "c 1"), "my-garage:draft:a:reply:c 1");
    }

    #[test]
    fn round_trips_everything_a_reader_keeps() {
        let kv = MemoryKv::default();
        let store = Store::new(&kv);
        store
            .update(&key().primary, SavedArticle::new, |s| {
                s.put_comment(comment("c1", "first <b>text</b> \u{202e} 🚗"));
                s.set_liked("p1", true);
                s.sort = Some("oldest".into());
            })
            .unwrap();
        let opened = store.open(&key(), SavedArticle::new);
        assert_eq!(opened.problem, None);
        assert_eq!(opened.home.as_deref(), Some("my-garage:article:a"));
        let saved = opened.value;
        assert_eq!(
            saved.comments,
            vec![comment("c1", "first <b>text</b> \u{202e} 🚗")]
        );
        assert_eq!(saved.likes, ["p1"]);
        assert_eq!(saved.sort_order(), Some(SortOrder::Oldest));
        assert!(kv
            .value("my-garage:article:a")
            .unwrap()
            .contains("\"version\":1"));
    }

    #[test]
    fn updates_apply_to_the_freshest_data_so_tabs_do_not_undo_each_other() {
        let kv = MemoryKv::default();
        let tab_a = Store::new(&kv);
        let tab_b = Store::new(&kv);
        let stale_b = tab_b.open(&key(), SavedArticle::new).value;
        tab_a
            .update(&key().primary, SavedArticle::new, |s| {
                s.put_comment(comment("from-a", "A"))
            })
            .unwrap();
        assert!(stale_b.comments.is_empty());
        tab_b
            .update(&key().primary, SavedArticle::new, |s| {
                s.set_liked("x", true)
            })
            .unwrap();
        let now = tab_a.open(&key(), SavedArticle::new).value;
        assert_eq!(now.comments.len(), 1, "tab B's write kept tab A's comment");
        assert_eq!(now.likes, ["x"]);
    }

    /// Invariant: a value this build cannot read stays byte for byte at its key, however
    /// the page is used; the reader is told, and new comments are kept beside it.
    #[test]
    fn unreadable_data_stays_byte_for_byte_and_new_comments_go_beside_it() {
        for (raw, newer) in [
            ("{not json", false),
            (r#"{"version":1,"comments":"oops"}"#, false),
            (
                r#"{"version":7,"comments":[{"id":"x","reactions":["🚗"]}]}"#,
                true,
            ),
        ] {
            let kv = MemoryKv::with(&[("my-garage:article:a", raw)]);
            let store = Store::new(&kv);
            let opened = store.open(&key(), SavedArticle::new);
            let Some(StoreProblem::Unreadable {
                reason,
                separate: true,
                ..
            }) = &opened.problem
            else {
                panic!("{raw}: {:?}", opened.problem);
            };
            assert_eq!(
                matches!(reason, Unreadable::NewerVersion(7)),
                newer,
                "{raw}"
            );
            let message = opened.problem.as_ref().unwrap().message();
            assert!(message.contains("saved separately"), "{message}");
            let home = opened.home.unwrap();
            assert_eq!(home, "my-garage:article:a@v1");
            // The reader posts, likes and sorts, and other tabs' events re-open the record.
            for n in 0..3 {
                store
                    .update(&home, SavedArticle::new, |s| {
                        s.put_comment(comment(&format!("c{n}"), "kept"));
                        s.set_liked("p", n % 2 == 0);
                    })
                    .unwrap();
                store.open(&key(), SavedArticle::new);
            }
            assert_eq!(
                kv.value("my-garage:article:a").as_deref(),
                Some(raw),
                "untouched"
            );
            let reopened = store.open(&key(), SavedArticle::new);
            assert_eq!(
                reopened.value.comments.len(),
                3,
                "what was posted is found again"
            );
            assert!(reopened.problem.is_some(), "and the reader is still told");
        }
    }

    /// Invariant: a copy of damaged data is made once per distinct content, never once per
    /// event, and copies are bounded in number and size.
    #[test]
    fn damaged_data_is_copied_aside_once_per_content_and_boundedly() {
        let kv = MemoryKv::with(&[("my-garage:article:a", "{broken")]);
        let store = Store::new(&kv);
        for _ in 0..10 {
            store.open(&key(), SavedArticle::new);
        }
        let kept = kept_aside(&kv);
        assert_eq!(kept.len(), 1, "one copy for one content: {kept:?}");
        assert_eq!(kv.value(&kept[0]).as_deref(), Some("{broken"));
        // Newer-version data is another build's valid data: not copied.
        let newer = MemoryKv::with(&[("my-garage:article:a", r#"{"version":2}"#)]);
        Store::new(&newer).open(&key(), SavedArticle::new);
        assert!(kept_aside(&newer).is_empty());
        // Many distinct damaged records: at most MAX_KEPT_ASIDE copies.
        for n in 0..(MAX_KEPT_ASIDE + 3) {
            kv.map
                .borrow_mut()
                .insert("my-garage:article:a".into(), format!("{{broken {n}"));
            store.open(&key(), SavedArticle::new);
        }
        assert_eq!(kept_aside(&kv).len(), MAX_KEPT_ASIDE);
        // A damaged record larger than the bound is left in place, not copied.
        let huge = format!("{{{}", "x".repeat(MAX_KEPT_ASIDE_BYTES));
        let big = MemoryKv::with(&[("my-garage:article:a", &huge)]);
        let opened = Store::new(&big).open(&key(), SavedArticle::new);
        assert!(matches!(
            opened.problem,
            Some(StoreProblem::Unreadable { kept_as: None, .. })
        ));
        assert!(kept_aside(&big).is_empty());
        assert_eq!(big.value("my-garage:article:a"), Some(huge));
    }

    /// Invariant: reading is forward compatible; a field added within the same format
    /// version is ignored, and written back as it was.
    #[test]
    fn fields_a_newer_build_added_are_read_past_and_kept() {
        let raw = r#"{"version":1,"theme":{"dark":true},"comments":[{"id":"c","author":"A","body":"b","posted":"2024-01-01T00:00:00Z","reactions":["🚗"]}],"likes":[]}"#;
        let kv = MemoryKv::with(&[("my-garage:article:a", raw)]);
        let store = Store::new(&kv);
        let opened = store.open(&key(), SavedArticle::new);
        assert_eq!(opened.problem, None);
        assert_eq!(opened.value.comments[0].body, "b");
        store
            .update(&key().primary, SavedArticle::new, |s| {
                let mut edited = s.comments[0].clone();
                edited.body = "edited".into();
                s.put_comment(edited);
                s.set_liked("c", true);
            })
            .unwrap();
        let written = kv.value("my-garage:article:a").unwrap();
        assert!(written.contains(r#""theme":{"dark":true}"#), "{written}");
        assert!(written.contains(r#""reactions":["🚗"]"#), "{written}");
        assert!(written.contains(r#""body":"edited""#), "{written}");
        let reader = MemoryKv::with(&[(
            "my-garage:reader",
            r#"{"version":1,"name":"Ann","pronouns":"she"}"#,
        )]);
        let store = Store::new(&reader);
        assert_eq!(
            store.open(&reader_key(), SavedReader::new).value.name,
            "Ann"
        );
        store
            .update(&reader_key().primary, SavedReader::new, |r| {
                r.name = "Bo".into()
            })
            .unwrap();
        assert!(reader
            .value("my-garage:reader")
            .unwrap()
            .contains(r#""pronouns":"she""#));
    }

    #[test]
    fn wrong_shapes_and_newer_versions_are_not_read_as_ours() {
        for raw in [
            "[]",
            "null",
            "{oops",
            r#"{"version":"1"}"#,
            r#"{"version":-1}"#,
            r#"{"comments":[]}"#,
            r#"{"version":1,"comments":"oops"}"#,
            r#"{"version":1,"comments":[{"id":"x"}]}"#,
        ] {
            assert!(
                matches!(
                    decode_record::<SavedArticle>(raw),
                    Err(Unreadable::Corrupt(_))
                ),
                "{raw}"
            );
        }
        assert_eq!(
            decode_record::<SavedArticle>(r#"{"version":7,"whatever":1}"#),
            Err(Unreadable::NewerVersion(7))
        );
        let opened = Store::new(&MemoryKv::with(&[(
            "my-garage:article:a",
            r#"{"version":7}"#,
        )]))
        .open(&key(), SavedArticle::new);
        assert!(opened.problem.unwrap().message().contains("newer version"));
    }

    #[test]
    fn a_record_that_became_unreadable_is_not_written_over() {
        let kv = MemoryKv::default();
        let store = Store::new(&kv);
        let home = store.open(&key(), SavedArticle::new).home.unwrap();
        // A tab of a newer build writes its own format meanwhile.
        kv.map
            .borrow_mut()
            .insert(home.clone(), r#"{"version":2,"comments":[]}"#.into());
        let result = store.update(&home, SavedArticle::new, |s| {
            s.put_comment(comment("c", "x"))
        });
        assert_eq!(result, Err(StorageError::Unreadable));
        assert_eq!(
            kv.value(&home).as_deref(),
            Some(r#"{"version":2,"comments":[]}"#)
        );
    }

    #[test]
    fn with_nowhere_safe_to_write_nothing_is_written() {
        let kv = MemoryKv::with(&[
            ("my-garage:article:a", "{broken"),
            ("my-garage:article:a@v1", "{also broken"),
        ]);
        let opened = Store::new(&kv).open(&key(), SavedArticle::new);
        assert_eq!(opened.home, None);
        let problem = opened.problem.unwrap();
        assert!(matches!(
            problem,
            StoreProblem::Unreadable {
                separate: false,
                ..
            }
        ));
        assert!(problem.message().contains("nothing new will be saved"));
    }

    #[test]
    fn full_and_disabled_storage_report_failure() {
        let full = MemoryKv {
            capacity: Some(10),
            ..Default::default()
        };
        let r = Store::new(&full).update(&key().primary, SavedArticle::new, |s| {
            s.put_comment(comment("c", "x"))
        });
        assert_eq!(r, Err(StorageError::Full));
        assert_eq!(
            Store::new(&full).save_draft(&draft_key(SLUG, ""), "a long draft that will not fit"),
            Err(StorageError::Full)
        );
        let off = MemoryKv {
            disabled: true,
            ..Default::default()
        };
        let opened = Store::new(&off).open(&key(), SavedArticle::new);
        assert_eq!(opened.problem, Some(StoreProblem::Unavailable));
        assert_eq!(opened.home, None);
        let r = Store::new(&off).update(&key().primary, SavedArticle::new, |_| {});
        assert_eq!(r, Err(StorageError::Unavailable));
    }

    /// Invariant: a draft is written under its own key, never into the record of comments,
    /// and clearing it after a post leaves a different draft (another tab's) alone.
    #[test]
    fn drafts_are_kept_on_their_own() {
        let kv = MemoryKv::default();
        let store = Store::new(&kv);
        store
            .update(&key().primary, SavedArticle::new, |s| {
                s.put_comment(comment("c", "x"))
            })
            .unwrap();
        let record = kv.value("my-garage:article:a");
        let draft = draft_key(SLUG, "");
        for text in ["H", "He", "Hello"] {
            store.save_draft(&draft, text).unwrap();
        }
        assert_eq!(
            kv.value("my-garage:article:a"),
            record,
            "the record is not rewritten"
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

    #[test]
    fn reader_name_is_versioned_too() {
        let kv = MemoryKv::default();
        let store = Store::new(&kv);
        store
            .update(&reader_key().primary, SavedReader::new, |r| {
                r.name = "Ann".into()
            })
            .unwrap();
        assert_eq!(
            store.open(&reader_key(), SavedReader::new).value.name,
            "Ann"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_comment_text_round_trips(body in ".{0,300}", author in ".{1,40}") {
            let kv = MemoryKv::default();
            let store = Store::new(&kv);
            let mut c = comment("x", &body);
            c.author = author;
            store.update(&key().primary, SavedArticle::new, |s| s.put_comment(c.clone())).unwrap();
            proptest::prop_assert_eq!(&store.open(&key(), SavedArticle::new).value.comments[0], &c);
        }
    }
}
