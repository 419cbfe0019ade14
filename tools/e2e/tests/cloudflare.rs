//! End-to-end: the release build on Cloudflare Pages' own runtime (`wrangler pages dev`, from
//! npm's wrangler 3, run offline), as a reader and a crawler meet it there: every article
//! opened by its address is its own prerendered page, taken over by the app; a related link
//! navigates in the page; an article published after the build opens from its JSON; an
//! unknown address is not found (status 404); the headers of `_headers` are sent.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use support::{cloudflare_journey, dist_dir, http_get, HttpResponse, Page, SEED_SLUG};

const FRESH_SLUG: &str = "fresh-off-the-press";
const FRESH_TITLE: &str = "Fresh off the press";
const SEED_TITLE: &str = "Putin presents a new luxury car to Kim Jong-un";

/// Adds an article the build never saw: its JSON only, as the CMS publishes it.
fn publish_after_the_build(site: &std::path::Path) {
    let seed_json = format!("api/articles/{SEED_SLUG}.json");
    let seed = std::fs::read_to_string(site.join(&seed_json)).unwrap();
    let fresh = seed
        .replace(SEED_SLUG, FRESH_SLUG)
        .replace(SEED_TITLE, FRESH_TITLE);
    std::fs::write(site.join(format!("api/articles/{FRESH_SLUG}.json")), fresh).unwrap();
}

/// `GET path`, following the host's redirects within the site as a browser would.
fn get_following(port: u16, path: &str) -> (String, HttpResponse) {
    let mut path = path.to_owned();
    for _ in 0..5 {
        let response = http_get(port, &path).unwrap_or_else(|| panic!("no answer for {path}"));
        match (response.status, response.header("location")) {
            (301 | 302 | 303 | 307 | 308, Some(location)) => path = location.to_owned(),
            _ => return (path, response),
        }
    }
    panic!("{path}: redirected too often");
}

/// What the page's `<meta name="my-garage:page">` says it was rendered from.
fn rendered_from(html: &str) -> &str {
    let marker = r#"<meta name="my-garage:page" content=""#;
    let start = html.find(marker).expect("a page of the build") + marker.len();
    &html[start..start + html[start..].find('"').unwrap()]
}

/// The policy the build wrote into `_headers`.
fn built_policy() -> String {
    let headers = std::fs::read_to_string(dist_dir().join("_headers")).unwrap();
    headers
        .lines()
        .find_map(|line| line.trim().strip_prefix("Content-Security-Policy: "))
        .expect("a policy in _headers")
        .to_owned()
}

#[tokio::test]
async fn every_article_reads_on_cloudflare_pages() {
    cloudflare_journey(publish_after_the_build, |page: Page| async move {
        let cloudflare = page.cloudflare.clone().unwrap();
        let port = cloudflare.port();

        // What the host answers, before any browser: each address its own page and status.
        let seed_page = format!("article {SEED_SLUG} ");
        for (path, status, from) in [
            (format!("/articles/{SEED_SLUG}"), 200, seed_page.as_str()),
            (
                format!("/articles/{SEED_SLUG}/index.html"),
                200,
                seed_page.as_str(),
            ),
            (
                "/articles/volvo-xc60-comparison".to_owned(),
                200,
                "article volvo-xc60-comparison ",
            ),
            (format!("/articles/{FRESH_SLUG}"), 404, "article-loading"),
            (
                "/articles/no-such-article".to_owned(),
                404,
                "article-loading",
            ),
            ("/no/such/page".to_owned(), 404, "not-found"),
            ("/".to_owned(), 200, "list - 1 "),
        ] {
            let (landed, response) = get_following(port, &path);
            assert_eq!(response.status, status, "{path} (at {landed})");
            assert!(
                rendered_from(&response.body).starts_with(from),
                "{path} (at {landed}) is the page of {:?}",
                rendered_from(&response.body)
            );
        }

        // The headers of `_headers`: the policy everywhere, caching by kind of file.
        let report_uri = format!(
            "http://{}{}",
            page.server.addr(),
            garage_harness::CSP_REPORT_PATH
        );
        let policy = format!("{}; report-uri {report_uri}", built_policy());
        let hashed = std::fs::read_dir(cloudflare.site())
            .unwrap()
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .find(|name| name.starts_with("main-") && name.ends_with(".css"))
            .expect("the build's stylesheet");
        for (path, cache) in [
            (format!("/articles/{SEED_SLUG}"), Some("no-cache")),
            ("/".to_owned(), Some("no-cache")),
            (format!("/api/articles/{SEED_SLUG}.json"), Some("no-cache")),
            ("/sw.js".to_owned(), Some("no-cache")),
            (
                format!("/{hashed}"),
                Some("public, max-age=31536000, immutable"),
            ),
            // The host's own for a not-found answer, whatever `_headers` says.
            ("/no/such/page".to_owned(), Some("no-store")),
        ] {
            let (_, response) = get_following(port, &path);
            assert_eq!(
                response.header("content-security-policy"),
                Some(policy.as_str()),
                "{path}"
            );
            assert_eq!(response.header("cache-control"), cache, "{path}");
            assert_eq!(
                response.header("x-content-type-options"),
                Some("nosniff"),
                "{path}"
            );
            assert_eq!(
                response.header("referrer-policy"),
                Some("strict-origin-when-cross-origin"),
                "{path}"
            );
            assert!(
                response
                    .header("permissions-policy")
                    .is_some_and(|p| p.contains("camera=()")),
                "{path}"
            );
        }

        // The seed, opened by its address: its own page, taken over by the app.
        page.open(&format!("/articles/{SEED_SLUG}")).await;
        page.wait_for_text("h1", SEED_TITLE).await;
        let page_meta = page
            .js("return document.querySelector('meta[name=\"my-garage:page\"]').content")
            .await;
        assert!(
            page_meta.as_str().unwrap().starts_with(&seed_page),
            "{page_meta}"
        );
        assert_eq!(
            page.client.title().await.unwrap(),
            format!("{SEED_TITLE} | My Garage")
        );

        // A related link, followed in the page.
        page.mark_window().await;
        page.click(".related-item a[href$='/articles/volvo-xc60-comparison']")
            .await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        assert!(
            page.window_still_marked().await,
            "the related link loaded a document"
        );

        // An article published after the build, opened by its address.
        page.open(&format!("/articles/{FRESH_SLUG}")).await;
        page.wait_for_text("h1", FRESH_TITLE).await;
        assert_eq!(
            page.client.title().await.unwrap(),
            format!("{FRESH_TITLE} | My Garage")
        );
        assert!(!page.find_all(".article-body p").await.is_empty());

        // Unknown addresses, inside and outside the articles.
        for path in ["/articles/no-such-article", "/no/such/page"] {
            page.open(path).await;
            page.wait_for_text("h1", "Page not found").await;
        }

        // The page's file named as such.
        page.open(&format!("/articles/{SEED_SLUG}/index.html"))
            .await;
        page.wait_for_text("h1", SEED_TITLE).await;
        page.assert_no_errors().await;
    })
    .await;
}
