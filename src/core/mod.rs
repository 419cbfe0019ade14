//! The functional core: plain Rust with no browser in it, tested natively with `cargo test`.

pub mod article;
pub mod comments;
pub mod decode;
pub mod digest;
pub mod head;
pub mod limits;
pub mod load_error;
pub mod media;
pub mod order;
pub mod page;
pub mod paging;
pub mod route;
pub mod site;
pub mod time;
