//! The render cache: a page's HTML kept under a key made of everything it is rendered
//! from (this program's own bytes, Trunk's page, the settings, the base path, and the
//! page's data), so a rebuild renders only the pages whose inputs changed. It lives
//! outside the build's directory (`target/site-cache` by default), since Trunk writes a
//! fresh one each build.

use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Sets of shared inputs kept besides the current build's.
const KEEP_OTHER_INPUTS: usize = 3;

pub struct RenderCache {
    /// This build's entries: one directory per set of shared inputs.
    dir: PathBuf,
    /// Keys this build used, so the others (stale versions of its pages) can go.
    used: Mutex<BTreeSet<String>>,
}

impl RenderCache {
    /// The cache under `root` for pages rendered from `inputs` (shared by every page).
    pub fn open(root: &Path, inputs: &[String]) -> Result<RenderCache, String> {
        let mut hasher = Sha256::new();
        // A new build of this program (a change to the app's components) renders anew.
        let program = std::env::current_exe()
            .and_then(std::fs::read)
            .map_err(|e| format!("cannot read this program to key its cache: {e}"))?;
        hasher.update(Sha256::digest(&program));
        for input in inputs {
            hasher.update((input.len() as u64).to_le_bytes());
            hasher.update(input.as_bytes());
        }
        let dir = root.join("pages").join(hex(&hasher.finalize()[..16]));
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(RenderCache {
            dir,
            used: Mutex::new(BTreeSet::new()),
        })
    }

    /// The key of the page written to `file` from data whose bytes have `data_digest`.
    pub fn key(file: &str, data_digest: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update((file.len() as u64).to_le_bytes());
        hasher.update(file.as_bytes());
        hasher.update(data_digest.as_bytes());
        hex(&hasher.finalize()[..16])
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.to_owned());
        std::fs::read_to_string(self.dir.join(key)).ok()
    }

    pub fn put(&self, key: &str, html: &str) -> Result<(), String> {
        let path = self.dir.join(key);
        let temporary = self.dir.join(format!("{key}.{}.tmp", std::process::id()));
        std::fs::write(&temporary, html)
            .and_then(|()| std::fs::rename(&temporary, &path))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// Removes the entries this build did not use (earlier versions of its pages), and all
    /// but the most recent few sets of shared inputs (a deploy under a sub-path, a build
    /// for a comment service, a development build each have their own).
    pub fn prune(&self) {
        if let Some(Ok(siblings)) = self.dir.parent().map(std::fs::read_dir) {
            let mut siblings: Vec<(std::time::SystemTime, PathBuf)> = siblings
                .flatten()
                .filter(|entry| entry.path() != self.dir)
                .filter_map(|entry| Some((entry.metadata().ok()?.modified().ok()?, entry.path())))
                .collect();
            siblings.sort();
            let keep = siblings.len().saturating_sub(KEEP_OTHER_INPUTS);
            for (_, old) in siblings.into_iter().take(keep) {
                let _ = std::fs::remove_dir_all(old);
            }
        }
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_str()
                .is_some_and(|name| !used.contains(name))
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
