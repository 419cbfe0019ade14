//! `garage-paint DIR`: writes the sample photographs (`garage_media::paint::SAMPLES`) into
//! DIR as JPEGs, as a publisher would upload them (`public/media` in this repository).

use garage_media::paint::{paint, SAMPLES};
use image::codecs::jpeg::JpegEncoder;
use image::ImageEncoder;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: garage-paint DIR");
        return ExitCode::from(2);
    };
    for sample in &SAMPLES {
        let image = paint(sample.seed, sample.size);
        let mut bytes = Vec::new();
        let written = JpegEncoder::new_with_quality(&mut bytes, 85)
            .write_image(
                &image,
                image.width(),
                image.height(),
                image::ExtendedColorType::Rgb8,
            )
            .map_err(|e| e.to_string())
            .and_then(|()| {
                std::fs::write(format!("{dir}/{}", sample.file), &bytes).map_err(|e| e.to_string())
            });
        if let Err(e) = written {
            eprintln!("garage-paint: {}: {e}", sample.file);
            return ExitCode::FAILURE;
        }
        println!("{dir}/{}: {} KB", sample.file, bytes.len() / 1024);
    }
    ExitCode::SUCCESS
}
