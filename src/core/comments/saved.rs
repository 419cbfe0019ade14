//! What this browser keeps for a reader, per article: their comments, likes, drafts and
//! chosen order. The format is versioned; data that cannot be read is kept aside under its
//! own key, never overwritten or deleted, and the thread carries on without it.
//!
//! Storage sits behind [`KeyValue`], so the same logic runs over `localStorage` in the
//! browser, over memory in tests, or over a comments service later.

use super::model::{Comment, Origin};
use super::thread::SortOrder;
use crate::core::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Every key this app writes begins with this.
pub const KEY_PREFIX: &str = "my-garage:";
/// The version of [`SavedArticle`] this build writes.
pub const SAVED_VERSION: u32 = 1;

pub fn article_key(slug: &str) -> String {
    format!("{KEY_PREFIX}article:{slug}")
}

pub fn reader_key() -> String {
    format!("{KEY_PREFIX}reader")
}

fn kept_aside_key(original: &str, now_ms: i64) -> String {
    let rest = original.strip_prefix(KEY_PREFIX).unwrap_or(original);
    format!("{KEY_PREFIX}kept-aside:{now_ms}:{rest}")
}

/// A comment this reader wrote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedComment {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub author: String,
    pub body: String,
    pub posted: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

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
}

/// Everything kept for one article.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedArticle {
    pub version: u32,
    #[serde(default)]
    pub comments: Vec<SavedComment>,
    #[serde(default)]
    pub likes: Vec<String>,
    /// Unposted text by form: "" for a new comment, a comment id for a reply to it.
    #[serde(default)]
    pub drafts: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
}

impl SavedArticle {
    pub fn new() -> Self {
        SavedArticle {
            version: SAVED_VERSION,
            ..Default::default()
        }
    }

    pub fn sort_order(&self) -> Option<SortOrder> {
        self.sort.as_deref().and_then(SortOrder::from_key)
    }

    pub fn set_draft(&mut self, form: &str, text: &str) {
        if text.is_empty() {
            self.drafts.remove(form);
        } else {
            self.drafts.insert(form.to_owned(), text.to_owned());
        }
    }

    pub fn set_liked(&mut self, id: &str, liked: bool) {
        self.likes.retain(|l| l != id);
        if liked {
            self.likes.push(id.to_owned());
        }
    }

    /// Adds or replaces (by id) one of the reader's comments.
    pub fn put_comment(&mut self, comment: SavedComment) {
        match self.comments.iter_mut().find(|c| c.id == comment.id) {
            Some(existing) => *existing = comment,
            None => self.comments.push(comment),
        }
    }
}

/// The reader's remembered name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedReader {
    pub version: u32,
    pub name: String,
}

/// Why stored data could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    Corrupt(String),
    NewerVersion(u32),
}

/// A stored record that knows its version and how to migrate older ones.
pub trait Versioned: Sized + Serialize {
    const CURRENT: u32;
    /// Reads a record written as `version` (at most `CURRENT`) from its stored text.
    fn from_version(version: u32, raw: &str) -> Result<Self, String>;
}

impl Versioned for SavedArticle {
    const CURRENT: u32 = SAVED_VERSION;
    fn from_version(version: u32, raw: &str) -> Result<Self, String> {
        match version {
            // Version 1 is the first format; later versions add their migrations here.
            1 => serde_json::from_str(raw).map_err(|e| e.to_string()),
            other => Err(format!("no migration from version {other}")),
        }
    }
}

impl Versioned for SavedReader {
    const CURRENT: u32 = 1;
    fn from_version(version: u32, raw: &str) -> Result<Self, String> {
        match version {
            1 => serde_json::from_str(raw).map_err(|e| e.to_string()),
            other => Err(format!("no migration from version {other}")),
        }
    }
}

/// The version number of a stored record, read before the rest: the version says how to
/// read it. (Read straight from the text, not through `serde_json::Value`, whose code would
/// otherwise be in the wasm for this alone.)
#[derive(Deserialize)]
struct RecordVersion {
    #[serde(default)]
    version: Option<u64>,
}

/// Decodes a stored record of any known version, migrating it to the current one.
pub fn decode_record<T: Versioned>(raw: &str) -> Result<T, Unreadable> {
    let record: RecordVersion =
        serde_json::from_str(raw).map_err(|e| Unreadable::Corrupt(e.to_string()))?;
    let version = record
        .version
        .ok_or_else(|| Unreadable::Corrupt("no version number".into()))?;
    let version = u32::try_from(version).unwrap_or(u32::MAX);
    if version > T::CURRENT {
        return Err(Unreadable::NewerVersion(version));
    }
    T::from_version(version, raw).map_err(Unreadable::Corrupt)
}

/// Why the browser would not keep something.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// Quota exceeded.
    Full,
    /// Storage is disabled, blocked or missing (private modes, policies).
    Unavailable,
}

/// The one interface to wherever the reader's data lives.
pub trait KeyValue {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError>;
}

/// What went wrong with stored data, for the warning the reader sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreProblem {
    /// Unreadable data was copied to `kept_as`; the thread continues without it.
    KeptAside { reason: Unreadable, kept_as: String },
    /// Unreadable data could not even be copied aside, so nothing will be written over it.
    Unreadable { reason: Unreadable },
    /// The browser refuses storage: nothing this visit will be kept.
    Unavailable,
}

impl StoreProblem {
    pub fn message(&self) -> String {
        match self {
            StoreProblem::KeptAside { reason: Unreadable::NewerVersion(_), .. } => {
                "Comments saved by a newer version of this site could not be read here. They have been kept aside, untouched.".into()
            }
            StoreProblem::KeptAside { .. } => {
                "Your saved comments for this article could not be read (the stored data is damaged). They have been kept aside, untouched, and the discussion carries on.".into()
            }
            StoreProblem::Unreadable { .. } => {
                "Your saved comments for this article could not be read, and there is no room to keep a copy aside. To protect them, nothing new will be saved in this browser.".into()
            }
            StoreProblem::Unavailable => {
                "This browser is not letting the site save anything, so comments you post will only show for this visit.".into()
            }
        }
    }
}

/// A record read back: usable data (perhaps fresh), and the problem if there was one.
#[derive(Debug, PartialEq)]
pub struct Loaded<T> {
    pub value: T,
    pub problem: Option<StoreProblem>,
    /// False when unreadable data sits in place and must not be written over.
    pub writable: bool,
}

/// Reads and writes the reader's records over any [`KeyValue`].
pub struct Store<K> {
    pub kv: K,
}

impl<K: KeyValue> Store<K> {
    pub fn new(kv: K) -> Self {
        Store { kv }
    }

    /// Reads a record; unreadable data is copied aside and replaced by a fresh record.
    pub fn load<T: Versioned>(&self, key: &str, fresh: impl Fn() -> T, now_ms: i64) -> Loaded<T> {
        let raw = match self.kv.get(key) {
            Ok(Some(raw)) => raw,
            Ok(None) => {
                return Loaded {
                    value: fresh(),
                    problem: None,
                    writable: true,
                }
            }
            Err(_) => {
                return Loaded {
                    value: fresh(),
                    problem: Some(StoreProblem::Unavailable),
                    writable: false,
                }
            }
        };
        match decode_record::<T>(&raw) {
            Ok(value) => Loaded {
                value,
                problem: None,
                writable: true,
            },
            Err(reason) => {
                let kept_as = kept_aside_key(key, now_ms);
                let kept = self.kv.set(&kept_as, &raw).is_ok();
                let value = fresh();
                let replaced = kept && self.write(key, &value).is_ok();
                let problem = if kept {
                    StoreProblem::KeptAside { reason, kept_as }
                } else {
                    StoreProblem::Unreadable { reason }
                };
                Loaded {
                    value,
                    problem: Some(problem),
                    writable: replaced,
                }
            }
        }
    }

    /// Applies `change` to the freshest stored record and writes it back, so two tabs that
    /// write in turn never undo each other's comments.
    pub fn update<T: Versioned>(
        &self,
        key: &str,
        fresh: impl Fn() -> T,
        now_ms: i64,
        change: impl FnOnce(&mut T),
    ) -> Result<T, StorageError> {
        let loaded = self.load(key, fresh, now_ms);
        if !loaded.writable {
            return Err(match loaded.problem {
                Some(StoreProblem::Unavailable) => StorageError::Unavailable,
                _ => StorageError::Full,
            });
        }
        let mut value = loaded.value;
        change(&mut value);
        self.write(key, &value)?;
        Ok(value)
    }

    fn write<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StorageError> {
        let text = serde_json::to_string(value).map_err(|_| StorageError::Unavailable)?;
        self.kv.set(key, &text)
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
    }

    fn comment(id: &str, body: &str) -> SavedComment {
        SavedComment {
            id: id.into(),
            parent: None,
            author: "Ann".into(),
            body: body.into(),
            posted: Timestamp::from_epoch_ms(1_700_000_000_000),
            edited: None,
            deleted: false,
        }
    }

    const KEY: &str = "my-garage:article:a";

    #[test]
    fn keys_are_namespaced_and_per_article() {
        assert_eq!(article_key("volvo-xc60"), "my-garage:article:volvo-xc60");
        assert!(reader_key().starts_with(KEY_PREFIX));
        assert!(kept_aside_key(KEY, 5).starts_with("my-garage:kept-aside:5:"));
    }

    #[test]
    fn round_trips_everything_a_reader_keeps() {
        let kv = MemoryKv::default();
        let store = Store::new(&kv);
        store
            .update(KEY, SavedArticle::new, 0, |s| {
                s.put_comment(comment("c1", "first <b>text</b> \u{202e} 🚗"));
                s.set_liked("p1", true);
                s.set_draft("", "half-written");
                s.sort = Some("oldest".into());
            })
            .unwrap();
        let loaded = store.load(KEY, SavedArticle::new, 0);
        assert_eq!(loaded.problem, None);
        let saved = loaded.value;
        assert_eq!(
            saved.comments,
            vec![comment("c1", "first <b>text</b> \u{202e} 🚗")]
        );
        assert_eq!(saved.likes, ["p1"]);
        assert_eq!(saved.drafts.get(""), Some(&"half-written".to_owned()));
        assert_eq!(saved.sort_order(), Some(SortOrder::Oldest));
        assert!(kv.map.borrow()[KEY].contains("\"version\":1"));
    }

    #[test]
    fn updates_apply_to_the_freshest_data_so_tabs_do_not_undo_each_other() {
        let kv = MemoryKv::default();
        let tab_a = Store::new(&kv);
        let tab_b = Store::new(&kv);
        let stale_b = tab_b.load(KEY, SavedArticle::new, 0).value;
        tab_a
            .update(KEY, SavedArticle::new, 0, |s| {
                s.put_comment(comment("from-a", "A"))
            })
            .unwrap();
        assert!(stale_b.comments.is_empty());
        tab_b
            .update(KEY, SavedArticle::new, 0, |s| s.set_draft("", "B typing"))
            .unwrap();
        let now = tab_a.load(KEY, SavedArticle::new, 0).value;
        assert_eq!(now.comments.len(), 1, "tab B's write kept tab A's comment");
        assert_eq!(now.drafts[""], "B typing");
    }

    #[test]
    fn corrupt_data_is_kept_aside_untouched() {
        let kv = MemoryKv::default();
        kv.map.borrow_mut().insert(KEY.into(), "{not json".into());
        let loaded = Store::new(&kv).load(KEY, SavedArticle::new, 42);
        let Some(StoreProblem::KeptAside {
            kept_as,
            reason: Unreadable::Corrupt(_),
        }) = loaded.problem
        else {
            panic!("expected kept aside, got {:?}", loaded.problem);
        };
        assert_eq!(kv.map.borrow()[&kept_as], "{not json");
        assert!(loaded.writable);
        assert_eq!(loaded.value, SavedArticle::new());
        let again = Store::new(&kv).load(KEY, SavedArticle::new, 43);
        assert_eq!(
            again.problem, None,
            "kept aside once, not again on every visit"
        );
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
            r#"{"version":1,"surprise":true}"#,
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
        let kv = MemoryKv::default();
        kv.map
            .borrow_mut()
            .insert(KEY.into(), r#"{"version":7}"#.into());
        let loaded = Store::new(&kv).load(KEY, SavedArticle::new, 1);
        assert!(matches!(
            loaded.problem,
            Some(StoreProblem::KeptAside {
                reason: Unreadable::NewerVersion(7),
                ..
            })
        ));
        assert!(loaded.problem.unwrap().message().contains("newer version"));
    }

    #[test]
    fn with_no_room_to_keep_a_copy_nothing_is_written_over_it() {
        let kv = MemoryKv {
            capacity: Some(40),
            ..Default::default()
        };
        kv.map.borrow_mut().insert(KEY.into(), "{broken".into());
        let store = Store::new(&kv);
        let loaded = store.load(KEY, SavedArticle::new, 1);
        assert!(matches!(
            loaded.problem,
            Some(StoreProblem::Unreadable { .. })
        ));
        assert!(!loaded.writable);
        let result = store.update(KEY, SavedArticle::new, 1, |s| {
            s.put_comment(comment("c", "x"))
        });
        assert_eq!(result, Err(StorageError::Full));
        assert_eq!(kv.map.borrow()[KEY], "{broken");
    }

    #[test]
    fn full_and_disabled_storage_report_failure() {
        let full = MemoryKv {
            capacity: Some(10),
            ..Default::default()
        };
        let r = Store::new(&full).update(KEY, SavedArticle::new, 0, |s| {
            s.put_comment(comment("c", "x"))
        });
        assert_eq!(r, Err(StorageError::Full));
        let off = MemoryKv {
            disabled: true,
            ..Default::default()
        };
        let loaded = Store::new(&off).load(KEY, SavedArticle::new, 0);
        assert_eq!(loaded.problem, Some(StoreProblem::Unavailable));
        let r = Store::new(&off).update(KEY, SavedArticle::new, 0, |_| {});
        assert_eq!(r, Err(StorageError::Unavailable));
    }

    #[test]
    fn reader_name_is_versioned_too() {
        let kv = MemoryKv::default();
        let store = Store::new(&kv);
        let fresh = || SavedReader {
            version: 1,
            name: String::new(),
        };
        store
            .update(&reader_key(), fresh, 0, |r| r.name = "Ann".into())
            .unwrap();
        assert_eq!(store.load(&reader_key(), fresh, 0).value.name, "Ann");
    }

    proptest::proptest! {
        #[test]
        fn any_comment_text_round_trips(body in ".{0,300}", author in ".{1,40}") {
            let kv = MemoryKv::default();
            let store = Store::new(&kv);
            let mut c = comment("x", &body);
            c.author = author;
            store.update(KEY, SavedArticle::new, 0, |s| s.put_comment(c.clone())).unwrap();
            proptest::prop_assert_eq!(&store.load(KEY, SavedArticle::new, 0).value.comments[0], &c);
        }
    }
}
