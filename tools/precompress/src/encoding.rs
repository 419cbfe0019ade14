//! Precompressed variants (`.br`, `.gz`) and Accept-Encoding negotiation.

use std::path::{Path, PathBuf};

/// A content encoding the build output is precompressed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    /// All encodings, best (smallest output) first.
    pub const BY_PREFERENCE: [Encoding; 2] = [Encoding::Brotli, Encoding::Gzip];

    /// The token used in Accept-Encoding / Content-Encoding.
    pub fn token(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        }
    }

    /// The file-name suffix of the precompressed sibling.
    pub fn suffix(self) -> &'static str {
        match self {
            Encoding::Brotli => ".br",
            Encoding::Gzip => ".gz",
        }
    }

    /// Where the precompressed copy of `path` lives: `path` + `.br` / `.gz`.
    pub fn sibling_of(self, path: &Path) -> PathBuf {
        let mut name = path.as_os_str().to_owned();
        name.push(self.suffix());
        PathBuf::from(name)
    }
}

/// Whether an Accept-Encoding header value allows `token` (ignoring `q=0` entries).
pub fn accepts(accept_encoding: &str, token: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        name.eq_ignore_ascii_case(token) && quality(parts) > 0.0
    })
}

/// The `q=` weight among an Accept-Encoding item's parameters (1 when absent).
fn quality<'a>(mut params: impl Iterator<Item = &'a str>) -> f32 {
    params
        .find_map(|param| param.trim().strip_prefix("q="))
        .map_or(1.0, |q| q.trim().parse().unwrap_or(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_accept_encoding() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip, deflate, br, zstd", "gzip"));
        assert!(accepts("BR;q=0.5", "br"));
        assert!(!accepts("gzip", "br"));
        assert!(!accepts("br;q=0, gzip", "br"));
        assert!(!accepts("", "gzip"));
        assert!(!accepts("brotli", "br"));
    }

    #[test]
    fn sibling_appends_suffix() {
        let path = Path::new("dist/app.js");
        assert_eq!(
            Encoding::Brotli.sibling_of(path),
            Path::new("dist/app.js.br")
        );
        assert_eq!(Encoding::Gzip.sibling_of(path), Path::new("dist/app.js.gz"));
    }
}
