//! The comment thread's pure core: data, thread building, validation and storage format.

pub mod element_id;
pub mod first_screen;
pub mod id_index;
pub mod merge;
pub mod model;
pub mod paging;
pub mod saved;
pub mod thread;
pub mod validate;
