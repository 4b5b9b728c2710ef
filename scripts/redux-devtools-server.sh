# Sourced by .ci/run and scripts/redux-devtools-screenshot.sh: installs the official Redux DevTools server
# (@redux-devtools/cli, at the versions pinned by scripts/redux-devtools-server/package-lock.json, installed with
# `npm ci`) into the git-ignored folder redux-devtools-server/ (not a dot-folder: the server will not serve its
# UI from a path with a hidden segment), starts it on a free loopback port,
# and stops it when the sourcing shell exits, whatever happened.
#
# After `start_redux_devtools_server`: REDUX_DEVTOOLS_PORT is its port, REDUX_DEVTOOLS_PID its process.
# It replaces the sourcing shell's EXIT trap: a caller that needs its own sets it afterwards and calls
# `stop_redux_devtools_server` from it (as redux-devtools-screenshot.sh does).

REDUX_DEVTOOLS_DIR="${REDUX_DEVTOOLS_DIR:-$PWD/redux-devtools-server}"

install_redux_devtools() {
    local cli="$REDUX_DEVTOOLS_DIR/node_modules/@redux-devtools/cli/bin/redux-devtools.js"
    local sqlite="$REDUX_DEVTOOLS_DIR/node_modules/sqlite3/build/Release/node_sqlite3.node"
    local umd="$REDUX_DEVTOOLS_DIR/node_modules/react-dom/umd/react-dom.production.min.js"
    local pinned="$PWD/scripts/redux-devtools-server"
    if [[ -f "$cli" && -f "$sqlite" && -f "$umd" ]] \
        && cmp -s "$pinned/package-lock.json" "$REDUX_DEVTOOLS_DIR/package-lock.json"; then
        return 0
    fi
    echo "== installing @redux-devtools/cli from scripts/redux-devtools-server/package-lock.json"
    mkdir -p "$REDUX_DEVTOOLS_DIR"
    cp "$pinned/package.json" "$pinned/package-lock.json" "$REDUX_DEVTOOLS_DIR/"
    (
        cd "$REDUX_DEVTOOLS_DIR"
        # Exactly the lockfile's versions. --ignore-scripts skips the Electron download the package's
        # scripts would make; sqlite3's native module is then built from source (node's headers are
        # installed with node).
        npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
        npm rebuild sqlite3 --build-from-source --loglevel=error
        # The UI page loads React and ReactDOM as browser globals from react/umd and react-dom/umd, which
        # React 19 no longer ships (reduxjs/redux-devtools#1931): without them the UI is a blank page. The
        # protocol does not need them; the UI does. Build the two globals from the installed React 19.
        mkdir -p umd-shim node_modules/react/umd node_modules/react-dom/umd
        echo 'window.React = require("react");' > umd-shim/react.js
        echo 'module.exports = window.React;' > umd-shim/react-global.js
        echo 'window.ReactDOM = Object.assign({}, require("react-dom"), require("react-dom/client"));' \
            > umd-shim/react-dom.js
        local define='--define:process.env.NODE_ENV="production"'
        node_modules/.bin/esbuild umd-shim/react.js --bundle --minify "$define" --log-level=warning \
            --outfile=node_modules/react/umd/react.production.min.js
        node_modules/.bin/esbuild umd-shim/react-dom.js --bundle --minify "$define" --log-level=warning \
            --alias:react=./umd-shim/react-global.js --outfile="$umd"
    )
}

stop_redux_devtools_server() {
    if [[ -n "${REDUX_DEVTOOLS_PID:-}" ]]; then
        kill "$REDUX_DEVTOOLS_PID" 2>/dev/null || true
        wait "$REDUX_DEVTOOLS_PID" 2>/dev/null || true
        REDUX_DEVTOOLS_PID=
    fi
}

start_redux_devtools_server() {
    install_redux_devtools
    REDUX_DEVTOOLS_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local log="${REDUX_DEVTOOLS_LOG:-$REDUX_DEVTOOLS_DIR/server.log}"
    node "$REDUX_DEVTOOLS_DIR/node_modules/@redux-devtools/cli/bin/redux-devtools.js" \
        --hostname 127.0.0.1 --port "$REDUX_DEVTOOLS_PORT" > "$log" 2>&1 &
    REDUX_DEVTOOLS_PID=$!
    trap stop_redux_devtools_server EXIT
    for _ in $(seq 1 300); do
        if curl -fs -o /dev/null "http://127.0.0.1:$REDUX_DEVTOOLS_PORT/port.js"; then
            return 0
        fi
        if ! kill -0 "$REDUX_DEVTOOLS_PID" 2>/dev/null; then
            echo "the Redux DevTools server exited; its log:" >&2
            cat "$log" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "the Redux DevTools server did not answer on port $REDUX_DEVTOOLS_PORT within 30 s" >&2
    return 1
}
