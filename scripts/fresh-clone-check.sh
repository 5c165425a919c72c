#!/usr/bin/env bash
# What a newcomer does, timed: clone, npm install (and check it leaves the tree clean), npm ci, npm start, until the
# home page answers and until the demo events are in. Too slow for CI (an install and a production build); run it by
# hand after changing dependencies, the build or the start:
#   scripts/fresh-clone-check.sh [source repository, default: this one] [port, default 3890]
# Prints one line per step with its time; exits non-zero when a step fails.
set -euo pipefail
source_repo="${1:-$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)}"
port="${2:-3890}"
dir="$(mktemp -d /tmp/admitone-fresh-XXXXXX)"
log="$dir.start.log"
server=""
# npm start runs in a process group of its own, so stopping it stops the server it started too.
cleanup() { if [ -n "$server" ]; then kill -- "-$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; }
trap cleanup EXIT
now() { date +%s.%N; }
since() { printf '%.1f s' "$(echo "$(now) - $1" | bc)"; }

branch="$(git -C "$source_repo" rev-parse --abbrev-ref HEAD)"
t=$(now); git clone --quiet --branch "$branch" "$source_repo" "$dir"; echo "clone ($branch): $(since "$t")"
cd "$dir"
t=$(now); npm install --no-audit --no-fund --loglevel=error >/dev/null; echo "npm install: $(since "$t")"
if [ -n "$(git status --short)" ]; then echo "✖ npm install changed the tree:"; git status --short; exit 1; fi
echo "git status after npm install: clean"
t=$(now); npm ci --no-audit --no-fund --loglevel=error >/dev/null; echo "npm ci: $(since "$t")"
[ -z "$(git status --short)" ] || { echo "✖ npm ci changed the tree"; exit 1; }

t=$(now)
PORT="$port" setsid npm start >"$log" 2>&1 &
server=$!
until curl -fsS -o "$dir.home.html" "http://localhost:$port/" 2>/dev/null; do
  kill -0 "$server" 2>/dev/null || { echo "✖ npm start exited:"; tail -40 "$log"; exit 1; }
  sleep 0.5
done
echo "npm start → home page answers: $(since "$t")"
if grep -q "Demo events are being added" "$dir.home.html"; then echo "home page while seeding: says the demo events are being added"; fi
until grep -q "Demo events added" "$log"; do
  kill -0 "$server" 2>/dev/null || { echo "✖ npm start exited:"; tail -40 "$log"; exit 1; }
  sleep 0.5
done
echo "npm start → demo events in: $(since "$t")"
echo "--- npm start printed (also in $log):"
cat "$log"
