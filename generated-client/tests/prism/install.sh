#!/bin/sh
# Installs Stoplight Prism, exactly as package-lock.json pins it, into `<target>/prism/` (the
# cargo target directory: $CARGO_TARGET_DIR, else the workspace's `target/`) and prints the
# path of its `prism` command on the last line. `.ci/run` runs it before the tests, and
# `tests/prism.rs` runs it too, so `cargo test --workspace` works on a fresh machine. An
# install that matches the lock is kept; npm's own output goes to stderr.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cache="${CARGO_TARGET_DIR:-$root/target}/prism"
prism="$cache/node_modules/.bin/prism"

# The copy of the lock written after the last install that succeeded.
if cmp -s "$here/package-lock.json" "$cache/installed.package-lock.json" && [ -x "$prism" ]; then
    echo "$prism"
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm was not found on PATH. The Prism mock tests (generated-client/tests/prism.rs) run" >&2
    echo "Stoplight Prism, installed from the npm registry by generated-client/tests/prism/install.sh;" >&2
    echo "install Node.js 18.20 or later (it comes with npm) and run the tests again." >&2
    exit 1
fi

mkdir -p "$cache"
rm -f "$cache/installed.package-lock.json"
cp "$here/package.json" "$here/package-lock.json" "$cache/"
# No install scripts: Prism needs none, and one of its dependencies only reports analytics.
# `--engine-strict` refuses a Node.js older than the pinned Prism supports, saying so.
npm ci --prefix "$cache" --ignore-scripts --engine-strict --no-audit --no-fund >&2 || {
    echo "error: npm could not install Prism into $cache (see npm's message above)" >&2
    exit 1
}
cp "$here/package-lock.json" "$cache/installed.package-lock.json"
echo "$prism"
