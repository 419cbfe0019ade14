//! Where an article's comments go, as the site's settings say: the reader's own browser
//! (with the publisher's file of published comments), or a comment service (Isso).

use super::clock::now_ms;
use super::isso::IssoPlace;
use super::local_storage::LocalStorage;
use crate::core::comments::in_browser::InBrowser;
use crate::core::comments::saved::Store;
use crate::core::comments::service::{Accepted, CommentPlace, Deleted, NewComment, SendError};
use crate::core::site::{CommentService, ServiceKind};

pub enum Place {
    Browser(InBrowser<LocalStorage>),
    Isso(IssoPlace),
}

impl Place {
    /// The place for the article at `path` (the thread's key at a service) titled `title`.
    pub fn for_article(
        service: Option<&CommentService>,
        slug: &str,
        path: String,
        title: String,
    ) -> Place {
        match service {
            Some(CommentService {
                service: ServiceKind::Isso,
                url,
            }) => Place::Isso(IssoPlace {
                url: url.clone(),
                uri: path,
                title,
            }),
            None => Place::Browser(InBrowser::new(Store::new(LocalStorage), slug.to_owned())),
        }
    }

    pub fn is_service(&self) -> bool {
        matches!(self, Place::Isso(_))
    }
}

impl CommentPlace for Place {
    async fn post(&self, new: &NewComment) -> Result<Accepted, SendError> {
        match self {
            Place::Browser(browser) => browser.post(new).await,
            Place::Isso(isso) => isso.post(new).await,
        }
    }

    async fn edit(&self, id: &str, text: &str) -> Result<Accepted, SendError> {
        match self {
            Place::Browser(browser) => {
                browser.now.set(now_ms());
                browser.edit(id, text).await
            }
            Place::Isso(isso) => isso.edit(id, text).await,
        }
    }

    async fn delete(&self, id: &str) -> Result<Deleted, SendError> {
        match self {
            Place::Browser(browser) => browser.delete(id).await,
            Place::Isso(isso) => isso.delete(id).await,
        }
    }

    async fn like(&self, id: &str, liked: bool) -> Result<Option<u32>, SendError> {
        match self {
            Place::Browser(browser) => browser.like(id, liked).await,
            Place::Isso(isso) => isso.like(id).await,
        }
    }

    fn can_unlike(&self) -> bool {
        !self.is_service()
    }
}
