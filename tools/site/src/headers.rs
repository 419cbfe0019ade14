//! `_headers` (Netlify and Cloudflare Pages): the security headers on every response, and
//! how long each kind of file may be cached.
//!
//! The two hosts differ when blocks for one path set the same header: Netlify keeps the
//! later value, Cloudflare Pages joins both with a comma. So each header is set for a path
//! by one block only: the security headers by the block for everything, `Cache-Control`
//! by blocks that never overlap.

/// Browser features the site never uses, turned off for it and anything it could embed.
/// Only features Chromium knows (it warns about any other); Firefox ignores the header.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), \
     display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), \
     hid=(), idle-detection=(), magnetometer=(), microphone=(), midi=(), payment=(), \
     picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), \
     usb=(), xr-spatial-tracking=()";

/// Pages and data are revalidated on every visit, so a new build shows at once.
const REVALIDATE: &str = "no-cache";
/// A photograph's variants (`media/v/`) are named by the photograph, not its bytes: kept an
/// hour, so a photograph replaced under the same name reaches readers within the hour.
const PHOTOS: &str = "public, max-age=3600";
/// A build file named by its content never changes under that name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The `_headers` file for a site under `base` ("" or "/sub"): `csp` on every response,
/// the addresses of `page_files` (the HTML files the build wrote, such as `index.html` and
/// `articles/x/index.html`) and the API revalidated, and `hashed_files` (Trunk's outputs,
/// such as `my-garage-<hash>.js`) cached for good.
pub fn headers(base: &str, csp: &str, page_files: &[&str], hashed_files: &[String]) -> String {
    let mut text = String::from(
        "# Written by the build (tools/site). Each header is set for a path by one block only:\n\
         # Netlify lets a later block win, Cloudflare Pages joins the values.\n",
    );
    let mut block = |pattern: &str, headers: &[(&str, &str)]| {
        text.push_str(pattern);
        text.push('\n');
        for (name, value) in headers {
            text.push_str(&format!("  {name}: {value}\n"));
        }
    };
    block(
        &format!("{base}/*"),
        &[
            ("Content-Security-Policy", csp),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "strict-origin-when-cross-origin"),
            ("Permissions-Policy", PERMISSIONS_POLICY),
        ],
    );
    for pattern in page_patterns(base, page_files) {
        block(&pattern, &[("Cache-Control", REVALIDATE)]);
    }
    block(&format!("{base}/api/*"), &[("Cache-Control", REVALIDATE)]);
    block(&format!("{base}/media/v/*"), &[("Cache-Control", PHOTOS)]);
    for file in hashed_files {
        block(&format!("{base}/{file}"), &[("Cache-Control", IMMUTABLE)]);
    }
    text
}

/// The addresses the pages are served under: the front page at `{base}/` as well as its
/// file, every article (and `articles/404.html`, which the host serves under the address
/// of an article published after the build) under `{base}/articles/*`, the lists' pages
/// under `{base}/page/*` and `{base}/section/*` (one rule each however large the archive:
/// Cloudflare Pages reads at most 100), any other page at its file.
fn page_patterns(base: &str, page_files: &[&str]) -> Vec<String> {
    let mut patterns = Vec::new();
    let mut add = |pattern: String| {
        if !patterns.contains(&pattern) {
            patterns.push(pattern);
        }
    };
    for file in page_files {
        if *file == "index.html" {
            add(format!("{base}/"));
            add(format!("{base}/index.html"));
        } else if let Some(folder) = ["articles/", "page/", "section/"]
            .into_iter()
            .find(|folder| file.starts_with(folder))
        {
            add(format!("{base}/{folder}*"));
        } else {
            add(format!("{base}/{file}"));
        }
    }
    patterns
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGES: [&str; 9] = [
        "index.html",
        "articles/a/index.html",
        "articles/b/index.html",
        "404.html",
        "articles/404.html",
        "page/2/index.html",
        "page/3/index.html",
        "section/news/index.html",
        "section/news/page/2/index.html",
    ];

    #[test]
    fn writes_one_block_per_path_under_the_base() {
        let hashed = ["my-garage-0123456789abcdef.js".to_owned()];
        let text = headers("/garage", "default-src 'self'", &PAGES, &hashed);
        let body: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            body,
            [
                "/garage/*",
                "  Content-Security-Policy: default-src 'self'",
                "  X-Content-Type-Options: nosniff",
                "  Referrer-Policy: strict-origin-when-cross-origin",
                &format!("  Permissions-Policy: {PERMISSIONS_POLICY}"),
                "/garage/",
                "  Cache-Control: no-cache",
                "/garage/index.html",
                "  Cache-Control: no-cache",
                "/garage/articles/*",
                "  Cache-Control: no-cache",
                "/garage/404.html",
                "  Cache-Control: no-cache",
                "/garage/page/*",
                "  Cache-Control: no-cache",
                "/garage/section/*",
                "  Cache-Control: no-cache",
                "/garage/api/*",
                "  Cache-Control: no-cache",
                "/garage/media/v/*",
                "  Cache-Control: public, max-age=3600",
                "/garage/my-garage-0123456789abcdef.js",
                "  Cache-Control: public, max-age=31536000, immutable",
            ]
        );
        assert!(headers("", "x", &PAGES, &[]).contains("\n/*\n"));
        assert!(headers("", "x", &PAGES, &[]).contains("\n/\n  Cache-Control: no-cache\n"));
    }

    #[test]
    fn the_permissions_policy_turns_features_off() {
        for feature in PERMISSIONS_POLICY.split(", ") {
            assert!(feature.ends_with("=()"), "{feature}");
        }
        for used_by_nobody in [
            "camera=()",
            "microphone=()",
            "geolocation=()",
            "payment=()",
            "usb=()",
        ] {
            assert!(PERMISSIONS_POLICY.contains(used_by_nobody));
        }
    }
}
