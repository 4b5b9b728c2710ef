#!/usr/bin/env bash
# Runs every workload for every Rust library in one criterion run and for alien-signals on node, then prints
# the table of medians and ratios (report.py).
set -euo pipefail
cd "$(dirname "$0")"
echo "cores: $(nproc)"
cargo bench --bench side_by_side "$@"
# alien-signals on node, the same workloads: writes target/alien-signals.json for report.py.
alien/install.sh
node alien/bench.mjs
cargo run --release --quiet
python3 report.py
