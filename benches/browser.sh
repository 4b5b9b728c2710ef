#!/usr/bin/env bash
# nexus beside alien-signals inside headless Chromium (issue 33): builds benches/browser/ (the
# side-by-side workloads in nexus, compiled to wasm32-unknown-unknown, release, opt-level 3) with the
# pinned wasm-bindgen, puts it in one page with alien-signals 3.2.1 (benches/alien's pinned copy), serves
# the page on loopback and drives Chromium through chromedriver (browser/drive.py): one page load per
# workload and round, both libraries measured in that page, each timing its own loop (nexus inside wasm),
# their order swapped every round. Prints each library's best round per workload and the ratios.
#
#   ./browser.sh                 NEXUS_BENCH_ROUNDS rounds (default 5), ≈ 25 s per round
#   ./browser.sh 'cellx|diamond' only the workloads whose id matches (a regex)
#   ./browser.sh --profile diamond_5
#                                one workload under V8's sampling profiler, nexus then alien-signals (not
#                                timed side by side): the functions with the most self time, and nexus's
#                                allocator calls per iteration (built with the `count-allocs` feature)
#   ./browser.sh --native        no browser: the same nexus fixtures natively (browser/examples/native.rs,
#                                the page's timing rule) beside alien-signals on node (alien/bench.mjs
#                                --workload), interleaved rounds, best of each: what wasm and the browser
#                                change, measured on the same code
#
# It measures nexus as it is in this working tree (the header says whether nexus/ has uncommitted changes).
set -euo pipefail
cd "$(dirname "$0")"
rounds=${NEXUS_BENCH_ROUNDS:-5}
features=()
if [[ "${1:-}" == "--profile" ]]; then
    [[ -n "${2:-}" ]] || { echo "usage: ./browser.sh --profile <workload id>" >&2; exit 2; }
    features=(--features count-allocs)
fi

source ../scripts/wasm-tools.sh
# Before the install: its version check must see the tools a previous run installed.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
alien/install.sh
# benches' own target directory (git-ignored), not the main workspace's.
export CARGO_TARGET_DIR="$PWD/target"

if git rev-parse --git-dir >/dev/null 2>&1; then
    rev=$(git rev-parse --short HEAD)
    git diff --quiet HEAD -- ../nexus || rev+=" (nexus/ has uncommitted changes)"
else
    rev="(not a git checkout)"
fi
echo "nexus $rev; alien-signals $(node -p 'require("./alien/node_modules/alien-signals/package.json").version');" \
    "node $(node --version); $(chromium --version 2>/dev/null); $(rustc --version)"

if [[ "${1:-}" == "--native" ]]; then
    cargo build --quiet --locked --release --manifest-path browser/Cargo.toml --example native
    out=target/native-rounds.jsonl
    : >"$out"
    for round in $(seq "$rounds"); do
        echo "== round $round of $rounds"
        "$CARGO_TARGET_DIR/release/examples/native" | sed 's/^/{"lib": "nexus", "medians": /; s/$/}/' | tee -a "$out"
        alien="{"
        for id in get set_0_subscribers set_1_subscriber deep_chain_50 broad_50 diamond_5 cellx_100 cellx_1000; do
            median=$(node alien/bench.mjs --workload "$id" | node -e 'process.stdin.on("data", (d) => console.log(JSON.parse(d).median))')
            alien+="\"$id\": $median, "
        done
        echo "{\"lib\": \"alien\", \"medians\": ${alien%, }}}" | tee -a "$out"
    done
    python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
best = {}
for r in rows:
    for wid, ns in r["medians"].items():
        best.setdefault(r["lib"], {}).setdefault(wid, ns)
        best[r["lib"]][wid] = min(best[r["lib"]][wid], ns)
print(f"\nnatively, best of {len(rows) // 2} rounds (ns per iteration):")
print("| workload | nexus (x86-64, the page's fixtures) | alien-signals (node) | nexus / alien-signals |")
print("|---|---|---|---|")
for wid, n in best["nexus"].items():
    a = best["alien"][wid]
    print(f"| {wid} | {n:.1f} | {a:.1f} | {n / a:.2f} |")
PY
    exit 0
fi

(cd .. && install_wasm_tools)

cargo build --quiet --locked --release --target wasm32-unknown-unknown --manifest-path browser/Cargo.toml \
    ${features[@]+"${features[@]}"}
crate=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' browser/Cargo.lock)
if [[ "$(wasm-bindgen --version)" != *" $crate" ]]; then
    echo "browser.sh: browser/Cargo.lock has wasm-bindgen $crate, the CLI is $(wasm-bindgen --version)" >&2
    exit 1
fi

page=target/browser-page
rm -rf "$page"
mkdir -p "$page/alien-signals"
cp browser/page/index.html browser/page/bench.mjs "$page/"
wasm-bindgen --target web --out-dir "$page/pkg" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/nexus_browser_bench.wasm"
# The ESM build (index.mjs imports ./system.mjs).
cp alien/node_modules/alien-signals/esm/*.mjs "$page/alien-signals/"

serve_directory "$page"
if [[ "${1:-}" == "--profile" ]]; then
    python3 browser/drive.py --profile "$2" "http://127.0.0.1:$SERVED_PORT" target/browser-profile.json
else
    python3 browser/drive.py "http://127.0.0.1:$SERVED_PORT" "$rounds" target/browser-rounds.json "$@"
fi
