#!/usr/bin/env bash
# The crate's `unsafe` code under Miri, on a pinned nightly toolchain (installed with its miri component if
# missing): the two casts in nexus/src/core/value_slot.rs, through nexus's unit tests (value_slot's own
# among them) and nexus/tests/value_slots.rs, which drives every value-slot path through the public API,
# threads included; and the call of a definition through a pointer in nexus/src/graph/evaluate.rs
# (`recompute`), through nexus/tests/evaluated_definitions.rs, which removes a node while it is evaluated;
# and the drop of run-time atoms (nexus/src/core/teardown.rs's put-off queue freeing slots in a live store),
# through value_slots.rs's dropped chain.
# A subset of the test suite: the whole suite takes hours under Miri on 2 cores (the file
# tests/tests/derived.rs alone took 7.5 minutes), while these paths are where the unsafe code is.
#
# -Zmiri-disable-isolation: registration reads the wall clock. -Zmiri-permissive-provenance: parking_lot
# (the store's lock) casts integers to pointers, which Miri otherwise warns about.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Miri toolchain is pinned by date: an unpinned `nightly` is whatever is newest on the day CI runs.
# Why this date: Miri type-checks the variadic arguments of its `syscall` shims in nightlies from
# 2026-09-11 on (rust-lang/rust PR 161734), and parking_lot_core 0.9 (under parking_lot 0.12, the store's
# lock) passes `&AtomicI32` where the futex call takes `*mut u32`: those nightlies report UB inside
# parking_lot_core, not in nexus. parking_lot_core 0.10 passes the pointer Miri wants, but needs rustc 1.95
# (parking_lot 0.13), above nexus's MSRV (1.85). nightly-2026-08-01 (rustc 1.99.0-nightly ad3d0bc14)
# installs here with `miri` and `rust-src` and passes. Checked on 2026-12-04: the newest nightly
# (2026-10-29, rustc 1.101.0-nightly 92b5b8c87) reports that UB in value_slots.rs with parking_lot 0.12, and
# passes with parking_lot 0.13. Override with NEXUS_MIRI_TOOLCHAIN to try another.
toolchain="${NEXUS_MIRI_TOOLCHAIN:-nightly-2026-08-01}"
if ! cargo "+$toolchain" miri --version >/dev/null 2>&1; then
    echo "== installing $toolchain with miri and rust-src"
    rustup toolchain install "$toolchain" --profile minimal --component miri,rust-src
fi
echo "Miri: $(cargo "+$toolchain" miri --version)"
cargo "+$toolchain" miri setup >/dev/null 2>&1 || cargo "+$toolchain" miri setup
export MIRIFLAGS="-Zmiri-disable-isolation -Zmiri-permissive-provenance"
cargo "+$toolchain" miri test --locked -p nexus --lib --test value_slots --test evaluated_definitions
