//! Which comments a discussion shows: pages of top-level comments, the first frame of a
//! long thread, and what must be opened to show one comment (a permalink, a new reply).
//! Plain decisions; `state::discussion` applies them.

use super::thread::Reveal;

/// Top-level comments shown at first, and added by each "Show more comments".
pub const PAGE_SIZE: usize = 20;
/// Replies shown under a comment before "Show N more replies".
pub const REPLIES_SHOWN: usize = 3;
/// Top-level comments in the first frame of a thread: a phone's or a laptop's screenful,
/// so the first comments reach the screen without waiting for the whole page.
pub const FIRST_FRAME: usize = 6;

/// How many top-level comments are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    shown: usize,
}

impl Default for Paging {
    fn default() -> Self {
        Paging { shown: PAGE_SIZE }
    }
}

impl Paging {
    pub fn shown(self) -> usize {
        self.shown
    }

    /// How many are on screen now: until the first frame of a thread is painted, only a
    /// screenful.
    pub fn on_screen(self, first_frame_done: bool) -> usize {
        if first_frame_done {
            self.shown
        } else {
            self.shown.min(FIRST_FRAME)
        }
    }

    /// How many of `total` top-level comments are still behind "Show more comments".
    pub fn hidden(self, total: usize) -> usize {
        total.saturating_sub(self.shown)
    }

    pub fn show_more(&mut self) {
        self.shown += PAGE_SIZE;
    }

    /// Another order starts from its first page.
    pub fn reset(&mut self) {
        *self = Paging::default();
    }

    /// Shows the page that holds the top-level comment at `position`.
    pub fn reveal(&mut self, position: usize) {
        if position >= self.shown {
            self.shown = (position / PAGE_SIZE + 1) * PAGE_SIZE;
        }
    }

    /// A top-level comment the reader posted, now at `position`, that was among those shown
    /// before (`shown_before`) joins them instead of pushing the last one off: nothing the
    /// reader could see goes out of view.
    pub fn joined(&mut self, position: usize, shown_before: usize) {
        if position < shown_before {
            self.shown += 1;
        }
    }
}

/// What to open so that a comment shows: threads to unfold, and reply lists to show whole
/// because the comment (or the reply leading to it) is past their first few.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RevealPlan {
    pub unfold: Vec<String>,
    pub show_all_replies: Vec<String>,
}

pub fn plan_reveal(reveal: &Reveal) -> RevealPlan {
    let mut plan = RevealPlan::default();
    for (container, position) in &reveal.containers {
        plan.unfold.push(container.clone());
        if *position >= REPLIES_SHOWN {
            plan.show_all_replies.push(container.clone());
        }
    }
    plan
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn pages_grow_by_twenty_and_reset() {
        let mut paging = Paging::default();
        assert_eq!(paging.shown(), 20);
        assert_eq!(paging.hidden(45), 25);
        paging.show_more();
        assert_eq!(paging.hidden(45), 5);
        paging.show_more();
        assert_eq!(paging.hidden(45), 0);
        paging.reset();
        assert_eq!(paging.shown(), 20);
    }

    #[test]
    fn the_first_frame_holds_a_screenful() {
        let paging = Paging::default();
        assert_eq!(paging.on_screen(false), FIRST_FRAME);
        assert_eq!(paging.on_screen(true), 20);
    }

    #[test]
    fn revealing_shows_the_page_that_holds_the_comment() {
        let mut paging = Paging::default();
        paging.reveal(5);
        assert_eq!(paging.shown(), 20, "already shown");
        paging.reveal(20);
        assert_eq!(paging.shown(), 40);
        paging.reveal(87);
        assert_eq!(paging.shown(), 100);
    }

    #[test]
    fn a_posted_comment_joins_the_page() {
        let mut paging = Paging::default();
        paging.joined(0, 20);
        assert_eq!(paging.shown(), 21, "nothing the reader saw is pushed off");
        paging.joined(30, 21);
        assert_eq!(
            paging.shown(),
            21,
            "a comment placed beyond the page does not grow it"
        );
    }

    #[test]
    fn a_reveal_unfolds_every_container_and_shows_long_reply_lists_whole() {
        let reveal = Reveal {
            top_position: 3,
            containers: vec![("a".into(), 1), ("b".into(), 5)],
        };
        assert_eq!(
            plan_reveal(&reveal),
            RevealPlan {
                unfold: vec!["a".into(), "b".into()],
                show_all_replies: vec!["b".into()],
            }
        );
    }
}
