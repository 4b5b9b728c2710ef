#!/usr/bin/env bash
# nexus on wasm32-unknown-unknown: builds the crate with no features (as a browser app would depend on it),
# then runs the isolation, derived, subscription, family, SSR, tools (DevTools, time travel), async
# time-travel, effect, mount, field-atom, graph export, persistence (`LocalStorage`, two tabs) and deep-graph
# (debug and release builds) test files in headless Chromium with
# wasm-bindgen-test (the runner is set in .cargo/config.toml). Installs what it needs first
# (scripts/wasm-tools.sh). Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/wasm-tools.sh
# Before the install: its version check must see the tools a previous run installed.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
install_wasm_tools
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"

cargo build --quiet -p nexus --target wasm32-unknown-unknown
cargo test -p nexus-tests --target wasm32-unknown-unknown \
    --test isolation --test derived --test subscriptions --test families --test ssr \
    --test tools --test async_time_travel --test effects --test mount --test fields --test graph --test persist_web \
    --test depth_web --test depth_web_guard
# Deep graphs (issue 34) in a release build too: its frames are smaller, so its plain chains go deeper,
# and the depth guard must still stop them before the engine does (`depth_web_guard.rs` expects its
# panic, an abort, alone in its binary).
cargo test -p nexus-tests --target wasm32-unknown-unknown --release --test depth_web --test depth_web_guard
