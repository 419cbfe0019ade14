//! Serving the built app from disk as Cloudflare Pages does (checked against its own
//! runtime, `wrangler pages dev`): `_redirects` rules first, whether or not a file matches;
//! then the path's file; then the nearest `404.html` up the tree, with status 404.
//! Precompressed variants and cache headers as a CDN would send them.
//!
//! Two differences, both on purpose: a file is served at every address that names it
//! (`/a/b`, `/a/b/`, `/a/b/index.html`, `/a/b.html` as `/a/b`) where Cloudflare answers all
//! but one with a 308 to its preferred form, as Netlify and nginx serve them in place; and a
//! missing `/api/` path is a JSON 404 (see [`API_PREFIX`]).

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

/// The not-found page: the one nearest the requested path is sent, with status 404.
const NOT_FOUND_PAGE: &str = "404.html";

/// Answers a GET/HEAD for the URL path `path` (query already stripped)
/// from the directory `root`.
pub(crate) fn serve(root: &Path, path: &str, accept_encoding: &str) -> Reply {
    let segments = match decode_segments(path) {
        Ok(segments) => segments,
        Err(error) => return Reply::text(400, error.message()),
    };
    // Cannot fail: the segments above decoded the same text.
    let decoded = decode_path(path).unwrap_or_else(|_| path.to_owned());
    // Cloudflare Pages follows a rule even where a file matches (Netlify would not).
    if let Some(reply) = redirect_reply(root, &decoded, accept_encoding) {
        return reply;
    }
    let under_api = path.starts_with(API_PREFIX);
    if let Some(file) = find_file(root, &segments) {
        return file_reply(&file, 200, under_api, accept_encoding);
    }
    if under_api {
        return api_not_found();
    }
    not_found(root, path, &segments, accept_encoding)
}

/// The file a URL maps to: the file itself, a directory's index.html, or
/// `name.html` for `name`. The host's own rule files are not part of the
/// site, so they are never served (hosts hide them too).
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
        return Some(path);
    }
    let index = path.join("index.html");
    if index.is_file() {
        return Some(index);
    }
    let html = path.with_extension("html");
    (!segments.is_empty() && html.is_file()).then_some(html)
}

/// What the first `_redirects` rule matching `path` says, or `None` when no
/// rule matches. A rewrite (status 200) serves its target as a request for
/// the target would be answered, except that an `.html` target is answered
/// as Cloudflare Pages does: a 308 to its address without `.html` (so the
/// browser's address changes after all).
fn redirect_reply(root: &Path, path: &str, accept_encoding: &str) -> Option<Reply> {
    match redirects::find_redirect(&redirects::load(root), path)? {
        RedirectOutcome::Rewrite { path } => {
            let target = path_of(&path);
            if let Some(pretty) = without_html_extension(target) {
                return Some(redirect(308, pretty));
            }
            let segments = decode_segments(target).ok()?;
            let under_api = target.starts_with(API_PREFIX);
            Some(match find_file(root, &segments) {
                Some(file) => file_reply(&file, 200, under_api, accept_encoding),
                None if under_api => api_not_found(),
                None => not_found(root, target, &segments, accept_encoding),
            })
        }
        RedirectOutcome::Redirect { location, status } => Some(redirect(status, location)),
    }
}

/// `/a/index.html` → `/a/`, `/a/b.html` → `/a/b`: the address Cloudflare Pages
/// redirects an `.html` file's address to.
fn without_html_extension(path: &str) -> Option<String> {
    let stem = path.strip_suffix(".html")?;
    Some(match stem.strip_suffix("/index") {
        Some(dir) => format!("{dir}/"),
        None => stem.to_owned(),
    })
}

fn redirect(status: u16, location: String) -> Reply {
    let body = format!("Redirecting to {location}\n");
    Reply::text(status, &body).header("Location", location)
}

/// No file: the `404.html` nearest the path (in the folder the path names, then each
/// folder up to the top) with status 404, as Cloudflare Pages answers; a site with no
/// `404.html` on the way gets the SPA fallback. `path` is the URL path whose `segments`
/// these are: with a trailing slash it names a folder, without one its last segment is a
/// name in a folder.
fn not_found(root: &Path, path: &str, segments: &[String], accept_encoding: &str) -> Reply {
    let folder_depth = if path.ends_with('/') {
        segments.len()
    } else {
        segments.len().saturating_sub(1)
    };
    for depth in (0..=folder_depth).rev() {
        let page = segments[..depth]
            .iter()
            .fold(root.to_path_buf(), |dir, s| dir.join(s))
            .join(NOT_FOUND_PAGE);
        if page.is_file() {
            return file_reply(&page, 404, false, accept_encoding);
        }
    }
    spa_fallback(root, accept_encoding)
}

/// Client-side routes (deep links, reloads) get the app shell with 200, for
/// sites built without a `404.html` (e.g. by `trunk build`), as Cloudflare
/// Pages serves a site without one.
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
