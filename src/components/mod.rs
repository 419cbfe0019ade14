//! Components: small views that wire state to the DOM.

pub mod app;
pub mod article_page;
pub mod article_view;
pub mod comments;
pub mod front_page;
pub mod page_head;
pub mod status;
