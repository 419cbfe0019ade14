//! End-to-end tests of `StaticServer` over real sockets.

mod common;

use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use common::{get, post, request, TempDir};
use garage_harness::{CannedResponse, StaticServer, CSP_REPORT_PATH};

const INDEX: &str = "<!doctype html><title>My Garage</title>";
const APP_JS: &str = "console.log('my garage');";
const HASHED_JS: &str = "my-garage-1a2b3c4d5e6f7a8b.js";

/// A dist-like directory and a server for it.
fn serve_site() -> (TempDir, StaticServer) {
    let site = TempDir::new("site");
    site.write("index.html", INDEX);
    site.write(HASHED_JS, APP_JS);
    site.write("my-garage-1a2b3c4d5e6f7a8b_bg.wasm", b"\0asm\x01\0\0\0");
    site.write("favicon.ico", b"ico");
    site.write("api/articles.json", r#"[{"slug":"x"}]"#);
    site.write("docs/index.html", "<p>docs</p>");
    let server = StaticServer::start(site.path()).expect("start server");
    (site, server)
}

#[test]
fn serves_files_with_content_type_length_and_cache_control() {
    let (_site, server) = serve_site();
    let js = get(server.addr(), &format!("/{HASHED_JS}?v=1"), &[]);
    assert_eq!(js.status, 200);
    assert_eq!(js.text(), APP_JS);
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(
        js.header("content-length"),
        Some(APP_JS.len().to_string().as_str())
    );
    assert_eq!(
        js.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(js.header("content-encoding"), None);

    let wasm = get(server.addr(), "/my-garage-1a2b3c4d5e6f7a8b_bg.wasm", &[]);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(
        wasm.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );

    let icon = get(server.addr(), "/favicon.ico", &[]);
    assert_eq!(icon.header("content-type"), Some("image/x-icon"));
    assert_eq!(icon.header("cache-control"), Some("public, max-age=300"));

    let api = get(server.addr(), "/api/articles.json", &[]);
    assert_eq!(api.header("content-type"), Some("application/json"));
    assert_eq!(api.header("cache-control"), Some("no-cache"));
}

#[test]
fn directory_maps_to_its_index() {
    let (_site, server) = serve_site();
    let root = get(server.addr(), "/", &[]);
    assert_eq!(root.status, 200);
    assert_eq!(root.text(), INDEX);
    assert_eq!(
        root.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(root.header("cache-control"), Some("no-cache"));
    assert_eq!(get(server.addr(), "/docs", &[]).text(), "<p>docs</p>");
    assert_eq!(get(server.addr(), "/docs/", &[]).text(), "<p>docs</p>");
}

/// The site has neither `_redirects` nor `404.html` (e.g. `trunk build`):
/// the old SPA fallback.
#[test]
fn deep_links_fall_back_to_index() {
    let (_site, server) = serve_site();
    for path in [
        "/articles/some-slug",
        "/articles/x?ref=home",
        "/settings/",
        "/api",
    ] {
        let page = get(server.addr(), path, &[]);
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(page.text(), INDEX, "{path}");
        assert_eq!(page.header("cache-control"), Some("no-cache"), "{path}");
    }
}

#[test]
fn missing_api_path_is_json_404() {
    let (_site, server) = serve_site();
    let missing = get(server.addr(), "/api/missing.json", &[]);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type"), Some("application/json"));
    assert_eq!(missing.text(), r#"{"error":"not found"}"#);
}

#[test]
fn path_traversal_is_rejected() {
    let site = TempDir::new("traversal");
    site.write("secret.txt", "top secret");
    site.write("public/index.html", INDEX);
    let server = StaticServer::start(site.path().join("public")).expect("start server");
    for path in [
        "/../secret.txt",
        "/a/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2Fsecret.txt",
    ] {
        let response = get(server.addr(), path, &[]);
        assert_eq!(response.status, 400, "{path}");
        assert!(!response.text().contains("top secret"), "{path}");
    }
}

#[test]
fn head_sends_headers_only_and_other_methods_are_refused() {
    let (_site, server) = serve_site();
    let head = request(server.addr(), "HEAD", "/", &[]);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(INDEX.len().to_string().as_str())
    );
    assert!(head.body.is_empty());
    let post = request(server.addr(), "POST", "/", &[("Content-Length", "0")]);
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
}

#[test]
fn precompressed_variant_follows_accept_encoding() {
    let (site, server) = serve_site();
    site.write(&format!("{HASHED_JS}.br"), "BROTLI");
    site.write(&format!("{HASHED_JS}.gz"), "GZIP");
    let path = format!("/{HASHED_JS}");
    let fetch = |accept: &str| get(server.addr(), &path, &[("Accept-Encoding", accept)]);

    let br = fetch("gzip, deflate, br, zstd");
    assert_eq!(
        (br.text().as_str(), br.header("content-encoding")),
        ("BROTLI", Some("br"))
    );
    let gz = fetch("gzip");
    assert_eq!(
        (gz.text().as_str(), gz.header("content-encoding")),
        ("GZIP", Some("gzip"))
    );
    let plain = fetch("identity");
    assert_eq!(
        (plain.text().as_str(), plain.header("content-encoding")),
        (APP_JS, None)
    );

    for response in [&br, &gz, &plain] {
        assert_eq!(response.header("vary"), Some("Accept-Encoding"));
        assert_eq!(
            response.header("content-type"),
            Some("text/javascript; charset=utf-8")
        );
        assert_eq!(
            response.header("content-length"),
            Some(response.body.len().to_string().as_str())
        );
    }
}

#[test]
fn gzip_is_used_when_only_gzip_exists() {
    let (site, server) = serve_site();
    site.write("index.html.gz", "GZIP INDEX");
    let deep_link = get(
        server.addr(),
        "/articles/x",
        &[("Accept-Encoding", "gzip, br")],
    );
    assert_eq!(deep_link.text(), "GZIP INDEX");
    assert_eq!(deep_link.header("content-encoding"), Some("gzip"));
    assert_eq!(
        deep_link.header("content-type"),
        Some("text/html; charset=utf-8")
    );
}

#[test]
fn canned_queue_pops_in_order_then_falls_back_to_file() {
    let (_site, server) = serve_site();
    server.respond_with(
        "/api/articles.json",
        vec![
            CannedResponse::json(500, r#"{"error":"boom"}"#),
            CannedResponse::html(503, "<p>maintenance</p>"),
        ],
    );
    let first = get(server.addr(), "/api/articles.json?page=1", &[]);
    assert_eq!(
        (first.status, first.text().as_str()),
        (500, r#"{"error":"boom"}"#)
    );
    assert_eq!(first.header("content-type"), Some("application/json"));
    let second = get(server.addr(), "/api/articles.json", &[]);
    assert_eq!(
        (second.status, second.header("content-type")),
        (503, Some("text/html; charset=utf-8"))
    );
    let third = get(server.addr(), "/api/articles.json", &[]);
    assert_eq!(
        (third.status, third.text().as_str()),
        (200, r#"[{"slug":"x"}]"#)
    );
}

#[test]
fn always_respond_with_persists_until_cleared() {
    let (_site, server) = serve_site();
    server.always_respond_with("/api/articles.json", CannedResponse::json(500, "{}"));
    server.always_respond_with("/favicon.ico", CannedResponse::json(418, "{}"));
    for _ in 0..3 {
        assert_eq!(get(server.addr(), "/api/articles.json", &[]).status, 500);
    }
    server.clear("/api/articles.json");
    assert_eq!(get(server.addr(), "/api/articles.json", &[]).status, 200);
    assert_eq!(get(server.addr(), "/favicon.ico", &[]).status, 418);
    server.clear_all();
    assert_eq!(get(server.addr(), "/favicon.ico", &[]).status, 200);
}

#[test]
fn delayed_response_does_not_block_other_requests() {
    let (_site, server) = serve_site();
    let delay = Duration::from_millis(1500);
    server.respond_with(
        "/api/slow.json",
        vec![CannedResponse::json(200, "{}").with_delay(delay)],
    );
    let addr = server.addr();
    let slow = thread::spawn(move || {
        let started = Instant::now();
        let response = get(addr, "/api/slow.json", &[]);
        (response.status, started.elapsed())
    });
    while server.request_count("/api/slow.json") == 0 {
        thread::sleep(Duration::from_millis(5));
    }
    let started = Instant::now();
    assert_eq!(get(addr, "/favicon.ico", &[]).status, 200);
    assert!(
        started.elapsed() < Duration::from_millis(750),
        "fast request was blocked"
    );
    let (status, slow_elapsed) = slow.join().expect("slow request thread");
    assert_eq!(status, 200);
    assert!(slow_elapsed >= delay);
}

/// A browser opens several connections at once and keeps each open after its response.
/// Every one of them is answered: none waits for another to close (tiny_http 0.12's thread
/// pool could hand two new connections to one idle thread; see `vendor/README.md`).
#[test]
fn connections_opened_together_are_all_answered_while_the_others_stay_open() {
    use std::io::{Read, Write};
    let (_site, server) = serve_site();
    let addr = server.addr();
    for round in 0..5 {
        let mut open: Vec<TcpStream> = (0..16)
            .map(|_| TcpStream::connect(addr).expect("connect"))
            .collect();
        for (n, stream) in open.iter_mut().enumerate() {
            // Long enough for any machine; a connection left waiting is never answered.
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .expect("timeout");
            let head = format!("GET /favicon.ico?{round}-{n} HTTP/1.1\r\nHost: {addr}\r\nConnection: keep-alive\r\n\r\n");
            stream.write_all(head.as_bytes()).expect("send");
        }
        for (n, stream) in open.iter_mut().enumerate() {
            let mut first = [0u8; 12];
            let answered = stream.read_exact(&mut first);
            assert!(
                answered.is_ok() && first.starts_with(b"HTTP/1.1 200"),
                "round {round}: connection {n} of 16 was not answered ({answered:?}) while the others stayed open"
            );
        }
    }
}

#[test]
fn request_count_counts_every_request_per_path() {
    let (_site, server) = serve_site();
    server.respond_with("/api/articles.json", vec![CannedResponse::json(500, "{}")]);
    for _ in 0..2 {
        get(server.addr(), "/api/articles.json?page=2", &[]);
    }
    get(server.addr(), "/", &[]);
    assert_eq!(server.request_count("/api/articles.json"), 2);
    assert_eq!(server.request_count("/"), 1);
    assert_eq!(server.request_count("/index.html"), 0);
    assert_eq!(server.total_request_count(), 3);
    server.reset_request_counts();
    assert_eq!(server.total_request_count(), 0);
}

#[test]
fn drop_releases_the_port_for_reuse() {
    let (site, server) = serve_site();
    let addr = server.addr();
    assert_eq!(server.base_url(), format!("http://{addr}"));
    assert_eq!(server.url("/x"), format!("http://{addr}/x"));
    drop(server);
    assert!(
        TcpStream::connect(addr).is_err(),
        "still listening after drop"
    );
    let again = StaticServer::start_on(site.path(), &addr.to_string()).expect("rebind same port");
    assert_eq!(get(again.addr(), "/", &[]).text(), INDEX);
}

#[test]
fn start_on_reports_an_address_in_use() {
    let (_site, server) = serve_site();
    let error = StaticServer::start_on(server.root(), &server.addr().to_string())
        .err()
        .expect("second bind must fail");
    assert_eq!(error.kind(), std::io::ErrorKind::AddrInUse);
}

const LOADING: &str = "<!doctype html><title>Loading article</title>";
const NOT_FOUND_PAGE: &str = "<!doctype html><title>Not found</title>";
const ARTICLE_NOT_FOUND_PAGE: &str = "<!doctype html><title>Article not built</title>";

/// A site as a build could write it: `404.html`, `articles/404.html`, `_redirects` and
/// `_headers`.
fn serve_site_with_host_files(redirects: &str, headers: &str) -> (TempDir, StaticServer) {
    let site = TempDir::new("host-files");
    site.write("index.html", INDEX);
    site.write("404.html", NOT_FOUND_PAGE);
    site.write("articles/404.html", ARTICLE_NOT_FOUND_PAGE);
    site.write("articles/seed/index.html", "<p>seed</p>");
    site.write("article-loading.html", LOADING);
    site.write("favicon.ico", b"ico");
    site.write("api/articles.json", r#"[{"slug":"x"}]"#);
    site.write("docs/index.html", "<p>docs</p>");
    site.write("_redirects", redirects);
    site.write("_headers", headers);
    let server = StaticServer::start(site.path()).expect("start server");
    (site, server)
}

const REDIRECTS: &str = "\
# Rules of every kind
/app/*       /docs/                200
/old/*       /gone.html            404
/news/*      /articles/:splat      302
/legacy      /articles/
/favicon.ico /elsewhere.ico        301
/docs        /somewhere-else       308
/broken/*    /missing/             200
";

#[test]
fn a_rewrite_serves_its_target_and_its_precompressed_variant() {
    let (site, server) = serve_site_with_host_files(REDIRECTS, "");
    let plain = get(server.addr(), "/app/settings?x=1", &[]);
    assert_eq!(plain.status, 200);
    assert_eq!(plain.text(), "<p>docs</p>");
    assert_eq!(
        plain.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(plain.header("cache-control"), Some("no-cache"));
    assert_eq!(plain.header("location"), None, "a rewrite keeps the URL");

    site.write("docs/index.html.br", "BROTLI DOCS");
    let br = get(
        server.addr(),
        "/app/a/b",
        &[("Accept-Encoding", "gzip, br")],
    );
    assert_eq!(br.status, 200);
    assert_eq!(br.text(), "BROTLI DOCS");
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(br.header("vary"), Some("Accept-Encoding"));
}

/// Cloudflare Pages follows a rule even where a file matches, and answers a rewrite to an
/// `.html` file with a 308 to the file's address without `.html`: the rule that once sent
/// every article, prerendered or not, to `/article-loading`.
#[test]
fn a_rewrite_to_an_html_file_redirects_to_its_address_without_html() {
    let (_site, server) =
        serve_site_with_host_files("/articles/*  /article-loading.html  200\n", "");
    for path in ["/articles/seed", "/articles/published-later"] {
        let answer = get(server.addr(), path, &[]);
        assert_eq!(answer.status, 308, "{path}");
        assert_eq!(
            answer.header("location"),
            Some("/article-loading"),
            "{path}"
        );
    }
    let page = get(server.addr(), "/article-loading", &[]);
    assert_eq!((page.status, page.text().as_str()), (200, LOADING));
}

#[test]
fn a_rule_with_a_status_cloudflare_refuses_is_skipped() {
    let (site, server) = serve_site_with_host_files(REDIRECTS, "");
    site.write("gone.html", "<p>gone</p>");
    let gone = get(server.addr(), "/old/page", &[]);
    assert_eq!((gone.status, gone.text().as_str()), (404, NOT_FOUND_PAGE));
}

#[test]
fn redirect_rules_send_status_and_location() {
    let (_site, server) = serve_site_with_host_files(REDIRECTS, "");
    let news = get(server.addr(), "/news/2024/new-car", &[]);
    assert_eq!(news.status, 302);
    assert_eq!(news.header("location"), Some("/articles/2024/new-car"));
    assert!(news.body.len() < 100, "tiny body");

    let legacy = get(server.addr(), "/legacy", &[]);
    assert_eq!(legacy.status, 302, "Cloudflare's default status");
    assert_eq!(legacy.header("location"), Some("/articles/"));

    let encoded = get(server.addr(), "/news/my%20car/caf%C3%A9", &[]);
    assert_eq!(
        encoded.header("location"),
        Some("/articles/my%20car/caf%C3%A9")
    );
}

#[test]
fn a_rule_applies_even_where_a_file_matches() {
    let (_site, server) = serve_site_with_host_files(REDIRECTS, "");
    let icon = get(server.addr(), "/favicon.ico", &[]);
    assert_eq!(icon.status, 301);
    assert_eq!(icon.header("location"), Some("/elsewhere.ico"));
    let docs = get(server.addr(), "/docs", &[]);
    assert_eq!(docs.status, 308);
    assert_eq!(docs.header("location"), Some("/somewhere-else"));
}

#[test]
fn an_unknown_path_gets_the_nearest_404_html_with_status_404() {
    let (site, server) = serve_site_with_host_files(REDIRECTS, "");
    site.write("404.html.gz", "GZIP NOT FOUND");
    for (path, page) in [
        ("/nowhere", NOT_FOUND_PAGE),
        ("/settings/", NOT_FOUND_PAGE),
        ("/articles", NOT_FOUND_PAGE),
        ("/broken/target-is-missing", NOT_FOUND_PAGE),
        ("/articles/published-later", ARTICLE_NOT_FOUND_PAGE),
        ("/articles/published-later/", ARTICLE_NOT_FOUND_PAGE),
        ("/articles/a/b", ARTICLE_NOT_FOUND_PAGE),
    ] {
        let answer = get(server.addr(), path, &[]);
        assert_eq!(answer.status, 404, "{path}");
        assert_eq!(answer.text(), page, "{path}");
        assert_eq!(
            answer.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{path}"
        );
        assert_eq!(answer.header("cache-control"), Some("no-store"), "{path}");
    }
    let seed = get(server.addr(), "/articles/seed", &[]);
    assert_eq!((seed.status, seed.text().as_str()), (200, "<p>seed</p>"));
    let gz = get(server.addr(), "/nowhere", &[("Accept-Encoding", "gzip")]);
    assert_eq!((gz.status, gz.text().as_str()), (404, "GZIP NOT FOUND"));
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
}

#[test]
fn a_folders_own_404_html_is_looked_for_first() {
    let (site, server) = serve_site_with_host_files("", "");
    site.write("articles/a/404.html", "<p>a's own</p>");
    assert_eq!(
        get(server.addr(), "/articles/a/b", &[]).text(),
        "<p>a's own</p>"
    );
    assert_eq!(
        get(server.addr(), "/articles/a/", &[]).text(),
        "<p>a's own</p>"
    );
    assert_eq!(
        get(server.addr(), "/articles/a", &[]).text(),
        ARTICLE_NOT_FOUND_PAGE,
        "without a slash, a is a name in articles/"
    );
}

#[test]
fn a_page_is_served_at_its_name_without_html() {
    let (_site, server) = serve_site_with_host_files("", "");
    let page = get(server.addr(), "/article-loading", &[]);
    assert_eq!((page.status, page.text().as_str()), (200, LOADING));
}

#[test]
fn without_404_html_the_spa_fallback_stays() {
    let (site, server) = serve_site_with_host_files("/news/* /articles/:splat 302\n", "");
    std::fs::remove_file(site.path().join("404.html")).expect("remove 404.html");
    let page = get(server.addr(), "/nowhere", &[]);
    assert_eq!((page.status, page.text().as_str()), (200, INDEX));
    assert_eq!(get(server.addr(), "/news/x", &[]).status, 302);
}

#[test]
fn a_rule_applies_to_api_paths_too_and_a_loop_rule_is_refused() {
    let (_site, server) = serve_site_with_host_files("/* /index.html 200\n/api/* /docs/ 200\n", "");
    assert_eq!(
        get(server.addr(), "/anything", &[]).status,
        404,
        "the single-page-app rule is refused: it would loop on Cloudflare"
    );
    let api = get(server.addr(), "/api/missing.json", &[]);
    assert_eq!((api.status, api.text().as_str()), (200, "<p>docs</p>"));
}

#[test]
fn host_files_are_not_served_and_are_reread_on_each_request() {
    let (site, server) = serve_site_with_host_files("/a /b 302\n", "/*\n  X-Version: 1\n");
    for path in ["/_redirects", "/_headers"] {
        let hidden = get(server.addr(), path, &[]);
        assert_eq!(
            (hidden.status, hidden.text().as_str()),
            (404, NOT_FOUND_PAGE)
        );
    }
    assert_eq!(get(server.addr(), "/a", &[]).header("location"), Some("/b"));
    site.write("_redirects", "/a /c 307\n");
    site.write("_headers", "/*\n  X-Version: 2\n");
    let changed = get(server.addr(), "/a", &[]);
    assert_eq!(changed.status, 307);
    assert_eq!(changed.header("location"), Some("/c"));
    assert_eq!(changed.header("x-version"), Some("2"));
}

#[test]
fn malformed_rule_lines_are_skipped() {
    let (_site, server) = serve_site_with_host_files(
        "garbage\n/a\n/a /b 999\n/a /b 404\n\u{0}\u{ff}\n/a /ok 302\n",
        "  X-Orphan: 1\nnot a path\n  X-Lost: 1\n/*\n  no colon\n  X-Kept: yes\n",
    );
    let response = get(server.addr(), "/a", &[]);
    assert_eq!(response.status, 302);
    assert_eq!(response.header("location"), Some("/ok"));
    assert_eq!(response.header("x-kept"), Some("yes"));
    assert_eq!(response.header("x-orphan"), None);
    assert_eq!(response.header("x-lost"), None);
}

const HEADERS: &str = "\
# Written by the build
/*
  X-Frame-Options: DENY
  X-Block: first
  Content-Type: text/plain

/articles/*
  X-Block: second
  Cache-Control: public, max-age=60

/favicon.ico
  Cache-Control: public, max-age=86400

/users/:id
  X-User: yes
";

#[test]
fn headers_apply_to_files_and_replace_the_default_cache_control() {
    let (_site, server) = serve_site_with_host_files("", HEADERS);
    let icon = get(server.addr(), "/favicon.ico", &[]);
    assert_eq!(icon.status, 200);
    assert_eq!(icon.header("x-frame-options"), Some("DENY"));
    assert_eq!(icon.header("x-block"), Some("first"));
    assert_eq!(icon.header("cache-control"), Some("public, max-age=86400"));
    assert_eq!(
        icon.header("content-type"),
        Some("image/x-icon"),
        "the server controls Content-Type"
    );
    assert_eq!(icon.header("content-length"), Some("3"));

    let root = get(server.addr(), "/", &[]);
    assert_eq!(root.header("x-frame-options"), Some("DENY"));
    assert_eq!(
        root.header("cache-control"),
        Some("no-cache"),
        "cache.rs default"
    );
    assert_eq!(root.header("x-user"), None);
    assert_eq!(
        get(server.addr(), "/users/7", &[]).header("x-user"),
        Some("yes")
    );
    assert_eq!(get(server.addr(), "/users/7/x", &[]).header("x-user"), None);
}

#[test]
fn a_later_header_block_adds_to_an_earlier_ones_value() {
    let (_site, server) = serve_site_with_host_files(REDIRECTS, HEADERS);
    let page = get(server.addr(), "/articles/seed", &[]);
    assert_eq!(page.text(), "<p>seed</p>");
    assert_eq!(
        page.header("x-block"),
        Some("first, second"),
        "Cloudflare Pages joins them"
    );
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
}

#[test]
fn headers_follow_the_request_path_for_rewrites_404s_and_redirects() {
    let (_site, server) = serve_site_with_host_files(REDIRECTS, HEADERS);
    // Matched on the requested path, not on the rewrite target.
    let rewrite = get(server.addr(), "/app/x", &[]);
    assert_eq!(rewrite.status, 200);
    assert_eq!(rewrite.text(), "<p>docs</p>");
    assert_eq!(rewrite.header("x-block"), Some("first"));
    let article_not_found = get(server.addr(), "/articles/x", &[]);
    assert_eq!(article_not_found.status, 404);
    assert_eq!(article_not_found.header("x-block"), Some("first, second"));
    assert_eq!(
        article_not_found.header("cache-control"),
        Some("no-store"),
        "Cloudflare Pages' own for a not-found answer"
    );

    let missing = get(server.addr(), "/nowhere", &[]);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("x-frame-options"), Some("DENY"));
    assert_eq!(missing.header("x-block"), Some("first"));
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );

    let api = get(server.addr(), "/api/missing.json", &[]);
    assert_eq!(api.status, 404);
    assert_eq!(api.header("x-frame-options"), Some("DENY"));
    assert_eq!(api.header("content-type"), Some("application/json"));

    let redirect = get(server.addr(), "/legacy", &[]);
    assert_eq!(redirect.status, 302);
    assert_eq!(redirect.header("x-frame-options"), Some("DENY"));
}

#[test]
fn headers_apply_to_canned_responses() {
    let (_site, server) = serve_site_with_host_files(REDIRECTS, HEADERS);
    server.respond_with(
        "/articles/slow",
        vec![CannedResponse::html(503, "<p>maintenance</p>")],
    );
    let canned = get(server.addr(), "/articles/slow", &[]);
    assert_eq!(canned.status, 503);
    assert_eq!(canned.text(), "<p>maintenance</p>");
    assert_eq!(canned.header("x-block"), Some("first, second"));
    assert_eq!(canned.header("cache-control"), Some("public, max-age=60"));
    assert_eq!(
        canned.header("content-type"),
        Some("text/html; charset=utf-8")
    );
}

#[test]
fn header_patterns_match_the_decoded_path() {
    let (_site, server) =
        serve_site_with_host_files("", "/café/*\n  X-Cafe: yes\n/my car\n  X-Car: yes\n");
    let cafe = get(server.addr(), "/caf%C3%A9/menu", &[]);
    assert_eq!(cafe.header("x-cafe"), Some("yes"));
    assert_eq!(
        get(server.addr(), "/my%20car", &[]).header("x-car"),
        Some("yes")
    );
}

const POLICY: &str = "default-src 'self'; script-src 'self'";
const REPORT: &[u8] = br#"{"csp-report":{"violated-directive":"style-src-attr"}}"#;

#[test]
fn csp_reports_are_asked_for_and_kept_only_once_collecting() {
    let (_site, server) =
        serve_site_with_host_files("", &format!("/*\n  Content-Security-Policy: {POLICY}\n"));
    assert_eq!(
        get(server.addr(), "/", &[]).header("content-security-policy"),
        Some(POLICY),
        "the policy as written"
    );
    let before = post(
        server.addr(),
        CSP_REPORT_PATH,
        "application/csp-report",
        REPORT,
    );
    assert_eq!(
        before.status, 405,
        "an ordinary path of the site until then"
    );

    server.collect_csp_reports();
    server.reset_request_counts();
    let page = get(server.addr(), "/", &[]);
    let asking = format!("{POLICY}; report-uri {CSP_REPORT_PATH}");
    assert_eq!(
        page.header("content-security-policy"),
        Some(asking.as_str())
    );
    server.respond_with("/api/x.json", vec![CannedResponse::json(500, "{}")]);
    let canned = get(server.addr(), "/api/x.json", &[]);
    assert_eq!(
        canned.header("content-security-policy"),
        Some(asking.as_str()),
        "canned responses too"
    );
    assert!(server.take_csp_reports().is_empty());
    let received = post(
        server.addr(),
        CSP_REPORT_PATH,
        "application/csp-report",
        REPORT,
    );
    assert_eq!(received.status, 204);
    assert_eq!(
        get(server.addr(), CSP_REPORT_PATH, &[]).status,
        405,
        "reports are posted"
    );
    assert_eq!(server.take_csp_reports(), [String::from_utf8_lossy(REPORT)]);
    assert!(server.take_csp_reports().is_empty(), "taken");
    assert_eq!(
        server.request_count(CSP_REPORT_PATH),
        0,
        "reports are not the site's requests"
    );
}

#[test]
fn responses_without_a_policy_get_none_when_collecting() {
    let (_site, server) = serve_site_with_host_files("", "/*\n  X-Frame-Options: DENY\n");
    server.collect_csp_reports();
    let page = get(server.addr(), "/", &[]);
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert_eq!(page.header("content-security-policy"), None);
}

#[test]
fn a_relay_passes_requests_on_until_its_network_is_cut() {
    let (_dir, server) = serve_site();
    let relay = garage_harness::Relay::start(server.addr()).unwrap();
    let addr: std::net::SocketAddr = relay.base_url()["http://".len()..].parse().unwrap();
    assert_eq!(common::get(addr, "/index.html", &[]).status, 200);
    relay.cut();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::net::TcpStream::connect(addr).is_ok() {
        assert!(
            std::time::Instant::now() < deadline,
            "connections still accepted"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[test]
fn counts_the_body_bytes_it_sends() {
    let (_dir, server) = serve_site();
    let before = server.body_bytes_sent();
    let response = common::get(server.addr(), "/index.html", &[]);
    assert_eq!(
        server.body_bytes_sent() - before,
        response.body.len() as u64
    );
}

#[test]
fn tallies_what_it_sends_per_path() {
    let (_dir, server) = serve_site();
    let first = common::get(server.addr(), "/index.html", &[]);
    let second = common::get(server.addr(), "/index.html?again", &[]);
    let sent = server.sent_per_path();
    assert_eq!(sent["/index.html"].requests, 2);
    assert_eq!(
        sent["/index.html"].body_bytes,
        (first.body.len() + second.body.len()) as u64
    );
}
