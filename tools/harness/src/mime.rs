//! Content-Type by file extension.

use std::path::Path;

/// The Content-Type to send for `path`, judged by its extension.
pub(crate) fn content_type_for(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|ext| ext.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("ico") => "image/x-icon",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("txt") => "text/plain; charset=utf-8",
        Some("xml") => "application/xml",
        Some("webmanifest") => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::content_type_for;
    use std::path::Path;

    #[test]
    fn known_extensions() {
        let cases = [
            ("index.html", "text/html; charset=utf-8"),
            (
                "my-garage-0123456789abcdef.js",
                "text/javascript; charset=utf-8",
            ),
            ("worker.mjs", "text/javascript; charset=utf-8"),
            ("my-garage_bg.wasm", "application/wasm"),
            ("main.CSS", "text/css; charset=utf-8"),
            ("articles.json", "application/json"),
            ("logo.svg", "image/svg+xml"),
            ("favicon.ico", "image/x-icon"),
            ("a.png", "image/png"),
            ("a.jpeg", "image/jpeg"),
            ("a.webp", "image/webp"),
            ("a.avif", "image/avif"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("sitemap.xml", "application/xml"),
            ("site.webmanifest", "application/manifest+json"),
            ("archive.tar", "application/octet-stream"),
            ("no-extension", "application/octet-stream"),
        ];
        for (name, expected) in cases {
            assert_eq!(content_type_for(Path::new(name)), expected, "{name}");
        }
    }
}
