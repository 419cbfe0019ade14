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

mod cache;
mod content;
mod csp;
mod feed;
mod headers;
mod inline_code;
mod listing;
mod lists;
mod loader;
mod media;
mod pages;
mod robots;
mod service_worker;
mod sitemap;
mod xml;

use my_garage::components::app::Site;
use my_garage::core::limits::DOCUMENT_LIMIT;
use my_garage::core::page::PAGE_META;
use my_garage::core::site::{CommentService, ServiceKind, SiteSettings};
use my_garage::core::time::Timestamp;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: garage-site DIR [--public-url /sub/] [--precompress] [--service-worker]
                   [--content API_DIR] [--cache CACHE_DIR]
  (as a Trunk hook: no arguments; TRUNK_STAGING_DIR, TRUNK_PUBLIC_URL and TRUNK_PROFILE,
  and GARAGE_CONTENT_DIR and GARAGE_SITE_CACHE for --content and --cache)";

/// The publisher's data to publish instead of the `api/` Trunk copied from `public/api`
/// (a generated archive: see tools/archive-gen).
const CONTENT_ENV_VAR: &str = "GARAGE_CONTENT_DIR";
/// As Trunk's hook, does nothing: Trunk's output is left as it is (the build's benchmark).
const SKIP_ENV_VAR: &str = "GARAGE_SITE_SKIP";
/// Where rendered pages and compressed files are kept between builds.
const CACHE_ENV_VAR: &str = "GARAGE_SITE_CACHE";

struct Options {
    dir: PathBuf,
    public_url: String,
    precompress: bool,
    /// Write the service worker for offline reading (release builds: in development it
    /// would keep serving what it cached while the code changes).
    service_worker: bool,
    /// An `api/` directory to publish instead of the one in `dir`.
    content: Option<PathBuf>,
    /// The render and compression cache; `None`: every page rendered and compressed.
    cache: Option<PathBuf>,
}

/// The project's `target/site-cache`.
fn default_cache() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/site-cache"
    ))
}

fn main() -> ExitCode {
    // The build's benchmark times this step alone on Trunk's output as it is.
    if std::env::args().len() == 1 && std::env::var_os(SKIP_ENV_VAR).is_some() {
        println!("garage-site: skipped ({SKIP_ENV_VAR} is set)");
        return ExitCode::SUCCESS;
    }
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("garage-site: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match build(&options) {
        Ok(report) => {
            println!("garage-site: {report}");
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
            content: std::env::var_os(CONTENT_ENV_VAR).map(PathBuf::from),
            cache: Some(std::env::var_os(CACHE_ENV_VAR).map_or_else(default_cache, PathBuf::from)),
        });
    };
    let mut options = Options {
        dir: first.into(),
        public_url: "/".into(),
        precompress: false,
        service_worker: false,
        content: None,
        cache: None,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--public-url" => {
                options.public_url = args.next().ok_or("--public-url needs a value")?
            }
            "--precompress" => options.precompress = true,
            "--service-worker" => options.service_worker = true,
            "--content" => {
                options.content = Some(args.next().ok_or("--content needs a value")?.into())
            }
            "--cache" => options.cache = Some(args.next().ok_or("--cache needs a value")?.into()),
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

/// What a build wrote.
#[derive(Debug)]
struct Report {
    dir: PathBuf,
    pages: usize,
    articles: usize,
    /// Pages rendered (the others were the cache's, their inputs unchanged).
    rendered: usize,
    /// Files precompressed, and how many of them were compressed (the others' bytes were
    /// compressed before, and the cache had them).
    precompressed: Option<(usize, usize)>,
    /// The photographs' variants, written or taken from their cache.
    photographs: garage_media::Report,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} pages ({} articles; {} rendered, the others unchanged) in {}",
            self.pages,
            self.articles,
            self.rendered,
            self.dir.display()
        )?;
        if self.photographs.sources > 0 {
            write!(f, "; {}", self.photographs)?;
        }
        if let Some((files, compressed)) = self.precompressed {
            write!(
                f,
                ", {files} files precompressed ({compressed} compressed, the others unchanged)"
            )?;
        }
        // For the build's benchmark (tools/harness, garage-build-bench).
        if let Some(peak) = peak_memory_mb() {
            write!(f, ", peak memory {peak} MB")?;
        }
        if let Some(cpu) = cpu_seconds() {
            write!(f, ", cpu {cpu:.1} s")?;
        }
        Ok(())
    }
}

/// This process's peak resident memory so far, where the system tells it (Linux).
fn peak_memory_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb.div_ceil(1024))
}

/// The processor time this process used so far, all threads, user and system (Linux: its
/// `/proc` counts in USER_HZ, 100 a second): on a shared machine, the work apart from the
/// wait for a core.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command's name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
    // utime and stime: the line's fields 14 and 15, the 12th and 13th after the name.
    Some((ticks(11)? + ticks(12)?) as f64 / 100.0)
}

fn build(options: &Options) -> Result<Report, String> {
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
    if let Some(content) = &options.content {
        replace_dir(content, &dir.join("api"))?;
    }
    // First the photographs: their variants, and the data saying which have them, which the
    // pages are then rendered from.
    let photographs = media::publish(dir, &site.settings.media_origins)?;
    let content = content::read(dir)?;
    for warning in &content.warnings {
        eprintln!("garage-site: warning: {warning}");
    }
    let worker_url = format!("{base}/{SERVICE_WORKER_FILE}");
    let worker = options.service_worker.then_some(worker_url.as_str());
    let lists = lists::lists(&content);
    publish_lists(dir, &lists)?;
    let renderer = pages::Renderer::new(&template, &site, &content, &lists, worker);
    let cache = match &options.cache {
        Some(root) => Some(cache::RenderCache::open(root, &renderer.inputs())?),
        None => None,
    };
    let pages = write_pages(dir, &renderer, cache.as_ref())?;
    if let Some(cache) = &cache {
        cache.prune();
    }
    let rendered = pages.iter().filter(|page| page.rendered).count();
    if worker.is_some() {
        let service = site.settings.comments.as_ref().map(|c| c.url.as_str());
        write_service_worker(dir, &base, service)?;
    }
    write_listings(dir, &site.settings, &base, &content)?;
    write_headers(dir, &site.settings, &base, &pages)?;
    let mut report = Report {
        dir: dir.clone(),
        pages: pages.len(),
        articles: content.articles.len(),
        rendered,
        precompressed: None,
        photographs,
    };
    if options.precompress {
        let compressed = options.cache.as_ref().map(|root| root.join("compressed"));
        let done = garage_precompress::precompress_dir_cached(dir, compressed.as_deref())
            .map_err(|e| format!("cannot precompress {}: {e}", dir.display()))?;
        report.precompressed = Some((done.files.len(), done.compressed));
    }
    Ok(report)
}

/// Writes each list page's document under `api/` (the front page's over the CMS's whole
/// index, which was only the build's input), failing, naming the file, on one larger than
/// the app takes in.
fn publish_lists(
    dir: &Path,
    lists: &std::collections::BTreeMap<my_garage::core::paging::ListPage, lists::ListDoc>,
) -> Result<(), String> {
    for (list, doc) in lists {
        let path = dir.join("api").join(list.api_path());
        content::check_limit(&path, doc.bytes.len(), DOCUMENT_LIMIT)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &doc.bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// A page as written: its file, the hashes of the inline scripts it runs, and whether it
/// was rendered (or was the same as the cache's).
struct Written {
    file: String,
    scripts: std::collections::BTreeSet<String>,
    rendered: bool,
}

/// Renders every page on all cores (or takes it from the cache) and writes it.
fn write_pages(
    dir: &Path,
    renderer: &pages::Renderer,
    cache: Option<&cache::RenderCache>,
) -> Result<Vec<Written>, String> {
    let specs = renderer.specs();
    garage_precompress::on_all_cores(&specs, |spec| {
        let file = spec.file();
        let key = cache::RenderCache::key(&file, renderer.data_digest(spec));
        let (html, rendered) = match cache.and_then(|cache| cache.get(&key)) {
            Some(html) => (html, false),
            None => {
                let html = renderer.render(spec)?;
                if let Some(cache) = cache {
                    cache.put(&key, &html)?;
                }
                (html, true)
            }
        };
        let scripts = csp::script_hashes([(file.as_str(), html.as_str())])?;
        write(&dir.join(&file), &html)?;
        Ok(Written {
            file,
            scripts,
            rendered,
        })
    })
    .into_iter()
    .collect()
}

/// Replaces `to` with a copy of `from`.
fn replace_dir(from: &Path, to: &Path) -> Result<(), String> {
    if to.exists() {
        std::fs::remove_dir_all(to).map_err(|e| format!("cannot remove {}: {e}", to.display()))?;
    }
    copy_dir(from, to)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", from.display()))?
            .path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            std::fs::copy(&path, &target).map_err(|e| {
                format!(
                    "cannot copy {} to {}: {e}",
                    path.display(),
                    target.display()
                )
            })?;
        }
    }
    Ok(())
}

const SERVICE_WORKER_FILE: &str = "sw.js";

/// `sw.js`, which caches the shell under a cache named for this build: the hashed code and
/// CSS (listed in it), and the page articles load in (`articles/404.html`, which it names
/// itself and fetches on its own once the reader has opened a second page).
fn write_service_worker(dir: &Path, base: &str, service: Option<&str>) -> Result<(), String> {
    let shell_path = dir.join(pages::ARTICLE_404_FILE);
    let shell_page = std::fs::read_to_string(&shell_path).map_err(|e| {
        format!(
            "no article page shell to cache: {}: {e}",
            shell_path.display()
        )
    })?;
    let hashed = hashed_files(dir)?;
    let mut shell = hashed.clone();
    shell.push(pages::ARTICLE_404_FILE.to_owned());
    let version = service_worker::version(&shell, &[shell_page.as_str()]);
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
    for (name, text) in sitemap::sitemaps(&listing, |name| settings.url(base, &format!("/{name}")))
    {
        write(&dir.join(name), &text)?;
    }
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
    pages: &[Written],
) -> Result<(), String> {
    let hashes: std::collections::BTreeSet<String> = pages
        .iter()
        .flat_map(|page| page.scripts.iter().cloned())
        .collect();
    let service = settings.comments.as_ref().map(CommentService::origin);
    let policy = csp::policy(&hashes, &settings.media_origins, service);
    // The service worker is revalidated like a page, so a new build's reaches readers.
    let mut page_files: Vec<&str> = pages.iter().map(|page| page.file.as_str()).collect();
    if dir.join(SERVICE_WORKER_FILE).is_file() {
        page_files.push(SERVICE_WORKER_FILE);
    }
    let text = headers::headers(base, &policy, &page_files, &hashed_files(dir)?);
    write(&dir.join("_headers"), &text)?;
    // The pages written here run only scripts listed; the others are checked.
    let written: std::collections::BTreeSet<PathBuf> =
        pages.iter().map(|page| dir.join(&page.file)).collect();
    for path in html_files(dir)?
        .into_iter()
        .filter(|p| !written.contains(p))
    {
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

        /// `n` articles, `archive-{i}` published `i` hours before the newest, in the
        /// sections "New hero" (even) and "News" (odd).
        fn with_archive(n: usize) -> TrunkOutput {
            let site = TrunkOutput::with_articles(&[]);
            let mut index = Vec::new();
            for i in 0..n {
                let (slug, published) = (
                    format!("archive-{i}"),
                    format!("2024-01-{:02}T{:02}:00:00Z", 28 - i / 24, 23 - i % 24),
                );
                let section = if i % 2 == 0 { "New hero" } else { "News" };
                index.push(format!(
                    r#"{{"slug":"{slug}","title":"Title {i}","published":"{published}"}}"#
                ));
                write(
                    &site.0.join(format!("api/articles/{slug}.json")),
                    &format!(
                        r#"{{"slug":"{slug}","title":"Title {i}","section":"{section}","author":{{"name":"N"}},"published":"{published}"}}"#
                    ),
                )
                .unwrap();
            }
            write(
                &site.0.join("api/articles/index.json"),
                &format!(r#"{{"version":1,"articles":[{}]}}"#, index.join(",")),
            )
            .unwrap();
            site
        }

        fn build(&self, public_url: &str) -> Result<Report, String> {
            build(&Options {
                dir: self.0.clone(),
                public_url: public_url.into(),
                precompress: false,
                service_worker: true,
                content: None,
                cache: None,
            })
        }

        /// A release build, as Trunk's hook runs it, with the cache at `cache`.
        fn build_cached(&self, cache: &Path) -> Result<Report, String> {
            build(&Options {
                dir: self.0.clone(),
                public_url: "/".into(),
                precompress: true,
                service_worker: true,
                content: None,
                cache: Some(cache.to_owned()),
            })
        }

        /// Rewrites an article as the CMS would publish a correction.
        fn edit(&self, slug: &str, title: &str) {
            write(
                &self.0.join(format!("api/articles/{slug}.json")),
                &format!(
                    r#"{{"version":1,"slug":"{slug}","title":"{title}","author":{{"name":"N"}},"published":"2024-01-01T00:00:00Z"}}"#
                ),
            )
            .unwrap();
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

    /// The front page shows the newest `PAGE_SIZE`; the archive and each section go on in
    /// pages of their own, each with its document, none of which grows with the archive.
    #[test]
    fn lists_are_published_in_pages_of_their_own() {
        use my_garage::core::paging::PAGE_SIZE;
        let site = TrunkOutput::with_archive(65);
        site.build("/").unwrap();
        let json =
            |path: &str| -> serde_json::Value { serde_json::from_str(&site.read(path)).unwrap() };
        let front = json("api/articles/index.json");
        assert_eq!(
            (front["page"].as_u64(), front["pages"].as_u64()),
            (Some(1), Some(3))
        );
        assert_eq!(front["articles"].as_array().unwrap().len(), PAGE_SIZE);
        assert_eq!(front["articles"][0]["slug"], "archive-0");
        let last = json("api/articles/pages/3.json");
        assert_eq!(last["articles"].as_array().unwrap().len(), 5);
        assert_eq!(last["articles"][4]["slug"], "archive-64");
        let news = json("api/sections/news/pages/1.json");
        assert_eq!(news["section"]["name"], "News");
        assert_eq!(
            (news["page"].as_u64(), news["pages"].as_u64()),
            (Some(1), Some(2))
        );
        assert_eq!(news["articles"][0]["slug"], "archive-1");

        // Each page is prerendered, with its own data named, and links to the others.
        let read = |path: &str| site.read(path).replace(pages::HYDRATION_MARKER, "");
        let page_2 = read("page/2/index.html");
        assert!(
            page_2.contains(r#"<meta name="my-garage:data" content="/api/articles/pages/2.json">"#)
        );
        assert!(page_2.contains(r#"<link rel="canonical" href="https://www.example.com/page/2">"#));
        assert!(
            page_2.contains("Latest from My Garage: page 2 of 3</h1>"),
            "{page_2}"
        );
        assert!(page_2.contains(r#"<nav aria-label="Pages of articles" class="pagination">"#));
        assert!(
            page_2.contains(r#"<a href="/page/2" aria-current="page">2</a>"#),
            "{page_2}"
        );
        assert!(
            page_2.contains(r#"<a rel="prev" href="/">Newer</a>"#),
            "{page_2}"
        );
        assert!(page_2.contains(r#"href="/articles/archive-30""#));
        let section = read("section/new-hero/index.html");
        assert!(section.contains(">New hero</h1>"), "{section}");
        assert!(section.contains(r#"<a rel="next" href="/section/new-hero/page/2">Older</a>"#));
        assert!(read("section/new-hero/page/2/index.html").contains("New hero: page 2 of 2</h1>"));
        // The article's section label leads to its section.
        assert!(read("articles/archive-2/index.html")
            .contains(r#"<p class="section-label"><a href="/section/new-hero">New hero</a></p>"#));
        assert!(!site.0.join("page/4/index.html").exists());
        assert!(
            !site.0.join("page/1/index.html").exists(),
            "page 1 is the front page"
        );
    }

    /// A file larger than the app takes in fails the build, naming it.
    #[test]
    fn a_document_over_the_apps_limit_fails_the_build_naming_it() {
        use my_garage::core::limits::DOCUMENT_LIMIT;
        let site = TrunkOutput::with_articles(&[("big", "Big")]);
        let padding = "x".repeat(DOCUMENT_LIMIT);
        write(
            &site.0.join("api/articles/big.json"),
            &format!(
                r#"{{"slug":"big","title":"Big","author":{{"name":"N"}},"published":"2024-01-01T00:00:00Z","standfirst":"{padding}"}}"#
            ),
        )
        .unwrap();
        let error = site.build("/").err().unwrap();
        assert!(error.contains("api/articles/big.json: "), "{error}");
        assert!(
            error.contains("more than the 2000000 the app takes in"),
            "{error}"
        );
    }

    /// Trunk writes a fresh directory each build: with the cache, a rebuild renders and
    /// compresses only what changed, and writes the same site.
    #[test]
    fn a_rebuild_renders_and_compresses_only_what_changed() {
        let articles = [("a", "A"), ("b", "B"), ("c", "C")];
        let first = TrunkOutput::with_articles(&articles);
        let cache = first.0.with_extension("cache");
        let _ = std::fs::remove_dir_all(&cache);
        let cold = first.build_cached(&cache).unwrap();
        // The front page, three articles, the not-found page and the articles' 404 page.
        assert_eq!((cold.pages, cold.rendered), (6, 6));
        let (files, compressed) = cold.precompressed.unwrap();
        assert_eq!(compressed, 2 * files, "a .br and a .gz of each");

        let unchanged = TrunkOutput::with_articles(&articles);
        let warm = unchanged.build_cached(&cache).unwrap();
        assert_eq!(warm.rendered, 0);
        assert_eq!(warm.precompressed, Some((files, 0)));
        for file in ["index.html", "articles/b/index.html", "sw.js", "_headers"] {
            assert_eq!(unchanged.read(file), first.read(file), "{file}");
        }
        assert_eq!(
            std::fs::read(unchanged.0.join("articles/b/index.html.br")).unwrap(),
            std::fs::read(first.0.join("articles/b/index.html.br")).unwrap()
        );

        // The CMS corrects b's headline (not its summary in the index): b's page and JSON
        // change, and the feed that lists its title.
        let edited = TrunkOutput::with_articles(&articles);
        edited.edit("b", "B, corrected");
        let incremental = edited.build_cached(&cache).unwrap();
        assert_eq!(incremental.rendered, 1);
        assert!(edited
            .read("articles/b/index.html")
            .contains("B, corrected"));
        let (_, compressed) = incremental.precompressed.unwrap();
        assert_eq!(
            compressed,
            3 * 2,
            "b's page, b's JSON and the feed, each .br and .gz"
        );
        let _ = std::fs::remove_dir_all(&cache);
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
