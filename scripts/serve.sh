#!/usr/bin/env bash
# Quick start, part one: install what is missing, then serve the site with the sample
# articles at http://127.0.0.1:8080, with a comment service (Isso, from PyPI, in .tools/)
# on 127.0.0.1:8081: open the same article in two browser windows and each sees what the
# other posts. Its comments are kept in .tools/isso-data/ between runs.
#
#   scripts/serve.sh             development build, rebuilt as files change (trunk serve)
#   scripts/serve.sh --release   the optimised build, served as a host would serve it
#   scripts/serve.sh --static    without a comment service: comments stay in each browser,
#                                as on a site whose site.json names none
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_rust_tools
cd "$ROOT"

release=false
service=true
for arg in "$@"; do
  case "$arg" in
    --release) release=true ;;
    --static) service=false ;;
    *) echo "usage: scripts/serve.sh [--release] [--static]" >&2; exit 2 ;;
  esac
done

SITE_ORIGIN="http://127.0.0.1:8080"
ISSO_PORT=8081

# Isso on loopback, for as long as the site is served.
start_isso() {
  ensure_isso
  local data="$TOOLS/isso-data"
  mkdir -p "$data"
  # The guard (a rate limit per address) is off: every window on this machine is one
  # address. A public Isso keeps it on (docs/deploy.md).
  cat > "$data/isso.cfg" <<EOF
[general]
dbpath = $data/comments.db
host =
    $SITE_ORIGIN
    http://localhost:8080
max-age = 15m
notify = stdout

[moderation]
enabled = false

[server]
listen = http://127.0.0.1:$ISSO_PORT/

[guard]
enabled = false
EOF
  "$ISSO" -c "$data/isso.cfg" run > "$data/isso.log" 2>&1 &
  ISSO_PID=$!
  trap 'kill "$ISSO_PID" 2>/dev/null || true' EXIT INT TERM
  local waited=0
  until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$ISSO_PORT/info', timeout=1)" 2>/dev/null; do
    if ! kill -0 "$ISSO_PID" 2>/dev/null || ((waited >= 300)); then
      echo "Isso did not start; its log:" >&2
      cat "$data/isso.log" >&2
      exit 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  say "Comment service (Isso) at http://127.0.0.1:$ISSO_PORT/ (comments kept in .tools/isso-data/)"
  export GARAGE_COMMENTS_URL="http://127.0.0.1:$ISSO_PORT/"
}

if $service; then
  start_isso
fi

if $release; then
  build_release
  say "Serving dist/ at $SITE_ORIGIN"
  cargo run --quiet --release -p garage-harness --bin garage-serve -- --root dist --addr 127.0.0.1:8080
else
  say "Serving at $SITE_ORIGIN (trunk serve; Ctrl+C stops)"
  trunk serve --offline
fi
