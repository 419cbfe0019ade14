//! The comment thread: a flat list made into a tree that tolerates bad data (orphans,
//! cycles, duplicates, very deep chains), sorted, and laid out for display.
//!
//! Display rule: top-level comments hold their replies, replies hold theirs, and from the
//! third level on a conversation continues flat ("in reply to {name}"), so nothing runs
//! off a phone screen. All walks are iterative: a 10,000-deep chain cannot overflow a stack.

use super::id_index::IdIndex;
use super::model::Comment;
use crate::core::order::{newest_first, ordered, Rank};
use std::collections::HashSet;

/// How many levels nest inside each other before replies continue flat.
pub const DISPLAY_DEPTH: usize = 3;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortOrder {
    #[default]
    Newest,
    Oldest,
    MostLiked,
}

impl SortOrder {
    pub const ALL: [SortOrder; 3] = [SortOrder::Newest, SortOrder::Oldest, SortOrder::MostLiked];

    pub fn key(self) -> &'static str {
        match self {
            SortOrder::Newest => "newest",
            SortOrder::Oldest => "oldest",
            SortOrder::MostLiked => "most-liked",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortOrder::Newest => "Newest",
            SortOrder::Oldest => "Oldest",
            SortOrder::MostLiked => "Most liked",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.key() == key)
    }

    /// Where a top-level comment goes in this order (smallest first): posted at `posted_ms`,
    /// with `likes` in all (this reader's included), at `index` in the list the thread was
    /// built from, which breaks ties.
    pub fn root_key(self, posted_ms: i64, likes: u32, index: usize) -> RootKey {
        match self {
            SortOrder::Oldest => (posted_ms, 0, index),
            SortOrder::Newest => (newest_first(posted_ms), 0, usize::MAX - index),
            SortOrder::MostLiked => (-i64::from(likes), newest_first(posted_ms), index),
        }
    }
}

/// See [`SortOrder::root_key`].
pub type RootKey = Rank;

/// One comment's place in the displayed thread.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub comment: Comment,
    pub likes: u32,
    pub liked: bool,
    /// 0 for top level.
    pub depth: usize,
    /// Set when the comment is shown flat, away from its parent.
    pub in_reply_to: Option<(String, String)>,
}

#[derive(Clone, Debug, Default)]
pub struct Thread {
    comments: Vec<Comment>,
    index: IdIndex,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    depth: Vec<usize>,
    roots: Vec<usize>,
    liked: HashSet<String>,
    /// Whether published counts include this reader's likes (a comment service counts them
    /// itself); otherwise the reader's like is added to the count shown.
    likes_include_own: bool,
    order: SortOrder,
}

impl Thread {
    /// Builds a thread. The first comment with a given id wins; a reply whose parent is
    /// missing becomes top-level; a cycle is broken at its earliest comment.
    pub fn build(all: Vec<Comment>, liked: HashSet<String>, order: SortOrder) -> Self {
        // Deduplicated in place: a 10,000-comment list is not copied.
        let mut comments = all;
        let mut index = IdIndex::with_capacity(comments.len());
        let first_of_its_id: Vec<bool> = (0..comments.len())
            .map(|i| index.insert(&comments, i))
            .collect();
        if index.len() < comments.len() {
            // Rare: repeated ids. Drop the repeats, then index the final positions.
            let mut keep = first_of_its_id.into_iter();
            comments.retain(|_| keep.next().unwrap_or(false));
            index = IdIndex::with_capacity(comments.len());
            for i in 0..comments.len() {
                index.insert(&comments, i);
            }
        }
        let mut thread = Thread {
            comments,
            index,
            liked,
            order,
            ..Thread::default()
        };
        thread.link();
        thread
    }

    fn link(&mut self) {
        let n = self.comments.len();
        self.parent = self
            .comments
            .iter()
            .enumerate()
            .map(|(i, c)| {
                c.parent
                    .as_ref()
                    .and_then(|p| self.index.get(&self.comments, p))
                    .filter(|&p| p != i)
            })
            .collect();
        self.break_cycles();
        self.children = vec![Vec::new(); n];
        self.roots.clear();
        for i in 0..n {
            match self.parent[i] {
                Some(p) => self.children[p].push(i),
                None => self.roots.push(i),
            }
        }
        let children = std::mem::take(&mut self.children);
        self.children = (children.into_iter())
            .map(|list| ordered(list, |&i| (self.comments[i].posted.epoch_ms, 0, i)))
            .collect();
        self.depth = vec![0; n];
        let mut stack = self.roots.clone();
        while let Some(i) = stack.pop() {
            for &c in &self.children[i] {
                self.depth[c] = self.depth[i] + 1;
                stack.push(c);
            }
        }
        self.sort_roots();
    }

    fn break_cycles(&mut self) {
        // 0 unvisited, 1 on the current path, 2 known to reach a root.
        let mut state = vec![0u8; self.comments.len()];
        let mut path: Vec<usize> = Vec::new();
        for start in 0..self.comments.len() {
            path.clear();
            let mut at = Some(start);
            while let Some(i) = at {
                match state[i] {
                    2 => break,
                    1 => {
                        let from = path.iter().position(|&p: &usize| p == i).unwrap_or(0);
                        let cycle: &[usize] = &path[from..];
                        let earliest = *cycle
                            .iter()
                            .min_by_key(|&&c| (self.comments[c].posted.epoch_ms, c))
                            .unwrap_or(&i);
                        self.parent[earliest] = None;
                        break;
                    }
                    _ => {
                        state[i] = 1;
                        path.push(i);
                        at = self.parent[i];
                    }
                }
            }
            for &i in &path {
                state[i] = 2;
            }
        }
    }

    fn root_key(&self, i: usize) -> RootKey {
        let c = &self.comments[i];
        self.order.root_key(c.posted.epoch_ms, self.likes_of(i), i)
    }

    fn sort_roots(&mut self) {
        let roots = std::mem::take(&mut self.roots);
        self.roots = ordered(roots, |&i| self.root_key(i));
    }

    pub fn order(&self) -> SortOrder {
        self.order
    }

    pub fn set_order(&mut self, order: SortOrder) {
        self.order = order;
        self.sort_roots();
    }

    fn likes_of(&self, i: usize) -> u32 {
        let c = &self.comments[i];
        let own = !self.likes_include_own && self.liked.contains(&c.id);
        c.likes.saturating_add(u32::from(own))
    }

    /// Published counts include this reader's likes (see `likes_include_own`).
    pub fn count_own_likes_as_published(&mut self) {
        self.likes_include_own = true;
    }

    /// Gives a comment a new id (a comment service's, for one posted from here), in place.
    /// If a comment with the new id is there already (the service's listing brought it),
    /// the old one goes instead.
    pub fn replace_id(&mut self, old_id: &str, comment: Comment) {
        let Some(i) = self.index.get(&self.comments, old_id) else {
            self.insert(comment);
            return;
        };
        if self.index.get(&self.comments, &comment.id).is_some() {
            self.comments[i].deleted = true;
            self.update(comment);
            return;
        }
        self.index.remove(&self.comments, old_id);
        self.comments[i] = comment;
        self.index.insert(&self.comments, i);
    }

    /// Adds one comment in place (no rebuild), where the current order puts it.
    /// Returns false for an id that is already there.
    pub fn insert(&mut self, comment: Comment) -> bool {
        if self.index.get(&self.comments, &comment.id).is_some() {
            return false;
        }
        let i = self.comments.len();
        let parent = comment
            .parent
            .as_ref()
            .and_then(|p| self.index.get(&self.comments, p));
        self.comments.push(comment);
        self.index.insert(&self.comments, i);
        self.parent.push(parent);
        self.children.push(Vec::new());
        match parent {
            Some(p) => {
                self.depth.push(self.depth[p] + 1);
                let key = (self.comments[i].posted.epoch_ms, i);
                let list = &self.children[p];
                let at = list.partition_point(|&c| (self.comments[c].posted.epoch_ms, c) < key);
                self.children[p].insert(at, i);
            }
            None => {
                self.depth.push(0);
                let key = self.root_key(i);
                let at = self.roots.partition_point(|&r| self.root_key(r) < key);
                self.roots.insert(at, i);
            }
        }
        true
    }

    /// Replaces a comment's content (an edit, a deletion, a save confirmed) in place.
    pub fn update(&mut self, comment: Comment) -> bool {
        match self.index.get(&self.comments, &comment.id) {
            Some(i) => {
                self.comments[i] = comment;
                true
            }
            None => false,
        }
    }

    /// Likes or unlikes. The order is not changed, so nothing jumps under the reader's cursor.
    pub fn set_liked(&mut self, id: &str, liked: bool) {
        if liked {
            self.liked.insert(id.to_owned());
        } else {
            self.liked.remove(id);
        }
    }

    pub fn is_liked(&self, id: &str) -> bool {
        self.liked.contains(id)
    }

    /// The ids this reader likes.
    pub fn liked(&self) -> impl Iterator<Item = &String> {
        self.liked.iter()
    }

    pub fn get(&self, id: &str) -> Option<&Comment> {
        self.index
            .get(&self.comments, id)
            .map(|i| &self.comments[i])
    }

    pub fn len(&self) -> usize {
        self.comments.len()
    }

    pub fn is_empty(&self) -> bool {
        self.comments.is_empty()
    }

    /// A deleted comment stays (as "Comment deleted") only while it has replies to hold.
    fn is_shown(&self, i: usize) -> bool {
        !self.comments[i].deleted || !self.children[i].is_empty()
    }

    /// Comments a reader can read: not deleted.
    pub fn visible_count(&self) -> usize {
        self.comments.iter().filter(|c| !c.deleted).count()
    }

    /// Top-level comments in display order.
    pub fn top_level(&self) -> Vec<String> {
        self.roots
            .iter()
            .filter(|&&i| self.is_shown(i))
            .map(|&i| self.comments[i].id.clone())
            .collect()
    }

    pub fn top_level_count(&self) -> usize {
        self.roots.iter().filter(|&&i| self.is_shown(i)).count()
    }

    /// The first `limit` top-level ids, without building the whole list.
    pub fn top_level_page(&self, limit: usize) -> Vec<String> {
        self.roots
            .iter()
            .filter(|&&i| self.is_shown(i))
            .take(limit)
            .map(|&i| self.comments[i].id.clone())
            .collect()
    }

    /// What is displayed inside a comment's element: its replies for the first levels,
    /// then the whole rest of the conversation, flat, in reading order.
    pub fn displayed_replies(&self, id: &str) -> Vec<String> {
        let Some(i) = self.index.get(&self.comments, id) else {
            return Vec::new();
        };
        let depth = self.depth[i];
        let ids = if depth + 2 < DISPLAY_DEPTH {
            self.children[i].clone()
        } else if depth + 2 == DISPLAY_DEPTH {
            self.descendants(i)
        } else {
            Vec::new()
        };
        ids.into_iter()
            .filter(|&c| self.is_shown(c))
            .map(|c| self.comments[c].id.clone())
            .collect()
    }

    fn descendants(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.children[i].iter().rev().copied().collect();
        while let Some(c) = stack.pop() {
            out.push(c);
            stack.extend(self.children[c].iter().rev());
        }
        out
    }

    /// Everything a comment's view shows about it.
    pub fn entry(&self, id: &str) -> Option<Entry> {
        let i = self.index.get(&self.comments, id)?;
        let depth = self.depth[i];
        let parent = match self.parent[i] {
            Some(p) if depth >= DISPLAY_DEPTH => Some(p),
            // One level down, a reply that names another reply's author first ("@Ann …")
            // answers that reply: how a comment service that keeps one level (Isso) holds
            // a reply to a reply.
            Some(p) => self.mentioned(i, p),
            None => None,
        };
        let in_reply_to = parent.map(|p| {
            let parent = &self.comments[p];
            let name = if parent.deleted {
                "a deleted comment".to_owned()
            } else {
                parent.author.clone()
            };
            (parent.id.clone(), name)
        });
        Some(Entry {
            comment: self.comments[i].clone(),
            likes: self.likes_of(i),
            liked: self.liked.contains(id),
            depth,
            in_reply_to,
        })
    }

    /// The earlier reply under `parent` whose author `i`'s text names first ("@Ann …").
    fn mentioned(&self, i: usize, parent: usize) -> Option<usize> {
        let name = self.comments[i].body.strip_prefix('@')?;
        self.children[parent]
            .iter()
            .copied()
            .take_while(|&c| c != i)
            .filter(|&c| !self.comments[c].deleted && !self.comments[c].author.is_empty())
            .filter(|&c| {
                name.strip_prefix(self.comments[c].author.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ',', ':', '\n']))
            })
            .last()
    }

    /// What must be opened to show a comment: the top-level position it sits under, and
    /// for each enclosing comment, the position of the next one inside its displayed replies.
    pub fn reveal(&self, id: &str) -> Option<Reveal> {
        let target = self.index.get(&self.comments, id)?;
        if !self.is_shown(target) {
            return None;
        }
        let mut chain = vec![target];
        while let Some(p) = self.parent[*chain.last()?] {
            chain.push(p);
        }
        chain.reverse();
        let root = chain[0];
        let top_position = self
            .roots
            .iter()
            .filter(|&&r| self.is_shown(r))
            .position(|&r| r == root)?;
        let mut containers = Vec::new();
        for &container in chain.iter().take(DISPLAY_DEPTH - 1) {
            if container == target {
                break;
            }
            let id = &self.comments[container].id;
            let list = self.displayed_replies(id);
            // The deepest of the chain that this list shows: the target itself in a flat list.
            let inner = chain
                .iter()
                .rev()
                .find(|&&c| list.contains(&self.comments[c].id))
                .map(|&c| &self.comments[c].id)?;
            let position = list.iter().position(|x| x == inner)?;
            containers.push((id.clone(), position));
        }
        Some(Reveal {
            top_position,
            containers,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reveal {
    pub top_position: usize,
    pub containers: Vec<(String, usize)>,
}

#[cfg(all(test, not(target_arch = "wasm32")))] // native: proptest does not run in the browser
mod tests {
    use super::*;
    use crate::core::comments::model::Origin;
    use crate::core::time::Timestamp;
    use proptest::prelude::*;

    fn c(id: &str, parent: Option<&str>, minute: i64, likes: u32) -> Comment {
        Comment {
            id: id.into(),
            parent: parent.map(Into::into),
            author: format!("author of {id}"),
            body: format!("body of {id}"),
            posted: Timestamp::from_epoch_ms(1_700_000_000_000 + minute * 60_000),
            likes,
            origin: Origin::Published,
            edited: None,
            deleted: false,
            editable_until: None,
        }
    }

    fn build(list: Vec<Comment>, order: SortOrder) -> Thread {
        Thread::build(list, HashSet::new(), order)
    }

    #[test]
    fn nests_replies_under_parents_oldest_first() {
        let t = build(
            vec![
                c("b", Some("a"), 3, 0),
                c("a", None, 1, 0),
                c("c", Some("a"), 2, 0),
                c("z", None, 5, 0),
            ],
            SortOrder::Oldest,
        );
        assert_eq!(t.top_level(), ["a", "z"]);
        assert_eq!(t.displayed_replies("a"), ["c", "b"]);
        assert_eq!(t.visible_count(), 4);
    }

    #[test]
    fn a_like_on_the_largest_count_neither_overflows_nor_panics() {
        let liked: HashSet<String> = ["max".to_owned()].into();
        let t = Thread::build(
            vec![c("max", None, 1, u32::MAX)],
            liked,
            SortOrder::MostLiked,
        );
        assert_eq!(t.entry("max").unwrap().likes, u32::MAX);
    }

    #[test]
    fn sorts_top_level_by_the_chosen_order() {
        let list = vec![
            c("old", None, 1, 5),
            c("mid", None, 2, 9),
            c("new", None, 3, 0),
        ];
        let mut t = build(list, SortOrder::Newest);
        assert_eq!(t.top_level(), ["new", "mid", "old"]);
        t.set_order(SortOrder::Oldest);
        assert_eq!(t.top_level(), ["old", "mid", "new"]);
        t.set_order(SortOrder::MostLiked);
        assert_eq!(t.top_level(), ["mid", "old", "new"]);
        t.set_liked("new", true);
        assert_eq!(t.entry("new").unwrap().likes, 1);
        assert_eq!(
            t.top_level(),
            ["mid", "old", "new"],
            "liking does not reorder"
        );
    }

    #[test]
    fn orphans_become_top_level_and_duplicates_keep_the_first() {
        let t = build(
            vec![
                c("a", Some("missing"), 1, 0),
                c("a", None, 9, 0),
                c("b", Some("b"), 2, 0),
            ],
            SortOrder::Oldest,
        );
        assert_eq!(t.len(), 2);
        assert_eq!(t.top_level(), ["a", "b"]);
        assert_eq!(t.get("a").unwrap().posted.epoch_ms % 1000, 0);
        assert_eq!(t.entry("a").unwrap().comment.body, "body of a");
    }

    #[test]
    fn cycles_are_broken_at_their_earliest_comment() {
        let t = build(
            vec![
                c("x", Some("z"), 3, 0),
                c("y", Some("x"), 4, 0),
                c("z", Some("y"), 1, 0),
                c("w", Some("y"), 5, 0),
            ],
            SortOrder::Oldest,
        );
        assert_eq!(t.top_level(), ["z"]);
        assert_eq!(t.displayed_replies("z"), ["x"]);
        assert_eq!(t.displayed_replies("x"), ["y", "w"]);
    }

    #[test]
    fn deep_chains_continue_flat_after_three_levels() {
        let n = 10_000;
        let mut list = vec![c("0", None, 0, 0)];
        for i in 1..n {
            list.push(c(&i.to_string(), Some(&(i - 1).to_string()), i as i64, 0));
        }
        let t = build(list, SortOrder::Oldest);
        assert_eq!(t.top_level(), ["0"]);
        assert_eq!(t.displayed_replies("0"), ["1"]);
        let flat = t.displayed_replies("1");
        assert_eq!(flat.len(), n - 2);
        assert_eq!(flat[0], "2");
        assert!(t.displayed_replies("2").is_empty());
        assert_eq!(t.entry("2").unwrap().in_reply_to, None);
        assert_eq!(
            t.entry("3").unwrap().in_reply_to,
            Some(("2".to_owned(), "author of 2".to_owned()))
        );
        let reveal = t.reveal("9999").unwrap();
        assert_eq!(reveal.top_position, 0);
        assert_eq!(
            reveal.containers,
            [("0".to_owned(), 0), ("1".to_owned(), 9997)]
        );
    }

    #[test]
    fn deleted_comments_stay_only_while_they_hold_replies() {
        let mut a = c("a", None, 1, 0);
        a.deleted = true;
        let mut lone = c("lone", None, 2, 0);
        lone.deleted = true;
        let t = build(vec![a, lone, c("r", Some("a"), 3, 0)], SortOrder::Oldest);
        assert_eq!(t.top_level(), ["a"]);
        assert_eq!(t.visible_count(), 1);
        assert_eq!(t.entry("r").unwrap().depth, 1);
    }

    #[test]
    fn insert_places_a_comment_where_the_order_puts_it() {
        let mut t = build(
            vec![c("a", None, 1, 0), c("b", None, 2, 0)],
            SortOrder::Newest,
        );
        assert!(t.insert(c("new", None, 3, 0)));
        assert!(!t.insert(c("new", None, 3, 0)), "same id twice");
        assert_eq!(t.top_level(), ["new", "b", "a"]);
        assert!(t.insert(c("r2", Some("a"), 5, 0)));
        assert!(t.insert(c("r1", Some("a"), 4, 0)));
        assert_eq!(t.displayed_replies("a"), ["r1", "r2"]);
        let mut oldest = build(vec![c("a", None, 1, 0)], SortOrder::Oldest);
        oldest.insert(c("n", None, 2, 0));
        assert_eq!(oldest.top_level(), ["a", "n"]);
    }

    #[test]
    fn reveal_finds_what_to_open() {
        let mut list: Vec<Comment> = (0..30).map(|i| c(&format!("t{i}"), None, i, 0)).collect();
        for i in 0..6 {
            list.push(c(&format!("r{i}"), Some("t25"), 100 + i, 0));
        }
        list.push(c("deep", Some("r5"), 200, 0));
        let t = build(list, SortOrder::Oldest);
        let reveal = t.reveal("deep").unwrap();
        assert_eq!(reveal.top_position, 25);
        assert_eq!(
            reveal.containers,
            [("t25".to_owned(), 5), ("r5".to_owned(), 0)]
        );
        assert_eq!(t.reveal("nope"), None);
    }

    fn arbitrary_thread() -> impl Strategy<Value = Vec<Comment>> {
        prop::collection::vec(
            (0u8..40, prop::option::of(0u8..40), 0i64..50, 0u32..5),
            0..80,
        )
        .prop_map(|rows| {
            rows.into_iter()
                .map(|(id, parent, minute, likes)| {
                    let parent = parent.map(|p| p.to_string());
                    c(&id.to_string(), parent.as_deref(), minute, likes)
                })
                .collect()
        })
    }

    proptest! {
        /// Whatever the input, every distinct comment is shown exactly once, and the
        /// display never nests deeper than the display depth.
        #[test]
        fn every_comment_is_displayed_exactly_once(list in arbitrary_thread(), order in 0usize..3) {
            let distinct: HashSet<String> = list.iter().map(|c| c.id.clone()).collect();
            let t = build(list, SortOrder::ALL[order]);
            let mut seen = Vec::new();
            let mut stack: Vec<(String, usize)> = t.top_level().into_iter().map(|id| (id, 1)).collect();
            while let Some((id, level)) = stack.pop() {
                prop_assert!(level <= DISPLAY_DEPTH);
                for child in t.displayed_replies(&id) {
                    stack.push((child, level + 1));
                }
                prop_assert!(t.reveal(&id).is_some());
                seen.push(id);
            }
            let seen_set: HashSet<String> = seen.iter().cloned().collect();
            prop_assert_eq!(seen.len(), seen_set.len());
            prop_assert_eq!(seen_set, distinct);
        }
    }
}
