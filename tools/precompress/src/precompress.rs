//! Writing `.br` / `.gz` siblings of the build output, as a CDN would serve.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use brotli::enc::BrotliEncoderParams;
use flate2::write::GzEncoder;
use flate2::Compression;

use crate::encoding::Encoding;

/// Extensions worth compressing (text and wasm; images are already compressed).
const COMPRESSIBLE_EXTENSIONS: [&str; 11] = [
    "html",
    "js",
    "mjs",
    "css",
    "wasm",
    "json",
    "svg",
    "txt",
    "xml",
    "webmanifest",
    "ico",
];
const BROTLI_QUALITY: i32 = 11;
const BROTLI_WINDOW_BITS: i32 = 22;

/// Sizes of one precompressed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrecompressedFile {
    /// Path relative to the precompressed directory.
    pub path: PathBuf,
    pub raw_bytes: u64,
    pub gzip_bytes: u64,
    pub brotli_bytes: u64,
}

/// What [`precompress_dir`] found and did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrecompressReport {
    /// Every compressible file, sorted by path.
    pub files: Vec<PrecompressedFile>,
    /// How many `.br` / `.gz` files were (re)written; 0 when all were fresh.
    pub written: usize,
    /// How many of those were compressed (the others were copied from the cache).
    pub compressed: usize,
}

impl PrecompressReport {
    /// Sums of (raw, gzip, brotli) bytes over all files.
    pub fn totals(&self) -> (u64, u64, u64) {
        self.files.iter().fold((0, 0, 0), |(raw, gz, br), file| {
            (
                raw + file.raw_bytes,
                gz + file.gzip_bytes,
                br + file.brotli_bytes,
            )
        })
    }
}

/// Writes `<file>.br` (brotli q11) and `<file>.gz` (gzip best) beside every
/// compressible file under `dir`, recursively. Compressed files that are not
/// older than their source are left alone, so re-runs are quick.
pub fn precompress_dir(dir: &Path) -> io::Result<PrecompressReport> {
    precompress_dir_cached(dir, None)
}

/// [`precompress_dir`] on all cores, and with `cache`, a directory of variants named by the
/// digest of their source's bytes: a file whose bytes were compressed before (by any build
/// that used the same cache) gets a copy instead of a new compression. A build directory
/// written afresh each time (Trunk's staging directory) so costs a compression only for
/// what changed.
pub fn precompress_dir_cached(dir: &Path, cache: Option<&Path>) -> io::Result<PrecompressReport> {
    let mut sources = Vec::new();
    collect_compressible(dir, &mut sources)?;
    if let Some(cache) = cache {
        fs::create_dir_all(cache)?;
    }
    let results = on_all_cores(&sources, |source| -> io::Result<_> {
        let counts = write_stale_variants(source, cache)?;
        Ok((counts, measure(dir, source)?))
    });
    let mut report = PrecompressReport::default();
    for result in results {
        let ((written, compressed), file) = result?;
        report.written += written;
        report.compressed += compressed;
        report.files.push(file);
    }
    Ok(report)
}

/// `f` of each item, in the items' order, computed on every core the machine has (one
/// thread each, taking the next item as it finishes one: files differ in size).
pub fn on_all_cores<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let result = f(item);
                results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every item is done once the threads end"))
        .collect()
}

fn is_compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| COMPRESSIBLE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Appends compressible regular files under `dir` to `out`, in path order.
fn collect_compressible(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let file_type = entry.file_type()?;
        let path = entry.path();
        if file_type.is_dir() {
            collect_compressible(&path, out)?;
        } else if file_type.is_file() && is_compressible(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// (Re)writes the variants of `source` that are missing or older than it, from `cache`
/// when it has them; returns how many were written, and how many of those compressed.
fn write_stale_variants(source: &Path, cache: Option<&Path>) -> io::Result<(usize, usize)> {
    let modified = fs::metadata(source)?.modified()?;
    let stale: Vec<Encoding> = Encoding::BY_PREFERENCE
        .into_iter()
        .filter(|encoding| !is_fresh(&encoding.sibling_of(source), modified))
        .collect();
    if stale.is_empty() {
        return Ok((0, 0));
    }
    let data = fs::read(source)?;
    let key = cache.map(|_| content_key(&data));
    let mut compressed = 0;
    for &encoding in &stale {
        let variant = encoding.sibling_of(source);
        let cached = cache.zip(key.as_deref()).map(|(cache, key)| {
            let mut name = key.to_owned();
            name.push_str(encoding.suffix());
            cache.join(name)
        });
        if let Some(cached) = cached.as_deref().filter(|c| c.is_file()) {
            copy_atomically(cached, &variant)?;
            continue;
        }
        let bytes = compress(encoding, &data)?;
        compressed += 1;
        write_atomically(&variant, &bytes)?;
        if let Some(cached) = cached {
            write_atomically(&cached, &bytes)?;
        }
    }
    Ok((stale.len(), compressed))
}

/// A file's cache name: the SHA-256 of its bytes (a collision would serve one file's
/// compression for another's, so not a short hash).
fn content_key(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn copy_atomically(from: &Path, to: &Path) -> io::Result<()> {
    let temporary = temporary_path(to);
    fs::copy(from, &temporary)?;
    fs::rename(&temporary, to)
}

/// Whether `variant` exists and is not older than its source.
fn is_fresh(variant: &Path, source_modified: SystemTime) -> bool {
    fs::metadata(variant)
        .and_then(|meta| meta.modified())
        .is_ok_and(|modified| modified >= source_modified)
}

fn compress(encoding: Encoding, data: &[u8]) -> io::Result<Vec<u8>> {
    match encoding {
        Encoding::Brotli => brotli_compress(data),
        Encoding::Gzip => gzip_compress(data),
    }
}

fn brotli_compress(data: &[u8]) -> io::Result<Vec<u8>> {
    let params = BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: BROTLI_WINDOW_BITS,
        size_hint: data.len(),
        ..BrotliEncoderParams::default()
    };
    let mut compressed = Vec::new();
    brotli::BrotliCompress(&mut &data[..], &mut compressed, &params)?;
    Ok(compressed)
}

fn gzip_compress(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(data)?;
    encoder.finish()
}

/// Writes via a temporary file and rename, so a running server never
/// serves a half-written variant.
fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let temporary = temporary_path(path);
    fs::write(&temporary, contents)?;
    fs::rename(&temporary, path)
}

/// `path` with a suffix of this process and thread: two builds sharing a cache may write
/// the same entry at once.
fn temporary_path(path: &Path) -> PathBuf {
    let thread = format!("{:?}", std::thread::current().id());
    let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}-{thread}.tmp", std::process::id()));
    PathBuf::from(temporary)
}

fn measure(dir: &Path, source: &Path) -> io::Result<PrecompressedFile> {
    let size = |path: &Path| fs::metadata(path).map(|meta| meta.len());
    Ok(PrecompressedFile {
        path: source.strip_prefix(dir).unwrap_or(source).to_path_buf(),
        raw_bytes: size(source)?,
        gzip_bytes: size(&Encoding::Gzip.sibling_of(source))?,
        brotli_bytes: size(&Encoding::Brotli.sibling_of(source))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressible_extensions() {
        for name in [
            "index.html",
            "a.JS",
            "x_bg.wasm",
            "favicon.ico",
            "site.webmanifest",
        ] {
            assert!(is_compressible(Path::new(name)), "{name}");
        }
        for name in ["a.js.br", "a.js.gz", "photo.png", "photo.webp", "README"] {
            assert!(!is_compressible(Path::new(name)), "{name}");
        }
    }
}
