#!/usr/bin/env bash
# The crate's `unsafe` code under Miri, on the nightly toolchain (installed with its miri component if
# missing): the two casts in nexus/src/core/value_slot.rs, through nexus's unit tests (value_slot's own
# among them) and nexus/tests/value_slots.rs, which drives every value-slot path through the public API,
# threads included; and the call of a definition through a pointer in nexus/src/graph/evaluate.rs
# (`recompute`), through nexus/tests/evaluated_definitions.rs, which removes a node while it is evaluated.
# A subset of the test suite: the whole suite takes hours under Miri on 2 cores (the file
# tests/tests/derived.rs alone took 7.5 minutes), while these paths are where the unsafe code is.
#
# -Zmiri-disable-isolation: registration reads the wall clock. -Zmiri-permissive-provenance: parking_lot
# (the store's lock) casts integers to pointers, which Miri otherwise warns about.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! cargo +nightly miri --version >/dev/null 2>&1; then
    echo "== installing the nightly toolchain with miri"
    rustup toolchain install nightly --profile minimal --component miri,rust-src
fi
cargo +nightly miri setup >/dev/null 2>&1 || cargo +nightly miri setup
export MIRIFLAGS="-Zmiri-disable-isolation -Zmiri-permissive-provenance"
cargo +nightly miri test -p nexus --lib --test value_slots --test evaluated_definitions
