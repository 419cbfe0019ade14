//! The service worker's bound on photographs, checked on the built `sw.js` itself: run in
//! Node.js (`NODE`, or `node` on PATH) with a cache in memory, it keeps no photograph larger
//! than `PHOTO_MAX_BYTES`, and drops the oldest kept until the rest fit in
//! `PHOTOS_MAX_BYTES`. (A journey cannot reach the bound: the sample site's photographs
//! are smaller than it, all together.)

mod support;

use std::process::Command;

/// The number a `const NAME = N;` line of the worker sets.
fn constant(worker: &str, name: &str) -> usize {
    let start = worker
        .find(&format!("const {name} = "))
        .unwrap_or_else(|| panic!("sw.js sets no {name}"));
    let rest = &worker[start + name.len() + 9..];
    rest[..rest.find(';').unwrap()].parse().unwrap()
}

#[test]
fn the_worker_keeps_photographs_within_its_bounds_dropping_the_oldest() {
    let sw = support::dist_dir().join("sw.js");
    let worker = std::fs::read_to_string(&sw).expect("a release build's sw.js");
    let (one, all) = (
        constant(&worker, "PHOTO_MAX_BYTES"),
        constant(&worker, "PHOTOS_MAX_BYTES"),
    );
    // One photograph over the bound for one, then ten that together pass the bound for all.
    let each = all / 8;
    let mut sizes = vec![one + 1];
    sizes.extend([each; 10]);
    let node = std::env::var("NODE").unwrap_or_else(|_| "node".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/photo-bound.js");
    let output = Command::new(&node)
        .arg(script)
        .arg(&sw)
        .arg(serde_json::to_string(&sizes).unwrap())
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {node} (Node.js, which the tests' tools need): {e}")
        });
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        result["stored"][0], false,
        "larger than one may be: not kept"
    );
    // 8 × (all / 8) fit; the two kept first are dropped.
    let kept: Vec<String> = (3..=10)
        .map(|n| format!("/media/v/photo-{n}-640.avif"))
        .collect();
    assert_eq!(result["kept"], serde_json::json!(kept), "{result}");
}
