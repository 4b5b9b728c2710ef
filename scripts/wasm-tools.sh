# Sourced by .ci/run, scripts/wasm-test.sh and scripts/wasm-counter.sh: installs what building and testing
# nexus for wasm32-unknown-unknown needs, each step skipped when already done:
# - the rustup target wasm32-unknown-unknown;
# - wasm-bindgen-cli (wasm-bindgen, wasm-bindgen-test-runner) at exactly the version of the `wasm-bindgen`
#   crate in Cargo.lock (the two must match), built by `cargo install`;
# - Debian's chromium and chromium-driver, the headless browser the wasm tests run in.

install_wasm_tools() {
    rustup target add wasm32-unknown-unknown >/dev/null

    local version
    version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
    if [[ -z "$version" ]]; then
        echo "no wasm-bindgen in Cargo.lock" >&2
        return 1
    fi
    if [[ "$(wasm-bindgen-test-runner --version 2>/dev/null)" != *" $version"* ]]; then
        echo "== installing wasm-bindgen-cli $version (a few minutes, once)"
        # Its own lockfile first; if the registry no longer has a version it pins (seen: webpki-roots
        # 1.0.11), the newest compatible versions.
        cargo install --quiet --locked --force wasm-bindgen-cli --version "=$version" \
            || cargo install --quiet --force wasm-bindgen-cli --version "=$version"
    fi

    if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
        echo "== installing Debian's chromium and chromium-driver"
        local sudo=""
        [[ "$(id -u)" == 0 ]] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
    fi
}
