//! The articles this page has fetched or is fetching, so following a link the reader is
//! about to follow (a related article in view, a link under the pointer or the focus) shows
//! the article at once instead of after a round trip.

use crate::core::article::Article;
use crate::core::load_error::LoadError;
use crate::shell::api::{fetch_article, Fetched};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// How many articles are kept: a front page's worth.
const KEPT: usize = 24;

type Outcome = Result<Fetched<Article>, LoadError>;

/// One article, fetched or on its way.
#[derive(Default)]
struct Slot {
    outcome: Option<Outcome>,
    waiting: Vec<Waker>,
}

/// Each article's slot, by slug, oldest first.
type Slots = VecDeque<(String, Rc<RefCell<Slot>>)>;

/// The page's article cache, shared through context.
#[derive(Clone, Copy)]
pub struct Articles {
    slots: StoredValue<Slots, LocalStorage>,
}

impl Default for Articles {
    fn default() -> Self {
        Articles::new()
    }
}

impl Articles {
    pub fn new() -> Articles {
        Articles {
            slots: StoredValue::new_local(VecDeque::new()),
        }
    }

    fn slot(&self, slug: &str) -> Option<Rc<RefCell<Slot>>> {
        self.slots.with_value(|slots| {
            slots
                .iter()
                .find(|(s, _)| s == slug)
                .map(|(_, slot)| slot.clone())
        })
    }

    /// Starts fetching an article the reader may open next, unless it is here or on its way.
    /// The download belongs to the page, not to the view that asked for it, so it is not
    /// cut short when the reader follows the link; it is bounded by its deadline.
    pub fn prefetch(&self, slug: &str) {
        if self.slot(slug).is_some() {
            return;
        }
        let slot = Rc::new(RefCell::new(Slot::default()));
        self.slots.update_value(|slots| {
            if slots.len() == KEPT {
                slots.pop_front();
            }
            slots.push_back((slug.to_owned(), slot.clone()));
        });
        let slug = slug.to_owned();
        let articles = *self;
        leptos::task::spawn_local(async move {
            let outcome = fetch_article(&slug).await;
            // A failure is not kept: the next visit tries again.
            if outcome.is_err() {
                articles.forget(&slug, &slot);
            }
            let waiting = {
                let mut slot = slot.borrow_mut();
                slot.outcome = Some(outcome);
                std::mem::take(&mut slot.waiting)
            };
            waiting.into_iter().for_each(Waker::wake);
        });
    }

    fn forget(&self, slug: &str, slot: &Rc<RefCell<Slot>>) {
        let _ = self.slots.try_update_value(|slots| {
            slots.retain(|(s, kept)| s != slug || !Rc::ptr_eq(kept, slot))
        });
    }

    /// The article: from here if it was fetched or is on its way, otherwise fetched now
    /// (by the caller's task, so it stops with it).
    pub async fn load(&self, slug: &str) -> Outcome {
        if let Some(slot) = self.slot(slug) {
            return WaitFor { slot }.await;
        }
        let outcome = fetch_article(slug).await;
        if let Ok(fetched) = &outcome {
            let slot = Slot {
                outcome: Some(Ok(fetched.clone())),
                waiting: Vec::new(),
            };
            let _ = self.slots.try_update_value(|slots| {
                if slots.len() == KEPT {
                    slots.pop_front();
                }
                slots.push_back((slug.to_owned(), Rc::new(RefCell::new(slot))));
            });
        }
        outcome
    }
}

/// Waits for a slot's outcome.
struct WaitFor {
    slot: Rc<RefCell<Slot>>,
}

impl Future for WaitFor {
    type Output = Outcome;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Outcome> {
        let mut slot = self.slot.borrow_mut();
        match &slot.outcome {
            Some(outcome) => Poll::Ready(outcome.clone()),
            None => {
                slot.waiting.push(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
