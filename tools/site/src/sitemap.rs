//! `sitemap.xml` (sitemaps.org 0.9): the front page and every article, for crawlers.

use crate::listing::Listing;
use crate::xml::escape;

/// The most URLs one sitemap file may list; more need a sitemap index.
pub const MAX_URLS: usize = 50_000;

/// The front page, dated by the latest change to any article, then every article, dated
/// by its `updated` or else `published`. Fails when the protocol's limit is passed, since
/// crawlers reject such a file whole.
pub fn sitemap(listing: &Listing) -> Result<String, String> {
    let count = listing.entries.len() + 1;
    if count > MAX_URLS {
        return Err(format!(
            "sitemap.xml would list {count} URLs, more than the {MAX_URLS} one file may hold"
        ));
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    push_url(
        &mut xml,
        &listing.front_url,
        listing.last_modified.as_deref(),
    );
    for entry in &listing.entries {
        push_url(&mut xml, &entry.url, Some(&entry.updated));
    }
    xml.push_str("</urlset>\n");
    Ok(xml)
}

fn push_url(xml: &mut String, loc: &str, lastmod: Option<&str>) {
    xml.push_str("  <url>\n    <loc>");
    xml.push_str(&escape(loc));
    xml.push_str("</loc>\n");
    if let Some(lastmod) = lastmod {
        xml.push_str("    <lastmod>");
        xml.push_str(&escape(lastmod));
        xml.push_str("</lastmod>\n");
    }
    xml.push_str("  </url>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::Entry;

    fn entry(url: &str, title: &str, published: &str, updated: &str) -> Entry {
        Entry {
            url: url.to_owned(),
            title: title.to_owned(),
            summary: String::new(),
            author: String::new(),
            published: published.to_owned(),
            updated: updated.to_owned(),
        }
    }

    #[test]
    fn lists_the_front_page_then_every_article_with_its_last_change() {
        let listing = Listing {
            front_url: "https://www.example.com/garage/".into(),
            entries: vec![
                entry(
                    "https://www.example.com/garage/articles/new",
                    "New",
                    "2024-07-24T12:00:00Z",
                    "2024-07-24T12:00:00Z",
                ),
                entry(
                    "https://www.example.com/garage/articles/old",
                    "Old",
                    "2024-02-20T12:00:00Z",
                    "2024-03-01T08:00:00+01:00",
                ),
            ],
            last_modified: Some("2024-07-24T12:00:00Z".into()),
        };
        assert_eq!(
            sitemap(&listing).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             \x20 <url>\n    <loc>https://www.example.com/garage/</loc>\n    <lastmod>2024-07-24T12:00:00Z</lastmod>\n  </url>\n\
             \x20 <url>\n    <loc>https://www.example.com/garage/articles/new</loc>\n    <lastmod>2024-07-24T12:00:00Z</lastmod>\n  </url>\n\
             \x20 <url>\n    <loc>https://www.example.com/garage/articles/old</loc>\n    <lastmod>2024-03-01T08:00:00+01:00</lastmod>\n  </url>\n\
             </urlset>\n"
        );
    }

    #[test]
    fn escapes_urls_and_dates_a_site_with_no_articles() {
        let listing = Listing {
            front_url: "https://www.example.com/a&b<c>/".into(),
            entries: Vec::new(),
            last_modified: None,
        };
        let xml = sitemap(&listing).unwrap();
        assert!(xml.contains("<loc>https://www.example.com/a&amp;b&lt;c&gt;/</loc>\n  </url>"));
        assert!(!xml.contains("<lastmod>"), "no article, no date");
    }

    #[test]
    fn refuses_more_urls_than_one_sitemap_may_hold() {
        let one = entry(
            "https://e.com/articles/a",
            "A",
            "2024-01-01T00:00:00Z",
            "2024-01-01T00:00:00Z",
        );
        let listing = Listing {
            front_url: "https://e.com/".into(),
            entries: (0..MAX_URLS).map(|_| one.clone()).collect(),
            last_modified: None,
        };
        let err = sitemap(&listing).unwrap_err();
        assert!(err.contains("50001 URLs"), "{err}");
    }
}
