//! The functional core: plain Rust with no browser in it, tested natively with `cargo test`.

pub mod article;
pub mod comments;
pub mod json_reader;
pub mod load_error;
pub mod prerender;
pub mod route;
pub mod time;
