//! How many comments each article has, where the site runs a comment service: one batched
//! request for every article on the page (`POST /count`), as the front page and an
//! article's "See all (N)" show them. Without a service there is nothing to ask (each
//! reader's comments are their own).

use crate::components::app::Site;
use crate::core::route::article_path;
use crate::shell::isso::IssoPlace;
use crate::shell::task::spawn_owned;
use leptos::prelude::*;
use std::collections::HashMap;

#[derive(Clone, Copy)]
pub struct CommentCounts {
    counts: RwSignal<HashMap<String, u32>>,
}

impl Default for CommentCounts {
    fn default() -> Self {
        CommentCounts::new()
    }
}

impl CommentCounts {
    pub fn new() -> CommentCounts {
        CommentCounts {
            counts: RwSignal::new(HashMap::new()),
        }
    }

    /// The count of an article's comments, once the service has said.
    pub fn get(&self, slug: &str) -> Option<u32> {
        self.counts.with(|counts| counts.get(slug).copied())
    }

    /// Asks the site's comment service, if it has one, for the counts of `slugs`, in one
    /// request, in a task of the current view. A failure leaves the counts unknown: they
    /// are not shown, which is all a reader needs to know.
    pub fn fetch(&self, site: &Site, slugs: Vec<String>) {
        let Some(service) = site.settings.comments.clone() else {
            return;
        };
        if slugs.is_empty() {
            return;
        }
        let uris: Vec<String> = slugs.iter().map(|s| article_path(&site.base, s)).collect();
        let place = IssoPlace {
            url: service.url,
            uri: String::new(),
            title: String::new(),
        };
        let counts = self.counts;
        spawn_owned(async move {
            if let Ok(found) = place.counts(&uris).await {
                counts.update(|counts| counts.extend(slugs.into_iter().zip(found)));
            }
        });
    }
}

/// The page's counts (the app provides them).
pub fn use_comment_counts() -> CommentCounts {
    use_context::<CommentCounts>().unwrap_or_default()
}

/// "1 comment", "12 comments".
pub fn comment_count_label(count: u32) -> String {
    if count == 1 {
        "1 comment".into()
    } else {
        format!("{count} comments")
    }
}
