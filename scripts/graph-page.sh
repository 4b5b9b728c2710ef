#!/usr/bin/env bash
# The page of `Graph::to_html` (issue 31) in a real browser: runs `cargo run --example trace`, which writes
# target/graph.html, opens it in headless Chromium as file://…/target/graph.html#node=DISCOUNT and checks
# the DOM the page's script leaves:
#   - one SVG node (`<g class="node …" data-node=…>`) per atom the example's store lists, one edge path per
#     edge (the example prints both counts);
#   - the script ran: DISCOUNT is selected and the side panel shows it, its sources and its readers.
#   --screenshot  also re-takes docs/graph.png.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/wasm-tools.sh
# Only the browser is needed here: install the wasm tools (chromium among them) only when it is missing.
command -v chromium >/dev/null || install_wasm_tools

out=$(cargo run --quiet --example trace)
counts=$(grep -Eo '^Cart#[0-9]+: [0-9]+ atoms, [0-9]+ edges' <<<"$out" | head -1)
if [[ -z "$counts" ]]; then
    echo "graph-page: the example did not print its graph's counts:" >&2
    echo "$out" >&2
    exit 1
fi
atoms=$(awk '{ print $2 }' <<<"$counts")
edges=$(awk '{ print $4 }' <<<"$counts")
page="$PWD/target/graph.html"
url="file://$page#node=DISCOUNT"

chrome() {
    headless_chromium 3000 "$@"
}

dom=$(chrome --dump-dom "$url")
got=$(python3 - "$dom" <<'PY'
import re, sys
dom = sys.argv[1]
nodes = len(re.findall(r'<g class="node [^"]*" data-node="\d+"', dom))
edges = len(re.findall(r'<path class="edge[^"]*" data-edge="\d+"', dom))
selected = len(re.findall(r'<g class="node [^"]*\bselected\b[^"]*" data-node=', dom))
panel = re.search(r'<aside id="panel"[^>]*>(.*?)</aside>', dom, re.S)
panel = panel.group(1) if panel else ""
title = (re.search(r'<h2>(.*?)</h2>', panel) or [None, "none"])[1]
lists = " ".join(re.findall(r'<h3>((?:Sources|Readers)[^<]*)</h3>', panel))
print("%d nodes, %d edges; selected %d: %s; %s" % (nodes, edges, selected, title, lists))
PY
)
want="$atoms nodes, $edges edges; selected 1: DISCOUNT; Sources (reads) (2) Readers (read by) (1)"
if [[ "$got" != "$want" ]]; then
    echo "graph-page: expected '$want', the page shows '$got'" >&2
    exit 1
fi
echo "target/graph.html in headless Chromium: $got"

if [[ "${1:-}" == "--screenshot" ]]; then
    chrome --window-size=1720,540 --screenshot="$PWD/docs/graph.png" "$url"
    echo "docs/graph.png"
fi
