#!/usr/bin/env bash
# Runs every workload for every Rust library with criterion and for alien-signals (and Jotai, on the keyed
# lists) on node, in several rounds (NEXUS_BENCH_ROUNDS, default 3) taken in turn, then prints the table
# of each library's best round and the ratios (report.py). Arguments are criterion's (a filter); the node
# side runs everything.
# This VM's speed moves by up to 2x for seconds to minutes: one library measured in a slow minute and the
# other in a fast one gave ratios off by that much; the best of interleaved rounds, the same rule for
# every library, is what the code costs.
set -euo pipefail
cd "$(dirname "$0")"
echo "cores: $(nproc)"
rounds=${NEXUS_BENCH_ROUNDS:-3}
rm -rf target/rounds
alien/install.sh
for round in $(seq "$rounds"); do
    echo "== round $round of $rounds"
    cargo bench --bench side_by_side "$@"
    # alien-signals on node, the same workloads: writes target/alien-signals.json.
    node alien/bench.mjs
    python3 report.py --save "target/rounds/$round.json"
done
# Memory (issue 33): alien-signals' heap per signal and per computed, then nexus's and reactive_graph's
# by a counting allocator, printed side by side.
node --expose-gc alien/memory.mjs > /dev/null
cargo run --release --quiet
python3 report.py target/rounds/*.json
