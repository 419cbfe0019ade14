use super::*;

/// A scratch site folder, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("garage-media-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("site/media")).unwrap();
        Scratch(dir)
    }

    fn site(&self) -> PathBuf {
        self.0.join("site")
    }

    fn cache(&self) -> PathBuf {
        self.0.join("cache")
    }

    /// A painted JPEG at `/media/{name}`.
    fn photo(&self, name: &str, seed: u64, size: Size) {
        let image = paint::paint(seed, size);
        std::fs::write(
            self.site().join("media").join(name),
            encode(&image, Format::Jpeg, &Settings::default()).unwrap(),
        )
        .unwrap();
    }

    fn publish(&self, uses: &[ImageUse]) -> Result<Report, MediaError> {
        Publisher {
            site: &self.site(),
            cache: &self.cache(),
            media_origins: &["https://images.example.com".to_owned()],
            settings: Settings::default(),
        }
        .publish(uses)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn photo_use(src: &str, size: Size) -> ImageUse {
    ImageUse {
        file: "api/articles/a.json".into(),
        place: "the lead image".into(),
        src: src.into(),
        alt: Some("A car".into()),
        width: Some(size.width),
        height: Some(size.height),
    }
}

const SMALL: Size = Size {
    width: 700,
    height: 400,
};

#[test]
fn finds_the_lead_image_and_each_body_image_with_or_without_alt() {
    let json =
        br#"{"lead_image":{"src":"/media/a.jpg","alt":"","width":10,"height":5,"caption":"C"},
        "body":[{"type":"paragraph","text":"x"},{"type":"image","src":"/media/b.jpg","width":-1},
                {"type":"image","alt":"no src"},{"type":"image","src":" ","alt":"blank"}]}"#;
    let found = images_in("api/articles/a.json", json).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(
        (found[0].alt.as_deref(), found[0].width, found[0].height),
        (Some(""), Some(10), Some(5))
    );
    assert_eq!(found[1].place, "body block 2");
    assert_eq!((found[1].alt.as_deref(), found[1].width), (None, None));
    let index =
        br#"{"articles":[{"slug":"a"},{"slug":"b","image":{"src":"/media/b.jpg","alt":""}}]}"#;
    let thumbs = images_in("api/articles/index.json", index).unwrap();
    assert_eq!(thumbs.len(), 1);
    assert_eq!(thumbs[0].place, "the thumbnail of entry 2");
    let error = images_in("api/articles/b.json", b"{").unwrap_err();
    assert!(
        error.0.starts_with("api/articles/b.json: not JSON"),
        "{error}"
    );
}

#[test]
fn writes_each_planned_variant_at_its_size_then_takes_them_from_the_cache() {
    let scratch = Scratch::new();
    scratch.photo("car.jpg", 7, SMALL);
    let uses = [photo_use("/media/car.jpg", SMALL)];
    let report = scratch.publish(&uses).unwrap();
    let planned = plan("car", SMALL);
    // 320, 640 and the source's own 700, in three formats; the share JPEG is the 700 one.
    assert_eq!(planned.len(), 9);
    assert_eq!((report.sources, report.encoded, report.cached), (1, 9, 0));
    for variant in &planned {
        let path = scratch.site().join(variant.path.trim_start_matches('/'));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let format = match variant.format {
            Format::Avif => &b"ftypavif"[..],
            Format::Webp => &b"WEBP"[..],
            Format::Jpeg => &[0xff, 0xd8][..],
        };
        assert!(
            bytes.windows(format.len()).take(16).any(|w| w == format),
            "{} is not {:?}",
            variant.path,
            variant.format
        );
        let decoded = match variant.format {
            Format::Jpeg => image::load_from_memory(&bytes)
                .map(|d| (d.width(), d.height()))
                .ok(),
            Format::Webp => webp::Decoder::new(&bytes)
                .decode()
                .map(|d| (d.width(), d.height())),
            // No AVIF decoder in the build: its size is in its `ispe` box.
            Format::Avif => bytes.windows(4).position(|w| w == b"ispe").map(|at| {
                let n = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
                (n(at + 8), n(at + 12))
            }),
        };
        assert_eq!(
            decoded,
            Some((variant.size.width, variant.size.height)),
            "{}",
            variant.path
        );
    }
    // A rebuild of a fresh site encodes nothing.
    std::fs::remove_dir_all(scratch.site().join("media/v")).unwrap();
    let again = scratch.publish(&uses).unwrap();
    assert_eq!((again.encoded, again.cached), (0, 9));
    assert!(scratch.site().join("media/v/car-640.avif").is_file());
    // A changed photograph is encoded again; another photograph with the same bytes is not.
    scratch.photo("car.jpg", 8, SMALL);
    std::fs::copy(
        scratch.site().join("media/car.jpg"),
        scratch.site().join("media/same.jpg"),
    )
    .unwrap();
    let changed = scratch
        .publish(&[
            photo_use("/media/car.jpg", SMALL),
            photo_use("/media/same.jpg", SMALL),
        ])
        .unwrap();
    assert_eq!((changed.encoded, changed.cached), (9, 9));
}

#[test]
fn cache_keys_change_with_the_bytes_size_format_and_settings() {
    let settings = Settings::default();
    let key = cache_key(b"photo", SMALL, Format::Avif, &settings);
    assert!(key.ends_with(".avif") && key.len() == 64 + 5, "{key}");
    assert_eq!(key, cache_key(b"photo", SMALL, Format::Avif, &settings));
    let others = [
        cache_key(b"photo!", SMALL, Format::Avif, &settings),
        cache_key(b"photo", SMALL.scaled_to(320), Format::Avif, &settings),
        cache_key(b"photo", SMALL, Format::Webp, &settings),
        cache_key(
            b"photo",
            SMALL,
            Format::Avif,
            &Settings {
                avif_quality: 60,
                ..Settings::default()
            },
        ),
    ];
    for other in others {
        assert_ne!(
            key.trim_end_matches(".avif"),
            other.rsplit_once('.').unwrap().0
        );
    }
}

#[test]
fn a_missing_or_unreadable_image_fails_naming_the_file() {
    let scratch = Scratch::new();
    let error = scratch
        .publish(&[photo_use("/media/gone.jpg", SMALL)])
        .unwrap_err();
    assert!(
        error
            .0
            .starts_with("api/articles/a.json: the lead image (/media/gone.jpg) cannot be read"),
        "{error}"
    );
    std::fs::write(scratch.site().join("media/broken.jpg"), b"not a picture").unwrap();
    let error = scratch
        .publish(&[photo_use("/media/broken.jpg", SMALL)])
        .unwrap_err();
    assert!(
        error.0.starts_with(
            "api/articles/a.json: the lead image (/media/broken.jpg) is not a picture"
        ),
        "{error}"
    );
    let error = scratch
        .publish(&[photo_use("/media/logo.svg", SMALL)])
        .unwrap_err();
    assert!(error.0.contains("(/media/logo.svg) is missing"), "{error}");
}

#[test]
fn an_image_without_alt_fails_and_an_empty_alt_is_decoration() {
    let scratch = Scratch::new();
    scratch.photo("car.jpg", 1, SMALL);
    let mut image = photo_use("/media/car.jpg", SMALL);
    image.alt = None;
    image.place = "body block 4".into();
    let error = scratch.publish(std::slice::from_ref(&image)).unwrap_err();
    assert_eq!(
        error.0,
        "api/articles/a.json: body block 4 (/media/car.jpg) has no `alt`: describe the picture \
         (an empty `alt` marks it decorative)"
    );
    image.alt = Some(String::new());
    assert!(scratch.publish(&[image]).is_ok());
}

#[test]
fn declared_sizes_must_be_the_files() {
    let scratch = Scratch::new();
    scratch.photo("car.jpg", 1, SMALL);
    let mut image = photo_use("/media/car.jpg", SMALL);
    image.height = Some(401);
    let error = scratch.publish(std::slice::from_ref(&image)).unwrap_err();
    assert!(
        error
            .0
            .ends_with("is 700×400: give it \"width\": 700, \"height\": 400 so the page keeps its place while it loads"),
        "{error}"
    );
    image.height = None;
    assert!(scratch.publish(&[image]).is_err());
}

#[test]
fn another_origin_must_be_a_media_origin_and_is_used_as_given() {
    let scratch = Scratch::new();
    let allowed = photo_use("https://images.example.com/a.jpg", SMALL);
    let report = scratch.publish(std::slice::from_ref(&allowed)).unwrap();
    assert_eq!((report.sources, report.encoded), (0, 0));
    let mut elsewhere = allowed.clone();
    elsewhere.src = "https://evil.example.net/a.jpg".into();
    let error = scratch.publish(&[elsewhere]).unwrap_err();
    assert!(
        error.0.ends_with(
            "is on https://evil.example.net, which is not one of `media_origins` in site.json"
        ),
        "{error}"
    );
    let mut no_size = allowed;
    no_size.width = None;
    assert!(scratch.publish(&[no_size]).is_err());
}

#[test]
fn painting_is_deterministic() {
    let size = Size {
        width: 64,
        height: 36,
    };
    assert_eq!(paint::paint(3, size), paint::paint(3, size));
    assert_ne!(paint::paint(3, size), paint::paint(4, size));
}
