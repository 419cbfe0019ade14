//! Serving the built app from disk: path mapping, SPA fallback,
//! precompressed variants and cache headers.

use std::path::{Path, PathBuf};

use crate::cache::cache_control;
use crate::encoding::{accepts, Encoding};
use crate::mime::content_type_for;
use crate::reply::Reply;
use crate::request_path::decode_segments;

/// API paths never fall back to index.html: a missing endpoint must look
/// like a missing endpoint to the app, not like HTML.
const API_PREFIX: &str = "/api/";
const API_NOT_FOUND: &str = r#"{"error":"not found"}"#;

/// Answers a GET/HEAD for the URL path `path` (query already stripped)
/// from the directory `root`.
pub(crate) fn serve(root: &Path, path: &str, accept_encoding: &str) -> Reply {
    let segments = match decode_segments(path) {
        Ok(segments) => segments,
        Err(error) => return Reply::text(400, error.message()),
    };
    let under_api = path.starts_with(API_PREFIX);
    match find_file(root, &segments) {
        Some(file) => file_reply(&file, under_api, accept_encoding),
        None if under_api => api_not_found(),
        None => spa_fallback(root, accept_encoding),
    }
}

/// The file a URL maps to: the file itself, or a directory's index.html.
fn find_file(root: &Path, segments: &[String]) -> Option<PathBuf> {
    let path: PathBuf = segments
        .iter()
        .fold(root.to_path_buf(), |dir, s| dir.join(s));
    if path.is_file() {
        Some(path)
    } else {
        let index = path.join("index.html");
        index.is_file().then_some(index)
    }
}

/// Client-side routes (deep links, reloads) get the app shell with 200.
fn spa_fallback(root: &Path, accept_encoding: &str) -> Reply {
    let index = root.join("index.html");
    if index.is_file() {
        file_reply(&index, false, accept_encoding)
    } else {
        Reply::text(404, "not found (no index.html in the served directory)")
    }
}

fn api_not_found() -> Reply {
    Reply::bytes(404, "application/json", API_NOT_FOUND.into()).header("Cache-Control", "no-cache")
}

/// Serves `path`, or its best precompressed sibling the client accepts.
fn file_reply(path: &Path, under_api: bool, accept_encoding: &str) -> Reply {
    let available: Vec<Encoding> = Encoding::BY_PREFERENCE
        .into_iter()
        .filter(|encoding| encoding.sibling_of(path).is_file())
        .collect();
    let chosen = available
        .iter()
        .copied()
        .find(|encoding| accepts(accept_encoding, encoding.token()));
    let sent_path = chosen.map_or_else(|| path.to_path_buf(), |encoding| encoding.sibling_of(path));
    let reply = match Reply::file(content_type_for(path), &sent_path) {
        Ok(reply) => reply.header("Cache-Control", cache_control(path, under_api)),
        Err(_) => return Reply::text(500, "cannot read file"),
    };
    let reply = match chosen {
        Some(encoding) => reply.header("Content-Encoding", encoding.token()),
        None => reply,
    };
    // Any response for a file with variants depends on Accept-Encoding,
    // including the uncompressed one.
    if available.is_empty() {
        reply
    } else {
        reply.header("Vary", "Accept-Encoding")
    }
}
