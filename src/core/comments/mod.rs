//! The comment thread's pure core: data, thread building, the rules of posting and changing
//! comments, where they go (this browser, a comment service), validation and storage format.

pub mod conversation;
pub mod element_id;
pub mod first_screen;
pub mod id_index;
pub mod in_browser;
pub mod isso;
pub mod model;
pub mod paging;
pub mod saved;
pub mod service;
pub mod text;
pub mod thread;
pub mod validate;
