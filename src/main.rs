//! The app: the front page, articles rendered from their JSON (those published after the
//! build, or reached by navigating within the app), not found. Prerendered article pages do
//! not load it: their only code is the comments island (`src/bin/comments-island.rs`).

use my_garage::components::app::App;

fn main() {
    leptos::mount::mount_to_body(App)
}
