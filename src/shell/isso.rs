//! Isso, the comment service, over HTTP (gloo-net): every request within one deadline,
//! every one with the reader's credential (`credentials: "include"`: Isso's cookie on its
//! own origin), every answer checked (status, type, size) and read leniently
//! (`core::comments::isso`).

use super::clock::now_ms;
use super::http::{Answer, Deadline};
use crate::core::comments::isso::{
    isso_sort, read_accepted, read_counts, read_page, replies_query, thread_query, IssoEdit,
    LikeAnswer, NewIssoComment, ANSWER_LIMIT,
};
use crate::core::comments::service::{Accepted, Deleted, Listed, NewComment, SendError};
use crate::core::comments::thread::SortOrder;
use crate::core::decode::from_json;
use crate::core::load_error::{Invalid, LoadError, Unavailable};
use gloo_net::http::{Method, RequestBuilder};
use web_sys::RequestCredentials;

/// Top-level pages read at most, so a misbehaving service cannot keep the page asking.
const MAX_PAGES: u32 = 100;

/// One article's thread at an Isso.
#[derive(Clone, Debug)]
pub struct IssoPlace {
    /// The service's address, ending in `/`.
    pub url: String,
    /// The thread's key at the service: the article's path.
    pub uri: String,
    /// The article's title, for the service to open a thread with.
    pub title: String,
}

/// A page of the thread, and what is left to ask for.
pub struct ThreadPart {
    pub listed: Listed,
    /// Where the next page starts, if there is one.
    pub next: Option<u32>,
    /// Top-level comments with more replies than came with them.
    pub more_replies: Vec<u64>,
}

impl IssoPlace {
    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        RequestBuilder::new(&format!("{}{path}", self.url))
            .method(method)
            .credentials(RequestCredentials::Include)
    }

    async fn exchange(
        &self,
        request: RequestBuilder,
        body: Option<String>,
        header: Option<&str>,
    ) -> Result<Answer, LoadError> {
        Deadline::for_download()
            .exchange(request, body, header, ANSWER_LIMIT)
            .await
    }

    /// A page of the thread: `offset` top-level comments in, in the reader's order.
    pub async fn page(&self, order: SortOrder, offset: u32) -> Result<ThreadPart, LoadError> {
        let query = thread_query(&self.uri, isso_sort(order), offset);
        let answer = self
            .exchange(self.request(Method::GET, &query), None, None)
            .await?;
        if offset == 0 {
            // The benchmark times the first comments on screen from here.
            crate::shell::browser::mark("comments-arrived");
        }
        let page = read_page(&json_answer(answer)?)?;
        Ok(ThreadPart {
            next: (page.more && offset / crate::core::comments::isso::PAGE < MAX_PAGES)
                .then_some(offset + crate::core::comments::isso::PAGE),
            more_replies: page.replies_to_fetch,
            listed: page.listed,
        })
    }

    /// All of one comment's replies after the first ones.
    pub async fn replies(&self, parent: u64) -> Result<Listed, LoadError> {
        let mut listed = Listed::default();
        let mut offset = crate::core::comments::isso::NESTED;
        for _ in 0..MAX_PAGES {
            let query = replies_query(&self.uri, parent, offset);
            let answer = self
                .exchange(self.request(Method::GET, &query), None, None)
                .await?;
            let page = read_page(&json_answer(answer)?)?;
            listed.comments.extend(page.listed.comments);
            listed.warnings.extend(page.listed.warnings);
            if !page.more {
                break;
            }
            offset += crate::core::comments::isso::NESTED;
        }
        Ok(listed)
    }

    pub async fn post(&self, new: &NewComment) -> Result<Accepted, SendError> {
        let body = serde_json::to_string(&NewIssoComment {
            text: &new.text,
            author: &new.author,
            title: &self.title,
            parent: new.parent.as_deref().and_then(|p| p.parse().ok()),
        })
        .map_err(|e| SendError::BadAnswer(e.to_string()))?;
        let query = format!(
            "new?uri={}",
            crate::core::comments::isso::encode_component(&self.uri)
        );
        let request = self.request(Method::POST, &query);
        let answer = self.send(request, Some(body)).await?;
        read_accepted(&answer.body, answer.header.as_deref(), now_ms())
            .map_err(|e| SendError::BadAnswer(e.0))
    }

    pub async fn edit(&self, id: &str, text: &str) -> Result<Accepted, SendError> {
        let body = serde_json::to_string(&IssoEdit { text })
            .map_err(|e| SendError::BadAnswer(e.to_string()))?;
        let request = self.request(Method::PUT, &format!("id/{id}"));
        let answer = self.send(request, Some(body)).await?;
        read_accepted(&answer.body, answer.header.as_deref(), now_ms())
            .map_err(|e| SendError::BadAnswer(e.0))
    }

    pub async fn delete(&self, id: &str) -> Result<Deleted, SendError> {
        let answer = self
            .send(self.request(Method::DELETE, &format!("id/{id}")), None)
            .await?;
        // `null` when it is gone; the comment (deleted, kept for its replies) otherwise.
        Ok(if answer.body.trim_ascii() == b"null" {
            Deleted::Gone
        } else {
            Deleted::KeptForReplies
        })
    }

    pub async fn like(&self, id: &str) -> Result<Option<u32>, SendError> {
        let answer = self
            .send(self.request(Method::POST, &format!("id/{id}/like")), None)
            .await?;
        let like: LikeAnswer = from_json(&answer.body).map_err(|e| SendError::BadAnswer(e.0))?;
        Ok(Some(like.likes))
    }

    /// How many published comments each of `uris` has, in one request.
    pub async fn counts(&self, uris: &[String]) -> Result<Vec<u32>, LoadError> {
        let body = serde_json::to_string(uris)
            .map_err(|e| LoadError::Invalid(Invalid::Decode(e.to_string())))?;
        let answer = self
            .exchange(self.request(Method::POST, "count"), Some(body), None)
            .await?;
        Ok(read_counts(&json_answer(answer)?)?)
    }

    /// A change, and the service's answer to it: a success, or why not.
    async fn send(
        &self,
        request: RequestBuilder,
        body: Option<String>,
    ) -> Result<Answer, SendError> {
        let answer = self
            .exchange(request, body, Some("X-Set-Cookie"))
            .await
            .map_err(transport_error)?;
        match answer.status {
            200..=299 => Ok(answer),
            403 => Err(SendError::Forbidden),
            408 | 429 => Err(SendError::Busy),
            413 => Err(SendError::Refused("the comment is too long.".into())),
            400..=499 => Err(SendError::Refused(reason_of(&answer.body))),
            status => Err(SendError::Down(status)),
        }
    }
}

/// The body of a listing's answer, once its status and type say it is JSON.
fn json_answer(answer: Answer) -> Result<Vec<u8>, LoadError> {
    match answer.status {
        200..=299 => {}
        429 => return Err(LoadError::Unavailable(Unavailable::Busy)),
        408 | 500..=599 => return Err(LoadError::Unavailable(Unavailable::Server(answer.status))),
        status => return Err(LoadError::Invalid(Invalid::Status(status))),
    }
    crate::core::load_error::classify_response(200, answer.content_type.as_deref())?;
    crate::core::load_error::json_body(answer.body)
}

fn transport_error(error: LoadError) -> SendError {
    match error {
        LoadError::Unavailable(Unavailable::Timeout) => SendError::Slow,
        LoadError::Invalid(Invalid::TooLarge { .. }) => {
            SendError::BadAnswer("it is too large".into())
        }
        LoadError::Invalid(invalid) => {
            SendError::BadAnswer(LoadError::Invalid(invalid).detail().unwrap_or_default())
        }
        _ => SendError::Unreachable,
    }
}

/// Isso says why it refused a comment in a small HTML page (`<p>text is too short…</p>`):
/// that sentence, as text.
fn reason_of(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let reason = text
        .split("<p>")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .unwrap_or("it gave no reason");
    let reason = reason
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    let reason: String = reason.chars().take(200).collect();
    format!("{}.", reason.trim().trim_end_matches('.'))
}
