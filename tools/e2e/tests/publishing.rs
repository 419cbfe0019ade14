//! What the release build publishes beside its pages, as a crawler, a feed reader or a
//! host sees it: the sitemap, robots.txt, the Atom feed, the response headers, and what each
//! page says about itself in its head, on arrival and after navigating in the app.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use garage_harness::{CannedResponse, StaticServer};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use support::{browser_kind, dist_dir, journey, BrowserKind, Page, PATIENCE, SEED_SLUG};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// The publisher's settings the build was made with.
fn site() -> Value {
    let text = include_str!("../../../site.json");
    serde_json::from_str(text).expect("site.json")
}

/// The absolute URL a crawler is given for a path of the site (built with no base path).
fn absolute(path: &str) -> String {
    format!("{}{path}", site()["origin"].as_str().unwrap())
}

fn read_json(path_in_dist: &str) -> Value {
    let text = std::fs::read_to_string(dist_dir().join(path_in_dist))
        .unwrap_or_else(|e| panic!("{path_in_dist}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path_in_dist}: {e}"))
}

/// The front page's list as the build published it: newest first.
fn listed_articles() -> Vec<Value> {
    read_json("api/articles/index.json")["articles"]
        .as_array()
        .expect("an index of articles")
        .clone()
}

fn article(slug: &str) -> Value {
    read_json(&format!("api/articles/{slug}.json"))
}

/// When the article last changed: `updated`, or else `published`.
fn modified(article: &Value) -> &str {
    article["updated"]
        .as_str()
        .or(article["published"].as_str())
        .unwrap()
}

/// A response as a plain HTTP client gets it.
struct Response {
    status: u16,
    /// Names in lower case.
    headers: Vec<(String, String)>,
    /// The body as text (anything not UTF-8 replaced).
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `GET path` from the server, uncompressed, as one HTTP/1.1 exchange.
fn get(server: &StaticServer, path: &str) -> Response {
    let mut stream = TcpStream::connect(server.addr()).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr()
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    // Text is all these tests read; a wasm body only needs its headers.
    let raw = String::from_utf8_lossy(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").expect("a header section");
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).unwrap();
    Response {
        status: status.parse().unwrap(),
        headers: lines
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect(),
        body: body.to_owned(),
    }
}

fn serve() -> StaticServer {
    StaticServer::start(dist_dir()).expect("start the static server")
}

/// The text of the child element `name` (in `namespace`) of `node`.
fn child_text<'a>(node: roxmltree::Node<'a, '_>, namespace: &str, name: &str) -> Option<&'a str> {
    node.children()
        .find(|c| c.has_tag_name((namespace, name)))
        .and_then(|c| c.text())
}

#[test]
fn the_sitemap_lists_the_front_page_each_section_and_every_article_by_its_absolute_url() {
    let server = serve();
    let response = get(&server, "/sitemap.xml");
    assert_eq!(response.status, 200);
    let doc = roxmltree::Document::parse(&response.body).expect("sitemap.xml is XML");
    let urlset = doc.root_element();
    assert!(urlset.has_tag_name((SITEMAP, "urlset")));
    let urls: Vec<(String, String)> = urlset
        .children()
        .filter(|n| n.has_tag_name((SITEMAP, "url")))
        .map(|url| {
            (
                child_text(url, SITEMAP, "loc").unwrap().to_owned(),
                child_text(url, SITEMAP, "lastmod").unwrap().to_owned(),
            )
        })
        .collect();
    let articles = listed_articles();
    let latest = articles
        .iter()
        .map(|summary| modified(&article(summary["slug"].as_str().unwrap())).to_owned())
        .max()
        .unwrap();
    let mut expected = vec![(absolute("/"), latest)];
    // Each section's page, by its slug, dated by its latest article (one each in the seed).
    let mut sections: Vec<(String, String)> = articles
        .iter()
        .map(|summary| {
            let article = article(summary["slug"].as_str().unwrap());
            let slug = article["section"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .replace(' ', "-");
            (
                absolute(&format!("/section/{slug}")),
                modified(&article).to_owned(),
            )
        })
        .collect();
    sections.sort();
    expected.extend(sections);
    for summary in &articles {
        let slug = summary["slug"].as_str().unwrap();
        expected.push((
            absolute(&format!("/articles/{slug}")),
            modified(&article(slug)).to_owned(),
        ));
    }
    assert_eq!(urls, expected);
}

#[test]
fn robots_txt_allows_everything_and_names_the_sitemap() {
    let server = serve();
    let response = get(&server, "/robots.txt");
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    let rules: Vec<&str> = response
        .body
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert_eq!(
        rules,
        [
            "User-agent: *".to_owned(),
            "Allow: /".to_owned(),
            format!("Sitemap: {}", absolute("/sitemap.xml")),
        ]
    );
}

#[test]
fn the_feed_is_atom_with_every_article_newest_first() {
    let server = serve();
    let response = get(&server, "/feed.xml");
    assert_eq!(response.status, 200);
    let doc = roxmltree::Document::parse(&response.body).expect("feed.xml is XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")));
    let site = site();
    let text = |name| child_text(feed, ATOM, name);
    assert_eq!(text("id"), Some(absolute("/").as_str()));
    assert_eq!(text("title"), site["name"].as_str());
    assert_eq!(text("subtitle"), site["description"].as_str());
    let links: Vec<(&str, &str)> = feed
        .children()
        .filter(|n| n.has_tag_name((ATOM, "link")))
        .map(|l| (l.attribute("rel").unwrap(), l.attribute("href").unwrap()))
        .collect();
    assert_eq!(
        links,
        [
            ("self", absolute("/feed.xml").as_str()),
            ("alternate", absolute("/").as_str())
        ]
    );
    let author = feed
        .children()
        .find(|n| n.has_tag_name((ATOM, "author")))
        .expect("the feed's author");
    assert_eq!(
        child_text(author, ATOM, "name"),
        site["publisher"]["name"].as_str()
    );

    let entries: Vec<_> = feed
        .children()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .collect();
    let articles: Vec<Value> = listed_articles()
        .iter()
        .map(|summary| article(summary["slug"].as_str().unwrap()))
        .collect();
    assert_eq!(entries.len(), articles.len());
    let newest_change = articles.iter().map(modified).max().unwrap();
    assert_eq!(text("updated"), Some(newest_change));
    for (entry, article) in entries.iter().zip(&articles) {
        let url = absolute(&format!("/articles/{}", article["slug"].as_str().unwrap()));
        let text = |name| child_text(*entry, ATOM, name);
        assert_eq!(text("id"), Some(url.as_str()));
        assert_eq!(text("title"), article["title"].as_str());
        let link = entry
            .children()
            .find(|n| n.has_tag_name((ATOM, "link")))
            .unwrap();
        assert_eq!(link.attribute("href"), Some(url.as_str()));
        assert_eq!(link.attribute("rel"), Some("alternate"));
        assert_eq!(text("published"), article["published"].as_str());
        assert_eq!(text("updated"), Some(modified(article)));
        assert_eq!(text("summary"), article["standfirst"].as_str());
        let author = entry
            .children()
            .find(|n| n.has_tag_name((ATOM, "author")))
            .unwrap();
        assert_eq!(
            child_text(author, ATOM, "name"),
            article["author"]["name"].as_str()
        );
    }
    let published: Vec<&str> = entries
        .iter()
        .map(|e| child_text(*e, ATOM, "published").unwrap())
        .collect();
    assert!(
        published.windows(2).all(|pair| pair[0] >= pair[1]),
        "newest first: {published:?}"
    );
}

/// The policy's directives, by name.
fn directives(policy: &str) -> Vec<(String, Vec<String>)> {
    policy
        .split(';')
        .filter_map(|d| {
            let mut words = d.split_ascii_whitespace().map(str::to_owned);
            Some((words.next()?, words.collect()))
        })
        .collect()
}

/// The `'sha256-…'` source of every inline script the page runs (not its data blocks: the
/// JSON-LD, the site's settings).
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let tag_end = start + rest[start..].find('>').unwrap();
        let tag = &rest[start..tag_end];
        let close = tag_end + rest[tag_end..].find("</script>").unwrap();
        let data_block = tag.contains("application/ld+json") || tag.contains("application/json");
        if !tag.contains("src=") && !data_block {
            let text = &rest[tag_end + 1..close];
            hashes.push(format!(
                "'sha256-{}'",
                BASE64.encode(Sha256::digest(text.as_bytes()))
            ));
        }
        rest = &rest[close..];
    }
    hashes
}

#[test]
fn every_response_carries_the_security_headers_and_its_caching() {
    let server = serve();
    let page = get(&server, &format!("/articles/{SEED_SLUG}"));
    assert_eq!(page.status, 200);
    let policy = page
        .header("content-security-policy")
        .expect("a Content-Security-Policy");
    // The page's one inline script is Trunk's loader, whose text names no build file (see
    // tools/site/src/loader.rs): the policy allows it by a hash that every build shares,
    // the sub-path build's included.
    let hashes = inline_script_hashes(&page.body);
    assert_eq!(hashes.len(), 1, "the loader, and nothing else");
    let subpath = std::fs::read_to_string(
        support::subpath_root().join(format!("garage/articles/{SEED_SLUG}/index.html")),
    )
    .unwrap();
    assert_eq!(
        inline_script_hashes(&subpath),
        hashes,
        "the same in every build"
    );
    assert!(
        include_str!("../../../docs/deploy.md").contains(&hashes[0]),
        "docs/deploy.md's policies for hosts set up by hand name the loader's hash {}",
        hashes[0]
    );
    let sources = |extra: &[&str]| -> Vec<String> { extra.iter().map(|s| s.to_string()).collect() };
    let script_src = sources(&["'self'", "'wasm-unsafe-eval'", &hashes[0]]);
    assert_eq!(
        directives(policy),
        [
            ("default-src".to_owned(), sources(&["'self'"])),
            ("script-src".to_owned(), script_src),
            ("style-src".to_owned(), sources(&["'self'"])),
            ("img-src".to_owned(), sources(&["'self'", "data:"])),
            ("connect-src".to_owned(), sources(&["'self'"])),
            ("base-uri".to_owned(), sources(&["'self'"])),
            ("form-action".to_owned(), sources(&["'self'"])),
            ("frame-ancestors".to_owned(), sources(&["'none'"])),
            ("object-src".to_owned(), sources(&["'none'"])),
        ]
    );
    let immutable = "public, max-age=31536000, immutable";
    for (path, status, cache_control) in [
        ("/".to_owned(), 200, "no-cache"),
        (format!("/articles/{SEED_SLUG}"), 200, "no-cache"),
        // The articles' not-found page, which loads the article from its JSON; the host
        // lets no not-found answer be stored.
        (
            "/articles/published-after-the-build".to_owned(),
            404,
            "no-store",
        ),
        ("/api/articles/index.json".to_owned(), 200, "no-cache"),
        (page_asset(&page.body, ".js"), 200, immutable),
        (page_asset(&page.body, "_bg.wasm"), 200, immutable),
        (page_asset(&page.body, ".css"), 200, immutable),
        // A new build's service worker reaches readers at their next visit.
        ("/sw.js".to_owned(), 200, "no-cache"),
        // A photograph's variant, named by the photograph: kept an hour.
        (
            "/media/v/aurus-senat-640.avif".to_owned(),
            200,
            "public, max-age=3600",
        ),
    ] {
        let response = get(&server, &path);
        assert_eq!(response.status, status, "{path}");
        assert_eq!(
            response.header("content-security-policy"),
            Some(policy),
            "{path}"
        );
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
        let permissions = response.header("permissions-policy").unwrap_or_default();
        for off in [
            "camera=()",
            "microphone=()",
            "geolocation=()",
            "payment=()",
            "usb=()",
        ] {
            assert!(permissions.split(", ").any(|f| f == off), "{path}: {off}");
        }
        assert_eq!(
            response.header("cache-control"),
            Some(cache_control),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_browser_reports_what_the_policy_blocks() {
    // Every journey ends by checking that nothing was blocked; that means something only if
    // blocking is reported. A page the host serves under the site's policy, with an inline
    // style and a script the policy does not list:
    journey(|page: Page| async move {
        page.server.always_respond_with(
            "/csp-probe",
            CannedResponse::html(
                200,
                "<!DOCTYPE html><html><head><title>Probe</title></head><body>\
                 <p style=\"color: red\">Styled</p><script>document.title = 'Ran';</script>\
                 </body></html>",
            ),
        );
        page.open_static("/csp-probe").await;
        assert_eq!(
            page.client.title().await.unwrap(),
            "Probe",
            "the script was blocked"
        );
        let mut reports = Vec::new();
        let deadline = Instant::now() + PATIENCE;
        while reports.len() < 2 {
            assert!(Instant::now() < deadline, "reported only {reports:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
            reports.extend(page.server.take_csp_reports());
        }
        let mut blocked: Vec<String> = reports
            .iter()
            .map(|body| {
                let report: Value = serde_json::from_str(body).expect("a JSON report");
                let report = &report["csp-report"];
                assert_eq!(report["blocked-uri"], "inline", "{body}");
                let directive = report["violated-directive"].as_str().unwrap();
                directive.split('-').take(2).collect::<Vec<_>>().join("-")
            })
            .collect();
        blocked.sort();
        assert_eq!(blocked, ["script-src", "style-src"]);
    })
    .await;
}

/// The first build file (`my-garage-…` or `main-…`) with `suffix` that the page loads,
/// itself or through its loader (whose meta names the app's code).
fn page_asset(html: &str, suffix: &str) -> String {
    html.split(['"', ' '])
        .find(|value| {
            ["/my-garage-", "/main-"]
                .iter()
                .any(|start| value.starts_with(start))
                && value.ends_with(suffix)
        })
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("the page loads no {suffix} file"))
}

#[tokio::test]
async fn the_browser_knows_every_feature_the_permissions_policy_turns_off() {
    // Firefox does not implement the Permissions-Policy header (nor `featurePolicy`).
    if browser_kind() != BrowserKind::Chromium {
        return;
    }
    journey(|page: Page| async move {
        let response = get(&page.server, "/");
        let header = response.header("permissions-policy").unwrap().to_owned();
        page.open("/").await;
        let unknown_or_allowed = page
            .js(&format!(
                "const policy = document.featurePolicy;
                 return {}.split(', ').map(f => f.replace('=()', ''))
                   .filter(f => !policy.features().includes(f) || policy.allowsFeature(f));",
                serde_json::to_string(&header).unwrap()
            ))
            .await;
        assert_eq!(unknown_or_allowed, serde_json::json!([]), "{header}");
    })
    .await;
}

/// What the document's head says about the page, as a crawler or a link preview reads it.
async fn head(page: &Page) -> Value {
    page.js(
        "const meta = {};
         for (const m of document.head.querySelectorAll('meta[property], meta[name]')) {
           const key = m.getAttribute('property') || m.getAttribute('name');
           (meta[key] = meta[key] || []).push(m.content);
         }
         return {
           title: document.title,
           canonical: [...document.querySelectorAll('link[rel=canonical]')].map(l => l.getAttribute('href')),
           meta,
           json_ld: [...document.querySelectorAll('script[type=\"application/ld+json\"]')]
             .map(s => JSON.parse(s.textContent)),
         };",
    )
    .await
}

/// Checks that `head` describes the article `slug`, and nothing else.
fn assert_describes_article(head: &Value, slug: &str) {
    let article = article(slug);
    let site = site();
    let url = absolute(&format!("/articles/{slug}"));
    let title = article["title"].as_str().unwrap();
    let one = |key: &str| -> Value {
        let values = &head["meta"][key];
        assert_eq!(
            values.as_array().map(Vec::len),
            Some(1),
            "one {key} in {head}"
        );
        values[0].clone()
    };
    assert_eq!(head["canonical"], serde_json::json!([url]));
    assert_eq!(one("og:type"), "article");
    assert_eq!(one("og:title"), title);
    assert_eq!(one("og:description"), article["standfirst"]);
    assert_eq!(one("og:url"), url.as_str());
    assert_eq!(one("og:site_name"), site["name"]);
    assert_eq!(one("article:published_time"), article["published"]);
    assert_eq!(one("article:modified_time"), modified(&article));
    assert_eq!(one("article:author"), article["author"]["name"]);
    assert_eq!(one("article:section"), article["section"]);
    let has_image = article["lead_image"]["src"].is_string();
    let card = if has_image {
        "summary_large_image"
    } else {
        "summary"
    };
    assert_eq!(one("twitter:card"), card);
    assert_eq!(one("twitter:title"), title);
    let json_ld = head["json_ld"].as_array().unwrap();
    assert_eq!(json_ld.len(), 1, "{head}");
    assert_eq!(json_ld[0]["@type"], "NewsArticle");
    assert_eq!(json_ld[0]["headline"], title);
    assert_eq!(json_ld[0]["mainEntityOfPage"]["@id"], url.as_str());
    assert_eq!(json_ld[0]["datePublished"], article["published"]);
    assert_eq!(json_ld[0]["author"]["name"], article["author"]["name"]);
}

#[tokio::test]
async fn an_article_describes_itself_in_its_head_and_the_next_one_after_a_related_link() {
    journey(|page: Page| async move {
        page.open_seed().await;
        assert_describes_article(&head(&page).await, SEED_SLUG);

        page.mark_window().await;
        let next = "volvo-xc60-comparison";
        page.click(&format!(".related-item a[href$='/articles/{next}']"))
            .await;
        page.wait_for_text("h1", "Volvo XC60 comparison").await;
        page.wait_until(&format!(
            "document.querySelector('link[rel=canonical]').getAttribute('href').endsWith('/articles/{next}')"
        ))
        .await;
        assert!(
            page.window_still_marked().await,
            "following a related link loaded a document"
        );
        assert_eq!(
            page.document_path().await,
            "/articles/putin-presents-new-luxury-car-to-kim-jong-un"
        );
        assert_describes_article(&head(&page).await, next);
        page.assert_no_errors().await;
    })
    .await;
}

#[tokio::test]
async fn the_front_page_describes_the_site_in_its_head() {
    journey(|page: Page| async move {
        page.open("/").await;
        let head = head(&page).await;
        let site = site();
        let url = absolute("/");
        assert_eq!(head["canonical"], serde_json::json!([url]));
        assert_eq!(head["meta"]["og:type"], serde_json::json!(["website"]));
        assert_eq!(head["meta"]["og:url"], serde_json::json!([url]));
        assert_eq!(
            head["meta"]["og:site_name"],
            serde_json::json!([site["name"]])
        );
        let json_ld = head["json_ld"].as_array().unwrap();
        assert_eq!(json_ld.len(), 1, "{head}");
        assert_eq!(json_ld[0]["@type"], "WebSite");
        assert_eq!(json_ld[0]["name"], site["name"]);
        assert_eq!(json_ld[0]["url"], url.as_str());
        assert_eq!(json_ld[0]["publisher"]["name"], site["publisher"]["name"]);
        page.assert_no_errors().await;
    })
    .await;
}
