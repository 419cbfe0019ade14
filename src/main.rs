//! The app's entry point in the browser (see `boot`).

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        // Development builds say in the console why they stopped; release builds stay small.
        #[cfg(debug_assertions)]
        std::panic::set_hook(Box::new(|info| {
            web_sys::console::error_1(&info.to_string().into());
        }));
        my_garage::boot::start();
    }
}
