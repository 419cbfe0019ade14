//! What a page says about itself in its `<head>`: title, description, canonical link, Open
//! Graph and Twitter cards, and JSON-LD structured data. Built here from the data and the
//! site settings; the build renders it into each page (`components::head`), and the app
//! applies it to the document as the reader navigates (`shell::head`), so the two never
//! disagree.

use super::article::{Article, ArticleIndex, Image};
use super::media::{self, Size};
use super::paging::ListPage;
use super::site::SiteSettings;
use serde::Serialize;

/// Which attribute names a `<meta>`: `name` (description, twitter:*) or `property` (og:*).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetaAttr {
    Name,
    Property,
}

impl MetaAttr {
    pub fn as_str(self) -> &'static str {
        match self {
            MetaAttr::Name => "name",
            MetaAttr::Property => "property",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaTag {
    pub attr: MetaAttr,
    pub key: &'static str,
    pub content: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub title: String,
    pub description: String,
    /// Absent for pages that are not one address (not found, a failure).
    pub canonical: Option<String>,
    /// Every meta tag but the description, in order.
    pub meta: Vec<MetaTag>,
    /// Serialised so that nothing in the data can end the `<script>` element.
    pub json_ld: Option<String>,
    /// The lead photograph, fetched at once: the page's largest paint.
    pub preload: Option<ImagePreload>,
}

/// `<link rel="preload" as="image">` for a page's lead photograph: the same choice of file
/// its `<picture>` makes (its best format's `srcset` and `sizes`), or the image as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImagePreload {
    /// The image as given (an image without variants).
    pub href: Option<String>,
    pub srcset: Option<String>,
    pub sizes: Option<&'static str>,
    /// The format of `srcset`: a browser that cannot show it fetches nothing.
    pub mime: Option<&'static str>,
}

impl ImagePreload {
    /// The preload of an image as a page under `base` shows it.
    pub fn of(base: &str, image: &Image) -> Option<ImagePreload> {
        let src = image.src.as_deref()?;
        let picture = media::picture(base, src, variants_of(image));
        Some(match picture.sources.into_iter().next() {
            Some((mime, srcset)) => ImagePreload {
                href: None,
                srcset: Some(srcset),
                sizes: Some(media::ARTICLE_SIZES),
                mime: Some(mime),
            },
            None => ImagePreload {
                href: Some(picture.src),
                srcset: None,
                sizes: None,
                mime: None,
            },
        })
    }
}

/// The size to list a photograph's variants from: its declared size, when the build made
/// its variants (`None`: the image is shown as given).
pub fn variants_of(image: &Image) -> Option<Size> {
    image.variants.then(|| image_size(image)).flatten()
}

/// An image's declared size, when it has both dimensions.
pub fn image_size(image: &Image) -> Option<Size> {
    Some(Size {
        width: image.width?,
        height: image.height?,
    })
}

fn name(key: &'static str, content: impl Into<String>) -> MetaTag {
    MetaTag {
        attr: MetaAttr::Name,
        key,
        content: content.into(),
    }
}

fn property(key: &'static str, content: impl Into<String>) -> MetaTag {
    MetaTag {
        attr: MetaAttr::Property,
        key,
        content: content.into(),
    }
}

/// Open Graph's locale form of a language tag: `en-GB` → `en_GB`.
fn og_locale(language: &str) -> String {
    language.replace('-', "_")
}

impl Head {
    /// An article page: canonical link, Open Graph `article`, a Twitter card and JSON-LD
    /// `NewsArticle`.
    pub fn article(site: &SiteSettings, base: &str, article: &Article) -> Head {
        let url = site.url(base, &format!("/articles/{}", article.slug));
        // Social cards and structured data name the photograph's 1200 px JPEG.
        let image = article.lead_image.as_ref().and_then(|image| {
            let (src, size) = media::share_image(
                base,
                image.src.as_deref()?,
                image_size(image),
                image.variants,
            );
            let url = if src.starts_with('/') && !src.starts_with("//") {
                format!("{}{src}", site.origin)
            } else {
                site.resolve(base, &src)
            };
            Some((image, url, size))
        });
        let modified = article.updated.as_ref().unwrap_or(&article.published);
        let mut meta = vec![
            property("og:type", "article"),
            property("og:title", &article.title),
            property("og:description", &article.standfirst),
            property("og:url", &url),
            property("og:site_name", &site.name),
            property("og:locale", og_locale(&site.language)),
        ];
        if let Some((image, src, size)) = &image {
            meta.push(property("og:image", src));
            if !image.alt.is_empty() {
                meta.push(property("og:image:alt", &image.alt));
            }
            if let Some(size) = size {
                meta.push(property("og:image:width", size.width.to_string()));
                meta.push(property("og:image:height", size.height.to_string()));
            }
        }
        meta.extend([
            property("article:published_time", &article.published.raw),
            property("article:modified_time", &modified.raw),
            property("article:author", &article.author.name),
        ]);
        if !article.section.is_empty() {
            meta.push(property("article:section", &article.section));
        }
        let card = if image.is_some() {
            "summary_large_image"
        } else {
            "summary"
        };
        meta.extend([
            name("twitter:card", card),
            name("twitter:title", &article.title),
            name("twitter:description", &article.standfirst),
        ]);
        if let Some((image, src, _)) = &image {
            meta.push(name("twitter:image", src));
            if !image.alt.is_empty() {
                meta.push(name("twitter:image:alt", &image.alt));
            }
        }
        let json_ld = script_json(&NewsArticle {
            context: SCHEMA_ORG,
            kind: "NewsArticle",
            headline: &article.title,
            description: &article.standfirst,
            date_published: &article.published.raw,
            date_modified: &modified.raw,
            author: Person {
                kind: "Person",
                name: &article.author.name,
            },
            publisher: Organization::of(site, base),
            image: image.as_ref().map(|(_, src, size)| {
                [ImageObject {
                    kind: "ImageObject",
                    url: src.clone(),
                    width: size.map(|s| s.width),
                    height: size.map(|s| s.height),
                }]
            }),
            main_entity_of_page: WebPage {
                kind: "WebPage",
                id: &url,
            },
            article_section: Some(article.section.as_str()).filter(|s| !s.is_empty()),
            in_language: &site.language,
        });
        Head {
            title: format!("{} | {}", article.title, site.name),
            description: article.standfirst.clone(),
            canonical: Some(url),
            meta,
            json_ld: Some(json_ld),
            preload: article
                .lead_image
                .as_ref()
                .and_then(|image| ImagePreload::of(base, image)),
        }
    }

    /// The front page: canonical link, Open Graph `website`, a Twitter card and JSON-LD
    /// `WebSite`.
    pub fn front(site: &SiteSettings, base: &str) -> Head {
        let url = site.url(base, "/");
        let title = if site.tagline.is_empty() {
            site.name.clone()
        } else {
            format!("{} — {}", site.name, site.tagline)
        };
        let meta = vec![
            property("og:type", "website"),
            property("og:title", &title),
            property("og:description", &site.description),
            property("og:url", &url),
            property("og:site_name", &site.name),
            property("og:locale", og_locale(&site.language)),
            name("twitter:card", "summary"),
            name("twitter:title", &title),
            name("twitter:description", &site.description),
        ];
        let json_ld = script_json(&WebSite {
            context: SCHEMA_ORG,
            kind: "WebSite",
            name: &site.name,
            url: &url,
            description: &site.description,
            in_language: &site.language,
            publisher: Organization::of(site, base),
        });
        Head {
            title,
            description: site.description.clone(),
            canonical: Some(url),
            meta,
            json_ld: Some(json_ld),
            preload: None,
        }
    }

    /// A list's page: the front page's head for the front page; for the archive's later
    /// pages and a section's, a canonical link of their own, a title that says which page
    /// it is, and Open Graph `website`.
    pub fn list(site: &SiteSettings, base: &str, index: &ArticleIndex) -> Head {
        let list = ListPage::of(index);
        if list == ListPage::front() {
            return Head::front(site, base);
        }
        let heading = list_heading(site, index);
        let description = match &index.section {
            Some(section) => format!(
                "{} articles from {}, newest first.",
                section.name, site.name
            ),
            None => format!("Every article from {}, newest first.", site.name),
        };
        let url = site.url(base, &list.path(""));
        let title = format!("{heading} | {}", site.name);
        let meta = vec![
            property("og:type", "website"),
            property("og:title", &title),
            property("og:description", &description),
            property("og:url", &url),
            property("og:site_name", &site.name),
            property("og:locale", og_locale(&site.language)),
            name("twitter:card", "summary"),
            name("twitter:title", &title),
            name("twitter:description", &description),
        ];
        Head {
            title,
            description,
            canonical: Some(url),
            meta,
            json_ld: None,
            preload: None,
        }
    }

    /// A page that is not one of the site's addresses, such as "Page not found": kept out
    /// of search results.
    pub fn unlisted(site: &SiteSettings, heading: &str, description: &str) -> Head {
        Head {
            title: format!("{heading} | {}", site.name),
            description: description.to_owned(),
            canonical: None,
            meta: vec![name("robots", "noindex")],
            json_ld: None,
            preload: None,
        }
    }
}

/// A list's page's one heading: "Latest from {site}" or the section's name, then which page
/// it is after the first.
pub fn list_heading(site: &SiteSettings, index: &ArticleIndex) -> String {
    let name = match &index.section {
        Some(section) => section.name.clone(),
        None => format!("Latest from {}", site.name),
    };
    match index.page {
        1 => name,
        page => format!("{name}: page {page} of {}", index.pages),
    }
}

const SCHEMA_ORG: &str = "https://schema.org";

/// schema.org's `NewsArticle`, as an article page describes itself.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: &'a str,
    date_published: &'a str,
    date_modified: &'a str,
    author: Person<'a>,
    publisher: Organization,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<[ImageObject; 1]>,
    main_entity_of_page: WebPage<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    article_section: Option<&'a str>,
    in_language: &'a str,
}

/// schema.org's `WebSite`, as the front page describes the site.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WebSite<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: &'a str,
    description: &'a str,
    in_language: &'a str,
    publisher: Organization,
}

#[derive(Serialize)]
struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct WebPage<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: &'a str,
}

/// The publisher, as structured data has it.
#[derive(Serialize)]
struct Organization {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    logo: ImageObject,
}

#[derive(Serialize)]
struct ImageObject {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    height: Option<u32>,
}

impl Organization {
    fn of(site: &SiteSettings, base: &str) -> Organization {
        let logo = &site.publisher.logo;
        Organization {
            kind: "Organization",
            name: site.publisher.name.clone(),
            logo: ImageObject {
                kind: "ImageObject",
                url: logo_url(site, base),
                width: Some(logo.width),
                height: Some(logo.height),
            },
        }
    }
}

/// The logo is one of the site's own files (`site.json` names it by its path on the site,
/// `/media/logo.png`), deployed under the base path like every other: under `/garage/` it is
/// at `/garage/media/logo.png`. A URL stays as it is.
fn logo_url(site: &SiteSettings, base: &str) -> String {
    let src = &site.publisher.logo.src;
    if src.starts_with('/') && !src.starts_with("//") {
        site.url(base, src)
    } else {
        site.resolve(base, src)
    }
}

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` are written as JSON
/// escapes, so no text in the data can close the element or start a comment in it, and
/// the text needs no HTML escaping either. (They can only occur inside strings, where the
/// escapes mean the same characters.)
pub fn script_json(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    let mut out = String::with_capacity(json.len());
    for ch in json.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::article::decode_article;

    const SEED: &str =
        include_str!("../../public/api/articles/putin-presents-new-luxury-car-to-kim-jong-un.json");

    fn meta<'a>(head: &'a Head, key: &str) -> Option<&'a str> {
        head.meta
            .iter()
            .find(|m| m.key == key)
            .map(|m| m.content.as_str())
    }

    #[test]
    fn an_article_has_its_cards_and_structured_data() {
        let site = SiteSettings::bundled();
        let mut article = decode_article(SEED.as_bytes()).unwrap().value;
        // As the CMS wrote it, before the build made its photograph's variants: as given.
        let head = Head::article(&site, "/garage", &article);
        assert_eq!(
            meta(&head, "og:image"),
            Some("https://www.example.com/garage/media/aurus-senat.jpg")
        );
        assert_eq!(meta(&head, "og:image:width"), Some("2400"));
        assert_eq!(
            head.preload.unwrap().href.as_deref(),
            Some("/garage/media/aurus-senat.jpg")
        );
        // As the build published it.
        article.lead_image.as_mut().unwrap().variants = true;
        let head = Head::article(&site, "/garage", &article);
        let url =
            "https://www.example.com/garage/articles/putin-presents-new-luxury-car-to-kim-jong-un";
        assert_eq!(head.canonical.as_deref(), Some(url));
        assert_eq!(
            head.title,
            "Putin presents a new luxury car to Kim Jong-un | My Garage"
        );
        assert_eq!(meta(&head, "og:type"), Some("article"));
        assert_eq!(meta(&head, "og:url"), Some(url));
        assert_eq!(
            meta(&head, "article:published_time"),
            Some("2024-02-20T12:00:00Z")
        );
        assert_eq!(
            meta(&head, "article:modified_time"),
            Some("2024-02-20T12:00:00Z"),
            "no update: as published"
        );
        assert_eq!(meta(&head, "article:author"), Some("Mathilda Bartholomew"));
        assert_eq!(meta(&head, "article:section"), Some("New hero"));
        // The seed's lead photograph: its 1200 px JPEG in a large card.
        assert_eq!(
            meta(&head, "og:image"),
            Some("https://www.example.com/garage/media/v/aurus-senat-1200.jpg")
        );
        assert_eq!(meta(&head, "twitter:card"), Some("summary_large_image"));
        let json: serde_json::Value =
            serde_json::from_str(head.json_ld.as_deref().unwrap()).unwrap();
        assert_eq!(json["@type"], "NewsArticle");
        assert_eq!(json["headline"], article.title);
        assert_eq!(json["author"]["@type"], "Person");
        assert_eq!(json["publisher"]["@type"], "Organization");
        assert_eq!(
            json["publisher"]["logo"]["url"], "https://www.example.com/garage/media/logo.png",
            "the logo is the site's own file, under the base path like the page"
        );
        assert_eq!(json["mainEntityOfPage"]["@id"], url);
        assert_eq!(json["dateModified"], "2024-02-20T12:00:00Z");
        assert_eq!(json["image"][0]["width"], 1200);
        // A lead image that is a caption alone: no image to show in a card.
        let mut captioned = article.clone();
        captioned.lead_image.as_mut().unwrap().src = None;
        let head = Head::article(&site, "/garage", &captioned);
        assert_eq!(meta(&head, "og:image"), None);
        assert_eq!(meta(&head, "twitter:card"), Some("summary"));
        assert_eq!(head.preload, None);
        let json: serde_json::Value =
            serde_json::from_str(head.json_ld.as_deref().unwrap()).unwrap();
        assert!(json.get("image").is_none());
    }

    #[test]
    fn the_publishers_logo_is_where_the_deploy_put_it() {
        let mut site = SiteSettings::bundled();
        let logo = |site: &SiteSettings, base: &str| {
            let json: serde_json::Value =
                serde_json::from_str(&Head::front(site, base).json_ld.unwrap()).unwrap();
            json["publisher"]["logo"]["url"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(logo(&site, ""), "https://www.example.com/media/logo.png");
        assert_eq!(
            logo(&site, "/garage"),
            "https://www.example.com/garage/media/logo.png"
        );
        site.publisher.logo.src = "https://cdn.example.net/logo.png".into();
        assert_eq!(logo(&site, "/garage"), "https://cdn.example.net/logo.png");
        site.publisher.logo.src = "//cdn.example.net/logo.png".into();
        assert_eq!(logo(&site, "/garage"), "https://cdn.example.net/logo.png");
    }

    #[test]
    fn a_lead_image_makes_a_large_card() {
        let site = SiteSettings::bundled();
        let mut article = decode_article(SEED.as_bytes()).unwrap().value;
        let image = article.lead_image.as_mut().unwrap();
        image.src = Some("/media/aurus.jpg".into());
        image.alt = "An Aurus Senat".into();
        image.variants = true;
        let head = Head::article(&site, "", &article);
        assert_eq!(meta(&head, "twitter:card"), Some("summary_large_image"));
        // The 1200 px JPEG, as an absolute URL, with its size.
        let jpeg = "https://www.example.com/media/v/aurus-1200.jpg";
        assert_eq!(meta(&head, "og:image"), Some(jpeg));
        assert_eq!(meta(&head, "og:image:width"), Some("1200"));
        assert_eq!(meta(&head, "og:image:height"), Some("675"));
        assert_eq!(meta(&head, "twitter:image"), Some(jpeg));
        assert_eq!(meta(&head, "twitter:image:alt"), Some("An Aurus Senat"));
        let json: serde_json::Value =
            serde_json::from_str(head.json_ld.as_deref().unwrap()).unwrap();
        assert_eq!(json["image"][0]["url"], jpeg);
        assert_eq!(
            (
                json["image"][0]["width"].as_u64(),
                json["image"][0]["height"].as_u64()
            ),
            (Some(1200), Some(675))
        );
        // Under a sub-path, and fetched at once in the picture's best format.
        let under = Head::article(&site, "/garage", &article);
        assert_eq!(
            meta(&under, "og:image"),
            Some("https://www.example.com/garage/media/v/aurus-1200.jpg")
        );
        let preload = under.preload.unwrap();
        assert_eq!(preload.mime, Some("image/avif"));
        assert!(preload
            .srcset
            .unwrap()
            .starts_with("/garage/media/v/aurus-320.avif 320w, "));
        // An image on another origin: as given, with its declared size.
        let image = article.lead_image.as_mut().unwrap();
        image.src = Some("https://images.example.com/a.jpg".into());
        let remote = Head::article(&site, "", &article);
        assert_eq!(
            meta(&remote, "og:image"),
            Some("https://images.example.com/a.jpg")
        );
        assert_eq!(meta(&remote, "og:image:width"), Some("2400"));
        assert_eq!(
            remote.preload.unwrap().href.as_deref(),
            Some("https://images.example.com/a.jpg")
        );
    }

    #[test]
    fn no_text_in_the_data_can_end_the_script_element() {
        let site = SiteSettings::bundled();
        let mut article = decode_article(SEED.as_bytes()).unwrap().value;
        article.title = "</script><script>alert(1)</script> <!-- & -->".into();
        let json_ld = Head::article(&site, "", &article).json_ld.unwrap();
        assert!(!json_ld.contains('<') && !json_ld.contains('>') && !json_ld.contains('&'));
        let json: serde_json::Value = serde_json::from_str(&json_ld).unwrap();
        assert_eq!(json["headline"], article.title, "the same text once parsed");
    }

    #[test]
    fn the_front_page_is_a_website_and_not_found_is_unlisted() {
        let site = SiteSettings::bundled();
        let front = Head::front(&site, "");
        assert_eq!(front.canonical.as_deref(), Some("https://www.example.com/"));
        assert_eq!(meta(&front, "og:type"), Some("website"));
        assert_eq!(front.title, "My Garage — motoring news");
        let json: serde_json::Value =
            serde_json::from_str(front.json_ld.as_deref().unwrap()).unwrap();
        assert_eq!(json["@type"], "WebSite");
        let missing = Head::unlisted(&site, "Page not found", "Nothing here.");
        assert_eq!(missing.canonical, None);
        assert_eq!(meta(&missing, "robots"), Some("noindex"));
        assert_eq!(missing.title, "Page not found | My Garage");
    }
}
