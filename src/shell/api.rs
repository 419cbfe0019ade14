//! The publisher's JSON API (`/api/...`), resolved against the page's base URL so the app
//! also works when deployed under a sub-path.

use super::browser::{base_path, take_preloaded, Preload};
use super::http::{get_json, get_json_marked, read_json, read_json_marked};
use crate::core::article::{decode_article, decode_index, is_valid_slug, Article, ArticleIndex};
use crate::core::comments::model::{decode_comments, PublishedComments};
use crate::core::load_error::{Invalid, LoadError};

fn api_url(path: &str) -> String {
    format!("{}/api/{path}", base_path())
}

pub async fn fetch_index() -> Result<ArticleIndex, LoadError> {
    get_json(&api_url("articles/index.json"), decode_index).await
}

/// Loads an article. The first load may use the download `index.html` started before the
/// app's code arrived. An HTML page instead of JSON is how SPA hosts answer a missing file,
/// so the index decides between "not found" and "invalid".
pub async fn fetch_article(slug: String) -> Result<Article, LoadError> {
    if !is_valid_slug(&slug) {
        return Err(LoadError::NotFound);
    }
    let result = match take_preloaded(Preload::Article, &slug).await {
        Some(response) => read_json(response, decode_article).await,
        None => get_json(&api_url(&format!("articles/{slug}.json")), decode_article).await,
    };
    match result {
        Err(LoadError::Invalid(Invalid::HtmlInsteadOfJson)) => match fetch_index().await {
            Ok(index) if !index.articles.iter().any(|a| a.slug == slug) => Err(LoadError::NotFound),
            _ => Err(LoadError::Invalid(Invalid::HtmlInsteadOfJson)),
        },
        other => other,
    }
}

/// Published comments; a missing file means "no comments yet". On a prerendered page the
/// island's loader may have started the download along with the island's code.
pub async fn fetch_comments(slug: String) -> Result<PublishedComments, LoadError> {
    const ARRIVED: &str = "comments-arrived";
    let result = match take_preloaded(Preload::Comments, &slug).await {
        Some(response) => read_json_marked(response, ARRIVED, decode_comments).await,
        None => {
            let url = api_url(&format!("comments/{slug}.json"));
            get_json_marked(&url, ARRIVED, decode_comments).await
        }
    };
    match result {
        Err(LoadError::NotFound) => Ok(PublishedComments {
            comments: Vec::new(),
            skipped: 0,
        }),
        other => other,
    }
}
