//! Serving the built app from disk: path mapping, `_redirects` rules, the
//! not-found page, precompressed variants and cache headers.

use std::path::{Path, PathBuf};

use crate::cache::cache_control;
use crate::custom_headers;
use crate::mime::content_type_for;
use crate::redirects::{self, RedirectOutcome};
use crate::reply::Reply;
use crate::request_path::{decode_path, decode_segments, path_of};
use garage_precompress::{accepts, Encoding};

/// API paths never fall back to a page: a missing endpoint must look like a
/// missing endpoint to the app, not like HTML.
const API_PREFIX: &str = "/api/";
const API_NOT_FOUND: &str = r#"{"error":"not found"}"#;

/// The page Netlify and Cloudflare Pages send, with status 404, for a path
/// with no file and no matching rule.
const NOT_FOUND_PAGE: &str = "404.html";

/// Answers a GET/HEAD for the URL path `path` (query already stripped)
/// from the directory `root`. A file of its own always wins; only then do
/// the `_redirects` rules and the not-found page apply, as on Netlify.
pub(crate) fn serve(root: &Path, path: &str, accept_encoding: &str) -> Reply {
    let segments = match decode_segments(path) {
        Ok(segments) => segments,
        Err(error) => return Reply::text(400, error.message()),
    };
    let under_api = path.starts_with(API_PREFIX);
    if let Some(file) = find_file(root, &segments) {
        return file_reply(&file, 200, under_api, accept_encoding);
    }
    if under_api {
        return api_not_found();
    }
    // Cannot fail: the segments above decoded the same text.
    let decoded = decode_path(path).unwrap_or_else(|_| path.to_owned());
    redirect_reply(root, &decoded, accept_encoding)
        .unwrap_or_else(|| not_found(root, accept_encoding))
}

/// The file a URL maps to: the file itself, or a directory's index.html.
/// The host's own rule files are not part of the site, so they are never
/// served (hosts hide them too).
fn find_file(root: &Path, segments: &[String]) -> Option<PathBuf> {
    if let [only] = segments {
        if only == redirects::FILE_NAME || only == custom_headers::FILE_NAME {
            return None;
        }
    }
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

/// What the first `_redirects` rule matching `path` says, or `None` when no
/// rule matches or the file it names does not exist (then the default applies).
fn redirect_reply(root: &Path, path: &str, accept_encoding: &str) -> Option<Reply> {
    match redirects::find_redirect(&redirects::load(root), path)? {
        RedirectOutcome::Serve { path, status } => {
            let target = path_of(&path);
            let file = find_file(root, &decode_segments(target).ok()?)?;
            let under_api = target.starts_with(API_PREFIX);
            Some(file_reply(&file, status, under_api, accept_encoding))
        }
        RedirectOutcome::Redirect { location, status } => {
            let body = format!("Redirecting to {location}\n");
            Some(Reply::text(status, &body).header("Location", location))
        }
    }
}

/// No file and no rule: `404.html` with status 404 if the site has one
/// (what Netlify and Cloudflare Pages do), otherwise the SPA fallback.
fn not_found(root: &Path, accept_encoding: &str) -> Reply {
    let page = root.join(NOT_FOUND_PAGE);
    if page.is_file() {
        file_reply(&page, 404, false, accept_encoding)
    } else {
        spa_fallback(root, accept_encoding)
    }
}

/// Client-side routes (deep links, reloads) get the app shell with 200, for
/// sites built without `_redirects` or `404.html` (e.g. by `trunk build`).
fn spa_fallback(root: &Path, accept_encoding: &str) -> Reply {
    let index = root.join("index.html");
    if index.is_file() {
        file_reply(&index, 200, false, accept_encoding)
    } else {
        Reply::text(404, "not found (no index.html in the served directory)")
    }
}

fn api_not_found() -> Reply {
    Reply::bytes(404, "application/json", API_NOT_FOUND.into()).header("Cache-Control", "no-cache")
}

/// Serves `path` with `status`, or its best precompressed sibling the client accepts.
fn file_reply(path: &Path, status: u16, under_api: bool, accept_encoding: &str) -> Reply {
    let available: Vec<Encoding> = Encoding::BY_PREFERENCE
        .into_iter()
        .filter(|encoding| encoding.sibling_of(path).is_file())
        .collect();
    let chosen = available
        .iter()
        .copied()
        .find(|encoding| accepts(accept_encoding, encoding.token()));
    let sent_path = chosen.map_or_else(|| path.to_path_buf(), |encoding| encoding.sibling_of(path));
    let reply = match Reply::file(status, content_type_for(path), &sent_path) {
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
