#!/usr/bin/env bash
# Builds the browser demo examples/wasm-counter (nexus compiled to wasm32-unknown-unknown, bound with
# wasm-bindgen into examples/wasm-counter/pkg/, git-ignored), then:
#   (no argument)  checks it in headless Chromium: after the demo's clicks, each store shows its own counts
#                  and total (run by .ci/run);
#   --screenshot   also re-takes docs/wasm-counter.png;
#   --serve        serves it on http://127.0.0.1:8000/ until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/wasm-tools.sh
# Before the install: its version check must see the tools a previous run installed.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
install_wasm_tools

demo=examples/wasm-counter
cargo build --quiet -p wasm-counter --target wasm32-unknown-unknown --release
wasm-bindgen --target web --out-dir "$demo/pkg" target/wasm32-unknown-unknown/release/wasm_counter.wasm

if [[ "${1:-}" == "--serve" ]]; then
    echo "http://127.0.0.1:8000/"
    exec python3 -m http.server 8000 --bind 127.0.0.1 --directory "$demo"
fi

serve_directory "$demo"
port=$SERVED_PORT

chrome() {
    headless_chromium 5000 "$@"
}

dom=$(chrome --dump-dom "http://127.0.0.1:$port/?demo")
got=$(python3 - "$dom" <<'PY'
import re, sys
dom = sys.argv[1]
def panel(name):
    section = re.search(r'<section id="%s">(.*?)</section>' % name, dom, re.S)
    if not section:
        return "missing"
    value = lambda cls: (re.search(r'class="%s">(\d+)<' % cls, section.group(1)) or [None, "?"])[1]
    return " ".join(value(c) for c in ("apples", "pears", "total"))
print("left: %s; right: %s" % (panel("left"), panel("right")))
PY
)
want="left: 3 2 5; right: 0 1 1"
if [[ "$got" != "$want" ]]; then
    echo "wasm-counter: expected '$want' (apples pears total), the page shows '$got'" >&2
    exit 1
fi
echo "wasm-counter in headless Chromium: $got"

if [[ "${1:-}" == "--screenshot" ]]; then
    chrome --window-size=900,420 --screenshot="$PWD/docs/wasm-counter.png" "http://127.0.0.1:$port/?demo"
    echo "docs/wasm-counter.png"
fi
