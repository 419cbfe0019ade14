//! `garage-media-bench [N]`: the build's photograph step on N painted sources (default 20,
//! each 2400 × 1350, the size of the seed's lead photograph): the time to make every variant
//! from a cold cache and again from the cache, and each encoder's cost. Run by
//! `scripts/bench.sh` (`--only media`); prints one line per figure.

use garage_media::paint::paint;
use garage_media::{encode, Format, ImageUse, Publisher, Settings, Size};
use std::time::Instant;

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let root = std::env::temp_dir().join(format!("garage-media-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let (site, cache) = (root.join("site"), root.join("cache"));
    std::fs::create_dir_all(site.join("media")).expect("a scratch folder");
    let size = Size {
        width: 2400,
        height: 1350,
    };
    let settings = Settings {
        jpeg_quality: 90,
        ..Settings::default()
    };
    let mut uses = Vec::new();
    for n in 0..count {
        let name = format!("photo-{n}.jpg");
        let bytes = encode(&paint(n as u64 + 100, size), Format::Jpeg, &settings)
            .expect("a painted source");
        std::fs::write(site.join("media").join(&name), bytes).expect("write a source");
        uses.push(ImageUse {
            file: "bench".into(),
            place: format!("photograph {n}"),
            src: format!("/media/{name}"),
            alt: Some(String::new()),
            width: Some(size.width),
            height: Some(size.height),
        });
    }
    let publisher = Publisher {
        site: &site,
        cache: &cache,
        media_origins: &[],
        settings: Settings::default(),
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let started = Instant::now();
    let cold = publisher.publish(&uses).expect("the cold build");
    let cold_time = started.elapsed();
    std::fs::remove_dir_all(site.join("media/v")).expect("a fresh site");
    let started = Instant::now();
    let cached = publisher.publish(&uses).expect("the cached build");
    let cached_time = started.elapsed();
    println!(
        "sources: {count} photographs of {}x{}, {threads} threads",
        size.width, size.height
    );
    println!(
        "cold build: {:.1} s ({} variants encoded)",
        cold_time.as_secs_f64(),
        cold.encoded
    );
    println!(
        "cached build: {:.2} s ({} variants from the cache, {} encoded)",
        cached_time.as_secs_f64(),
        cached.cached,
        cached.encoded
    );
    for (format, encoded) in &cold.encoding {
        println!(
            "encoder {format}: {:.1} s of CPU time for {} variants ({:.0} ms each), {} KB written",
            encoded.time.as_secs_f64(),
            encoded.files,
            encoded.time.as_secs_f64() * 1000.0 / encoded.files.max(1) as f64,
            encoded.bytes / 1024
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}
