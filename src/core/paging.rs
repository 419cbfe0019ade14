//! The site's lists: the front page and the archive after it, and each section's, in pages
//! of [`PAGE_SIZE`] articles, so no page and no document grows with the archive. The build
//! writes each page's document (see docs/data-contract.md); the app shows one page at a time.

use super::article::ArticleIndex;

/// Articles on one page of a list.
pub const PAGE_SIZE: usize = 30;

/// One page of a list: everything (the front page, then `/page/{n}`) or one section's.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ListPage {
    /// The section's slug (see [`section_slug`]); `None` for every article.
    pub section: Option<String>,
    /// From 1.
    pub page: u32,
}

impl ListPage {
    /// The front page: the newest articles of all.
    pub fn front() -> ListPage {
        ListPage {
            section: None,
            page: 1,
        }
    }

    /// The page of its list an index document is (its `section` and `page`).
    pub fn of(index: &ArticleIndex) -> ListPage {
        ListPage {
            section: index.section.as_ref().map(|s| s.slug.clone()),
            page: index.page,
        }
    }

    /// Another page of the same list.
    pub fn with_page(&self, page: u32) -> ListPage {
        ListPage {
            section: self.section.clone(),
            page,
        }
    }

    /// Its address under the deploy's base path: `/`, `/page/{n}`, `/section/{slug}`,
    /// `/section/{slug}/page/{n}`.
    pub fn path(&self, base: &str) -> String {
        let list = match &self.section {
            None => String::new(),
            Some(slug) => format!("/section/{slug}"),
        };
        match (list.is_empty(), self.page) {
            (true, 1) => format!("{base}/"),
            (false, 1) => format!("{base}{list}"),
            (_, page) => format!("{base}{list}/page/{page}"),
        }
    }

    /// Its document under `/api/`: `articles/index.json` (the front page's, as before
    /// paging), `articles/pages/{n}.json`, `sections/{slug}/pages/{n}.json`.
    pub fn api_path(&self) -> String {
        match (&self.section, self.page) {
            (None, 1) => "articles/index.json".into(),
            (None, page) => format!("articles/pages/{page}.json"),
            (Some(slug), page) => format!("sections/{slug}/pages/{page}.json"),
        }
    }

    /// Parses the part of a path after the base: the inverse of [`ListPage::path`]. Page 1
    /// has one address only (`/page/1` is not one).
    pub fn parse(path: &str) -> Option<ListPage> {
        if path.is_empty() {
            return Some(ListPage::front());
        }
        let (section, rest) = match path.strip_prefix("/section/") {
            Some(rest) => {
                let (slug, rest) = rest.split_once('/').map_or((rest, ""), |(s, r)| (s, r));
                if !is_section_slug(slug) {
                    return None;
                }
                (Some(slug.to_owned()), rest)
            }
            None => (None, path.strip_prefix('/')?),
        };
        let page = match rest {
            "" if section.is_some() => 1,
            _ => {
                let number = rest.strip_prefix("page/")?;
                // Digits only, no leading zero: one address per page.
                if number.starts_with('0') || !number.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                number.parse().ok().filter(|&n| n >= 2)?
            }
        };
        Some(ListPage { section, page })
    }
}

/// How many pages a list of `count` articles takes (one, even when empty).
pub fn page_count(count: usize) -> u32 {
    count.div_ceil(PAGE_SIZE).max(1) as u32
}

/// The articles of page `page` (from 1) of `all`.
pub fn page_of<T>(all: &[T], page: u32) -> &[T] {
    let start = (page as usize - 1).saturating_mul(PAGE_SIZE).min(all.len());
    &all[start..(start + PAGE_SIZE).min(all.len())]
}

/// A section's slug, from its name as the publisher writes it ("New hero" → "new-hero"):
/// lowercase ASCII letters and digits, one dash between words; `None` when nothing is left.
pub fn section_slug(name: &str) -> Option<String> {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    (!slug.is_empty() && slug.len() <= 100).then(|| slug.to_owned())
}

fn is_section_slug(slug: &str) -> bool {
    section_slug(slug).as_deref() == Some(slug)
}

/// One entry of a list's page links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageLink {
    Page(u32),
    /// Pages left out between two shown.
    Gap,
}

/// The page links of page `page` of `pages`: the first and the last, and the two either
/// side of the current one, with a gap for the rest: never more than nine entries.
pub fn page_links(page: u32, pages: u32) -> Vec<PageLink> {
    let mut links = Vec::new();
    let mut last_shown = 0;
    for n in 1..=pages {
        let near = n + 2 >= page && n <= page + 2;
        if n == 1 || n == pages || near {
            if n > last_shown + 1 {
                links.push(PageLink::Gap);
            }
            links.push(PageLink::Page(n));
            last_shown = n;
        }
    }
    links
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn section(slug: &str, page: u32) -> ListPage {
        ListPage {
            section: Some(slug.into()),
            page,
        }
    }

    #[test]
    fn each_page_has_one_address_and_one_document() {
        let everything = ListPage::front();
        assert_eq!(everything.path(""), "/");
        assert_eq!(everything.path("/garage"), "/garage/");
        assert_eq!(everything.api_path(), "articles/index.json");
        assert_eq!(everything.with_page(2).path("/garage"), "/garage/page/2");
        assert_eq!(everything.with_page(2).api_path(), "articles/pages/2.json");
        assert_eq!(section("new-hero", 1).path(""), "/section/new-hero");
        assert_eq!(
            section("new-hero", 1).api_path(),
            "sections/new-hero/pages/1.json"
        );
        assert_eq!(section("news", 3).path(""), "/section/news/page/3");
        for list in [
            everything.clone(),
            everything.with_page(2),
            everything.with_page(400),
            section("new-hero", 1),
            section("new-hero", 12),
        ] {
            assert_eq!(
                ListPage::parse(list.path("").trim_end_matches('/')),
                Some(list)
            );
        }
    }

    #[test]
    fn parses_only_the_addresses_it_writes() {
        for other in [
            "/page/1",
            "/page/0",
            "/page/02",
            "/page/-2",
            "/page/x",
            "/page/",
            "/page",
            "/section/",
            "/section/New-Hero",
            "/section/new--hero",
            "/section/news/page/1",
            "/section/news/x",
            "/section/news/page/2/x",
            "/page/99999999999999",
        ] {
            assert_eq!(ListPage::parse(other), None, "{other}");
        }
    }

    #[test]
    fn pages_hold_page_size_articles() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(30), 1);
        assert_eq!(page_count(31), 2);
        assert_eq!(page_count(10_000), 334);
        let all: Vec<usize> = (0..65).collect();
        assert_eq!(page_of(&all, 1), &all[..30]);
        assert_eq!(page_of(&all, 3), &[60, 61, 62, 63, 64]);
        assert!(page_of(&all, 4).is_empty());
    }

    #[test]
    fn names_sections_by_slug() {
        assert_eq!(section_slug("New hero").as_deref(), Some("new-hero"));
        assert_eq!(
            section_slug("  Cars & Bikes!  ").as_deref(),
            Some("cars-bikes")
        );
        assert_eq!(section_slug("EV 2025").as_deref(), Some("ev-2025"));
        assert_eq!(section_slug("—"), None);
        assert_eq!(section_slug(""), None);
    }

    #[test]
    fn links_the_first_last_and_nearby_pages() {
        use PageLink::{Gap, Page};
        assert_eq!(page_links(1, 1), [Page(1)]);
        assert_eq!(page_links(1, 3), [Page(1), Page(2), Page(3)]);
        assert_eq!(
            page_links(1, 334),
            [Page(1), Page(2), Page(3), Gap, Page(334)]
        );
        assert_eq!(
            page_links(10, 334),
            [
                Page(1),
                Gap,
                Page(8),
                Page(9),
                Page(10),
                Page(11),
                Page(12),
                Gap,
                Page(334)
            ]
        );
        assert_eq!(
            page_links(4, 5),
            [Page(1), Page(2), Page(3), Page(4), Page(5)]
        );
    }
}
