//! The conditions of every throttled load: Lighthouse's mobile profile, applied to the tab
//! through DevTools (so the page runs and downloads at these speeds, not a simulation).

use serde_json::json;

use super::browser::Browser;
use super::Error;

/// CPU 4x slower, and a slow mobile link: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up.
const CPU_SLOWDOWN: u32 = 4;
const LATENCY_MS: u32 = 150;
const DOWNLOAD_BYTES_PER_SECOND: u32 = 200_000;
const UPLOAD_BYTES_PER_SECOND: u32 = 93_750;

/// For the report's context line.
pub const CONDITIONS: &str = "CPU 4x; 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up";

/// Throttles the browser's current tab; it stays throttled across its navigations.
pub async fn throttle(browser: &Browser) -> Result<(), Error> {
    browser.cdp("Network.enable", json!({})).await?;
    browser
        .cdp(
            "Network.emulateNetworkConditions",
            json!({
                "offline": false,
                "latency": LATENCY_MS,
                "downloadThroughput": DOWNLOAD_BYTES_PER_SECOND,
                "uploadThroughput": UPLOAD_BYTES_PER_SECOND,
            }),
        )
        .await?;
    browser
        .cdp(
            "Emulation.setCPUThrottlingRate",
            json!({ "rate": CPU_SLOWDOWN }),
        )
        .await?;
    Ok(())
}
