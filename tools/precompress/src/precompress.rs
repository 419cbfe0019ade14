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
    let mut sources = Vec::new();
    collect_compressible(dir, &mut sources)?;
    let mut report = PrecompressReport::default();
    for source in sources {
        report.written += write_stale_variants(&source)?;
        report.files.push(measure(dir, &source)?);
    }
    Ok(report)
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

/// (Re)writes the variants of `source` that are missing or older than it;
/// returns how many were written.
fn write_stale_variants(source: &Path) -> io::Result<usize> {
    let modified = fs::metadata(source)?.modified()?;
    let stale: Vec<Encoding> = Encoding::BY_PREFERENCE
        .into_iter()
        .filter(|encoding| !is_fresh(&encoding.sibling_of(source), modified))
        .collect();
    if stale.is_empty() {
        return Ok(0);
    }
    let data = fs::read(source)?;
    for &encoding in &stale {
        write_atomically(&encoding.sibling_of(source), &compress(encoding, &data)?)?;
    }
    Ok(stale.len())
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
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    fs::write(&temporary, contents)?;
    fs::rename(&temporary, path)
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
