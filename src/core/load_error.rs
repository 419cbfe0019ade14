//! What went wrong loading a document, classified so the page can say so plainly.

use super::decode::DecodeError;

/// What failed to load, in the two forms a message needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subject {
    /// "this article"
    pub noun: &'static str,
    /// "This article's data"
    pub data: &'static str,
}

pub const ARTICLE: Subject = Subject {
    noun: "this article",
    data: "This article's data",
};
pub const ARTICLE_LIST: Subject = Subject {
    noun: "the list of articles",
    data: "The list of articles",
};
pub const COMMENTS: Subject = Subject {
    noun: "the comments",
    data: "The comments' data",
};

/// The ways loading can fail, each with its own message and remedy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// 404 or 410: nothing by that name.
    NotFound,
    /// Could be fine on another try: the network, a timeout, the server having a bad moment.
    Unavailable(Unavailable),
    /// The server answered, but not with data this reader can use.
    Invalid(Invalid),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unavailable {
    Network,
    /// The browser says it is offline.
    Offline,
    Timeout,
    /// Too many requests (429): a moment later will do.
    Busy,
    Server(u16),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// An HTML page where JSON was expected: what `trunk serve` and SPA hosts send for a
    /// missing file, so the caller may check whether the document exists at all.
    HtmlInsteadOfJson,
    Status(u16),
    Decode(String),
    /// Larger than the app takes in (bytes): refused rather than run out of memory.
    TooLarge {
        limit: usize,
    },
}

impl From<DecodeError> for LoadError {
    fn from(e: DecodeError) -> Self {
        LoadError::Invalid(Invalid::Decode(e.0))
    }
}

impl LoadError {
    pub fn is_retryable(&self) -> bool {
        matches!(self, LoadError::Unavailable(_))
    }

    /// One sentence for the reader about `subject`.
    pub fn message(&self, subject: Subject) -> String {
        let Subject { noun, data } = subject;
        match self {
            LoadError::NotFound => format!("We couldn't find {noun}."),
            LoadError::Unavailable(Unavailable::Network) => {
                format!("We couldn't load {noun}: you may be offline. Check your connection and try again.")
            }
            LoadError::Unavailable(Unavailable::Offline) => {
                format!("You're offline, and {noun} has not been saved on this device. Connect to the internet and try again.")
            }
            LoadError::Unavailable(Unavailable::Timeout) => {
                format!("Loading {noun} took too long. Please try again.")
            }
            LoadError::Unavailable(Unavailable::Busy) => {
                format!("The server is busy and couldn't load {noun} (too many requests). Please try again in a moment.")
            }
            LoadError::Unavailable(Unavailable::Server(status)) => {
                format!(
                    "The server had a problem loading {noun} (error {status}). Please try again."
                )
            }
            LoadError::Invalid(Invalid::TooLarge { .. }) => {
                format!("{data} is too large to be shown here.")
            }
            LoadError::Invalid(_) => format!("{data} is invalid, so it can't be shown."),
        }
    }

    /// Detail for the curious reader and for the publisher's bug report.
    pub fn detail(&self) -> Option<String> {
        match self {
            LoadError::Invalid(Invalid::HtmlInsteadOfJson) => {
                Some("The server sent a web page where JSON data was expected.".into())
            }
            LoadError::Invalid(Invalid::Status(status)) => {
                Some(format!("The server answered with HTTP status {status}."))
            }
            LoadError::Invalid(Invalid::Decode(detail)) => Some(detail.clone()),
            LoadError::Invalid(Invalid::TooLarge { limit }) => Some(format!(
                "The file is larger than the {} MB this page can show.",
                limit / 1_000_000
            )),
            _ => None,
        }
    }
}

/// Classifies a response before its body is decoded: `Ok` means "decode the body as JSON".
pub fn classify_response(status: u16, content_type: Option<&str>) -> Result<(), LoadError> {
    match status {
        200..=299 => {
            let media_type = content_type
                .unwrap_or("")
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if media_type == "text/html" {
                Err(LoadError::Invalid(Invalid::HtmlInsteadOfJson))
            } else {
                // Some hosts label JSON as text/plain or octet-stream; the decoder decides.
                Ok(())
            }
        }
        404 | 410 => Err(LoadError::NotFound),
        408 | 429 | 500..=599 => Err(LoadError::Unavailable(Unavailable::Server(status))),
        _ => Err(LoadError::Invalid(Invalid::Status(status))),
    }
}

/// A body that may be JSON: not an HTML page (which some hosts send, labelled as JSON, for a
/// missing file).
pub fn json_body(body: Vec<u8>) -> Result<Vec<u8>, LoadError> {
    if body.trim_ascii_start().starts_with(b"<") {
        return Err(LoadError::Invalid(Invalid::HtmlInsteadOfJson));
    }
    Ok(body)
}

#[cfg(all(test, not(target_arch = "wasm32")))] // native: proptest does not run in the browser
mod tests {
    use super::*;

    #[test]
    fn classifies_statuses() {
        assert_eq!(classify_response(200, Some("application/json")), Ok(()));
        assert_eq!(
            classify_response(200, Some("text/plain; charset=utf-8")),
            Ok(())
        );
        assert_eq!(classify_response(200, None), Ok(()));
        assert_eq!(
            classify_response(404, Some("text/html")),
            Err(LoadError::NotFound)
        );
        assert_eq!(classify_response(410, None), Err(LoadError::NotFound));
        for status in [500, 502, 503, 504, 408, 429] {
            let e = classify_response(status, None).unwrap_err();
            assert_eq!(e, LoadError::Unavailable(Unavailable::Server(status)));
            assert!(e.is_retryable());
        }
        assert_eq!(
            classify_response(403, None),
            Err(LoadError::Invalid(Invalid::Status(403)))
        );
    }

    #[test]
    fn an_html_page_where_json_was_expected_is_invalid_data() {
        let e = classify_response(200, Some("text/html; charset=utf-8")).unwrap_err();
        assert_eq!(e, LoadError::Invalid(Invalid::HtmlInsteadOfJson));
        assert!(!e.is_retryable());
        let mislabelled = json_body(b"\n<!DOCTYPE html><html></html>".to_vec());
        assert_eq!(
            mislabelled,
            Err(LoadError::Invalid(Invalid::HtmlInsteadOfJson))
        );
    }

    #[test]
    fn a_body_that_is_not_utf8_is_invalid_data_not_a_crash() {
        let error = crate::core::article::decode_article(
            b"{\"slug\":\"a\",\"title\":\"caf\xe9\",\"author\":{\"name\":\"N\"},\"published\":\"2024-01-01T00:00:00Z\"}",
        )
        .unwrap_err();
        let e = LoadError::from(error);
        assert!(
            e.detail().is_some_and(|d| d.contains("invalid unicode")),
            "{:?}",
            e.detail()
        );
        assert!(!e.is_retryable());
    }

    #[test]
    fn decode_failures_keep_their_detail() {
        assert_eq!(json_body(b"{".to_vec()), Ok(b"{".to_vec()));
        let e = LoadError::from(DecodeError("EOF while parsing".into()));
        assert_eq!(
            e.message(ARTICLE),
            "This article's data is invalid, so it can't be shown."
        );
        assert_eq!(e.detail().as_deref(), Some("EOF while parsing"));
    }

    #[test]
    fn a_file_over_the_limit_is_named_as_such() {
        let e = LoadError::Invalid(Invalid::TooLarge { limit: 20_000_000 });
        assert_eq!(
            e.message(COMMENTS),
            "The comments' data is too large to be shown here."
        );
        assert_eq!(
            e.detail().as_deref(),
            Some("The file is larger than the 20 MB this page can show.")
        );
        assert!(!e.is_retryable());
    }

    #[test]
    fn offline_says_so() {
        let message = LoadError::Unavailable(Unavailable::Offline).message(ARTICLE);
        assert_eq!(message, "You're offline, and this article has not been saved on this device. Connect to the internet and try again.");
        assert!(LoadError::Unavailable(Unavailable::Offline).is_retryable());
        assert!(LoadError::Unavailable(Unavailable::Network)
            .message(COMMENTS)
            .contains("offline"));
    }

    #[test]
    fn messages_name_the_remedy() {
        assert!(LoadError::Unavailable(Unavailable::Network)
            .message(ARTICLE)
            .contains("connection"));
        assert!(LoadError::Unavailable(Unavailable::Timeout)
            .message(ARTICLE)
            .contains("too long"));
        assert!(LoadError::Unavailable(Unavailable::Server(503))
            .message(ARTICLE)
            .contains("503"));
        assert_eq!(
            LoadError::NotFound.message(ARTICLE),
            "We couldn't find this article."
        );
    }
}
