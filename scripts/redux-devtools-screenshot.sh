#!/usr/bin/env bash
# Re-takes docs/redux-devtools.png (and docs/redux-devtools-trace.png, its Trace tab): the Redux DevTools UI (served by the real @redux-devtools/cli) showing
# the actions of `cargo run --example redux_devtools`. Needs Debian's chromium (`apt-get install chromium`);
# installs the server and playwright-core into the git-ignored redux-devtools-server/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/redux-devtools-server.sh
start_redux_devtools_server
if [[ ! -d "$REDUX_DEVTOOLS_DIR/node_modules/playwright-core" ]]; then
    (cd "$REDUX_DEVTOOLS_DIR" && npm install --no-save --no-audit --no-fund --loglevel=error playwright-core@1.64.1)
fi
cargo build --quiet --example redux_devtools
cargo run --quiet --example redux_devtools -- --port "$REDUX_DEVTOOLS_PORT" --seconds 40 > /dev/null &
example=$!
trap 'kill $example 2>/dev/null || true; stop_redux_devtools_server' EXIT
mkdir -p docs
cp scripts/redux-devtools-screenshot.mjs "$REDUX_DEVTOOLS_DIR/screenshot.mjs"
node "$REDUX_DEVTOOLS_DIR/screenshot.mjs" "$REDUX_DEVTOOLS_PORT" checkout docs/redux-devtools.png docs/redux-devtools-trace.png
