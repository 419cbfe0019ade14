//! The app's wasm as built: the brotli download and the raw module.

use super::budgets;
use crate::bench::report::{Metric, Unit};
use crate::bench::wasm_size::WasmSize;

pub fn rows(wasm: &WasmSize, metrics: &mut Vec<Metric>, notes: &mut Vec<String>) {
    let section = format!("The app's code ({})", wasm.file);
    let brotli = wasm.brotli_bytes as f64;
    metrics.push(
        Metric::new(
            "code.wasm_brotli",
            &section,
            format!(
                "wasm, brotli (what a reader downloads; aim: {})",
                Unit::Kilobytes.format(budgets::WASM_BROTLI_AIM_BYTES)
            ),
        )
        .unit(Unit::Kilobytes)
        .samples(vec![brotli])
        .budget(budgets::WASM_BROTLI_BYTES),
    );
    metrics.push(
        Metric::new("code.wasm_raw", &section, "wasm, raw")
            .unit(Unit::Kilobytes)
            .samples(vec![wasm.raw_bytes as f64]),
    );
    let to_aim = brotli - budgets::WASM_BROTLI_AIM_BYTES;
    notes.push(if to_aim > 0.0 {
        format!(
            "wasm: {} brotli, {} over the aim of {} (budget {}).",
            Unit::Kilobytes.format(brotli),
            Unit::Kilobytes.format(to_aim),
            Unit::Kilobytes.format(budgets::WASM_BROTLI_AIM_BYTES),
            Unit::Kilobytes.format(budgets::WASM_BROTLI_BYTES),
        )
    } else {
        format!(
            "wasm: {} brotli, within the aim of {}.",
            Unit::Kilobytes.format(brotli),
            Unit::Kilobytes.format(budgets::WASM_BROTLI_AIM_BYTES),
        )
    });
}
