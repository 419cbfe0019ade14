//! Serves the built app like production: `garage-serve [--root DIR] [--addr HOST:PORT]`.
//!
//! Like Netlify and Cloudflare Pages, it applies the site's `_redirects` and
//! `_headers`, so what you try locally is what users get.

use std::path::PathBuf;
use std::process::ExitCode;
use std::{env, io, thread};

use garage_harness::StaticServer;

const USAGE: &str = "usage: garage-serve [--root DIR] [--addr 127.0.0.1:8080]";

struct Options {
    root: PathBuf,
    addr: String,
}

fn main() -> ExitCode {
    let options = match parse_args(env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Parsed options, or `None` when help was asked for.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        root: PathBuf::from("dist"),
        addr: "127.0.0.1:8080".to_owned(),
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--root" => options.root = value_of(&arg, args.next())?.into(),
            "--addr" => options.addr = value_of(&arg, args.next())?,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(options))
}

fn value_of(flag: &str, value: Option<String>) -> Result<String, String> {
    value.ok_or_else(|| format!("{flag} needs a value"))
}

/// Serves until the process is killed.
fn serve(options: &Options) -> Result<(), String> {
    let root = &options.root;
    if !root.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html (build the app first, e.g. `trunk build --release`)",
            root.display()
        ));
    }
    let server =
        StaticServer::start_on(root, &options.addr).map_err(|e| listen_error(&options.addr, &e))?;
    println!(
        "Serving {} at {} as Cloudflare Pages would: _redirects and _headers applied; an \
         unknown path gets the nearest 404.html; precompressed files",
        root.display(),
        server.base_url()
    );
    loop {
        thread::park();
    }
}

fn listen_error(addr: &str, error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::AddrInUse => format!("{addr} is already in use (another server running?)"),
        _ => format!("cannot listen on {addr}: {error}"),
    }
}
