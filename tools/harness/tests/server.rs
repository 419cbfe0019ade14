//! End-to-end tests of `StaticServer` over real sockets.

mod common;

use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use common::{get, request, TempDir};
use garage_harness::{CannedResponse, StaticServer};

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
