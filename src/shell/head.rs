//! Keeps the document's `<head>` true to the page on screen as the reader navigates: the
//! build wrote the first page's head (see `components::head`); this applies the same
//! [`Head`] to the live document with plain DOM calls.

use crate::core::head::{Head, MetaAttr};
use web_sys::{Document, Element};

/// The meta tags this module owns (every one a [`Head`] may hold but the description).
const MANAGED_META: &str = "meta[property^='og:'], meta[property^='article:'], \
                            meta[name^='twitter:'], meta[name='robots']";

pub fn apply(head: &Head) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(parent) = document.head() else {
        return;
    };
    document.set_title(&head.title);
    if let Some(meta) = find_or_add(&document, &parent, "meta[name='description']", "meta") {
        let _ = meta.set_attribute("name", "description");
        let _ = meta.set_attribute("content", &head.description);
    }
    match &head.canonical {
        Some(url) => {
            if let Some(link) = find_or_add(&document, &parent, "link[rel='canonical']", "link") {
                let _ = link.set_attribute("rel", "canonical");
                let _ = link.set_attribute("href", url);
            }
        }
        None => remove_all(&document, "link[rel='canonical']"),
    }
    remove_all(&document, MANAGED_META);
    // `head.preload` is the build's alone: a page the app renders asks for its lead
    // photograph itself (`fetchpriority="high"`), and the first page's preload is left as it
    // was delivered.
    for tag in &head.meta {
        if let Ok(meta) = document.create_element("meta") {
            let _ = meta.set_attribute(tag.attr.as_str(), tag.key);
            let _ = meta.set_attribute("content", &tag.content);
            let _ = parent.append_child(&meta);
        }
    }
    const JSON_LD: &str = "script[type='application/ld+json']";
    match &head.json_ld {
        // A data block, never run: setting its text is not running code.
        Some(json) => {
            if let Some(script) = find_or_add(&document, &parent, JSON_LD, "script") {
                let _ = script.set_attribute("type", "application/ld+json");
                script.set_text_content(Some(json));
            }
        }
        None => remove_all(&document, JSON_LD),
    }
    debug_assert!(head
        .meta
        .iter()
        .all(|m| m.attr != MetaAttr::Name || m.key != "description"));
}

fn find_or_add(document: &Document, parent: &Element, css: &str, tag: &str) -> Option<Element> {
    if let Ok(Some(found)) = document.query_selector(css) {
        return Some(found);
    }
    let element = document.create_element(tag).ok()?;
    parent.append_child(&element).ok()?;
    Some(element)
}

fn remove_all(document: &Document, css: &str) {
    if let Ok(list) = document.query_selector_all(css) {
        for i in 0..list.length() {
            if let Some(node) = list.item(i) {
                if let Some(parent) = node.parent_node() {
                    let _ = parent.remove_child(&node);
                }
            }
        }
    }
}
