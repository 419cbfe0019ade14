//! Taking in what another tab of the same article stored: posts, edits, deletions, likes
//! and unlikes, so every open tab converges on the reader's stored record.

use super::model::Origin;
use super::saved::SavedArticle;
use super::thread::Thread;

/// What changed in the thread, by comment id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    /// The reader's comments new to this tab.
    pub added: Vec<String>,
    /// Comments whose content or like changed.
    pub changed: Vec<String>,
}

/// Applies the stored record to the thread: the reader's stored comments are added or
/// updated, and the stored likes become this tab's likes (so an unlike arrives too).
/// Comments this tab could not store (shown as "Not saved") are left as they are.
pub fn merge(thread: &mut Thread, saved: &SavedArticle) -> Merged {
    let mut merged = Merged::default();
    for stored in &saved.comments {
        let comment = stored.to_comment(true);
        match thread.get(&comment.id) {
            None => {
                if thread.insert(comment) {
                    merged.added.push(stored.id.clone());
                }
            }
            // A change this tab could not store is what this tab shows.
            Some(current) if current.origin == Origin::Mine { saved: false } => {}
            Some(current) if *current != comment => {
                thread.update(comment);
                merged.changed.push(stored.id.clone());
            }
            Some(_) => {}
        }
    }
    let unliked: Vec<String> = thread
        .liked()
        .filter(|id| !saved.likes.contains(id))
        .cloned()
        .collect();
    for id in unliked {
        thread.set_liked(&id, false);
        merged.changed.push(id);
    }
    for id in &saved.likes {
        if !thread.is_liked(id) {
            thread.set_liked(id, true);
            merged.changed.push(id.clone());
        }
    }
    merged
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::comments::model::Comment;
    use crate::core::comments::saved::tests::comment;
    use crate::core::comments::thread::SortOrder;
    use crate::core::time::Timestamp;
    use std::collections::HashSet;

    fn published(id: &str) -> Comment {
        Comment {
            id: id.into(),
            parent: None,
            author: "P".into(),
            body: "published".into(),
            posted: Timestamp::from_epoch_ms(1_600_000_000_000),
            likes: 2,
            origin: Origin::Published,
            edited: None,
            deleted: false,
        }
    }

    fn thread(liked: &[&str]) -> Thread {
        let mine = comment("mine", "first words").to_comment(true);
        Thread::build(
            vec![published("p1"), published("p2"), mine],
            liked.iter().map(|s| s.to_string()).collect::<HashSet<_>>(),
            SortOrder::Newest,
        )
    }

    #[test]
    fn posts_edits_and_deletions_from_another_tab_arrive() {
        let mut thread = thread(&[]);
        let mut edited = comment("mine", "edited words");
        edited.edited = Some(Timestamp::from_epoch_ms(1_700_000_100_000));
        let mut gone = comment("gone", "");
        gone.deleted = true;
        let saved = SavedArticle {
            comments: vec![edited, comment("new", "from the other tab"), gone],
            ..SavedArticle::default()
        };
        let merged = merge(&mut thread, &saved);
        assert_eq!(merged.added, ["new", "gone"]);
        assert_eq!(merged.changed, ["mine"]);
        assert_eq!(thread.get("mine").unwrap().body, "edited words");
        assert!(thread.get("gone").unwrap().deleted);
        assert_eq!(merge(&mut thread, &saved), Merged::default(), "once only");
    }

    #[test]
    fn likes_and_unlikes_converge() {
        let mut thread = thread(&["p1"]);
        let saved = SavedArticle {
            comments: vec![comment("mine", "first words")],
            likes: vec!["p2".into()],
            ..SavedArticle::default()
        };
        let merged = merge(&mut thread, &saved);
        assert_eq!(merged.changed, ["p1", "p2"]);
        assert!(!thread.is_liked("p1"), "the unlike arrived");
        assert!(thread.is_liked("p2"));
        assert_eq!(thread.entry("p2").unwrap().likes, 3);
    }

    #[test]
    fn comments_this_tab_could_not_store_stay() {
        let mut thread = thread(&[]);
        thread.insert(comment("unsaved", "only here").to_comment(false));
        let merged = merge(&mut thread, &SavedArticle::default());
        assert_eq!(merged, Merged::default());
        assert_eq!(thread.get("unsaved").unwrap().body, "only here");
    }
}
