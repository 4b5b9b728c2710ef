#!/usr/bin/env bash
# Runs every workload for every library in one criterion run, then prints the table of medians and ratios.
set -euo pipefail
cd "$(dirname "$0")"
echo "cores: $(nproc)"
cargo bench --bench side_by_side "$@"
cargo run --release --quiet
python3 report.py
