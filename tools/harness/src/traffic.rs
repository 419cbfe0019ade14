//! What the server has sent: requests and response body bytes, in all and per path. A
//! benchmark reads it before and after a page load to learn what the load (its service worker
//! included, whose fetches the page cannot see) downloaded, and where the bytes went.

use std::collections::BTreeMap;

/// What was sent for one URL path (query ignored).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PathTraffic {
    pub requests: usize,
    /// Response bodies as sent: a precompressed file counts its `.br` or `.gz` size.
    pub body_bytes: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Traffic {
    total_body_bytes: u64,
    by_path: BTreeMap<String, PathTraffic>,
}

impl Traffic {
    pub(crate) fn record(&mut self, path: &str, body_bytes: u64) {
        self.total_body_bytes += body_bytes;
        let sent = self.by_path.entry(path.to_owned()).or_default();
        sent.requests += 1;
        sent.body_bytes += body_bytes;
    }

    pub(crate) fn total_body_bytes(&self) -> u64 {
        self.total_body_bytes
    }

    pub(crate) fn by_path(&self) -> BTreeMap<String, PathTraffic> {
        self.by_path.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tallies_in_all_and_per_path() {
        let mut traffic = Traffic::default();
        traffic.record("/a", 10);
        traffic.record("/b", 5);
        traffic.record("/a", 0);
        assert_eq!(traffic.total_body_bytes(), 15);
        let by_path = traffic.by_path();
        assert_eq!(
            by_path["/a"],
            PathTraffic {
                requests: 2,
                body_bytes: 10
            }
        );
        assert_eq!(by_path["/b"].requests, 1);
    }
}
