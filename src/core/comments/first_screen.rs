//! The first screenful of a published thread, found before the whole file is decoded.
//!
//! Decoding 10,000 comments and building their thread takes tens of milliseconds in a browser
//! that has only just compiled the comments code, and the first screen needs only the
//! top-level comments that come first in the reader's order. One pass reads the sort keys
//! of the top-level entries and skips everything else (bodies are most of the bytes); only
//! the chosen entries are then decoded. The whole thread is built a frame later and takes
//! this preview's place (see `Discussion::show_published`).
//!
//! For a well-formed file the preview is exactly the whole thread's first comments (a test
//! holds them to it). In a file with a reply whose parent is missing, or replies that form a
//! cycle, the whole thread shows such a reply at the top level; if it belongs on the first
//! screen it appears there a frame later.

use super::model::{read_entries, read_entry, Comment, ID, LIKES, PARENT, POSTED};
use super::thread::{RootKey, SortOrder};
use crate::core::json_reader::{text, JsonReader, Value};
use crate::core::time::Timestamp;
use std::collections::HashSet;

/// A top-level entry's place in the order, and where its text is.
struct Candidate {
    key: RootKey,
    text: std::ops::Range<usize>,
}

/// The first `count` top-level published comments in `order`, in file order (so a thread
/// built from them breaks ties as the whole thread does). `liked` is this reader's likes,
/// which count in "Most liked". `None` when the file is not plainly well formed: the caller
/// then waits for the whole thread.
///
/// The work done for each entry is split into small functions, none inlined into another:
/// the browser optimises a small function in about a millisecond on a background thread,
/// while one large function took it 30 ms there, competing with the page for the CPU and
/// ready only after the pass was over.
#[inline(never)]
pub fn first_screen(
    json: &[u8],
    order: SortOrder,
    liked: &HashSet<String>,
    count: usize,
) -> Option<Vec<Comment>> {
    let mut chosen = Chosen {
        best: Vec::with_capacity(count + 1),
        count,
    };
    // Only "Most liked" puts likes in the order.
    let liked = (order == SortOrder::MostLiked).then_some(liked);
    let mut index = 0;
    read_entries(json, |reader| {
        let start = reader.position();
        if let Some((posted_ms, likes)) = read_root_keys(reader, liked)? {
            let key = order.root_key(posted_ms, likes, index);
            if chosen.wants(key) {
                chosen.take(key, start..reader.position());
            }
        }
        index += 1;
        Some(())
    })?;
    chosen.best.sort_by_key(|c| c.text.start);
    chosen
        .best
        .iter()
        .map(|c| read_entry(&mut JsonReader::new(&json[c.text.clone()])))
        .collect()
}

/// The entries that come first in the order so far, best first: at most `count`.
struct Chosen {
    best: Vec<Candidate>,
    count: usize,
}

impl Chosen {
    /// Whether an entry belongs among the chosen. Most do not, and one comparison says so.
    #[inline(always)]
    fn wants(&self, key: RootKey) -> bool {
        self.best.len() < self.count || self.best.last().is_some_and(|last| key < last.key)
    }

    #[inline(never)]
    fn take(&mut self, key: RootKey, text: std::ops::Range<usize>) {
        let at = self.best.partition_point(|c| c.key < key);
        self.best.insert(at, Candidate { key, text });
        self.best.truncate(self.count);
    }
}

/// A top-level entry's posting time and likes (this reader's like included when `liked` is
/// given). `Some(None)` for a reply, or an entry with an empty id (which the whole thread
/// skips): the first screen does not show those. An id, parent or time that is not a plain
/// string (an escape, or the wrong type) is a give-up (`None`): the whole thread reads those.
#[inline(never)]
fn read_root_keys(
    reader: &mut JsonReader,
    liked: Option<&HashSet<String>>,
) -> Option<Option<(i64, u32)>> {
    let (mut id, mut reply, mut posted, mut likes) = (None, false, None, 0);
    reader.object(|reader, key| {
        if key == LIKES {
            likes = reader.u32()?;
            return Some(());
        }
        // Every other value is read at this one place: the browser's optimising compiler
        // copies a function into each place that calls it, and this one loops.
        match (key, reader.value()?) {
            (ID, Value::Plain(value)) => id = Some(value),
            (POSTED, Value::Plain(value)) => posted = Some(value),
            (PARENT, Value::Plain(value)) => reply = !value.is_empty(),
            (PARENT, Value::Null) => reply = false,
            (ID | POSTED | PARENT, _) => return None,
            _ => {}
        }
        Some(())
    })?;
    let id = id?;
    if reply || id.is_empty() {
        return Some(None);
    }
    let posted_ms = Timestamp::epoch_ms_of(text(posted?)?).ok()?;
    let mine = match liked {
        Some(liked) => is_liked(liked, text(id)?),
        None => false,
    };
    Some(Some((posted_ms, likes.saturating_add(u32::from(mine)))))
}

/// Only "Most liked" asks, and the hashing is large: kept out of [`read_root_keys`].
#[inline(never)]
fn is_liked(liked: &HashSet<String>, id: &str) -> bool {
    liked.contains(id)
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
