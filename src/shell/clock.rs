//! The current time, as a signal that ticks so "5 minutes ago" stays true.

use leptos::prelude::*;
use std::time::Duration;

#[cfg(target_arch = "wasm32")]
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Natively (the build's render) there is no browser clock; nothing rendered there shows
/// the time.
#[cfg(not(target_arch = "wasm32"))]
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A clock shared by every relative time on the page: one timer, not one per comment.
#[derive(Clone, Copy)]
pub struct Clock(pub ReadSignal<i64>);

/// Provides the page's clock; it ticks once the app runs in the browser.
pub fn provide_clock() -> Clock {
    let (now, set_now) = signal(now_ms());
    Effect::new(move |_| {
        set_now.set(now_ms());
        if let Ok(handle) =
            set_interval_with_handle(move || set_now.set(now_ms()), Duration::from_secs(20))
        {
            on_cleanup(move || handle.clear());
        }
    });
    let clock = Clock(now);
    provide_context(clock);
    clock
}

pub fn use_clock() -> Clock {
    use_context::<Clock>().unwrap_or_else(provide_clock)
}
