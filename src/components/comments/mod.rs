//! The comment thread under an article.

mod comment_view;
mod discussion;
mod form;
mod section;

pub use discussion::Discussion;
pub use section::{count_suffix, CommentCountLink, CommentsSection};
