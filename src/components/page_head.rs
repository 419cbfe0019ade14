//! A prerendered page's `<head>` content, rendered by the build (natively, to HTML) from the
//! same [`Head`] the app applies as the reader navigates (`shell::head`).

use crate::core::head::Head;
use crate::core::page::{Prerendered, BASE_META, DATA_META, PAGE_META, SERVICE_WORKER_META};
use crate::core::site::SETTINGS_ELEMENT;
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

#[component]
pub fn PageHead(
    head: Head,
    /// What the page's body was rendered from, for the app to take it over.
    page: Prerendered,
    /// The deploy's base path ("" or "/sub").
    base: String,
    /// The data the app needs to take the page over, which the loader asks for as soon as
    /// the page has painted.
    data: Option<String>,
    /// The site's name and its feed's address.
    feed: (String, String),
    /// The service worker's address, when the build has one (release builds).
    service_worker: Option<String>,
    /// The site's settings, for the app (see `core::site`), as JSON safe in a script.
    settings: String,
) -> impl IntoView {
    let Head {
        title,
        description,
        canonical,
        meta,
        json_ld,
        preload,
    } = head;
    let (feed_title, feed_href) = feed;
    view! {
        <title>{title}</title>
        <meta name="description" content=description />
        {canonical.map(|href| view! { <link rel="canonical" href=href /> })}
        {meta
            .into_iter()
            .map(|tag| view! { <meta content={tag.content} {..custom_attribute(tag.attr.as_str(), tag.key)} /> })
            .collect_view()}
        // The lead photograph: the page's largest paint, fetched with the stylesheet.
        {preload.map(|p| view! {
            <link rel="preload" r#as="image" fetchpriority="high" href=p.href imagesrcset=p.srcset imagesizes=p.sizes r#type=p.mime />
        })}
        <link rel="alternate" type="application/atom+xml" title=feed_title href=feed_href />
        <meta name=BASE_META content=base />
        <meta name=PAGE_META content=page.to_meta() />
        {service_worker.map(|url| view! { <meta name=SERVICE_WORKER_META content=url /> })}
        {data.map(|url| view! { <meta name=DATA_META content=url /> })}
        {json_ld.map(|json| view! { <script type="application/ld+json">{json}</script> })}
        <script type="application/json" id=SETTINGS_ELEMENT>{settings}</script>
    }
}
