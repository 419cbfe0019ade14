//! Tests of `precompress_dir` on a scratch directory.

mod common;

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::TempDir;
use flate2::read::GzDecoder;
use garage_precompress::{precompress_dir, precompress_dir_cached};

fn brotli_decode(path: &Path) -> Vec<u8> {
    let mut decoded = Vec::new();
    brotli::Decompressor::new(File::open(path).expect("open .br"), 4096)
        .read_to_end(&mut decoded)
        .expect("decode brotli");
    decoded
}

fn gzip_decode(path: &Path) -> Vec<u8> {
    let mut decoded = Vec::new();
    GzDecoder::new(File::open(path).expect("open .gz"))
        .read_to_end(&mut decoded)
        .expect("decode gzip");
    decoded
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn modified(path: &Path) -> SystemTime {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime")
}

#[test]
fn writes_variants_that_decode_to_the_original() {
    let dist = TempDir::new("precompress");
    let js = "export function hello() { return 'my garage'; }\n".repeat(200);
    let sources = [
        dist.write("index.html", "<!doctype html><title>My Garage</title>"),
        dist.write("my-garage-1a2b3c4d5e6f7a8b.js", &js),
        dist.write("assets/data/articles.json", r#"[{"slug":"x"}]"#),
    ];
    let photo = dist.write("photo.png", b"\x89PNG not compressible");

    let report = precompress_dir(dist.path()).expect("precompress");

    assert_eq!(report.written, 6);
    let listed: Vec<&Path> = report.files.iter().map(|f| f.path.as_path()).collect();
    assert_eq!(
        listed,
        [
            Path::new("assets/data/articles.json"),
            Path::new("index.html"),
            Path::new("my-garage-1a2b3c4d5e6f7a8b.js"),
        ]
    );
    for source in &sources {
        let original = fs::read(source).expect("read source");
        assert_eq!(brotli_decode(&with_suffix(source, ".br")), original);
        assert_eq!(gzip_decode(&with_suffix(source, ".gz")), original);
    }
    assert!(!with_suffix(&photo, ".br").exists());
    let js_entry = &report.files[2];
    assert_eq!(js_entry.raw_bytes, js.len() as u64);
    assert!(
        js_entry.brotli_bytes < js_entry.gzip_bytes && js_entry.gzip_bytes < js_entry.raw_bytes
    );
    assert_eq!(
        report.totals().0,
        report.files.iter().map(|f| f.raw_bytes).sum::<u64>()
    );
}

#[test]
fn second_run_rewrites_nothing_until_a_source_changes() {
    let dist = TempDir::new("precompress-rerun");
    let index = dist.write("index.html", "<p>v1</p>");
    dist.write("style/main-0123456789abcdef.css", "body { margin: 0 }");
    let first = precompress_dir(dist.path()).expect("first run");
    let br = with_suffix(&index, ".br");
    let br_written_at = modified(&br);

    let second = precompress_dir(dist.path()).expect("second run");
    assert_eq!(second.written, 0);
    assert_eq!(second.files, first.files);
    assert_eq!(modified(&br), br_written_at);
    assert!(!dist.path().join("index.html.br.br").exists());

    fs::write(&index, "<p>version two</p>").expect("rewrite source");
    let later = SystemTime::now() + Duration::from_secs(5);
    File::options()
        .write(true)
        .open(&index)
        .and_then(|file| file.set_modified(later))
        .expect("touch source");
    let third = precompress_dir(dist.path()).expect("third run");
    assert_eq!(third.written, 2);
    assert_eq!(brotli_decode(&br), b"<p>version two</p>");
}

/// Trunk writes a fresh directory each build: with a cache, only a file whose bytes are
/// new is compressed; the others get the variants compressed before, byte for byte.
#[test]
fn a_fresh_directory_compresses_only_bytes_the_cache_has_not_seen() {
    let cache = TempDir::new("precompress-cache");
    let first = TempDir::new("precompress-build-1");
    first.write("index.html", "<p>front</p>");
    first.write("articles/a/index.html", "<p>article a</p>");
    let report = precompress_dir_cached(first.path(), Some(cache.path())).expect("first");
    assert_eq!((report.written, report.compressed), (4, 4));

    let second = TempDir::new("precompress-build-2");
    let unchanged = second.write("index.html", "<p>front</p>");
    let changed = second.write("articles/a/index.html", "<p>article a, corrected</p>");
    let report = precompress_dir_cached(second.path(), Some(cache.path())).expect("second");
    assert_eq!(
        (report.written, report.compressed),
        (4, 2),
        "only the changed page is compressed"
    );
    assert_eq!(
        brotli_decode(&with_suffix(&unchanged, ".br")),
        b"<p>front</p>"
    );
    assert_eq!(
        gzip_decode(&with_suffix(&unchanged, ".gz")),
        b"<p>front</p>"
    );
    assert_eq!(
        brotli_decode(&with_suffix(&changed, ".br")),
        b"<p>article a, corrected</p>"
    );
}
