//! The app's wasm as the build wrote it: the brotli file a reader downloads
//! (`my-garage-<hash>_bg.wasm.br`, precompressed by the build) and the raw module.

use std::fs;
use std::path::{Path, PathBuf};

use super::Error;

#[derive(Clone, Debug, PartialEq)]
pub struct WasmSize {
    /// The module's file name, e.g. `my-garage-38356434990295d1_bg.wasm`.
    pub file: String,
    pub brotli_bytes: u64,
    pub raw_bytes: u64,
}

/// Reads the sizes of the app's wasm in `dist`.
pub fn wasm_size(dist: &Path) -> Result<WasmSize, Error> {
    let module = app_module(dist)?;
    let brotli = module.with_extension("wasm.br");
    let size = |path: &Path| {
        fs::metadata(path).map(|m| m.len()).map_err(|e| {
            format!(
                "cannot read {}: {e} (a release build writes it)",
                path.display()
            )
        })
    };
    Ok(WasmSize {
        file: module
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
        brotli_bytes: size(&brotli)?,
        raw_bytes: size(&module)?,
    })
}

/// The one `my-garage-*_bg.wasm` in `dist`.
fn app_module(dist: &Path) -> Result<PathBuf, Error> {
    let mut modules = Vec::new();
    for entry in fs::read_dir(dist)? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with("my-garage-") && name.ends_with("_bg.wasm") {
            modules.push(path);
        }
    }
    match modules.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!("{} has no my-garage-*_bg.wasm", dist.display()).into()),
        _ => Err(format!("{} has more than one my-garage-*_bg.wasm", dist.display()).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_modules_brotli_and_raw_sizes() {
        let dist = std::env::temp_dir().join(format!("garage-wasm-size-{}", std::process::id()));
        fs::create_dir_all(&dist).unwrap();
        fs::write(dist.join("my-garage-1a2b_bg.wasm"), vec![0u8; 1000]).unwrap();
        fs::write(dist.join("my-garage-1a2b_bg.wasm.br"), vec![0u8; 300]).unwrap();
        fs::write(dist.join("my-garage-1a2b.js"), b"js").unwrap();
        let size = wasm_size(&dist);
        fs::remove_dir_all(&dist).unwrap();
        assert_eq!(
            size.unwrap(),
            WasmSize {
                file: "my-garage-1a2b_bg.wasm".into(),
                brotli_bytes: 300,
                raw_bytes: 1000,
            }
        );
    }
}
