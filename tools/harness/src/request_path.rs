//! Turning a request target into something safe to look up on disk.

/// Why a request path cannot be mapped to a file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PathError {
    /// Not an origin-form path, bad percent-encoding, not UTF-8, or a
    /// character that is unsafe in a file name.
    Malformed,
    /// A `..` segment: an attempt to escape the served directory.
    Traversal,
}

impl PathError {
    pub(crate) fn message(&self) -> &'static str {
        match self {
            PathError::Malformed => "bad request: malformed path",
            PathError::Traversal => "bad request: path traversal",
        }
    }
}

/// The path part of a request target, without scheme/authority (absolute
/// form), query string or fragment. Still percent-encoded.
pub(crate) fn path_of(target: &str) -> &str {
    let path = strip_origin(target);
    let end = path.find(['?', '#']).unwrap_or(path.len());
    &path[..end]
}

/// `http://host/x` -> `/x`; anything else is returned unchanged.
fn strip_origin(target: &str) -> &str {
    for scheme in ["http://", "https://"] {
        if let Some(rest) = target.strip_prefix(scheme) {
            return rest.find('/').map_or("/", |slash| &rest[slash..]);
        }
    }
    target
}

/// Decodes a URL path into file-name segments (empty and `.` segments
/// dropped), refusing anything that could leave the served directory.
pub(crate) fn decode_segments(path: &str) -> Result<Vec<String>, PathError> {
    let relative = path.strip_prefix('/').ok_or(PathError::Malformed)?;
    let decoded = percent_decode(relative)?;
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(PathError::Traversal),
            unsafe_name if unsafe_name.contains(['\\', '\0']) => return Err(PathError::Malformed),
            name => segments.push(name.to_owned()),
        }
    }
    Ok(segments)
}

/// The whole URL path with `%XX` escapes decoded, for matching against the
/// patterns of `_redirects` and `_headers`, which are written unencoded.
pub(crate) fn decode_path(path: &str) -> Result<String, PathError> {
    percent_decode(path)
}

/// Decodes `%XX` escapes; the result must be UTF-8.
fn percent_decode(encoded: &str) -> Result<String, PathError> {
    let bytes = encoded.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let high = bytes.get(i + 1).and_then(|&b| hex_value(b));
            let low = bytes.get(i + 2).and_then(|&b| hex_value(b));
            let (Some(high), Some(low)) = (high, low) else {
                return Err(PathError::Malformed);
            };
            decoded.push(high << 4 | low);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).map_err(|_| PathError::Malformed)
}

fn hex_value(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|value| value as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_of_strips_query_fragment_and_origin() {
        assert_eq!(path_of("/articles/x?ref=home#top"), "/articles/x");
        assert_eq!(path_of("/a#frag?not-query"), "/a");
        assert_eq!(path_of("http://127.0.0.1:8080/app.js?v=1"), "/app.js");
        assert_eq!(path_of("http://127.0.0.1:8080"), "/");
        assert_eq!(path_of("*"), "*");
    }

    #[test]
    fn decodes_segments() {
        assert_eq!(decode_segments("/"), Ok(vec![]));
        assert_eq!(
            decode_segments("/articles//./my%20car/"),
            Ok(vec!["articles".to_owned(), "my car".to_owned()])
        );
        assert_eq!(decode_segments("/caf%C3%A9"), Ok(vec!["café".to_owned()]));
    }

    #[test]
    fn decodes_whole_paths() {
        assert_eq!(
            decode_path("/my%20car/caf%C3%A9/"),
            Ok("/my car/café/".to_owned())
        );
        assert_eq!(decode_path("/a%2Fb"), Ok("/a/b".to_owned()));
        assert_eq!(decode_path("/%zz"), Err(PathError::Malformed));
    }

    #[test]
    fn rejects_traversal() {
        for path in [
            "/../etc/passwd",
            "/a/../../b",
            "/%2e%2e/x",
            "/a/..%2F..%2Fx",
        ] {
            assert_eq!(decode_segments(path), Err(PathError::Traversal), "{path}");
        }
    }

    #[test]
    fn rejects_malformed() {
        for path in ["relative", "*", "/%zz", "/%4", "/%ff", "/a%5Cb", "/a%00b"] {
            assert_eq!(decode_segments(path), Err(PathError::Malformed), "{path}");
        }
    }
}
