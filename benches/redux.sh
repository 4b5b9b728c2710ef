#!/usr/bin/env bash
# The cost of a `set` with the Redux DevTools bridge connected to the real server vs without a bridge.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/redux-devtools-server.sh
start_redux_devtools_server
cd benches
echo "cores: $(nproc)"
NEXUS_REDUX_DEVTOOLS_SERVER="127.0.0.1:$REDUX_DEVTOOLS_PORT" cargo bench --bench redux_bridge "$@"
