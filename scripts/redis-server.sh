#!/usr/bin/env bash
# Installs Debian's redis-server, which the Redis mirror tests (tests/tests/redis_mirror.rs) and
# `cargo run --example replicas` start on a Unix socket of their own (no service is started here).
# Skipped when it is on the PATH already. Run by .ci/run.
set -euo pipefail
if ! command -v redis-server >/dev/null; then
    echo "== installing Debian's redis-server"
    sudo=""
    [[ "$(id -u)" == 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
fi
# Debian serves one redis-server per release (security updates replace it): say which one ran.
echo "redis: $(redis-server --version)"
