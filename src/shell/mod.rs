//! The thin shell around the core: everything that talks to the browser.

pub mod api;
pub mod browser;
pub mod clock;
pub mod comment_place;
pub mod head;
pub mod http;
pub mod isso;
pub mod local_storage;
pub mod navigation;
pub mod service_worker;
pub mod task;
