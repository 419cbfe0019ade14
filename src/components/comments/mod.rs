//! The comment thread under an article: its state is `state::discussion`.

mod comment_text;
mod comment_view;
mod form;
mod section;

pub use section::{count_suffix, CommentCountLink, CommentsSection};
