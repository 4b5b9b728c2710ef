#!/usr/bin/env bash
# Builds the Leptos demo examples/leptos-todo (nexus::leptos in the browser: two isolated todo lists, a
# derived count, an async atom under <Suspense>, a Global theme shared by both lists; bound with
# wasm-bindgen into examples/leptos-todo/pkg/, git-ignored), then:
#   (no argument)  checks it in headless Chromium: after the demo's clicks, each list shows its own todos,
#                  its own "n left" and the loaded suggestions, and both the shared theme; then runs the
#                  browser tests (examples/leptos-todo/tests/browser.rs) in headless Chromium;
#   --screenshot   also re-takes docs/leptos-todo.png;
#   --serve        serves it on http://127.0.0.1:8000/ until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/wasm-tools.sh
# Before the install: its version check must see the tools a previous run installed.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
install_wasm_tools
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"

demo=examples/leptos-todo
cargo build --quiet -p leptos-todo --target wasm32-unknown-unknown --release
wasm-bindgen --target web --out-dir "$demo/pkg" "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/leptos_todo.wasm"

if [[ "${1:-}" == "--serve" ]]; then
    echo "http://127.0.0.1:8000/ (add ?demo for the scripted clicks)"
    exec python3 -m http.server 8000 --bind 127.0.0.1 --directory "$demo"
fi

serve_directory "$demo"
port=$SERVED_PORT

chrome() {
    headless_chromium 10000 "$@"
}

dom=$(chrome --dump-dom "http://127.0.0.1:$port/?demo")
got=$(python3 - "$dom" <<'PY'
import re, sys
dom = sys.argv[1]
if 'data-ready="yes"' not in dom:
    print("the demo script did not finish")
    sys.exit()
def text(html):
    return re.sub(r"<[^>]*>", "", html).strip()
def panel(name):
    section = re.search(r'<section ([^>]*id="%s"[^>]*)>(.*?)</section>' % name, dom, re.S)
    if not section:
        return "missing"
    tag, body = section.groups()
    theme = (re.search(r'class="list (\w+)"', tag) or [None, "?"])[1]
    todos = re.findall(r'<li class="todo( done)?" data-id="\d+">(.*?)</li>', body, re.S)
    items = ", ".join(("[x] " if done else "[ ] ") + text(re.sub(r'<button.*?</button>', "", inner, flags=re.S))
                      for done, inner in todos)
    left = (re.search(r'class="left-count">(\d+)<', body) or [None, "?"])[1]
    suggestions = len(re.findall(r'class="suggestion"', body))
    return "%s; %s left; %d suggestions; %s" % (items, left, suggestions, theme)
print("left: %s | right: %s" % (panel("left"), panel("right")))
PY
)
want="left: [x] write the docs, [ ] review the pull request; 1 left; 3 suggestions; dark | right: [ ] buy milk, [ ] water the plants; 2 left; 3 suggestions; dark"
if [[ "$got" != "$want" ]]; then
    echo "leptos-todo: after the demo's clicks, expected" >&2
    echo "  $want" >&2
    echo "the page shows" >&2
    echo "  $got" >&2
    exit 1
fi
echo "leptos-todo in headless Chromium: $got"

if [[ "${1:-}" == "--screenshot" ]]; then
    chrome --window-size=920,430 --screenshot="$PWD/docs/leptos-todo.png" "http://127.0.0.1:$port/?demo"
    echo "docs/leptos-todo.png"
fi

cargo test -p leptos-todo --target wasm32-unknown-unknown --test browser
