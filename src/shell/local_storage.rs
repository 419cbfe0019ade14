//! `localStorage` as the reader's [`KeyValue`] store, and cross-tab change notices.

use crate::core::comments::saved::{KeyValue, StorageError};
use wasm_bindgen::JsCast;

/// The browser's local storage. Every access can fail (disabled, private mode, quota).
#[derive(Clone, Copy, Default)]
pub struct LocalStorage;

fn storage() -> Result<web_sys::Storage, StorageError> {
    web_sys::window()
        .ok_or(StorageError::Unavailable)?
        .local_storage()
        .ok()
        .flatten()
        .ok_or(StorageError::Unavailable)
}

impl KeyValue for LocalStorage {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        storage()?
            .get_item(key)
            .map_err(|_| StorageError::Unavailable)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        storage()?.set_item(key, value).map_err(|error| {
            let quota = error
                .dyn_ref::<web_sys::DomException>()
                .is_some_and(|e| e.name() == "QuotaExceededError" || e.code() == 22);
            if quota {
                StorageError::Full
            } else {
                StorageError::Unavailable
            }
        })
    }

    fn remove(&self, key: &str) -> Result<(), StorageError> {
        storage()?
            .remove_item(key)
            .map_err(|_| StorageError::Unavailable)
    }

    fn keys(&self) -> Result<Vec<String>, StorageError> {
        let storage = storage()?;
        let length = storage.length().map_err(|_| StorageError::Unavailable)?;
        Ok((0..length)
            .filter_map(|i| storage.key(i).ok().flatten())
            .collect())
    }
}
