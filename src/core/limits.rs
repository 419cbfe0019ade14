//! The largest documents the app takes in. The build checks every file it publishes
//! against the same limits and fails naming the file (docs/data-contract.md lists them).

/// An article, or one page of a list (see `core::paging`): no list grows with the archive,
/// so this is far more than any page needs.
pub const DOCUMENT_LIMIT: usize = 2_000_000;
/// The most comments data the page takes in: tens of thousands of comments, well within a
/// phone's memory.
pub const COMMENTS_LIMIT: usize = 20_000_000;
