//! Components: small views that wire the core to the DOM.

pub mod app;
pub mod article_page;
pub mod article_view;
pub mod comments;
pub mod front_page;
pub mod status;
