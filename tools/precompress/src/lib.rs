//! `.br` and `.gz` beside every text file of a build ([`precompress_dir`]), and the names
//! and negotiation of those variants ([`Encoding`], [`accepts`]) that a server needs to
//! send them.

mod encoding;
mod precompress;

pub use encoding::{accepts, Encoding};
pub use precompress::{precompress_dir, PrecompressReport, PrecompressedFile};
