//! How this project starts headless Chromium (tests and benchmark alike): these flags and a
//! fresh `--user-data-dir`. The background-networking flags keep it from calling hosts this
//! machine cannot reach.

pub const HEADLESS_FLAGS: [&str; 8] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];
