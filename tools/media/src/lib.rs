//! `garage-media`: the photographs' variants, made at publish time.
//!
//! The build (`tools/site`) hands it every image an article uses ([`images_in`]); it checks
//! each (the file is there and readable, its declared `width` and `height` are the file's,
//! it has an `alt`, another origin is one of `media_origins`), then writes the variants
//! [`my_garage::core::media::plan`] plans for it (each width as AVIF, WebP and JPEG, and the
//! social-card JPEG) under the site's `media/v/`. Each variant is kept in a cache outside
//! the site, named by a hash of the source's bytes and the variant's settings, so a rebuild
//! encodes only what is new or changed.

pub mod paint;

use image::codecs::avif::AvifEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{ImageEncoder, ImageReader, RgbImage};
pub use my_garage::core::media::{plan, variant_stem, Format, Size, Variant};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// One image an article uses, as the publisher wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageUse {
    /// The article's file, for messages (`api/articles/x.json`).
    pub file: String,
    /// Where in the article: "the lead image", "body block 3".
    pub place: String,
    pub src: String,
    /// `None` when the data has no `alt` at all (an empty one is allowed: decoration).
    pub alt: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// Why the build stops: always naming the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaError(pub String);

impl fmt::Display for MediaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MediaError {}

impl ImageUse {
    fn error(&self, what: impl fmt::Display) -> MediaError {
        MediaError(format!(
            "{}: {} ({}) {what}",
            self.file, self.place, self.src
        ))
    }

    fn declared(&self) -> Option<Size> {
        Some(Size {
            width: self.width?,
            height: self.height?,
        })
    }
}

/// Every image with a `src` in an article's JSON (`file` names it in messages): the lead
/// image and each body block of type `image`; in the index, each entry's thumbnail
/// (`image`).
pub fn images_in(file: &str, json: &[u8]) -> Result<Vec<ImageUse>, MediaError> {
    let value: Value =
        serde_json::from_slice(json).map_err(|e| MediaError(format!("{file}: not JSON: {e}")))?;
    let mut found = Vec::new();
    let mut add = |place: String, image: &Value| {
        let Some(src) = image.get("src").and_then(Value::as_str) else {
            return;
        };
        if src.trim().is_empty() {
            return;
        }
        let dimension = |name| {
            image
                .get(name)
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n > 0)
        };
        found.push(ImageUse {
            file: file.to_owned(),
            place,
            src: src.to_owned(),
            alt: image.get("alt").and_then(Value::as_str).map(str::to_owned),
            width: dimension("width"),
            height: dimension("height"),
        });
    };
    if let Some(lead) = value.get("lead_image") {
        add("the lead image".into(), lead);
    }
    if let Some(body) = value.get("body").and_then(Value::as_array) {
        for (n, block) in body.iter().enumerate() {
            if block.get("type").and_then(Value::as_str) == Some("image") {
                add(format!("body block {}", n + 1), block);
            }
        }
    }
    if let Some(entries) = value.get("articles").and_then(Value::as_array) {
        for (n, entry) in entries.iter().enumerate() {
            if let Some(image) = entry.get("image") {
                add(format!("the thumbnail of entry {}", n + 1), image);
            }
        }
    }
    Ok(found)
}

/// The encoders' settings. They are part of every cache key, so changing one re-encodes.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub jpeg_quality: u8,
    pub webp_quality: f32,
    pub avif_quality: u8,
    /// rav1e's speed, 1 (slowest) to 10 (fastest).
    pub avif_speed: u8,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            jpeg_quality: 78,
            webp_quality: 72.0,
            avif_quality: 55,
            avif_speed: 10,
        }
    }
}

/// Bumped when the way variants are made changes (the resize filter, an encoder's version
/// in a way that matters), so caches from before are not used.
const RECIPE: &str = "garage-media 1: catmull-rom, image 0.25 jpeg, libwebp 1, ravif 0.13";

/// The cache's name for one variant of a source with these `bytes`: a SHA-256 of the
/// bytes, the variant's size and format, and the settings. The same photograph under two
/// names shares its variants; a changed one gets new ones.
pub fn cache_key(bytes: &[u8], size: Size, format: Format, settings: &Settings) -> String {
    cache_key_of(&Sha256::digest(bytes).into(), size, format, settings)
}

/// [`cache_key`] from the SHA-256 of the source's bytes (computed once a source).
fn cache_key_of(digest: &[u8; 32], size: Size, format: Format, settings: &Settings) -> String {
    let mut hash = Sha256::new();
    hash.update(RECIPE.as_bytes());
    hash.update(digest);
    hash.update(format!(
        "{}x{} {} {} {} {} {}",
        size.width,
        size.height,
        format.extension(),
        settings.jpeg_quality,
        settings.webp_quality,
        settings.avif_quality,
        settings.avif_speed
    ));
    let digest = hash.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.{}", format.extension())
}

/// What a publish did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Photographs with variants.
    pub sources: usize,
    /// Variants encoded now, and taken from the cache.
    pub encoded: usize,
    pub cached: usize,
    /// Per format (its file extension): what was encoded now.
    pub encoding: BTreeMap<&'static str, Encoded>,
}

/// What one encoder did in a publish.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Encoded {
    pub files: usize,
    /// Time spent encoding, all threads added up.
    pub time: Duration,
    pub bytes: u64,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} photographs, {} variants encoded, {} from the cache",
            self.sources, self.encoded, self.cached
        )?;
        for (format, encoded) in &self.encoding {
            write!(
                f,
                "; {format} {:.2} s, {} KB",
                encoded.time.as_secs_f64(),
                encoded.bytes / 1024
            )?;
        }
        Ok(())
    }
}

/// Where the variants are made.
pub struct Publisher<'a> {
    /// The site's root: sources are read at `{site}{src}`, variants written at
    /// `{site}/media/v/…`.
    pub site: &'a Path,
    /// The cache, outside the site.
    pub cache: &'a Path,
    /// Origins images may come from besides the site (`media_origins`).
    pub media_origins: &'a [String],
    pub settings: Settings,
}

/// One width of one source (by its index), and the variants of it to encode, each with
/// its cache file.
type Work = (usize, Size, Vec<(Variant, PathBuf)>);

struct Source<'a> {
    first_use: &'a ImageUse,
    path: PathBuf,
    bytes: Vec<u8>,
    size: Size,
    pixels: OnceLock<Result<RgbImage, String>>,
}

impl Publisher<'_> {
    /// Checks every image and writes every variant, or fails naming the first file at
    /// fault.
    pub fn publish(&self, uses: &[ImageUse]) -> Result<Report, MediaError> {
        let mut sources: Vec<Source> = Vec::new();
        for image in uses {
            if image.alt.is_none() {
                return Err(image.error(
                    "has no `alt`: describe the picture (an empty `alt` marks it decorative)",
                ));
            }
            if let Some(origin) = other_origin(&image.src) {
                if !self.media_origins.contains(&origin) {
                    return Err(image.error(format!(
                        "is on {origin}, which is not one of `media_origins` in site.json"
                    )));
                }
                if image.declared().is_none() {
                    return Err(image.error("has no `width` and `height`"));
                }
                continue;
            }
            if !image.src.starts_with('/') {
                return Err(image.error("is neither a path on the site nor an https URL"));
            }
            let path = self.site.join(image.src.trim_start_matches('/'));
            if variant_stem(&image.src).is_none() {
                // Used as given (an SVG, a GIF): it must be there.
                if !path.is_file() {
                    return Err(image.error(format!("is missing: no {}", path.display())));
                }
                continue;
            }
            if let Some(source) = sources.iter().find(|s| s.first_use.src == image.src) {
                check_declared(image, source.size)?;
                continue;
            }
            let bytes = std::fs::read(&path)
                .map_err(|e| image.error(format!("cannot be read: {}: {e}", path.display())))?;
            let (width, height) = ImageReader::new(std::io::Cursor::new(&bytes))
                .with_guessed_format()
                .map_err(|e| image.error(format!("cannot be read: {e}")))?
                .into_dimensions()
                .map_err(|e| image.error(format!("is not a picture this build reads: {e}")))?;
            let size = Size { width, height };
            check_declared(image, size)?;
            sources.push(Source {
                first_use: image,
                path,
                bytes,
                size,
                pixels: OnceLock::new(),
            });
        }
        self.make_variants(&sources)
    }

    fn make_variants(&self, sources: &[Source]) -> Result<Report, MediaError> {
        std::fs::create_dir_all(self.cache)
            .map_err(|e| MediaError(format!("cannot create {}: {e}", self.cache.display())))?;
        // Each piece of work is one width of one source (its formats share the resize).
        let mut work: Vec<Work> = Vec::new();
        let mut report = Report {
            sources: sources.len(),
            ..Report::default()
        };
        // Variants another source with the same bytes is encoding now: copied after.
        let mut copies = Vec::new();
        for (n, source) in sources.iter().enumerate() {
            let stem = variant_stem(&source.first_use.src).expect("checked: a photograph");
            let digest: [u8; 32] = Sha256::digest(&source.bytes).into();
            for variant in plan(stem, source.size) {
                let cached = self.cache.join(cache_key_of(
                    &digest,
                    variant.size,
                    variant.format,
                    &self.settings,
                ));
                if cached.is_file() {
                    report.cached += 1;
                    self.copy_out(&cached, &variant)?;
                    continue;
                }
                let pending = work.iter().flat_map(|(_, _, list)| list);
                if pending.into_iter().any(|(_, key)| *key == cached) {
                    report.cached += 1;
                    copies.push((cached, variant));
                    continue;
                }
                match work
                    .iter_mut()
                    .find(|(s, size, _)| *s == n && *size == variant.size)
                {
                    Some((_, _, list)) => list.push((variant, cached)),
                    None => work.push((n, variant.size, vec![(variant, cached)])),
                }
            }
        }
        let next = AtomicUsize::new(0);
        let results = Mutex::new((report, None::<MediaError>));
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        std::thread::scope(|scope| {
            for _ in 0..threads.min(work.len()) {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((n, size, variants)) = work.get(i) else {
                        return;
                    };
                    let outcome = self.encode_width(&sources[*n], *size, variants);
                    let mut results = results.lock().unwrap();
                    match outcome {
                        Ok(done) => {
                            for (format, time, bytes) in done {
                                results.0.encoded += 1;
                                let entry = results.0.encoding.entry(format.extension());
                                let total = entry.or_default();
                                total.files += 1;
                                total.time += time;
                                total.bytes += bytes;
                            }
                        }
                        Err(e) => {
                            results.1.get_or_insert(e);
                            next.store(work.len(), Ordering::SeqCst);
                        }
                    }
                });
            }
        });
        let (report, error) = results.into_inner().unwrap();
        if let Some(error) = error {
            return Err(error);
        }
        for (cached, variant) in &copies {
            self.copy_out(cached, variant)?;
        }
        Ok(report)
    }

    /// Resizes `source` to `size` once and encodes each of `variants` from it into the cache
    /// and the site.
    fn encode_width(
        &self,
        source: &Source,
        size: Size,
        variants: &[(Variant, PathBuf)],
    ) -> Result<Vec<(Format, Duration, u64)>, MediaError> {
        let pixels = source
            .pixels
            .get_or_init(|| {
                image::load_from_memory(&source.bytes)
                    .map(|image| image.to_rgb8())
                    .map_err(|e| format!("cannot be decoded: {}: {e}", source.path.display()))
            })
            .as_ref()
            .map_err(|e| source.first_use.error(e))?;
        let resized = if size == source.size {
            pixels.clone()
        } else {
            image::imageops::resize(pixels, size.width, size.height, FilterType::CatmullRom)
        };
        let mut done = Vec::new();
        for (variant, cached) in variants {
            let started = Instant::now();
            let bytes = encode(&resized, variant.format, &self.settings)
                .map_err(|e| source.first_use.error(format!("{}: {e}", variant.path)))?;
            done.push((variant.format, started.elapsed(), bytes.len() as u64));
            write_atomically(cached, &bytes)?;
            self.copy_out(cached, variant)?;
        }
        Ok(done)
    }

    fn copy_out(&self, cached: &Path, variant: &Variant) -> Result<(), MediaError> {
        let out = self.site.join(variant.path.trim_start_matches('/'));
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| MediaError(format!("cannot create {}: {e}", parent.display())))?;
        }
        std::fs::copy(cached, &out).map(drop).map_err(|e| {
            MediaError(format!(
                "cannot copy {} to {}: {e}",
                cached.display(),
                out.display()
            ))
        })
    }
}

/// One picture in one format.
pub fn encode(image: &RgbImage, format: Format, settings: &Settings) -> Result<Vec<u8>, String> {
    let (width, height) = image.dimensions();
    let mut out = Vec::new();
    match format {
        Format::Jpeg => JpegEncoder::new_with_quality(&mut out, settings.jpeg_quality)
            .write_image(image, width, height, image::ExtendedColorType::Rgb8)
            .map_err(|e| e.to_string())?,
        Format::Avif => AvifEncoder::new_with_speed_quality(
            &mut out,
            settings.avif_speed,
            settings.avif_quality,
        )
        .write_image(image, width, height, image::ExtendedColorType::Rgb8)
        .map_err(|e| e.to_string())?,
        Format::Webp => {
            let encoded =
                webp::Encoder::from_rgb(image, width, height).encode(settings.webp_quality);
            out.extend_from_slice(&encoded);
        }
    }
    Ok(out)
}

fn check_declared(image: &ImageUse, size: Size) -> Result<(), MediaError> {
    if image.declared() == Some(size) {
        return Ok(());
    }
    Err(image.error(format!(
        "is {}×{}: give it \"width\": {}, \"height\": {} so the page keeps its place while it loads",
        size.width, size.height, size.width, size.height
    )))
}

/// The origin of an `http(s)` URL (`https://images.example.com`), `None` for a path.
fn other_origin(src: &str) -> Option<String> {
    let (scheme, rest) = src.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    Some(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    ))
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), MediaError> {
    let partial = path.with_extension(format!("partial-{}", std::process::id()));
    std::fs::write(&partial, bytes)
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|e| MediaError(format!("cannot write {}: {e}", path.display())))
}

/// The cache beside the build's own files: `{target}/media-cache` when `exe` is
/// `{target}/{profile}/garage-site`.
pub fn cache_beside(exe: &Path) -> Option<PathBuf> {
    Some(exe.parent()?.parent()?.join("media-cache"))
}

#[cfg(test)]
mod tests;
