//! State with one owner each, changed only through intent methods: the discussion of an
//! article, the articles the page has fetched, and the comment counts a comment service
//! gave. Components read their signals and call
//! their methods; the decisions they make are the core's.

pub mod articles;
pub mod comment_counts;
pub mod discussion;
pub mod loader;
