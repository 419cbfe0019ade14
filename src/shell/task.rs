//! Async work that ends with its owner.

use leptos::reactive::traits::IsDisposed;
use leptos::task::spawn_local_scoped_with_cancellation;
use std::future::Future;
use std::pin::Pin;

/// Runs `work` in a task of its own, after the current one, under the current reactive
/// owner (so what it starts ends with it); nothing runs if that owner is gone by then. Work
/// the reader does not need in the same instant is split off this way: a long task on a
/// slow phone's CPU delays the page's response to the reader (Total Blocking Time).
pub fn next_task(work: impl FnOnce() + 'static) {
    let owner = leptos::prelude::Owner::current();
    let alive = leptos::prelude::StoredValue::new(());
    leptos::prelude::set_timeout(
        move || {
            if alive.is_disposed() {
                return;
            }
            match owner {
                Some(owner) => owner.with(work),
                None => work(),
            }
        },
        std::time::Duration::ZERO,
    );
}

/// Resolves in a task of its own, after the browser has had its turn (input, paint): long
/// work split at an `.await` of this is two tasks, neither blocking the reader for the
/// whole.
pub async fn yield_to_browser() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let mut wake = None;
    let woken = js_sys::Promise::new(&mut |resolve, _| wake = Some(resolve));
    if let Some(wake) = wake {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&wake, 0);
        let _ = wasm_bindgen_futures::JsFuture::from(woken).await;
    }
}

/// Runs `task` under the current reactive owner (a view, or one run of an effect). When the
/// owner is cleaned up (the view goes, or the effect runs again) the task is dropped where it
/// waits: a download it holds is aborted (see `http::Deadline`), and it never reads or writes
/// a reactive value after its owner is gone.
pub fn spawn_owned(task: impl Future<Output = ()> + 'static) {
    // One kind of task for the executor, whatever the future: its machinery is in the
    // wasm once, not once per future type.
    let task: Pin<Box<dyn Future<Output = ()>>> = Box::pin(task);
    spawn_local_scoped_with_cancellation(task);
}
