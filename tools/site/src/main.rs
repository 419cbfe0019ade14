//! `garage-site`: the build step after Trunk's. It renders every page of the site with the
//! app's own components (the front page, each article, the not-found page and, as
//! `articles/404.html`, the page for articles published after the build), and writes what a
//! static host needs beside them: `_headers` (the Content-Security-Policy, allowing the
//! inline scripts the pages run by their hashes, and caching), `sitemap.xml`, `robots.txt`
//! and `feed.xml`. It writes no `_redirects`: every fallback is a `404.html` (see `pages`).
//! The app takes each page over in the browser.
//!
//! Trunk runs it as a post-build hook (`Trunk.toml`), in `trunk build` and `trunk serve`
//! alike, on its staging directory; a release build also gets `.br` and `.gz` files. By
//! hand: `garage-site DIR [--public-url /sub/] [--precompress]` on a fresh Trunk build.

mod content;
mod csp;
mod feed;
mod headers;
mod inline_code;
mod listing;
mod loader;
mod media;
mod pages;
mod robots;
mod service_worker;
mod sitemap;
mod xml;

use my_garage::components::app::Site;
use my_garage::core::page::PAGE_META;
use my_garage::core::site::{CommentService, ServiceKind, SiteSettings};
use my_garage::core::time::Timestamp;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: garage-site DIR [--public-url /sub/] [--precompress] [--service-worker]
  (as a Trunk hook: no arguments; TRUNK_STAGING_DIR, TRUNK_PUBLIC_URL and TRUNK_PROFILE)";

struct Options {
    dir: PathBuf,
    public_url: String,
    precompress: bool,
    /// Write the service worker for offline reading (release builds: in development it
    /// would keep serving what it cached while the code changes).
    service_worker: bool,
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("garage-site: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match build(&options) {
        Ok(summary) => {
            println!("garage-site: {summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("garage-site: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let Some(first) = args.next() else {
        // As Trunk's hook.
        let release = std::env::var("TRUNK_PROFILE").is_ok_and(|p| p == "release");
        let dir = std::env::var("TRUNK_STAGING_DIR")
            .map_err(|_| "no directory given and no TRUNK_STAGING_DIR".to_owned())?;
        return Ok(Options {
            dir: dir.into(),
            public_url: std::env::var("TRUNK_PUBLIC_URL").unwrap_or_else(|_| "/".into()),
            precompress: release,
            service_worker: release,
        });
    };
    let mut options = Options {
        dir: first.into(),
        public_url: "/".into(),
        precompress: false,
        service_worker: false,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--public-url" => {
                options.public_url = args.next().ok_or("--public-url needs a value")?
            }
            "--precompress" => options.precompress = true,
            "--service-worker" => options.service_worker = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

/// Where the publisher's settings are read from: `GARAGE_SITE_JSON`, or the project's
/// `site.json`.
const SITE_JSON_ENV_VAR: &str = "GARAGE_SITE_JSON";
/// An Isso to use for this build whatever `site.json` says (`scripts/serve.sh` and the tests
/// run one on loopback); the build checks it as it checks the setting.
const COMMENTS_URL_ENV_VAR: &str = "GARAGE_COMMENTS_URL";

fn site_settings() -> Result<SiteSettings, String> {
    let path = std::env::var(SITE_JSON_ENV_VAR)
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../site.json").to_owned());
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let mut settings = SiteSettings::decode(&text).map_err(|e| format!("{path}: {e}"))?;
    if let Ok(url) = std::env::var(COMMENTS_URL_ENV_VAR) {
        settings.comments = Some(
            CommentService::checked(ServiceKind::Isso, &url)
                .map_err(|e| format!("{COMMENTS_URL_ENV_VAR}: {e}"))?,
        );
    }
    Ok(settings)
}

/// "/" → "", "/garage/" → "/garage"; a full URL keeps only its path.
fn base_of(public_url: &str) -> String {
    let path = match public_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => public_url,
    };
    let path = path.trim_end_matches('/');
    if path.is_empty() || path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

fn build(options: &Options) -> Result<String, String> {
    let dir = &options.dir;
    let settings = site_settings()?;
    let base = base_of(&options.public_url);
    let site = Site::new(settings, &base);
    let template_path = dir.join("index.html");
    let template = std::fs::read_to_string(&template_path).map_err(|e| {
        format!(
            "cannot read {}: {e} (run trunk build)",
            template_path.display()
        )
    })?;
    if template.contains(PAGE_META) {
        return Err(format!(
            "{} is already a rendered page: run it on a fresh trunk build",
            template_path.display()
        ));
    }
    loader::check(&template).map_err(|e| format!("{}: {e}", template_path.display()))?;
    // First the photographs: their variants, and the data saying which have them, which the
    // pages are then rendered from.
    let photographs = media::publish(dir, &site.settings.media_origins)?;
    let content = content::read(dir)?;
    for warning in &content.warnings {
        eprintln!("garage-site: warning: {warning}");
    }
    let worker_url = format!("{base}/{SERVICE_WORKER_FILE}");
    let worker = options.service_worker.then_some(worker_url.as_str());
    let pages = pages::render_all(&template, &site, &content, worker)?;
    for page in &pages {
        write(&dir.join(&page.file), &page.html)?;
    }
    if worker.is_some() {
        let service = site.settings.comments.as_ref().map(|c| c.url.as_str());
        write_service_worker(dir, &base, &pages, service)?;
    }
    write_listings(dir, &site.settings, &base, &content)?;
    write_headers(dir, &site.settings, &base, &pages)?;
    let mut summary = format!(
        "{} pages ({} articles) in {}",
        pages.len(),
        content.articles.len(),
        dir.display()
    );
    if photographs.sources > 0 {
        summary.push_str(&format!("; {photographs}"));
    }
    if options.precompress {
        let report = garage_precompress::precompress_dir(dir)
            .map_err(|e| format!("cannot precompress {}: {e}", dir.display()))?;
        summary.push_str(&format!(", {} files precompressed", report.files.len()));
    }
    Ok(summary)
}

const SERVICE_WORKER_FILE: &str = "sw.js";

/// `sw.js`, which caches the shell under a cache named for this build: the hashed code and
/// CSS (listed in it), and the page articles load in (`articles/404.html`, which it names
/// itself and fetches on its own).
fn write_service_worker(
    dir: &Path,
    base: &str,
    pages: &[pages::Page],
    service: Option<&str>,
) -> Result<(), String> {
    let shell_page = pages
        .iter()
        .find(|page| page.file == pages::ARTICLE_404_FILE)
        .ok_or("no article page shell to cache")?;
    let hashed = hashed_files(dir)?;
    let mut shell = hashed.clone();
    shell.push(shell_page.file.clone());
    let version = service_worker::version(&shell, &[shell_page.html.as_str()]);
    write(
        &dir.join(SERVICE_WORKER_FILE),
        &service_worker::service_worker(base, &hashed, &version, service),
    )
}

/// `sitemap.xml`, `robots.txt` and `feed.xml`, listing every article that has a page.
fn write_listings(
    dir: &Path,
    settings: &SiteSettings,
    base: &str,
    content: &content::Content,
) -> Result<(), String> {
    let articles = content.articles.values().map(|document| &document.value);
    let listing = listing::Listing::new(settings, base, articles);
    let sitemap_url = settings.url(base, "/sitemap.xml");
    let feed_url = settings.url(base, "/feed.xml");
    write(&dir.join("sitemap.xml"), &sitemap::sitemap(&listing)?)?;
    write(&dir.join("robots.txt"), &robots::robots(&sitemap_url))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as i64);
    let feed = feed::atom_feed(
        settings,
        &listing,
        &feed_url,
        &Timestamp::from_epoch_ms(now).raw,
    );
    write(&dir.join("feed.xml"), &feed)
}

/// `_headers`, with a Content-Security-Policy that allows the inline scripts the written
/// pages run by their hashes; then every HTML file in `dir` is checked against it, so a
/// page the policy would break (a Trunk change, an HTML file from elsewhere) fails the
/// build instead of the site.
fn write_headers(
    dir: &Path,
    settings: &SiteSettings,
    base: &str,
    pages: &[pages::Page],
) -> Result<(), String> {
    let hashes = csp::script_hashes(
        pages
            .iter()
            .map(|page| (page.file.as_str(), page.html.as_str())),
    )?;
    let service = settings.comments.as_ref().map(CommentService::origin);
    let policy = csp::policy(&hashes, &settings.media_origins, service);
    // The service worker is revalidated like a page, so a new build's reaches readers.
    let mut page_files: Vec<&str> = pages.iter().map(|page| page.file.as_str()).collect();
    if dir.join(SERVICE_WORKER_FILE).is_file() {
        page_files.push(SERVICE_WORKER_FILE);
    }
    let text = headers::headers(base, &policy, &page_files, &hashed_files(dir)?);
    write(&dir.join("_headers"), &text)?;
    for path in html_files(dir)? {
        let html = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        csp::check_page(&path.display().to_string(), &html, &hashes)?;
    }
    Ok(())
}

/// Trunk's outputs at the top of `dir` that are named by their content (not their
/// precompressed copies, which hosts never serve under their own name).
fn hashed_files(dir: &Path) -> Result<Vec<String>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| garage_precompress::has_content_hash(name))
        .filter(|name| !name.ends_with(".br") && !name.ends_with(".gz"))
        .collect();
    names.sort();
    Ok(names)
}

/// Every `.html` file under `dir`.
fn html_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry
                .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "html") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_base_path_from_the_public_url() {
        assert_eq!(base_of("/"), "");
        assert_eq!(base_of("/garage/"), "/garage");
        assert_eq!(base_of("garage"), "/garage");
        assert_eq!(base_of("https://example.com/garage/"), "/garage");
        assert_eq!(base_of("https://example.com"), "");
    }

    /// A scratch Trunk output (its page, a hashed stylesheet) with the CMS's files, removed
    /// on drop.
    struct TrunkOutput(PathBuf);

    impl TrunkOutput {
        fn with_articles(articles: &[(&str, &str)]) -> TrunkOutput {
            static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let dir = std::env::temp_dir().join(format!("garage-build-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            let file = |path: &str, text: &str| write(&dir.join(path), text).unwrap();
            file(
                "index.html",
                "<!DOCTYPE html><html lang=\"en\"><head><title>My Garage</title>\
                 <link rel=\"stylesheet\" href=\"/main-0123456789abcdef.css\">\
                 <meta name=\"my-garage:app\" content=\"/app-0123456789abcdef.js /app-0123456789abcdef_bg.wasm\">\
                 <script type=\"module\">start();</script></head><body>\n</body></html>",
            );
            file("main-0123456789abcdef.css", "body {}");
            let mut index = String::from(r#"{"version":1,"articles":["#);
            for (i, (slug, title)) in articles.iter().enumerate() {
                let summary = format!(
                    r#"{{"slug":"{slug}","title":"{title}","published":"2024-01-01T00:00:00Z"}}"#
                );
                index.push_str(&format!("{}{summary}", if i > 0 { "," } else { "" }));
                file(
                    &format!("api/articles/{slug}.json"),
                    &format!(
                        r#"{{"version":1,"slug":"{slug}","title":"{title}","author":{{"name":"N"}},"published":"2024-01-01T00:00:00Z"}}"#
                    ),
                );
            }
            index.push_str("]}");
            file("api/articles/index.json", &index);
            TrunkOutput(dir)
        }

        fn build(&self, public_url: &str) -> Result<String, String> {
            build(&Options {
                dir: self.0.clone(),
                public_url: public_url.into(),
                precompress: false,
                service_worker: true,
            })
        }

        fn read(&self, path: &str) -> String {
            std::fs::read_to_string(self.0.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
        }
    }

    impl Drop for TrunkOutput {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn a_headline_that_starts_with_javascript_is_published() {
        let site =
            TrunkOutput::with_articles(&[("infotainment", "JavaScript: why infotainment lags")]);
        site.build("/").unwrap();
        let page = site.read("articles/infotainment/index.html");
        assert!(
            page.contains(
                r#"<meta content="JavaScript: why infotainment lags" property="og:title">"#
            ),
            "{page}"
        );
    }

    #[test]
    fn every_fallback_is_a_404_page_and_no_redirect_rule_is_written() {
        for (public_url, base) in [("/", ""), ("/garage/", "/garage")] {
            let site = TrunkOutput::with_articles(&[("a", "A")]);
            site.build(public_url).unwrap();
            // The page for articles published after the build is the folder's not-found page.
            let article_404 = site.read(pages::ARTICLE_404_FILE);
            assert!(
                article_404.contains(r#"<meta name="my-garage:page" content="article-loading">"#)
            );
            assert!(site.read("404.html").contains(r#"content="not-found">"#));
            assert!(site
                .read("articles/a/index.html")
                .contains(r#"content="article a "#));
            // A rule would apply even to the articles that have a page (Cloudflare Pages).
            assert!(!site.0.join("_redirects").exists(), "{public_url}");
            assert!(!site.0.join("article-loading.html").exists());
            let worker = site.read("sw.js");
            assert!(
                worker.contains(&format!(
                    r#"const SHELL = ["{base}/main-0123456789abcdef.css"];"#
                )),
                "{worker}"
            );
            assert!(worker.contains("const SHELL_PAGE = `${BASE}/articles/404.html`;"));
        }
    }

    #[test]
    fn an_image_that_is_missing_or_has_no_alt_fails_the_build_naming_the_file() {
        let site = TrunkOutput::with_articles(&[("a", "A")]);
        let article = |image: &str| {
            write(
                &site.0.join("api/articles/a.json"),
                &format!(
                    r#"{{"version":1,"slug":"a","title":"A","author":{{"name":"N"}},"published":"2024-01-01T00:00:00Z","lead_image":{image}}}"#
                ),
            )
            .unwrap()
        };
        article(r#"{"src":"/media/gone.jpg","alt":"A car","width":640,"height":360}"#);
        let error = site.build("/").unwrap_err();
        assert!(
            error.contains("api/articles/a.json: the lead image (/media/gone.jpg) cannot be read"),
            "{error}"
        );
        article(r#"{"src":"/media/gone.jpg","width":640,"height":360}"#);
        let error = site.build("/").unwrap_err();
        assert!(
            error.contains("api/articles/a.json: the lead image (/media/gone.jpg) has no `alt`"),
            "{error}"
        );
    }

    #[test]
    fn every_page_has_only_conforming_comments() {
        let site = TrunkOutput::with_articles(&[("a", "A"), ("b", "B")]);
        site.build("/").unwrap();
        for path in html_files(&site.0).unwrap() {
            let html = std::fs::read_to_string(&path).unwrap();
            // `<!DOCTYPE` once, otherwise only `<!--` comments: `<!>` is a bogus comment.
            for (at, _) in html.match_indices("<!").skip(1) {
                assert!(
                    html[at..].starts_with("<!--"),
                    "{}: {}",
                    path.display(),
                    &html[at..(at + 20).min(html.len())]
                );
            }
            assert!(html.starts_with("<!DOCTYPE html>"), "{}", path.display());
        }
    }
}
