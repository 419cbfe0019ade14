//! Async work that ends with its owner.

use leptos::task::spawn_local_scoped_with_cancellation;
use std::future::Future;
use std::pin::Pin;

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
