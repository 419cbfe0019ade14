#!/usr/bin/env bash
# Installs what building (and, with --browser, testing) My Garage needs, only if missing.
# Sourced by scripts/serve.sh, scripts/test.sh and scripts/bench.sh; safe to run again.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132.0.0"
GECKODRIVER_VERSION="0.37.1"
LIGHTHOUSE_VERSION="12.2.3"
ISSO_VERSION="0.14.0"
WRANGLER_VERSION="3.114.17"
VNU_VERSION="26.9.27"
export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"
export TRUNK_OFFLINE=true

say() { printf '==> %s\n' "$*"; }

# The first line a tool prints ("" when it is missing). The whole output is read first:
# with pipefail, `tool --version | grep -q ...` fails at random when grep stops reading
# before the tool has written everything (it dies of SIGPIPE), and the tool is reinstalled.
first_line() {
  local out
  out="$("$@" 2>/dev/null)" || return 0
  printf '%s' "${out%%$'\n'*}"
}

wasm_bindgen_version() {
  # The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' "$ROOT/Cargo.lock"
}

ensure_rust_tools() {
  if [[ $'\n'"$(rustup target list --installed)"$'\n' != *$'\nwasm32-unknown-unknown\n'* ]]; then
    say "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  local wbg
  wbg="$(wasm_bindgen_version)"
  if [[ "$(first_line wasm-bindgen --version)" != "wasm-bindgen $wbg" ]]; then
    say "Installing wasm-bindgen-cli $wbg (about 10 minutes on 2 cores)"
    cargo install wasm-bindgen-cli --version "$wbg" --force
  fi
  if [[ "$(first_line trunk --version)" != "trunk $TRUNK_VERSION" ]]; then
    say "Installing trunk $TRUNK_VERSION (15 to 25 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked --force
  fi
  if [[ "$(first_line wasm-opt --version)" != *"version ${BINARYEN_VERSION%%.*}"* ]]; then
    say "Installing wasm-opt (binaryen $BINARYEN_VERSION from npm) into .tools/"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --save-exact --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >/dev/null
  fi
}

ensure_browsers() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  if ((${#missing[@]})); then
    say "Installing ${missing[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if [[ "$(first_line geckodriver --version)" != "geckodriver $GECKODRIVER_VERSION"* ]]; then
    say "Installing geckodriver $GECKODRIVER_VERSION (about 3 minutes on 2 cores)"
    cargo install geckodriver --version "$GECKODRIVER_VERSION" --force
  fi
  export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
  export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"
  export GECKODRIVER="${GECKODRIVER:-$(command -v geckodriver)}"
  export FIREFOX="${FIREFOX:-$(command -v firefox-esr)}"
}

# Lighthouse, for the benchmark only (scripts/bench.sh): from npm into .tools/, like binaryen.
# It drives the Chromium that ensure_browsers installs.
ensure_lighthouse() {
  if [[ "$(first_line lighthouse --version)" != "$LIGHTHOUSE_VERSION" ]]; then
    say "Installing lighthouse $LIGHTHOUSE_VERSION (from npm) into .tools/"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --save-exact --no-audit --no-fund "lighthouse@$LIGHTHOUSE_VERSION" >/dev/null
    hash -r
  fi
  # The benchmark runs this one (the version just checked).
  export LIGHTHOUSE="$(command -v lighthouse)"
}

# Isso, the comment service the comment thread talks to, for the tests that start it on
# loopback (tools/harness/src/isso.rs): a Python venv in .tools/isso. Its dependencies are
# pinned to the versions the tests were written against, and installed without misaka, the
# deprecated Markdown renderer Isso imports only when `[markup] renderer = misaka` (the
# default is mistune): misaka is a C extension, and building it needs a compiler and
# Python's headers.
ISSO_REQUIREMENTS=(
  "isso==$ISSO_VERSION" Werkzeug==3.1.9 itsdangerous==2.2.0 Jinja2==3.1.6 MarkupSafe==3.0.4
  mistune==3.4.0 bleach==6.4.0 html5lib==1.1 six==1.17.0 webencodings==0.6.1
)
ensure_isso() {
  local venv="$TOOLS/isso"
  if [[ "$(first_line "$venv/bin/isso" --version)" != "isso $ISSO_VERSION" ]]; then
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
      say "Installing python3-venv from Debian"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq python3 python3-venv >/dev/null
    fi
    say "Installing isso $ISSO_VERSION (from PyPI) into .tools/isso"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --no-input --disable-pip-version-check --no-deps \
      "${ISSO_REQUIREMENTS[@]}"
  fi
  export ISSO="$venv/bin/isso"
}

# Cloudflare Pages' own runtime (wrangler 3: wrangler 4 needs Node 22), for the end-to-end
# journey that serves the build as that host does; from npm into .tools/, like binaryen.
ensure_wrangler() {
  if [[ "$(first_line wrangler --version)" != *"$WRANGLER_VERSION"* ]]; then
    say "Installing wrangler $WRANGLER_VERSION (from npm) into .tools/"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --save-exact --no-audit --no-fund "wrangler@$WRANGLER_VERSION" >/dev/null
    hash -r
  fi
  export WRANGLER="$(command -v wrangler)"
  # Nothing is sent anywhere (the machine may be offline).
  export WRANGLER_SEND_METRICS=false
}

# The Nu HTML checker (npm's vnu-jar ships vnu.jar; it runs on Java 11 or later, offline),
# for the end-to-end test that checks every page the build writes.
ensure_vnu() {
  if ! command -v java >/dev/null; then
    say "Installing Java (Debian's default JRE) for the Nu HTML checker"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq default-jre-headless >/dev/null
  fi
  export VNU_JAR="$TOOLS/node_modules/vnu-jar/build/dist/vnu.jar"
  if [[ ! -f "$VNU_JAR" || "$(first_line java -jar "$VNU_JAR" --version)" != "$VNU_VERSION"* ]]; then
    say "Installing the Nu HTML checker (vnu-jar $VNU_VERSION, from npm) into .tools/"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --save-exact --no-audit --no-fund "vnu-jar@$VNU_VERSION" >/dev/null
  fi
}

# Builds the release bundle into dist/: Trunk builds the app, and its post-build hook
# (tools/site) renders every page, writes what a static host needs and precompresses.
build_release() {
  say "Building the release bundle (trunk build --release)"
  (cd "$ROOT" && trunk build --release --offline)
}

# The same release build for a deploy under /garage/, in target/subpath/garage/ (for the
# end-to-end test of sub-path deploys), with the host's file copied to the top as a host
# serving that sub-path is configured.
build_subpath() {
  say "Building the release bundle for a deploy under /garage/ (trunk build --public-url /garage/)"
  (cd "$ROOT" && trunk build --release --offline --public-url /garage/ --dist target/subpath/garage)
  cp "$ROOT/target/subpath/garage/_headers" "$ROOT/target/subpath/"
}

# The same release build for a site with a comment service (Isso) on loopback, in
# target/service-site/dist, for the journeys that start the real Isso on the port it names
# (target/service-site/port): the site's settings are written into the pages, so Trunk's
# code is the same and only the build step runs again.
build_service_site() {
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  say "Building the release bundle for a site with a comment service (Isso on 127.0.0.1:$port)"
  mkdir -p "$ROOT/target/service-site"
  (cd "$ROOT" && GARAGE_COMMENTS_URL="http://127.0.0.1:$port/" trunk build --release --offline --dist target/service-site/dist)
  echo "$port" > "$ROOT/target/service-site/port"
}

# A release build of a publisher's archive of 2,000 generated articles (tools/archive-gen),
# in target/archive-site/dist, for the archive journey. Trunk's code is the same; the site
# step publishes the generated data instead of public/api (its cache keeps a rebuild short).
build_archive_site() {
  say "Building a site of 2,000 generated articles (tools/archive-gen, then trunk build --release)"
  (cd "$ROOT" && cargo run --quiet --profile site -p garage-archive-gen -- 2000 target/archive-site/data)
  (cd "$ROOT" && GARAGE_CONTENT_DIR="$ROOT/target/archive-site/data/api" \
    trunk build --release --offline --dist target/archive-site/dist)
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  ensure_rust_tools
  [[ "${1:-}" == "--browser" ]] && ensure_browsers
  say "Tools ready"
fi
