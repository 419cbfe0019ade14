//! Writes the benchmark inputs with the app's own generator
//! (`garage_thread_gen::comments_file(count, seed)`, tools/thread-gen, read in
//! place): 1,000 and 10,000 comments, and the 10,000 again with its *last* entry made bad
//! (a date that is no date), which sends every lenient decoder down its slow path.
use std::fs;

const SEED: u64 = 42;

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| "www/data".into());
    fs::create_dir_all(&out).unwrap();
    let write = |name: &str, text: &str| {
        fs::write(format!("{out}/{name}"), text).unwrap();
        println!("{out}/{name}: {} bytes", text.len());
    };
    write(
        "comments-1k.json",
        &garage_thread_gen::comments_file(1_000, SEED),
    );
    let big = garage_thread_gen::comments_file(10_000, SEED);
    write("comments-10k.json", &big);
    let at = big.rfind("\"posted\":\"").unwrap() + "\"posted\":\"".len();
    let bad = format!("{}yesterday{}", &big[..at], &big[at + 20..]);
    assert!(bad[at..].starts_with("yesterday\""));
    write("comments-10k-bad.json", &bad);
}
