use my_garage::components::app::App;

fn main() {
    leptos::mount::mount_to_body(App);
}
