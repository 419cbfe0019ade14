//! End-to-end: a publisher's archive of 2,000 generated articles (tools/archive-gen, built
//! by `scripts/setup.sh`'s `build_archive_site`): the front page shows the newest 30, the
//! archive's next page opens in the app without loading a document, an article opened by
//! its address links to its section's page, which opens in the app too.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::path::PathBuf;
use support::{journey_on, Page};

/// `target/archive-site/dist`, which `scripts/test.sh` builds.
fn archive_root() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/archive-site/dist");
    assert!(
        root.join("page/2/index.html").exists(),
        "target/archive-site has no build: run scripts/test.sh, which builds it"
    );
    root
}

async fn card_titles(page: &Page) -> Vec<String> {
    page.texts(".card-title").await
}

#[tokio::test]
async fn a_large_archive_reads_in_pages_and_by_section() {
    journey_on(archive_root(), |page: Page| async move {
        // 2,000 articles, 30 a page: 67 pages.
        page.open("/").await;
        page.wait_for_text("h1", "Latest from My Garage").await;
        let titles = card_titles(&page).await;
        assert_eq!(titles.len(), 30);
        assert!(titles[0].ends_with("report number 0"), "{titles:?}");
        assert!(titles[29].ends_with("report number 29"), "{titles:?}");
        let current = page.text(".pagination a[aria-current=page]").await;
        assert_eq!(current, "1");

        // The next page, in the app: no document is loaded.
        page.mark_window().await;
        page.click(".pagination a[rel=next]").await;
        page.wait_for_text("h1", "Latest from My Garage: page 2 of 67")
            .await;
        assert!(page.window_still_marked().await, "page 2 loaded a document");
        assert_eq!(page.client.current_url().await.unwrap().path(), "/page/2");
        let titles = card_titles(&page).await;
        assert_eq!(titles.len(), 30);
        assert!(titles[0].ends_with("report number 30"), "{titles:?}");
        assert_eq!(page.text(".pagination a[aria-current=page]").await, "2");
        // The reader starts on the new page's heading, as after a page load.
        page.wait_until("document.activeElement && document.activeElement.id === 'page-heading'")
            .await;
        let title = page.js("return document.title").await;
        assert_eq!(title, "Latest from My Garage: page 2 of 67 | My Garage");

        // An old article, opened by its address; its section label leads to the section.
        page.open("/articles/archive-article-1500").await;
        page.wait_for_text("h1", "report number 1500").await;
        assert_eq!(page.text(".section-label").await.to_lowercase(), "new hero");
        page.mark_window().await;
        page.click(".section-label a").await;
        page.wait_for_text("#page-heading", "New hero").await;
        assert!(
            page.window_still_marked().await,
            "the section loaded a document"
        );
        assert_eq!(
            page.client.current_url().await.unwrap().path(),
            "/section/new-hero"
        );
        let titles = card_titles(&page).await;
        assert_eq!(titles.len(), 30);
        // Every fifth article is in "New hero", newest first.
        assert!(titles[0].ends_with("report number 0"), "{titles:?}");
        assert!(titles[1].ends_with("report number 5"), "{titles:?}");
        assert_eq!(page.text(".pagination a[aria-current=page]").await, "1");

        // A section's later page, opened by its address, is the prerendered page taken over.
        page.open("/section/new-hero/page/14").await;
        page.wait_for_text("h1", "New hero: page 14 of 14").await;
        let titles = card_titles(&page).await;
        assert_eq!(titles.len(), 400 - 13 * 30);
        assert!(
            titles.last().unwrap().ends_with("report number 1995"),
            "{titles:?}"
        );
        page.assert_no_errors().await;
    })
    .await;
}
