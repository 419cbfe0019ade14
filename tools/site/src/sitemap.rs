//! `sitemap.xml` (sitemaps.org 0.9): the front page, each section's page and every
//! article, for crawlers. Past the protocol's limits for one file (50,000 URLs, 50 MB),
//! `sitemap.xml` is a sitemap index naming `sitemap-1.xml`, `sitemap-2.xml`, ... each
//! within them.

use crate::listing::Listing;
use crate::xml::escape;

/// The most URLs one sitemap file may list.
pub const MAX_URLS: usize = 50_000;
/// The most bytes one sitemap file may have (uncompressed).
pub const MAX_BYTES: usize = 50 * 1024 * 1024;

const URLSET_OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
     <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
const URLSET_CLOSE: &str = "</urlset>\n";

/// The sitemap files to write, each a file name and its text: `sitemap.xml` alone, or a
/// sitemap index of that name and the files it names. `url_of`: a file's absolute URL.
pub fn sitemaps(listing: &Listing, url_of: impl Fn(&str) -> String) -> Vec<(String, String)> {
    sitemaps_within(listing, url_of, MAX_URLS, MAX_BYTES)
}

/// [`sitemaps`] with the limits given (tests use small ones).
fn sitemaps_within(
    listing: &Listing,
    url_of: impl Fn(&str) -> String,
    max_urls: usize,
    max_bytes: usize,
) -> Vec<(String, String)> {
    // The front page is dated by the latest change to any article; a section's page by
    // the latest change to one of its articles; an article by its `updated` or else
    // `published`.
    let mut urls = vec![url(&listing.front_url, listing.last_modified.as_deref())];
    urls.extend(
        listing
            .sections
            .iter()
            .map(|section| url(&section.url, Some(&section.last_modified))),
    );
    urls.extend(
        listing
            .entries
            .iter()
            .map(|entry| url(&entry.url, Some(&entry.updated))),
    );
    let mut files: Vec<String> = Vec::new();
    let mut current = String::from(URLSET_OPEN);
    let mut count = 0;
    for url in urls {
        let full = count == max_urls || current.len() + url.len() + URLSET_CLOSE.len() > max_bytes;
        if full && count > 0 {
            current.push_str(URLSET_CLOSE);
            files.push(std::mem::replace(&mut current, String::from(URLSET_OPEN)));
            count = 0;
        }
        current.push_str(&url);
        count += 1;
    }
    current.push_str(URLSET_CLOSE);
    files.push(current);
    if files.len() == 1 {
        return vec![("sitemap.xml".to_owned(), files.remove(0))];
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut written = Vec::new();
    for (i, text) in files.into_iter().enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str("  <sitemap>\n    <loc>");
        index.push_str(&escape(&url_of(&name)));
        index.push_str("</loc>\n");
        if let Some(lastmod) = &listing.last_modified {
            index.push_str("    <lastmod>");
            index.push_str(&escape(lastmod));
            index.push_str("</lastmod>\n");
        }
        index.push_str("  </sitemap>\n");
        written.push((name, text));
    }
    index.push_str("</sitemapindex>\n");
    written.insert(0, ("sitemap.xml".to_owned(), index));
    written
}

fn url(loc: &str, lastmod: Option<&str>) -> String {
    let mut xml = String::new();
    push_url(&mut xml, loc, lastmod);
    xml
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
            section: String::new(),
        }
    }

    #[test]
    fn lists_the_front_page_its_sections_then_every_article_with_its_last_change() {
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
            sections: vec![crate::listing::Section {
                url: "https://www.example.com/garage/section/news".into(),
                last_modified: "2024-03-01T08:00:00+01:00".into(),
            }],
            last_modified: Some("2024-07-24T12:00:00Z".into()),
        };
        assert_eq!(
            only(sitemaps(&listing, |_| unreachable!())),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             \x20 <url>\n    <loc>https://www.example.com/garage/</loc>\n    <lastmod>2024-07-24T12:00:00Z</lastmod>\n  </url>\n\
             \x20 <url>\n    <loc>https://www.example.com/garage/section/news</loc>\n    <lastmod>2024-03-01T08:00:00+01:00</lastmod>\n  </url>\n\
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
            sections: Vec::new(),
            last_modified: None,
        };
        let xml = only(sitemaps(&listing, |_| unreachable!()));
        assert!(xml.contains("<loc>https://www.example.com/a&amp;b&lt;c&gt;/</loc>\n  </url>"));
        assert!(!xml.contains("<lastmod>"), "no article, no date");
    }

    fn only(mut files: Vec<(String, String)>) -> String {
        assert_eq!(files.len(), 1);
        let (name, text) = files.remove(0);
        assert_eq!(name, "sitemap.xml");
        text
    }

    fn archive(articles: usize) -> Listing {
        let one = |i: usize| {
            entry(
                &format!("https://e.com/articles/a{i}"),
                "A",
                "2024-01-01T00:00:00Z",
                "2024-01-01T00:00:00Z",
            )
        };
        Listing {
            front_url: "https://e.com/".into(),
            entries: (0..articles).map(one).collect(),
            sections: Vec::new(),
            last_modified: Some("2024-01-02T00:00:00Z".into()),
        }
    }

    /// Past one file's limits, `sitemap.xml` is an index of files within them, which
    /// together list every URL once.
    #[test]
    fn past_one_files_limits_writes_a_sitemap_index() {
        let url_of = |name: &str| format!("https://e.com/{name}");
        let listing = archive(9);
        assert_eq!(
            sitemaps_within(&listing, url_of, 10, MAX_BYTES).len(),
            1,
            "10 URLs fit"
        );
        let files = sitemaps_within(&archive(10), url_of, 4, MAX_BYTES);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        let index = &files[0].1;
        assert!(
            index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        assert!(index.contains(
            "<loc>https://e.com/sitemap-3.xml</loc>\n    <lastmod>2024-01-02T00:00:00Z</lastmod>"
        ));
        let counts: Vec<usize> = files[1..]
            .iter()
            .map(|(_, t)| t.matches("<url>").count())
            .collect();
        assert_eq!(counts, [4, 4, 3], "the front page and ten articles");
        assert!(files[3].1.contains("<loc>https://e.com/articles/a9</loc>"));
        // By size: each file within the byte limit.
        let one_url = url("https://e.com/articles/a0", Some("2024-01-01T00:00:00Z")).len();
        let limit = URLSET_OPEN.len() + URLSET_CLOSE.len() + 3 * one_url;
        let files = sitemaps_within(&archive(10), url_of, MAX_URLS, limit);
        assert!(files.len() > 2);
        assert!(files[1..].iter().all(|(_, t)| t.len() <= limit));
        let listed: usize = files[1..]
            .iter()
            .map(|(_, t)| t.matches("<url>").count())
            .sum();
        assert_eq!(listed, 11);
    }
}
