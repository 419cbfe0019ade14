//! Finds a comment's position from its id without keeping a second copy of every id:
//! the table holds positions, and each lookup compares against the comments themselves.
//! Building the index of a 10,000-comment thread is then one hash per comment, no allocation.

use super::model::Comment;
use hashbrown::HashTable;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

/// Positions in a comment list, keyed by the comments' ids. Hashing is keyed per page
/// (SipHash with a random key), so hostile ids cannot be made to collide.
#[derive(Clone, Debug, Default)]
pub struct IdIndex {
    positions: HashTable<usize>,
    hasher: RandomState,
}

impl IdIndex {
    pub fn with_capacity(capacity: usize) -> Self {
        IdIndex {
            positions: HashTable::with_capacity(capacity),
            hasher: RandomState::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.positions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// Where the comment with `id` sits in `comments`.
    pub fn get(&self, comments: &[Comment], id: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(id);
        self.positions
            .find(hash, |&i| comments[i].id == id)
            .copied()
    }

    /// Forgets the position of the comment with `id` (before its id changes).
    pub fn remove(&mut self, comments: &[Comment], id: &str) {
        let hash = self.hasher.hash_one(id);
        if let Ok(entry) = self.positions.find_entry(hash, |&i| comments[i].id == id) {
            entry.remove();
        }
    }

    /// Records that `comments[position]` has its id; false (and nothing recorded) when
    /// another comment already has that id.
    pub fn insert(&mut self, comments: &[Comment], position: usize) -> bool {
        let id = comments[position].id.as_str();
        let hash = self.hasher.hash_one(id);
        let hasher = &self.hasher;
        match self.positions.entry(
            hash,
            |&i| comments[i].id == id,
            |&i| hasher.hash_one(comments[i].id.as_str()),
        ) {
            hashbrown::hash_table::Entry::Occupied(_) => false,
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(position);
                true
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::comments::model::Origin;
    use crate::core::time::Timestamp;

    fn comment(id: &str) -> Comment {
        Comment {
            id: id.into(),
            parent: None,
            author: "A".into(),
            body: "b".into(),
            posted: Timestamp::from_epoch_ms(0),
            likes: 0,
            origin: Origin::Published,
            edited: None,
            deleted: false,
            editable_until: None,
        }
    }

    #[test]
    fn finds_every_id_and_refuses_a_second_one() {
        let comments: Vec<Comment> = (0..1000)
            .map(|n| comment(&format!("c{n}")))
            .chain([comment("c7")])
            .collect();
        let mut index = IdIndex::with_capacity(4);
        let inserted: Vec<bool> = (0..comments.len())
            .map(|i| index.insert(&comments, i))
            .collect();
        assert!(inserted[..1000].iter().all(|&ok| ok));
        assert!(!inserted[1000], "a duplicate id is not indexed twice");
        assert_eq!(index.len(), 1000);
        assert_eq!(index.get(&comments, "c7"), Some(7));
        assert_eq!(index.get(&comments, "c999"), Some(999));
        assert_eq!(index.get(&comments, "c1000"), None);
        assert_eq!(index.get(&comments, ""), None);
    }
}
