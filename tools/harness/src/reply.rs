//! A response decided by the server, independent of tiny_http.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::Path;

use tiny_http::{Header, Response, StatusCode};

/// What to send back: status, headers and body. Content-Length is derived
/// from the body, so it is always set.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(Cow<'static, str>, String)>,
    body: Body,
}

enum Body {
    Bytes(Vec<u8>),
    File { file: File, len: usize },
}

impl Reply {
    pub(crate) fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.to_owned())],
            body: Body::Bytes(body),
        }
    }

    /// A short plain-text reply for errors; never cached.
    pub(crate) fn text(status: u16, message: &str) -> Reply {
        Reply::bytes(status, "text/plain; charset=utf-8", message.into())
            .header("Cache-Control", "no-cache")
    }

    /// A reply streaming the file at `path`, sized from its metadata.
    pub(crate) fn file(status: u16, content_type: &str, path: &Path) -> io::Result<Reply> {
        let file = File::open(path)?;
        let len = usize::try_from(file.metadata()?.len()).map_err(io::Error::other)?;
        Ok(Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.to_owned())],
            body: Body::File { file, len },
        })
    }

    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets each of `headers`, replacing any header of the same name
    /// (compared case-insensitively) the reply already has.
    pub(crate) fn replace_headers(mut self, headers: Vec<(String, String)>) -> Reply {
        for (name, value) in headers {
            self.headers
                .retain(|(existing, _)| !existing.eq_ignore_ascii_case(&name));
            self.headers.push((name.into(), value));
        }
        self
    }

    /// Replaces the value of every header called `name` (compared
    /// case-insensitively) with what `change` makes of it.
    pub(crate) fn map_header(mut self, name: &str, change: impl Fn(&str) -> String) -> Reply {
        for (field, value) in &mut self.headers {
            if field.eq_ignore_ascii_case(name) {
                *value = change(value);
            }
        }
        self
    }

    /// The value of the first header called `name`, if any.
    /// The body's length in bytes (as sent: a precompressed file's own length).
    pub(crate) fn body_len(&self) -> usize {
        match &self.body {
            Body::Bytes(bytes) => bytes.len(),
            Body::File { len, .. } => *len,
        }
    }

    pub(crate) fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Converts to a tiny_http response that always carries Content-Length
    /// (never chunked), so clients and benchmarks see the real size.
    pub(crate) fn into_response(self) -> Response<Box<dyn Read>> {
        let headers = self
            .headers
            .iter()
            .filter_map(|(name, value)| Header::from_bytes(name.as_bytes(), value.as_bytes()).ok())
            .collect();
        let (reader, len): (Box<dyn Read>, usize) = match self.body {
            Body::Bytes(bytes) => {
                let len = bytes.len();
                (Box::new(Cursor::new(bytes)), len)
            }
            Body::File { file, len } => (Box::new(file), len),
        };
        Response::new(StatusCode(self.status), headers, reader, Some(len), None)
            .with_chunked_threshold(usize::MAX)
    }
}
