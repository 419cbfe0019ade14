//! The variant planner: which widths and formats of a photograph the build writes, under
//! which names, and how the page lists them. Plain Rust, used by the build (`tools/media`
//! encodes what it plans) and by the app (which lists the same files from the image's
//! declared `width` and `height`), so the two can never disagree, and the article data
//! needs no list of files.
//!
//! A photograph on the site is a file under `/media/` (`/media/aurus.jpg`); its variants
//! are `/media/v/aurus-640.avif`, `…-640.webp` and `…-640.jpg` for each width, and
//! `/media/v/aurus-1200.jpg` for social cards and structured data. An image anywhere else
//! (another origin named in `media_origins`) is used as given.

/// The widths of the variants, in pixels: none wider than the source.
pub const WIDTHS: [u32; 5] = [320, 640, 960, 1280, 1920];

/// The width of the JPEG that social cards and structured data name (or the source's, when
/// it is narrower).
pub const SHARE_WIDTH: u32 = 1200;

/// Where the variants are, under the site's media folder.
pub const VARIANT_DIR: &str = "/media/v/";

const MEDIA_DIR: &str = "/media/";

/// How wide a photograph shows in the article column (`--measure` in `style/main.css`:
/// 40rem, less the page's padding on a narrow screen).
pub const ARTICLE_SIZES: &str = "(min-width: 42rem) 40rem, calc(100vw - 2rem)";

/// How wide a front-page thumbnail shows (`.article-thumb` in `style/main.css`).
pub const THUMB_SIZES: &str = "6rem";

/// The formats the build writes, best first: the order of a `<picture>`'s sources.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Avif,
    Webp,
    Jpeg,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Avif, Format::Webp, Format::Jpeg];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Avif => "avif",
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Avif => "image/avif",
            Format::Webp => "image/webp",
            Format::Jpeg => "image/jpeg",
        }
    }
}

/// A picture's size in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

impl Size {
    /// This picture scaled to `width` (never wider than it is), its height rounded to the
    /// nearest pixel and at least one.
    pub fn scaled_to(self, width: u32) -> Size {
        let width = width.min(self.width).max(1);
        let height = (u64::from(self.height) * u64::from(width) + u64::from(self.width) / 2)
            / u64::from(self.width).max(1);
        Size {
            width,
            height: (height as u32).max(1),
        }
    }
}

/// The widths of a source `width` pixels wide: each of [`WIDTHS`] it is at least as wide
/// as, and its own width when it is narrower than the widest of them (so the sharpest
/// variant is the source's full size, never an upscale).
pub fn widths(width: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w <= width).collect();
    if width > 0 && width < WIDTHS[WIDTHS.len() - 1] && !widths.contains(&width) {
        widths.push(width);
    }
    widths
}

/// The size of the social-card JPEG of a source of `source` size.
pub fn share_size(source: Size) -> Size {
    source.scaled_to(SHARE_WIDTH)
}

/// The name a photograph's variants are made from: `aurus` for `/media/aurus.jpg`,
/// `cars/xc60` for `/media/cars/xc60.png`. `None` for an image the site does not make
/// variants of (on another origin, or not a JPEG or PNG under `/media/`), used as given.
pub fn variant_stem(src: &str) -> Option<&str> {
    let rest = src.strip_prefix(MEDIA_DIR)?;
    let (stem, extension) = rest.rsplit_once('.')?;
    let known = ["jpg", "jpeg", "png"]
        .iter()
        .any(|e| extension.eq_ignore_ascii_case(e));
    let plain = stem
        .split('/')
        .all(|part| !part.is_empty() && part != "." && part != "..")
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/'));
    (known && plain && !stem.starts_with("v/")).then_some(stem)
}

/// The site path of one variant: `/media/v/{stem}-{width}.{extension}`.
pub fn variant_path(stem: &str, width: u32, format: Format) -> String {
    format!("{VARIANT_DIR}{stem}-{width}.{}", format.extension())
}

/// Every file the build writes for a source of `source` size: each width in each format,
/// and the social-card JPEG (which may be one of them).
pub fn plan(stem: &str, source: Size) -> Vec<Variant> {
    let mut variants = Vec::new();
    for width in widths(source.width) {
        for format in Format::ALL {
            variants.push(Variant {
                path: variant_path(stem, width, format),
                size: source.scaled_to(width),
                format,
            });
        }
    }
    let share = share_size(source);
    let path = variant_path(stem, share.width, Format::Jpeg);
    if !variants.iter().any(|v| v.path == path) {
        variants.push(Variant {
            path,
            size: share,
            format: Format::Jpeg,
        });
    }
    variants
}

/// One file the build writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// Its path on the site, under [`VARIANT_DIR`].
    pub path: String,
    pub size: Size,
    pub format: Format,
}

/// A `srcset` of one format: `{base}/media/v/aurus-320.avif 320w, …`.
pub fn srcset(base: &str, stem: &str, source: Size, format: Format) -> String {
    let mut set = String::new();
    for width in widths(source.width) {
        if !set.is_empty() {
            set.push_str(", ");
        }
        set.push_str(&format!(
            "{base}{} {width}w",
            variant_path(stem, width, format)
        ));
    }
    set
}

/// What a page shows of a photograph: the sources of a `<picture>` and its `<img>`, or the
/// image as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picture {
    /// `(type, srcset)` of each `<source>`, best format first; empty for an image used as
    /// given.
    pub sources: Vec<(&'static str, String)>,
    /// The `<img>`'s `src`: the JPEG at [`WIDTHS`]' second width (or the widest there is).
    pub src: String,
    /// The `<img>`'s JPEG `srcset`, if there are variants.
    pub srcset: Option<String>,
}

/// The picture of an image at `src`, `source` size, on a site under `base` ("" or "/sub").
/// A photograph under `/media/` with its size declared has variants; anything else is used
/// as given (a path on the site under `base`).
pub fn picture(base: &str, src: &str, source: Option<Size>) -> Picture {
    let (Some(stem), Some(source)) = (variant_stem(src), source) else {
        return Picture {
            sources: Vec::new(),
            src: site_url(base, src),
            srcset: None,
        };
    };
    let widths = widths(source.width);
    let fallback = widths.get(1).or(widths.last()).copied().unwrap_or(1);
    Picture {
        sources: [Format::Avif, Format::Webp]
            .into_iter()
            .map(|format| (format.mime(), srcset(base, stem, source, format)))
            .collect(),
        src: format!("{base}{}", variant_path(stem, fallback, Format::Jpeg)),
        srcset: Some(srcset(base, stem, source, Format::Jpeg)),
    }
}

/// The social-card JPEG of an image: its path on the site and size, or the image as given
/// (with its declared size, if any) when it has no `variants`.
pub fn share_image(
    base: &str,
    src: &str,
    source: Option<Size>,
    variants: bool,
) -> (String, Option<Size>) {
    match (variant_stem(src), source) {
        (Some(stem), Some(source)) if variants => {
            let share = share_size(source);
            (
                format!("{base}{}", variant_path(stem, share.width, Format::Jpeg)),
                Some(share),
            )
        }
        _ => (site_url(base, src), source),
    }
}

/// A path on the site gets the base path; a URL stays as it is.
fn site_url(base: &str, src: &str) -> String {
    if src.starts_with('/') && !src.starts_with("//") {
        format!("{base}{src}")
    } else {
        src.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIDE: Size = Size {
        width: 2400,
        height: 1350,
    };

    #[test]
    fn every_width_up_to_the_source_and_never_an_upscale() {
        assert_eq!(widths(2400), vec![320, 640, 960, 1280, 1920]);
        assert_eq!(widths(1920), vec![320, 640, 960, 1280, 1920]);
        assert_eq!(widths(1000), vec![320, 640, 960, 1000]);
        assert_eq!(widths(960), vec![320, 640, 960]);
        assert_eq!(widths(200), vec![200]);
        assert_eq!(widths(0), Vec::<u32>::new());
        for width in [1, 319, 320, 321, 999, 1919, 1920, 4000] {
            assert!(widths(width).iter().all(|w| *w <= width), "{width}");
            assert!(!widths(width).is_empty());
        }
    }

    #[test]
    fn heights_keep_the_shape() {
        assert_eq!(
            WIDE.scaled_to(640),
            Size {
                width: 640,
                height: 360
            }
        );
        assert_eq!(WIDE.scaled_to(5000), WIDE);
        let tall = Size {
            width: 3,
            height: 1000,
        };
        assert_eq!(tall.scaled_to(1).height, 333);
        let flat = Size {
            width: 1000,
            height: 1,
        };
        assert_eq!(flat.scaled_to(320).height, 1);
    }

    #[test]
    fn the_plan_is_each_width_in_each_format_and_the_share_jpeg() {
        let plan = plan("aurus", WIDE);
        assert_eq!(plan.len(), 5 * 3 + 1);
        assert_eq!(plan[0].path, "/media/v/aurus-320.avif");
        assert_eq!(plan[1].path, "/media/v/aurus-320.webp");
        assert_eq!(plan[2].path, "/media/v/aurus-320.jpg");
        let share = plan.last().unwrap();
        assert_eq!(share.path, "/media/v/aurus-1200.jpg");
        assert_eq!(
            share.size,
            Size {
                width: 1200,
                height: 675
            }
        );
        // A source narrower than the share width: its own width, already in the plan.
        let small = super::plan(
            "small",
            Size {
                width: 800,
                height: 600,
            },
        );
        assert_eq!(small.len(), 3 * 3);
        assert_eq!(
            share_image(
                "",
                "/media/small.jpg",
                Some(Size {
                    width: 800,
                    height: 600
                }),
                true
            ),
            (
                "/media/v/small-800.jpg".into(),
                Some(Size {
                    width: 800,
                    height: 600
                })
            )
        );
    }

    #[test]
    fn without_variants_the_share_image_is_the_photograph_as_given() {
        let size = Some(Size {
            width: 800,
            height: 600,
        });
        assert_eq!(
            share_image("/garage", "/media/new.jpg", size, false),
            ("/garage/media/new.jpg".into(), size)
        );
    }

    #[test]
    fn only_photographs_under_media_have_variants() {
        assert_eq!(variant_stem("/media/aurus.jpg"), Some("aurus"));
        assert_eq!(variant_stem("/media/cars/xc60.PNG"), Some("cars/xc60"));
        for given in [
            "https://images.example.com/media/a.jpg",
            "/media/logo.svg",
            "/media/v/aurus-320.jpg",
            "/media/../secret.jpg",
            "/media/a b.jpg",
            "/elsewhere/a.jpg",
            "/media/.jpg",
        ] {
            assert_eq!(variant_stem(given), None, "{given}");
        }
    }

    #[test]
    fn a_picture_lists_each_format_under_the_base_path() {
        let picture = picture("/garage", "/media/aurus.jpg", Some(WIDE));
        assert_eq!(picture.sources[0].0, "image/avif");
        assert_eq!(
            picture.sources[0].1,
            "/garage/media/v/aurus-320.avif 320w, /garage/media/v/aurus-640.avif 640w, \
             /garage/media/v/aurus-960.avif 960w, /garage/media/v/aurus-1280.avif 1280w, \
             /garage/media/v/aurus-1920.avif 1920w"
        );
        assert_eq!(picture.sources[1].0, "image/webp");
        assert_eq!(picture.src, "/garage/media/v/aurus-640.jpg");
        // Without a declared size, or on another origin: as given.
        let given = super::picture("/garage", "/media/aurus.jpg", None);
        assert_eq!(
            (given.src.as_str(), given.sources.len()),
            ("/garage/media/aurus.jpg", 0)
        );
        let remote = super::picture("", "https://images.example.com/a.jpg", Some(WIDE));
        assert_eq!(remote.src, "https://images.example.com/a.jpg");
        assert_eq!(remote.srcset, None);
    }
}
