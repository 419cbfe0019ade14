//! The publisher's JSON API (`/api/...`), resolved against the page's base URL so the app
//! also works when deployed under a sub-path.

use super::browser::{base_path, take_preloaded, Preload};
use super::http::{get_json, read_body, send, Deadline, StepFailed};
use crate::core::article::{decode_article, decode_index, is_valid_slug, Article, ArticleIndex};
use crate::core::load_error::{body_text, Invalid, LoadError};
use wasm_bindgen::JsCast;

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
    let path = format!("articles/{slug}.json");
    let article = fetch_body(Preload::Article, &slug, &path, None)
        .await
        .and_then(body_text)
        .and_then(|text| decode_article(&text).map_err(LoadError::from));
    match article {
        Err(LoadError::Invalid(Invalid::HtmlInsteadOfJson)) => match fetch_index().await {
            Ok(index) if !index.articles.iter().any(|a| a.slug == slug) => Err(LoadError::NotFound),
            _ => Err(LoadError::Invalid(Invalid::HtmlInsteadOfJson)),
        },
        other => other,
    }
}

/// The published comments file, decoded by the caller in steps (first screen, then the whole
/// thread: see `core::comments::first_screen`), from its bytes: the decoder checks that each
/// string it reads is UTF-8, so the first screen need not wait for a check of every byte.
/// `None`: no comments file yet, which means no comments. On a prerendered page the island's
/// loader may have started the download along with the island's code.
pub async fn fetch_comments(slug: String) -> Result<Option<Vec<u8>>, LoadError> {
    let path = format!("comments/{slug}.json");
    let arrived = Some("comments-arrived");
    match fetch_body(Preload::Comments, &slug, &path, arrived).await {
        Ok(body) => Ok(Some(body)),
        Err(LoadError::NotFound) => Ok(None),
        Err(other) => Err(other),
    }
}

/// `path` under `/api/` for `slug`: the download the page's own script started (`preload`)
/// when there is one, otherwise a request of its own; either way within one deadline.
async fn fetch_body(
    preload: Preload,
    slug: &str,
    path: &str,
    arrival_mark: Option<&str>,
) -> Result<Vec<u8>, LoadError> {
    let deadline = Deadline::for_download();
    let preloaded = match take_preloaded(preload, slug) {
        Some(response) => match deadline.race(&response).await {
            Ok(response) => response.dyn_into::<web_sys::Response>().ok(),
            Err(timed_out @ StepFailed::TimedOut) => return Err(timed_out.into()),
            // The early download failed: this request starts afresh.
            Err(StepFailed::Failed(_)) => None,
        },
        None => None,
    };
    let response = match preloaded {
        Some(response) => response,
        None => send(&api_url(path), &deadline).await?,
    };
    read_body(response, &deadline, arrival_mark).await
}
