//! `feed.xml`: an Atom 1.0 feed (RFC 4287) of the newest [`FEED_ENTRIES`] articles, which
//! every page links to (`<link rel="alternate" type="application/atom+xml">`).

use crate::listing::Listing;
use crate::xml::escape;
use my_garage::core::site::SiteSettings;

/// Articles in the feed: a feed reader wants what is new, and the file stays small
/// however large the archive.
pub const FEED_ENTRIES: usize = 50;

/// The feed, at `feed_url`: the site's name and description, the publisher as its author,
/// and one entry per article with its canonical URL as id and link.
///
/// A feed's `updated` is required: a site with no articles yet gives `now`, RFC 3339 text.
pub fn atom_feed(settings: &SiteSettings, listing: &Listing, feed_url: &str, now: &str) -> String {
    let mut xml = String::new();
    let mut line = |indent: usize, text: &str| {
        xml.push_str(&"  ".repeat(indent));
        xml.push_str(text);
        xml.push('\n');
    };
    line(0, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    line(
        0,
        &format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
            escape(&settings.language)
        ),
    );
    line(1, &element("id", &listing.front_url));
    line(1, &element("title", &settings.name));
    if !settings.description.is_empty() {
        line(1, &element("subtitle", &settings.description));
    }
    let updated = listing.last_modified.as_deref().unwrap_or(now);
    line(1, &element("updated", updated));
    line(1, &link("self", "application/atom+xml", feed_url));
    line(1, &link("alternate", "text/html", &listing.front_url));
    line(
        1,
        &format!(
            "<author>{}</author>",
            element("name", &settings.publisher.name)
        ),
    );
    for entry in listing.entries.iter().take(FEED_ENTRIES) {
        line(1, "<entry>");
        line(2, &element("id", &entry.url));
        line(2, &element("title", &entry.title));
        line(2, &link("alternate", "text/html", &entry.url));
        line(2, &element("published", &entry.published));
        line(2, &element("updated", &entry.updated));
        if !entry.summary.is_empty() {
            line(2, &element("summary", &entry.summary));
        }
        if !entry.section.is_empty() {
            line(
                2,
                &format!("<category term=\"{}\"/>", escape(&entry.section)),
            );
        }
        // Without a name of its own the entry has the feed's author, as Atom provides.
        if !entry.author.is_empty() {
            line(
                2,
                &format!("<author>{}</author>", element("name", &entry.author)),
            );
        }
        line(1, "</entry>");
    }
    line(0, "</feed>");
    xml
}

/// `<name>text</name>`, the text escaped (Atom text constructs are plain text by default).
fn element(name: &str, text: &str) -> String {
    format!("<{name}>{}</{name}>", escape(text))
}

fn link(rel: &str, kind: &str, href: &str) -> String {
    format!(
        "<link rel=\"{rel}\" type=\"{kind}\" href=\"{}\"/>",
        escape(href)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::Entry;

    fn entry(slug: &str, title: &str, author: &str, date: &str) -> Entry {
        Entry {
            url: format!("https://www.example.com/garage/articles/{slug}"),
            title: title.to_owned(),
            summary: format!("About {title}"),
            author: author.to_owned(),
            published: date.to_owned(),
            updated: date.to_owned(),
            section: String::new(),
        }
    }

    fn listing() -> Listing {
        Listing {
            front_url: "https://www.example.com/garage/".into(),
            entries: vec![
                entry("new", "New", "Ann", "2024-07-24T12:00:00Z"),
                entry("old", "Old", "", "2024-02-20T12:00:00Z"),
            ],
            sections: Vec::new(),
            last_modified: Some("2024-07-24T12:00:00Z".into()),
        }
    }

    const FEED_URL: &str = "https://www.example.com/garage/feed.xml";

    #[test]
    fn describes_the_site_and_lists_every_entry_in_order() {
        let xml = atom_feed(&SiteSettings::bundled(), &listing(), FEED_URL, "unused");
        let expected_head = "<?xml version=\"1.0\" encoding=\"utf-8\"?>
<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en-GB\">
  <id>https://www.example.com/garage/</id>
  <title>My Garage</title>
  <subtitle>The latest motoring news, reviews and advice from My Garage.</subtitle>
  <updated>2024-07-24T12:00:00Z</updated>
  <link rel=\"self\" type=\"application/atom+xml\" href=\"https://www.example.com/garage/feed.xml\"/>
  <link rel=\"alternate\" type=\"text/html\" href=\"https://www.example.com/garage/\"/>
  <author><name>My Garage Media</name></author>
  <entry>
    <id>https://www.example.com/garage/articles/new</id>
    <title>New</title>
    <link rel=\"alternate\" type=\"text/html\" href=\"https://www.example.com/garage/articles/new\"/>
    <published>2024-07-24T12:00:00Z</published>
    <updated>2024-07-24T12:00:00Z</updated>
    <summary>About New</summary>
    <author><name>Ann</name></author>
  </entry>
  <entry>
    <id>https://www.example.com/garage/articles/old</id>
";
        assert!(xml.starts_with(expected_head), "{xml}");
        let old_entry = &xml[expected_head.len()..];
        assert!(
            !old_entry.contains("<author>"),
            "no name: the feed's author"
        );
        assert!(xml.ends_with("  </entry>\n</feed>\n"));
    }

    #[test]
    fn escapes_hostile_text_everywhere() {
        let mut settings = SiteSettings::bundled();
        settings.name = "Cars & <Co>".into();
        settings.publisher.name = "\"Quoted\" 'Media'".into();
        let mut listing = listing();
        listing.entries[0].title = "</title><script>alert(1)</script> & \"more\"".into();
        listing.entries[0].summary = "]]> <![CDATA[ x".into();
        listing.entries[0].author = "O'Brien <ob@example.com>".into();
        let xml = atom_feed(&settings, &listing, FEED_URL, "unused");
        assert!(xml.contains("<title>Cars &amp; &lt;Co&gt;</title>"));
        assert!(xml.contains("<name>&quot;Quoted&quot; &apos;Media&apos;</name>"));
        assert!(xml.contains(
            "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;</title>"
        ));
        assert!(xml.contains("<summary>]]&gt; &lt;![CDATA[ x</summary>"));
        assert!(xml.contains("<name>O&apos;Brien &lt;ob@example.com&gt;</name>"));
        assert!(!xml.contains("<script"));
    }

    #[test]
    fn holds_the_newest_fifty_with_their_sections() {
        let mut listing = listing();
        listing.entries = (0..60)
            .map(|i| {
                let mut e = entry(&format!("a{i}"), "T", "", "2024-01-01T00:00:00Z");
                e.section = "New hero".into();
                e
            })
            .collect();
        let xml = atom_feed(&SiteSettings::bundled(), &listing, FEED_URL, "unused");
        assert_eq!(xml.matches("<entry>").count(), FEED_ENTRIES);
        assert!(xml.contains("/articles/a49</id>"));
        assert!(!xml.contains("/articles/a50</id>"));
        assert_eq!(
            xml.matches("<category term=\"New hero\"/>").count(),
            FEED_ENTRIES
        );
    }

    #[test]
    fn a_site_with_no_articles_is_updated_now() {
        let empty = Listing {
            front_url: "https://www.example.com/".into(),
            entries: Vec::new(),
            sections: Vec::new(),
            last_modified: None,
        };
        let xml = atom_feed(
            &SiteSettings::bundled(),
            &empty,
            "https://www.example.com/feed.xml",
            "2025-01-01T00:00:00.000Z",
        );
        assert!(xml.contains("<updated>2025-01-01T00:00:00.000Z</updated>"));
        assert!(!xml.contains("<entry>"));
    }
}
