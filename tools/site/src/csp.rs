//! The site's Content-Security-Policy: code only from the site itself (the app's module and
//! its wasm, and the inline scripts the build wrote, each allowed by its hash), styles only
//! from its stylesheet, images from the site and the publisher's media origins, and no
//! framing, plugins or foreign form targets.

use crate::inline_code::inline_scripts;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// A CSP hash source for a script's text: `'sha256-…'`, the SHA-256 of its UTF-8 bytes in
/// base64, as browsers compare it.
pub fn sha256_source(script: &str) -> String {
    format!(
        "'sha256-{}'",
        BASE64.encode(Sha256::digest(script.as_bytes()))
    )
}

/// The hash sources of every inline script `pages` run (each a file's name and its HTML).
/// Fails, naming the file, on anything in a page no policy of this site allows.
pub fn script_hashes<'a>(
    pages: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<BTreeSet<String>, String> {
    let mut hashes = BTreeSet::new();
    for (file, html) in pages {
        let scripts = inline_scripts(html).map_err(|why| format!("{file}: {why}"))?;
        hashes.extend(scripts.0.iter().map(|script| sha256_source(script)));
    }
    Ok(hashes)
}

/// Checks a page as written against the policy's hashes: it fails, naming the file, if
/// the page runs an inline script the policy does not allow (the browser would not run
/// it, and the app would never start) or has what no policy of this site allows.
pub fn check_page(file: &str, html: &str, allowed: &BTreeSet<String>) -> Result<(), String> {
    let scripts = inline_scripts(html).map_err(|why| format!("{file}: {why}"))?;
    match scripts
        .0
        .iter()
        .map(|script| sha256_source(script))
        .find(|hash| !allowed.contains(hash))
    {
        Some(hash) => Err(format!(
            "{file}: an inline script whose hash {hash} the Content-Security-Policy does not list"
        )),
        None => Ok(()),
    }
}

/// The policy: the site's own code and data, the inline scripts whose hash sources are
/// given, images from `media_origins`, and requests to the comment service's origin
/// (`comment_service`), if the site has one, and nothing wider.
pub fn policy(
    script_hashes: &BTreeSet<String>,
    media_origins: &[String],
    comment_service: Option<&str>,
) -> String {
    // The app's module and wasm come from the site; compiling wasm needs
    // 'wasm-unsafe-eval' (not 'unsafe-eval', which would allow eval itself).
    let mut script_src = vec!["'self'", "'wasm-unsafe-eval'"];
    script_src.extend(script_hashes.iter().map(String::as_str));
    // `data:` for the page's empty icon (`<link rel="icon" href="data:,">`).
    let mut img_src = vec!["'self'", "data:"];
    img_src.extend(media_origins.iter().map(String::as_str));
    [
        "default-src 'self'".to_owned(),
        format!("script-src {}", script_src.join(" ")),
        "style-src 'self'".to_owned(),
        format!("img-src {}", img_src.join(" ")),
        match comment_service {
            Some(origin) => format!("connect-src 'self' {origin}"),
            None => "connect-src 'self'".to_owned(),
        },
        "base-uri 'self'".to_owned(),
        "form-action 'self'".to_owned(),
        "frame-ancestors 'none'".to_owned(),
        "object-src 'none'".to_owned(),
    ]
    .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_a_script_as_browsers_do() {
        // The example in the CSP specification and MDN.
        assert_eq!(
            sha256_source("alert('Hello, world.');"),
            "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
        );
        assert_eq!(
            sha256_source(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
    }

    const TRUNK_PAGE: &str =
        "<html><head><script type=\"module\">import init from '/app.js';\ninit();</script>\
        <script type=\"application/ld+json\">{}</script></head><body></body></html>";

    #[test]
    fn hashes_each_distinct_inline_script_once() {
        let hashes = script_hashes([("index.html", TRUNK_PAGE), ("404.html", TRUNK_PAGE)]).unwrap();
        assert_eq!(
            hashes,
            BTreeSet::from([sha256_source("import init from '/app.js';\ninit();")]),
            "the loader, not the JSON-LD data"
        );
        check_page("index.html", TRUNK_PAGE, &hashes).unwrap();
    }

    #[test]
    fn fails_naming_the_page_with_an_unlisted_script_or_an_inline_style() {
        let hashes = script_hashes([("index.html", TRUNK_PAGE)]).unwrap();
        let changed = TRUNK_PAGE.replace("init();", "init(); track();");
        let err = check_page("articles/a/index.html", &changed, &hashes).unwrap_err();
        assert!(
            err.starts_with("articles/a/index.html: an inline script whose hash 'sha256-"),
            "{err}"
        );
        let styled = TRUNK_PAGE.replace("<body>", "<body><p style=\"color: red\">");
        let err = check_page("404.html", &styled, &hashes).unwrap_err();
        assert!(
            err.starts_with("404.html: a style attribute on <p>"),
            "{err}"
        );
        let err = script_hashes([("index.html", "<style>p {}</style>")]).unwrap_err();
        assert!(err.starts_with("index.html: a <style> element"), "{err}");
    }

    #[test]
    fn allows_the_sites_own_code_and_the_hashed_scripts_only() {
        let hashes = BTreeSet::from([sha256_source("b()"), sha256_source("a()")]);
        let policy = policy(&hashes, &["https://img.example.com".to_owned()], None);
        let directives: Vec<&str> = policy.split("; ").collect();
        assert_eq!(
            directives,
            [
                "default-src 'self'",
                &format!(
                    "script-src 'self' 'wasm-unsafe-eval' {}",
                    hashes.iter().cloned().collect::<Vec<_>>().join(" ")
                ),
                "style-src 'self'",
                "img-src 'self' data: https://img.example.com",
                "connect-src 'self'",
                "base-uri 'self'",
                "form-action 'self'",
                "frame-ancestors 'none'",
                "object-src 'none'",
            ]
        );
        assert!(!policy.contains("'unsafe-inline'") && !policy.contains("'unsafe-eval'"));
    }

    #[test]
    fn a_comment_service_is_allowed_its_origin_and_nothing_wider() {
        let policy = policy(&BTreeSet::new(), &[], Some("https://comments.example.com"));
        assert!(
            policy.contains("; connect-src 'self' https://comments.example.com;"),
            "{policy}"
        );
        assert_eq!(
            policy.matches("comments.example.com").count(),
            1,
            "{policy}"
        );
    }
}
