#!/usr/bin/env bash
# Re-takes docs/doc-store-page.png and docs/doc-atom-page.png: the generated documentation of the `tour`
# example as a browser shows it (a store's page listing its atoms with their kinds; an atom's page naming
# its owner). Needs Debian's chromium (`apt-get install chromium`).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo doc --quiet -p nexus-examples --example tour --no-deps
mkdir -p docs
shoot() { # page, output, height
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d)" --hide-scrollbars --window-size=1200,"$3" \
        --screenshot="$PWD/docs/$2" "file://$PWD/target/doc/tour/$1" 2>/dev/null
}
shoot 'struct.Session.html' doc-store-page.png 9000
shoot 'static.TOTAL.html' doc-atom-page.png 700
# The store's atoms, under Trait Implementations (`docs/doc-store-atoms.png`): cropped from the whole page
# with ImageMagick where it is installed (`apt-get install imagemagick`); the offset fits the tour example.
if command -v convert > /dev/null; then
    convert docs/doc-store-page.png -crop 1200x700+0+5400 docs/doc-store-atoms.png
    rm docs/doc-store-page.png
fi
ls docs/doc-*.png
