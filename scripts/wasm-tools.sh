# Sourced by scripts/wasm-test.sh, wasm-counter.sh, leptos-todo.sh and graph-page.sh (all run by .ci/run):
# installs what building and testing nexus for wasm32-unknown-unknown needs, each step skipped when done:
# - the rustup target wasm32-unknown-unknown;
# - wasm-bindgen-cli's tools (wasm-bindgen, wasm-bindgen-test-runner) at exactly the version of the
#   `wasm-bindgen` crate in Cargo.lock (the two must match), built by `cargo install --locked` from
#   scripts/wasm-bindgen-cli/, whose Cargo.lock pins every dependency: the same build on any day;
# - Debian's chromium and chromium-driver, the headless browser the wasm tests run in;
# and gives `serve_directory` and `headless_chromium` to the scripts that check pages in that browser.

install_wasm_tools() {
    rustup target add wasm32-unknown-unknown >/dev/null

    local version pinned
    version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
    pinned=$(awk '/^name = "wasm-bindgen-cli"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' \
        scripts/wasm-bindgen-cli/Cargo.lock)
    if [[ -z "$version" || "$version" != "$pinned" ]]; then
        echo "wasm-bindgen in Cargo.lock is '$version', scripts/wasm-bindgen-cli pins '$pinned':" \
            "they must match (see scripts/wasm-bindgen-cli/Cargo.toml)" >&2
        return 1
    fi
    if [[ "$(wasm-bindgen-test-runner --version 2>/dev/null)" != *" $version"* \
        || "$(wasm-bindgen --version 2>/dev/null)" != *" $version"* ]]; then
        echo "== installing wasm-bindgen-cli $version from scripts/wasm-bindgen-cli (a few minutes, once)"
        cargo install --quiet --locked --force --path scripts/wasm-bindgen-cli
    fi

    if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
        echo "== installing Debian's chromium and chromium-driver"
        local sudo=""
        [[ "$(id -u)" == 0 ]] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
    fi
    # Debian serves one chromium per release (security updates replace it): it cannot be pinned, so say
    # which one ran.
    echo "browser: $(chromium --version 2>/dev/null); $(chromedriver --version 2>/dev/null | cut -d' ' -f1-2)"
}

# Serves directory $1 on a free loopback port in the background, until the sourcing shell exits (it sets
# the EXIT trap); waits until it answers. Sets SERVED_PORT.
serve_directory() {
    SERVED_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    python3 -m http.server "$SERVED_PORT" --bind 127.0.0.1 --directory "$1" > /dev/null 2>&1 &
    SERVED_PID=$!
    trap 'kill $SERVED_PID 2>/dev/null || true' EXIT
    for _ in $(seq 50); do
        curl -s -o /dev/null "http://127.0.0.1:$SERVED_PORT/" && break
        sleep 0.1
    done
}

# Debian's chromium, headless, with the flags this machine needs (no sandbox as root, no background
# connections, a fresh profile), given $1 milliseconds of virtual time; the other arguments are chromium's.
headless_chromium() {
    local budget=$1
    shift
    chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)" --hide-scrollbars \
        --virtual-time-budget="$budget" "$@" 2>/dev/null
}
