//! One way to load what a page shows: the front page's list, an article, an article's
//! comments all load through a [`Loader`]. It owns what every load needs:
//! - the first state, the same in the build's render and the browser's first one (the data
//!   the page was built with, or "loading");
//! - the request, in a task of the view that shows it: when the view goes (the reader moves
//!   on) or the reader retries, the task ends and its download is aborted; and every
//!   download runs within the one 15-second deadline of `shell::http::Deadline`;
//! - Retry, after a failure that may pass.

use crate::core::load_error::LoadError;
use crate::shell::task::spawn_owned;
use leptos::prelude::*;
use std::future::Future;

/// Where a load stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(LoadError),
}

pub struct Loader<T: Send + Sync + 'static> {
    state: RwSignal<Load<T>>,
    /// Each try is a new run of the loading effect (0: not started).
    attempt: RwSignal<u32>,
}

impl<T: Send + Sync + 'static> Clone for Loader<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Loader<T> {}

impl<T: Clone + Send + Sync + 'static> Loader<T> {
    /// Loads with `fetch` as soon as the view is in the browser, unless the page was built
    /// with the data (`initial`), which is then shown as it is.
    pub fn new<F, Fut>(initial: Option<T>, fetch: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<T, LoadError>> + 'static,
    {
        let started = initial.is_none();
        let loader = Loader {
            state: RwSignal::new(initial.map_or(Load::Loading, Load::Ready)),
            attempt: RwSignal::new(u32::from(started)),
        };
        loader.run(fetch);
        loader
    }

    /// A loader that loads once it is given its work ([`Loader::run`]) and started
    /// ([`Loader::start`]): for what the reader may never need (the comments, until they come
    /// near), and for work that needs its owner made first.
    pub fn idle() -> Self {
        Loader {
            state: RwSignal::new(Load::Loading),
            attempt: RwSignal::new(0),
        }
    }

    /// Gives the loader its work, in the current view.
    pub fn run<F, Fut>(&self, fetch: F)
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<T, LoadError>> + 'static,
    {
        let (state, attempt) = (self.state, self.attempt);
        // A run of this effect owns its download: the next run (a retry), or the view
        // going, ends it.
        Effect::new(move |_| {
            if attempt.get() == 0 {
                return;
            }
            if state.with_untracked(|s| !matches!(s, Load::Loading)) {
                state.set(Load::Loading);
            }
            let loading = fetch();
            spawn_owned(async move {
                state.set(match loading.await {
                    Ok(value) => Load::Ready(value),
                    Err(error) => Load::Failed(error),
                });
            });
        });
    }

    /// Starts an on-demand load (once: later calls do nothing).
    pub fn start(&self) {
        if self.attempt.get_untracked() == 0 {
            self.attempt.set(1);
        }
    }

    /// Whether it was started.
    pub fn started(&self) -> bool {
        self.attempt.get_untracked() > 0
    }

    /// Loads again (after a failure, or for the newest data).
    pub fn retry(&self) {
        self.attempt.update(|n| *n += 1);
    }

    /// Where the load stands (tracked).
    pub fn state(&self) -> Load<T> {
        self.state.get()
    }

    /// Reads where the load stands without a copy (tracked).
    pub fn with<R>(&self, read: impl FnOnce(&Load<T>) -> R) -> R {
        self.state.with(read)
    }
}
