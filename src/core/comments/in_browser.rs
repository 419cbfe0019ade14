//! The reader's own browser as the place a thread's comments go, where the publisher runs
//! no comment service: each change is one key of the browser's storage (see `saved`), and
//! only this reader ever sees it.

use super::saved::{KeyValue, SavedComment, Store, SAVED_VERSION};
use super::service::{Accepted, CommentPlace, Deleted, NewComment, SendError};
use super::validate::edit_deadline;
use crate::core::time::Timestamp;
use std::cell::Cell;

/// This browser's storage, for one article.
pub struct InBrowser<K> {
    pub store: Store<K>,
    pub slug: String,
    /// The time of the change now being made (ms since the epoch), as the clock says.
    pub now: Cell<i64>,
}

impl<K: KeyValue> InBrowser<K> {
    pub fn new(store: Store<K>, slug: String) -> Self {
        InBrowser {
            store,
            slug,
            now: Cell::new(0),
        }
    }

    fn keep(&self, comment: SavedComment) -> Result<Accepted, SendError> {
        self.store
            .put_comment(&self.slug, &comment)
            .map_err(|_| SendError::NotKept)?;
        let comment = comment.to_comment(super::model::Delivery::Kept);
        Ok(Accepted {
            editable_until: Some(edit_deadline(comment.posted.epoch_ms)),
            comment,
            pending: false,
        })
    }

    /// The reader's comment as stored, or as the thread knows it when the browser has not
    /// kept it.
    fn stored(&self, id: &str) -> Result<SavedComment, SendError> {
        self.store
            .comment(super::saved::Shelf::Own, &self.slug, id)
            .ok_or(SendError::NotKept)
    }
}

impl<K: KeyValue> CommentPlace for InBrowser<K> {
    async fn post(&self, new: &NewComment) -> Result<Accepted, SendError> {
        self.keep(SavedComment {
            version: SAVED_VERSION,
            id: new.id.clone(),
            parent: new.parent.clone(),
            author: new.author.clone(),
            body: new.text.clone(),
            posted: new.posted.clone(),
            edited: None,
            deleted: false,
            editable_until: None,
            pending: false,
            extra: Default::default(),
        })
    }

    async fn edit(&self, id: &str, text: &str) -> Result<Accepted, SendError> {
        let mut comment = self.stored(id)?;
        comment.body = text.to_owned();
        comment.edited = Some(Timestamp::from_epoch_ms(self.now.get()));
        self.keep(comment)
    }

    async fn delete(&self, id: &str) -> Result<Deleted, SendError> {
        let mut comment = self.stored(id)?;
        comment.deleted = true;
        comment.body.clear();
        self.keep(comment)?;
        Ok(Deleted::Gone)
    }

    async fn like(&self, id: &str, liked: bool) -> Result<Option<u32>, SendError> {
        self.store
            .set_liked(&self.slug, id, liked)
            .map_err(|_| SendError::NotKept)?;
        Ok(None)
    }

    fn can_unlike(&self) -> bool {
        true
    }
}
