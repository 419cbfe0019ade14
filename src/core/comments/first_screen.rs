//! The first screenful of a published thread, found before the whole file is decoded.
//!
//! Decoding 10,000 comments and building their thread takes tens of milliseconds in a browser
//! that has only just compiled the comments code, and the first screen needs only the
//! top-level comments that come first in the reader's order. One pass over the file weighs
//! each entry with its text borrowed from the file (bodies are most of the bytes, and no
//! copy is made of them); only the chosen entries are copied. The whole thread is built a
//! frame later and takes this preview's place (see `Discussion::show_published`).
//!
//! For a well-formed file the preview is exactly the whole thread's first comments (a test
//! holds them to it). In a file with a reply whose parent is missing, or replies that form a
//! cycle, the whole thread shows such a reply at the top level; if it belongs on the first
//! screen it appears there a frame later.

use super::model::{Comment, Origin, COMMENTS_VERSION};
use super::thread::{RootKey, SortOrder};
use crate::core::order::ordered;
use crate::core::time::Timestamp;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

/// The first `count` top-level published comments in `order`, in file order (so a thread
/// built from them breaks ties as the whole thread does). `liked` is this reader's likes,
/// which count in "Most liked". `None` when the file is not plainly well formed: the caller
/// then waits for the whole thread.
///
/// One pass over the file (serde's `SeqAccess`, entry by entry): each entry's text is
/// borrowed from the file where it can be, and only the entries chosen so far are copied.
pub fn first_screen(
    json: &[u8],
    order: SortOrder,
    liked: &HashSet<String>,
    count: usize,
) -> Option<Vec<Comment>> {
    let mut chosen = Chosen {
        best: Vec::with_capacity(count + 1),
        count,
        order,
        // Only "Most liked" puts likes in the order.
        liked: (order == SortOrder::MostLiked).then_some(liked),
        index: 0,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    (&mut deserializer)
        .deserialize_map(FileVisitor(&mut chosen))
        .ok()?;
    deserializer.end().ok()?;
    let in_file_order = ordered(chosen.best, |c| (0, 0, c.index));
    Some(in_file_order.into_iter().map(|c| c.comment).collect())
}

/// A published entry with its text borrowed from the file (copied only where it has
/// escapes).
#[derive(Deserialize)]
struct EntryView<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(default, borrow)]
    parent: Option<Cow<'a, str>>,
    #[serde(borrow)]
    author: Cow<'a, str>,
    #[serde(borrow)]
    body: Cow<'a, str>,
    #[serde(borrow)]
    posted: Cow<'a, str>,
    #[serde(default)]
    likes: Option<u32>,
}

/// A chosen entry and its place in the order and in the file.
struct Candidate {
    key: RootKey,
    index: usize,
    comment: Comment,
}

/// The entries that come first in the order so far, best first: at most `count`.
struct Chosen<'l> {
    best: Vec<Candidate>,
    count: usize,
    order: SortOrder,
    liked: Option<&'l HashSet<String>>,
    /// The next entry's place in the file.
    index: usize,
}

impl Chosen<'_> {
    /// Weighs one entry; `None` when it is not plainly a comment (the whole thread then
    /// reads the file, entry by entry).
    fn consider(&mut self, entry: EntryView) -> Option<()> {
        let index = self.index;
        self.index += 1;
        let reply = entry.parent.as_deref().is_some_and(|p| !p.is_empty());
        // A reply waits for the whole thread; an entry without an id is skipped there.
        if reply || entry.id.is_empty() {
            return Some(());
        }
        let posted_ms = Timestamp::epoch_ms_of(&entry.posted).ok()?;
        let likes = entry.likes.unwrap_or_default();
        let mine = self
            .liked
            .is_some_and(|liked| liked.contains(entry.id.as_ref()));
        let key = self
            .order
            .root_key(posted_ms, likes.saturating_add(u32::from(mine)), index);
        // Most entries do not belong among the chosen, and one comparison says so.
        if self.best.len() == self.count && self.best.last().is_none_or(|last| key >= last.key) {
            return Some(());
        }
        let comment = Comment {
            id: entry.id.into_owned(),
            parent: None,
            author: entry.author.into_owned(),
            body: entry.body.into_owned(),
            posted: Timestamp::parse_owned(entry.posted.into_owned()).ok()?,
            likes,
            origin: Origin::Published,
            edited: None,
            deleted: false,
            editable_until: None,
        };
        let at = self.best.partition_point(|c| c.key < key);
        self.best.insert(
            at,
            Candidate {
                key,
                index,
                comment,
            },
        );
        self.best.truncate(self.count);
        Some(())
    }
}

/// The file's object: `version` (this reader's, if given), `comments` once, nothing else
/// read.
struct FileVisitor<'c, 'l>(&'c mut Chosen<'l>);

impl<'de> Visitor<'de> for FileVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a comments file")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen_comments = false;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "version" => {
                    if map.next_value::<u32>()? != COMMENTS_VERSION {
                        return Err(serde::de::Error::custom("another version"));
                    }
                }
                "comments" if !seen_comments => {
                    seen_comments = true;
                    map.next_value_seed(Entries(&mut *self.0))?;
                }
                "comments" => return Err(serde::de::Error::duplicate_field("comments")),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if seen_comments {
            Ok(())
        } else {
            Err(serde::de::Error::missing_field("comments"))
        }
    }
}

/// The `comments` list, weighed entry by entry as it is read.
struct Entries<'c, 'l>(&'c mut Chosen<'l>);

impl<'de> DeserializeSeed<'de> for Entries<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of comments")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<EntryView<'de>>()? {
            self.0
                .consider(entry)
                .ok_or_else(|| serde::de::Error::custom("not plainly a comment"))?;
        }
        Ok(())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // native: proptest does not run in the browser
mod tests {
    use super::*;
    use crate::core::comments::model::decode_comments;
    use crate::core::comments::thread::Thread;
    use proptest::prelude::*;

    fn ids(comments: &[Comment]) -> Vec<String> {
        comments.iter().map(|c| c.id.clone()).collect()
    }

    proptest! {
        /// The preview is the whole thread's first screen, in every order, whatever this
        /// reader liked.
        #[test]
        fn agrees_with_the_whole_thread(
            count in 0usize..60,
            seed in any::<u64>(),
            order in prop::sample::select(SortOrder::ALL.to_vec()),
            liked_every in 1usize..6,
            shown in 1usize..8,
        ) {
            let text = garage_thread_gen::comments_file(count, seed);
            let all = decode_comments(text.as_bytes()).unwrap().comments;
            let liked: HashSet<String> = all.iter().step_by(liked_every).map(|c| c.id.clone()).collect();
            let preview = first_screen(text.as_bytes(), order, &liked, shown).expect("a well-formed file");
            let mut in_order = Thread::build(preview.clone(), liked.clone(), order).top_level_page(shown);
            let whole = Thread::build(all, liked, order).top_level_page(shown);
            prop_assert_eq!(&in_order, &whole);
            in_order.sort_by_key(|id| id[1..].parse::<usize>().unwrap_or_default());
            prop_assert_eq!(ids(&preview), in_order, "file order");
        }
    }

    #[test]
    fn ties_are_broken_as_the_whole_thread_breaks_them() {
        let text = r#"{"comments":[
            {"id":"a","author":"A","body":"1","posted":"2024-07-24T10:00:00Z","likes":2},
            {"id":"b","author":"B","body":"2","posted":"2024-07-24T10:00:00Z","likes":2},
            {"id":"r","parent":"a","author":"R","body":"3","posted":"2024-07-25T10:00:00Z"},
            {"id":"c","parent":null,"author":"C","body":"4","posted":"2024-07-24T10:00:00Z","likes":1}]}"#;
        let liked: HashSet<String> = ["c".to_owned()].into();
        for order in SortOrder::ALL {
            let preview = first_screen(text.as_bytes(), order, &liked, 2).unwrap();
            let all = decode_comments(text.as_bytes()).unwrap().comments;
            assert_eq!(
                Thread::build(preview, liked.clone(), order).top_level_page(2),
                Thread::build(all, liked.clone(), order).top_level_page(2),
                "{order:?}"
            );
        }
    }

    #[test]
    fn only_a_plainly_well_formed_file_has_a_preview() {
        let none = HashSet::new();
        let ok =
            r#"{"comments":[{"id":"a","author":"A","body":"hi","posted":"2024-07-24T10:00:00Z"}]}"#;
        assert_eq!(
            first_screen(ok.as_bytes(), SortOrder::Newest, &none, 6).map(|c| ids(&c)),
            Some(vec!["a".to_owned()])
        );
        for bad in [
            "",
            "<html>",
            r#"{"version":2,"comments":[]}"#,
            r#"{"comments":[{"id":"a","author":"A","body":"hi","posted":"soon"}]}"#,
            r#"{"comments":[{"author":"A","body":"hi","posted":"2024-07-24T10:00:00Z"}]}"#,
            r#"{"comments":[{"id":"a","id":"b","author":"A","body":"hi","posted":"2024-07-24T10:00:00Z"}]}"#,
            r#"{"comments":[]} trailing"#,
        ] {
            assert_eq!(
                first_screen(bad.as_bytes(), SortOrder::Newest, &none, 6),
                None,
                "{bad:?}"
            );
        }
    }
}
