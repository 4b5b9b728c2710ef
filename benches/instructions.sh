#!/usr/bin/env bash
# Instructions per iteration of each workload (valgrind --tool=callgrind on `examples/workloads.rs`, a
# release build): the same count on every run of a binary, whatever this VM's speed does at the time, so
# two versions of the runtime compare exactly. Needs valgrind (`apt-get install valgrind`); not run by CI.
#   ./instructions.sh                 # every workload
#   ./instructions.sh deep diamond    # some
set -euo pipefail
cd "$(dirname "$0")"
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
cargo build --release --example workloads --quiet
bin=target/release/examples/workloads
declare -A runs=([get]=2000000 [set]=2000000 [set1]=200000 [new10]=20000 [deep]=20000 [broad]=4000
    [diamond]=100000 [repeated]=50000 [unstable]=50000 [cellx]=200 [effect1]=200000 [effect_batch10]=50000
    [effects1000]=1000 [set_beside_effects]=2000000 [field_get]=2000000 [field_set20]=200000 [list_edit100]=100000
    [list_edit10000]=5000)
workloads=("$@")
[ ${#workloads[@]} -eq 0 ] && workloads=(get set set1 new10 deep broad diamond repeated unstable cellx effect1 effect_batch10 effects1000
    set_beside_effects field_get field_set20 list_edit100 list_edit10000)
# Workloads whose set-up is not negligible beside their iterations (10,000 element atoms and subscribers
# cost more than 5,000 edits): their count is that of N iterations minus that of the set-up alone (N = 0).
declare -A setup=([field_set20]=1 [list_edit100]=1 [list_edit10000]=1)
count() {
    LAYERS=100 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 \
        | awk '/refs:/ {gsub(",", "", $4); print $4}'
}
for w in "${workloads[@]}"; do
    n=${runs[$w]:?unknown workload $w}
    # The program's start-up is a few hundred thousand instructions: negligible over these many iterations.
    total=$(count "$w" "$n")
    if [[ -n "${setup[$w]:-}" ]]; then
        base=$(count "$w" 0)
        echo "$w: $(((total - base) / n)) instructions per iteration (set-up, $base, subtracted)"
    else
        echo "$w: $((total / n)) instructions per iteration"
    fi
done
