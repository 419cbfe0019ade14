//! The comment thread's pure core: data, thread building, validation and storage format.

pub mod first_screen;
pub mod id_index;
pub mod model;
pub mod saved;
pub mod thread;
pub mod validate;
