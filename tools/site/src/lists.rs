//! The site's lists in pages (`core::paging`): everything, newest first, from the CMS's
//! index (the front page, then `/page/{n}`), and each section's, from the articles that
//! name it. Each page is a document of its own, so none grows with the archive; the
//! CMS's whole `index.json` is only the build's input, replaced by the front page's.

use crate::content::Content;
use my_garage::core::article::{decode_index, ArticleIndex, Image, Summary};
use my_garage::core::digest::digest;
use my_garage::core::paging::{page_count, page_of, section_slug, ListPage};
use std::collections::BTreeMap;

/// One page of a list: the document published at its `ListPage::api_path`, and what the
/// app reads from it.
pub struct ListDoc {
    pub bytes: Vec<u8>,
    pub digest: String,
    pub index: ArticleIndex,
}

/// Every list page, by its address.
pub fn lists(content: &Content) -> BTreeMap<ListPage, ListDoc> {
    let mut docs = BTreeMap::new();
    paged(&mut docs, None, &content.index.value.articles);
    // Each section's articles, newest first, under the name its newest article gives it.
    let mut sections: BTreeMap<String, (String, Vec<Summary>)> = BTreeMap::new();
    let mut articles: Vec<_> = content.articles.values().map(|a| &a.value).collect();
    articles.sort_by(|a, b| (b.published.epoch_ms, &a.slug).cmp(&(a.published.epoch_ms, &b.slug)));
    for article in articles {
        let Some(slug) = section_slug(&article.section) else {
            continue;
        };
        let (_, list) = sections
            .entry(slug)
            .or_insert_with(|| (article.section.clone(), Vec::new()));
        list.push(Summary {
            slug: article.slug.clone(),
            title: article.title.clone(),
            summary: article.standfirst.clone(),
            published: article.published.clone(),
            // Its lead photograph as the card's thumbnail, as the CMS's index gives it for
            // the front page.
            image: article.lead_image.clone(),
        });
    }
    for (slug, (name, list)) in sections {
        paged(&mut docs, Some((slug, name)), &list);
    }
    docs
}

fn paged(
    docs: &mut BTreeMap<ListPage, ListDoc>,
    section: Option<(String, String)>,
    all: &[Summary],
) {
    let pages = page_count(all.len());
    for page in 1..=pages {
        let articles: Vec<serde_json::Value> = page_of(all, page)
            .iter()
            .map(|s| {
                let mut entry = serde_json::json!({
                    "slug": s.slug,
                    "title": s.title,
                    "summary": s.summary,
                    "published": s.published.raw,
                });
                if let Some(image) = &s.image {
                    entry["image"] = image_json(image);
                }
                entry
            })
            .collect();
        let mut document = serde_json::json!({
            "version": 1,
            "page": page,
            "pages": pages,
            "articles": articles,
        });
        if let Some((slug, name)) = &section {
            document["section"] = serde_json::json!({ "slug": slug, "name": name });
        }
        let bytes = serde_json::to_vec(&document).expect("JSON of plain values");
        // What the app will read: the same decoder, from the same bytes.
        let index = decode_index(&bytes)
            .expect("the build's own list document decodes")
            .value;
        let list = ListPage {
            section: section.as_ref().map(|(slug, _)| slug.clone()),
            page,
        };
        docs.insert(
            list,
            ListDoc {
                digest: digest(&bytes),
                bytes,
                index,
            },
        );
    }
}

/// A card's thumbnail as the data contract writes it (`variants` as the build marked it).
fn image_json(image: &Image) -> serde_json::Value {
    let mut json = serde_json::json!({ "alt": image.alt });
    let fields = [
        ("src", image.src.clone().map(serde_json::Value::from)),
        ("width", image.width.map(serde_json::Value::from)),
        ("height", image.height.map(serde_json::Value::from)),
        (
            "caption",
            image.caption.clone().map(serde_json::Value::from),
        ),
        (
            "variants",
            image.variants.then_some(serde_json::Value::Bool(true)),
        ),
    ];
    for (name, value) in fields {
        if let Some(value) = value {
            json[name] = value;
        }
    }
    json
}

#[cfg(test)]
mod tests {
    use super::*;
    use my_garage::core::time::Timestamp;

    /// The front page's and each section's cards show their thumbnails from the list
    /// documents the build writes, so those carry each summary's image as the CMS gave it.
    #[test]
    fn a_list_document_keeps_each_cards_thumbnail() {
        let image = Image {
            src: Some("/media/volvo-xc60.jpg".into()),
            alt: "A grey estate car".into(),
            width: Some(2000),
            height: Some(1125),
            caption: None,
            variants: true,
        };
        let summary = |slug: &str, image: Option<Image>| Summary {
            slug: slug.into(),
            title: "T".into(),
            summary: String::new(),
            published: Timestamp::parse("2024-01-01T00:00:00Z").unwrap(),
            image,
        };
        let mut docs = BTreeMap::new();
        paged(
            &mut docs,
            None,
            &[summary("a", Some(image.clone())), summary("b", None)],
        );
        let front = &docs[&ListPage::front()].index;
        assert_eq!(front.articles[0].image, Some(image));
        assert_eq!(front.articles[1].image, None);
    }
}
