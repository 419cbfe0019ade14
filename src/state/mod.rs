//! State with one owner each, changed only through intent methods: the discussion of an
//! article, and the articles the page has fetched. Components read their signals and call
//! their methods; the decisions they make are the core's.

pub mod articles;
pub mod discussion;
