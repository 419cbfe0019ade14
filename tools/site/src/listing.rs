//! What the sitemap and the feed list: every article that has a page, newest first, with
//! its canonical URL and the dates a crawler or a feed reader is told.

use my_garage::core::article::Article;
use my_garage::core::paging::{section_slug, ListPage};
use my_garage::core::route::{article_path, front_path};
use my_garage::core::site::SiteSettings;
use my_garage::core::time::Timestamp;
use std::collections::BTreeMap;

pub struct Listing {
    /// The front page's absolute URL.
    pub front_url: String,
    /// Newest published first.
    pub entries: Vec<Entry>,
    /// Each section's first page (`/section/{slug}`), by slug.
    pub sections: Vec<Section>,
    /// When anything listed last changed (the latest `updated` of the entries); `None`
    /// for a site with no articles yet.
    pub last_modified: Option<String>,
}

/// A section's page as the sitemap lists it.
#[derive(Clone)]
pub struct Section {
    pub url: String,
    /// When an article in it last changed.
    pub last_modified: String,
}

#[derive(Clone)]
pub struct Entry {
    /// The article's canonical URL.
    pub url: String,
    pub title: String,
    /// The standfirst.
    pub summary: String,
    /// Empty when the article names no author.
    pub author: String,
    /// RFC 3339 text, as both the sitemap (W3C Datetime) and Atom take it.
    pub published: String,
    /// The article's `updated`, or else `published`.
    pub updated: String,
    /// Its section's name; empty for none.
    pub section: String,
}

impl Listing {
    pub fn new<'a>(
        settings: &SiteSettings,
        base: &str,
        articles: impl IntoIterator<Item = &'a Article>,
    ) -> Listing {
        let mut articles: Vec<&Article> = articles.into_iter().collect();
        // Newest first; the slug breaks ties so the files never change order between builds.
        articles
            .sort_by(|a, b| (b.published.epoch_ms, &a.slug).cmp(&(a.published.epoch_ms, &b.slug)));
        // An older article corrected today changes the site today.
        let last_modified = articles
            .iter()
            .map(|a| modified(a))
            .max_by_key(|t| t.epoch_ms)
            .map(datetime);
        let mut sections: BTreeMap<String, &Timestamp> = BTreeMap::new();
        for article in &articles {
            if let Some(slug) = section_slug(&article.section) {
                let latest = sections.entry(slug).or_insert(modified(article));
                if modified(article).epoch_ms > latest.epoch_ms {
                    *latest = modified(article);
                }
            }
        }
        let sections = sections
            .into_iter()
            .map(|(slug, latest)| Section {
                url: settings.url(
                    base,
                    &ListPage {
                        section: Some(slug),
                        page: 1,
                    }
                    .path(""),
                ),
                last_modified: datetime(latest),
            })
            .collect();
        let entries = articles
            .into_iter()
            .map(|article| Entry {
                url: settings.url(base, &article_path("", &article.slug)),
                title: article.title.clone(),
                summary: article.standfirst.clone(),
                author: article.author.name.trim().to_owned(),
                published: datetime(&article.published),
                updated: datetime(modified(article)),
                section: article.section.clone(),
            })
            .collect();
        Listing {
            front_url: settings.url(base, &front_path("")),
            entries,
            sections,
            last_modified,
        }
    }
}

/// When the article last changed: its `updated`, or else when it was published.
fn modified(article: &Article) -> &Timestamp {
    article.updated.as_ref().unwrap_or(&article.published)
}

/// The publisher's RFC 3339 text in the form W3C Datetime and Atom require: the app also
/// reads a lower-case `t` or `z`, or a space for the `T`, which those formats do not allow.
fn datetime(timestamp: &Timestamp) -> String {
    let mut text = timestamp.raw.to_ascii_uppercase();
    if text.get(10..11) == Some(" ") {
        text.replace_range(10..11, "T");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use my_garage::core::article::decode_article;

    const SEED: &str = include_str!(
        "../../../public/api/articles/putin-presents-new-luxury-car-to-kim-jong-un.json"
    );

    fn article(slug: &str, published: &str, updated: Option<&str>) -> Article {
        let mut article = decode_article(SEED.as_bytes()).unwrap().value;
        article.slug = slug.to_owned();
        article.published = Timestamp::parse(published).unwrap();
        article.updated = updated.map(|u| Timestamp::parse(u).unwrap());
        article
    }

    #[test]
    fn lists_newest_first_with_absolute_urls_under_the_base() {
        let settings = SiteSettings::bundled();
        let old = article(
            "old",
            "2024-01-01T10:00:00Z",
            Some("2024-08-01T09:30:00+01:00"),
        );
        let new = article("new", "2024-07-01T10:00:00Z", None);
        let listing = Listing::new(&settings, "/garage", [&old, &new]);
        let urls: Vec<&str> = listing.entries.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://www.example.com/garage/articles/new",
                "https://www.example.com/garage/articles/old"
            ]
        );
        assert_eq!(listing.front_url, "https://www.example.com/garage/");
        assert_eq!(
            listing.entries[0].updated, "2024-07-01T10:00:00Z",
            "never updated"
        );
        assert_eq!(listing.entries[1].published, "2024-01-01T10:00:00Z");
        assert_eq!(listing.entries[1].updated, "2024-08-01T09:30:00+01:00");
        assert_eq!(
            listing.last_modified.as_deref(),
            Some("2024-08-01T09:30:00+01:00"),
            "the old article's correction is the latest change"
        );
        assert_eq!(listing.entries[0].author, "Mathilda Bartholomew");
        assert!(listing.entries[0].summary.starts_with("The gift is viewed"));
        let sections: Vec<(&str, &str)> = listing
            .sections
            .iter()
            .map(|s| (s.url.as_str(), s.last_modified.as_str()))
            .collect();
        assert_eq!(
            sections,
            [(
                "https://www.example.com/garage/section/new-hero",
                "2024-08-01T09:30:00+01:00"
            )],
            "the seed article's section, changed last by the old one's correction"
        );
    }

    #[test]
    fn writes_dates_as_w3c_datetime_and_atom_require() {
        let settings = SiteSettings::bundled();
        let a = article("a", "2024-07-01 10:00:00z", Some("2024-07-02t10:00:00.5z"));
        let listing = Listing::new(&settings, "", [&a]);
        assert_eq!(listing.entries[0].published, "2024-07-01T10:00:00Z");
        assert_eq!(listing.entries[0].updated, "2024-07-02T10:00:00.5Z");
        assert!(Listing::new(&settings, "", []).last_modified.is_none());
    }
}
