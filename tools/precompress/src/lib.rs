//! `.br` and `.gz` beside every text file of a build ([`precompress_dir`]), and the names
//! and negotiation of those variants ([`Encoding`], [`accepts`]) that a server needs to
//! send them; and which files are named by their content ([`has_content_hash`]), which a
//! host may cache for good.

mod encoding;
mod hashed_name;
mod precompress;

pub use encoding::{accepts, Encoding};
pub use hashed_name::has_content_hash;
pub use precompress::{
    on_all_cores, precompress_dir, precompress_dir_cached, PrecompressReport, PrecompressedFile,
};
