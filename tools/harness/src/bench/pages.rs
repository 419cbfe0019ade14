//! The pages whose first load is measured, and where each one's static snapshot is written so
//! that the same address serves it.

/// One page of the site as a reader opens it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// Stable name in the JSON's keys, e.g. `article`.
    pub key: &'static str,
    /// How the report names it.
    pub name: &'static str,
    /// The address opened.
    pub path: &'static str,
    /// Whether the server answers the address with its not-found page (`404.html`).
    pub not_found: bool,
}

/// The article every article measurement opens.
pub const SEED_SLUG: &str = "putin-presents-new-luxury-car-to-kim-jong-un";

pub const SEED_ARTICLE: Page = Page {
    key: "article",
    name: "the seed article",
    path: "/articles/putin-presents-new-luxury-car-to-kim-jong-un",
    not_found: false,
};

pub const FRONT_PAGE: Page = Page {
    key: "front",
    name: "the front page",
    path: "/",
    not_found: false,
};

pub const NOT_FOUND_PAGE: Page = Page {
    key: "not_found",
    name: "the not-found page",
    path: "/no/such/page",
    not_found: true,
};

/// Every page whose first load is measured, in the report's order.
pub const PAGES: [Page; 3] = [SEED_ARTICLE, FRONT_PAGE, NOT_FOUND_PAGE];

impl Page {
    /// The file, relative to the site's root, that serves this page's address: a directory's
    /// `index.html`, or `404.html` for an address the server does not know.
    pub fn snapshot_file(&self) -> String {
        if self.not_found {
            return "404.html".into();
        }
        match self.path.trim_matches('/') {
            "" => "index.html".into(),
            dir => format!("{dir}/index.html"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_article_is_the_seed_slugs_page() {
        assert_eq!(SEED_ARTICLE.path, format!("/articles/{SEED_SLUG}"));
    }

    #[test]
    fn snapshots_go_where_the_server_finds_them() {
        assert_eq!(
            SEED_ARTICLE.snapshot_file(),
            format!("articles/{SEED_SLUG}/index.html")
        );
        assert_eq!(FRONT_PAGE.snapshot_file(), "index.html");
        assert_eq!(NOT_FOUND_PAGE.snapshot_file(), "404.html");
    }
}
