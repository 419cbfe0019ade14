//! The publisher's JSON API (`/api/...`), under the deploy's base path. A prerendered page
//! asks for its own data as soon as it has painted (its loader adds a `<link rel="preload">`
//! for the data its `my-garage:data` meta names); the browser hands that response to the
//! request made here.

use super::browser::{base_path, warn};
use super::http::Deadline;
use crate::core::article::{decode_article_at, decode_index, is_valid_slug, Article, ArticleIndex};
use crate::core::decode::{DecodeError, Decoded};
use crate::core::digest::digest;
use crate::core::load_error::{Invalid, LoadError};
use crate::core::paging::ListPage;
use crate::core::route::{RouteContent, RouteData};

use crate::core::limits::{COMMENTS_LIMIT, DOCUMENT_LIMIT};

/// A document and the digest of the bytes it was decoded from (to compare with the digest
/// a prerendered page was built from).
#[derive(Clone, Debug, PartialEq)]
pub struct Fetched<T> {
    pub value: T,
    pub digest: String,
}

pub fn api_url(path: &str) -> String {
    format!("{}/api/{path}", base_path())
}

async fn get(path: &str, limit: usize, arrival_mark: Option<&str>) -> Result<Vec<u8>, LoadError> {
    Deadline::for_download()
        .get(&api_url(path), limit, arrival_mark)
        .await
}

/// Decodes a document, telling the console what was dropped from it and why.
fn decode<T>(
    bytes: Vec<u8>,
    what: &str,
    decode: impl FnOnce(&[u8]) -> Result<Decoded<T>, DecodeError>,
) -> Result<Fetched<T>, LoadError> {
    let digest = digest(&bytes);
    let Decoded { value, warnings } = decode(&bytes)?;
    for warning in warnings {
        warn(&format!("My Garage: {what}: {warning}"));
    }
    Ok(Fetched { value, digest })
}

/// A route's data (see `core::route`), with the digest of its bytes.
pub async fn fetch_route_data(data: &RouteData) -> Result<Fetched<RouteContent>, LoadError> {
    Ok(match data {
        RouteData::List(list) => {
            let index = fetch_list(list).await?;
            Fetched {
                value: RouteContent::List(index.value),
                digest: index.digest,
            }
        }
        RouteData::Article(slug) => {
            let article = fetch_article(slug).await?;
            Fetched {
                value: RouteContent::Article(Box::new(article.value)),
                digest: article.digest,
            }
        }
    })
}

/// A list's page (`core::paging`).
pub async fn fetch_list(list: &ListPage) -> Result<Fetched<ArticleIndex>, LoadError> {
    let path = list.api_path();
    let bytes = get(&path, DOCUMENT_LIMIT, None).await?;
    decode(bytes, &path, decode_index)
}

/// Loads an article. An HTML page instead of JSON is how SPA hosts answer a missing file,
/// so the index decides between "not found" and "invalid".
pub async fn fetch_article(slug: &str) -> Result<Fetched<Article>, LoadError> {
    if !is_valid_slug(slug) {
        return Err(LoadError::NotFound);
    }
    let path = format!("articles/{slug}.json");
    let article = match get(&path, DOCUMENT_LIMIT, None).await {
        Ok(bytes) => decode(bytes, &path, |bytes| decode_article_at(slug, bytes)),
        Err(error) => Err(error),
    };
    match article {
        // The front page's list names the newest articles only: a missing older one is not
        // found either way.
        Err(LoadError::Invalid(Invalid::HtmlInsteadOfJson)) => {
            match fetch_list(&ListPage::front()).await {
                Ok(index) if !index.value.articles.iter().any(|a| a.slug == slug) => {
                    Err(LoadError::NotFound)
                }
                _ => Err(LoadError::Invalid(Invalid::HtmlInsteadOfJson)),
            }
        }
        other => other,
    }
}

/// The published comments file as bytes, decoded by the caller in steps (first screen, then
/// the whole thread: see `core::comments::first_screen`); the decoder checks each string it
/// reads is UTF-8, so the first screen need not wait for a check of every byte.
/// `None`: no comments file yet, which means no comments.
pub async fn fetch_comments(slug: &str) -> Result<Option<Vec<u8>>, LoadError> {
    let path = format!("comments/{slug}.json");
    match get(&path, COMMENTS_LIMIT, Some("comments-arrived")).await {
        Ok(body) => Ok(Some(body)),
        Err(LoadError::NotFound) => Ok(None),
        Err(other) => Err(other),
    }
}
