//! The current time, as a signal that ticks so "5 minutes ago" stays true.

use leptos::prelude::*;
use std::time::Duration;

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A clock shared by every relative time on the page: one timer, not one per comment.
#[derive(Clone, Copy)]
pub struct Clock(pub ReadSignal<i64>);

pub fn provide_clock() -> Clock {
    let (now, set_now) = signal(now_ms());
    let _ = set_interval_with_handle(move || set_now.set(now_ms()), Duration::from_secs(20));
    let clock = Clock(now);
    provide_context(clock);
    clock
}

pub fn use_clock() -> Clock {
    use_context::<Clock>().unwrap_or_else(provide_clock)
}
