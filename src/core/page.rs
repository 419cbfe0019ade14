//! What a prerendered page was rendered from. The build writes it into the page's head
//! (`<meta name="my-garage:page">`); the app reads it to decide whether the HTML it finds is
//! the view it would render itself, so it can take the page over as it is (hydrate), or must
//! render the route afresh (an article published after the build, served through a host's
//! fallback page, or data changed since the build).

use super::paging::ListPage;
use super::route::Route;

/// The name of the `<meta>` that carries a [`Prerendered`] page's description.
pub const PAGE_META: &str = "my-garage:page";
/// The name of the `<meta>` that carries the deploy's base path ("" or "/sub").
pub const BASE_META: &str = "my-garage:base";
/// The name of the `<meta>` that carries the service worker's address (release builds).
pub const SERVICE_WORKER_META: &str = "my-garage:sw";
/// Names the data a page was rendered from. The loader asks for it once the page has
/// painted (a `<link rel="preload">`, whose response the app's own request is handed), so
/// that until the first paint the stylesheet has the connection to itself.
pub const DATA_META: &str = "my-garage:data";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prerendered {
    /// A list's page (the front page, `/page/{n}`, a section's), from the document whose
    /// bytes have this digest.
    List {
        list: ListPage,
        digest: String,
    },
    /// An article, from the JSON whose bytes have this digest.
    Article {
        slug: String,
        digest: String,
    },
    /// Any article while its data loads: the page a host serves for `/articles/*` that has
    /// no page of its own (published after the build).
    ArticleLoading,
    NotFound,
}

/// What the app needs before it can take a page over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TakeOver {
    /// The page is the route's view as it is: take it over now.
    Now,
    /// The page is the route's view if the data (fetched now) has this digest.
    IfDataMatches { digest: String },
    /// The page shows something else: render the route afresh.
    Render,
}

/// How long the app waits before its `attempt`-th new try (from 0) to fetch the data it
/// takes a page over with, after a failure that may pass (a 503, a timeout, the network):
/// doubling from one second, at most half a minute, so a page opened during a short outage
/// is taken over soon after it ends, and a long one costs a request every 30 s.
pub fn take_over_retry_ms(attempt: u32) -> u32 {
    1_000u32.saturating_mul(1 << attempt.min(5)).min(30_000)
}

impl Prerendered {
    /// The meta's `content`: `list {section or -} {page} {digest}`, `article {slug} {digest}`,
    /// `article-loading`, `not-found`.
    pub fn to_meta(&self) -> String {
        match self {
            Prerendered::List { list, digest } => format!(
                "list {} {} {digest}",
                list.section.as_deref().unwrap_or("-"),
                list.page
            ),
            Prerendered::Article { slug, digest } => format!("article {slug} {digest}"),
            Prerendered::ArticleLoading => "article-loading".into(),
            Prerendered::NotFound => "not-found".into(),
        }
    }

    pub fn from_meta(content: &str) -> Option<Prerendered> {
        let mut parts = content.split(' ');
        if let Some(rest) = content.strip_prefix("list ") {
            let mut parts = rest.split(' ');
            let (section, page, digest) = (parts.next()?, parts.next()?, parts.next()?);
            let page: u32 = page.parse().ok().filter(|&n| n >= 1)?;
            let section = (section != "-").then(|| section.to_owned());
            let list = ListPage { section, page };
            return parts.next().is_none().then(|| Prerendered::List {
                list,
                digest: digest.into(),
            });
        }
        let page = match (parts.next()?, parts.next(), parts.next()) {
            ("article", Some(slug), Some(digest)) => Prerendered::Article {
                slug: slug.into(),
                digest: digest.into(),
            },
            ("article-loading", None, None) => Prerendered::ArticleLoading,
            ("not-found", None, None) => Prerendered::NotFound,
            _ => return None,
        };
        parts.next().is_none().then_some(page)
    }

    /// Whether this page can be taken over for `route`, and on what condition.
    pub fn take_over(page: Option<&Prerendered>, route: &Route) -> TakeOver {
        match (page, route) {
            (Some(Prerendered::List { list, digest }), Route::List(wanted)) if list == wanted => {
                TakeOver::IfDataMatches {
                    digest: digest.clone(),
                }
            }
            (Some(Prerendered::Article { slug, digest }), Route::Article(wanted))
                if slug == wanted =>
            {
                TakeOver::IfDataMatches {
                    digest: digest.clone(),
                }
            }
            (Some(Prerendered::ArticleLoading), Route::Article(_)) => TakeOver::Now,
            (Some(Prerendered::NotFound), Route::NotFound) => TakeOver::Now,
            _ => TakeOver::Render,
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_meta() {
        for page in [
            Prerendered::List {
                list: ListPage::front(),
                digest: "0123456789abcdef".into(),
            },
            Prerendered::List {
                list: ListPage {
                    section: Some("new-hero".into()),
                    page: 3,
                },
                digest: "0123456789abcdef".into(),
            },
            Prerendered::Article {
                slug: "volvo-xc60".into(),
                digest: "fedcba9876543210".into(),
            },
            Prerendered::ArticleLoading,
            Prerendered::NotFound,
        ] {
            assert_eq!(Prerendered::from_meta(&page.to_meta()), Some(page));
        }
        for bad in [
            "",
            "front",
            "list - 1",
            "list - 0 d",
            "list - x d",
            "list - 1 d e",
            "article x",
            "article x y z",
            "page",
            "not-found x",
        ] {
            assert_eq!(Prerendered::from_meta(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn take_over_retries_back_off_to_half_a_minute() {
        let delays: Vec<u32> = (0..8).map(take_over_retry_ms).collect();
        assert_eq!(
            delays,
            [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]
        );
        assert_eq!(take_over_retry_ms(u32::MAX), 30_000);
    }

    #[test]
    fn takes_over_only_the_page_of_the_route() {
        let article = Prerendered::Article {
            slug: "a".into(),
            digest: "d".into(),
        };
        let wanted = |slug: &str| Route::Article(slug.into());
        assert_eq!(
            Prerendered::take_over(Some(&article), &wanted("a")),
            TakeOver::IfDataMatches { digest: "d".into() }
        );
        assert_eq!(
            Prerendered::take_over(Some(&article), &wanted("b")),
            TakeOver::Render
        );
        assert_eq!(
            Prerendered::take_over(Some(&Prerendered::ArticleLoading), &wanted("any")),
            TakeOver::Now
        );
        assert_eq!(
            Prerendered::take_over(Some(&Prerendered::NotFound), &wanted("new")),
            TakeOver::Render,
            "a host's 404 page served for an article published after the build"
        );
        assert_eq!(
            Prerendered::take_over(Some(&Prerendered::NotFound), &Route::NotFound),
            TakeOver::Now
        );
        assert_eq!(
            Prerendered::take_over(None, &Route::List(ListPage::front())),
            TakeOver::Render
        );
        let front = Prerendered::List {
            list: ListPage::front(),
            digest: "d".into(),
        };
        assert_eq!(
            Prerendered::take_over(Some(&front), &Route::List(ListPage::front())),
            TakeOver::IfDataMatches { digest: "d".into() }
        );
        assert_eq!(
            Prerendered::take_over(Some(&front), &Route::List(ListPage::front().with_page(2))),
            TakeOver::Render,
            "page 1's HTML is not page 2"
        );
    }
}
