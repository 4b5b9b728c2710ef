#!/usr/bin/env bash
# The minimum supported Rust version that README promises (the workspace's `rust-version`): builds `nexus`
# (and so `nexus-macros`) with every runtime feature on exactly that toolchain, installed when missing.
# Only the library: tests, examples and benches use dev-dependencies that may need a newer compiler, and
# users compile the library alone. Its own target folder, so the stable build's cache stays as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
msrv=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
toolchain="$msrv.0"
[[ "$msrv" == *.*.* ]] && toolchain="$msrv"
if ! rustc "+$toolchain" --version >/dev/null 2>&1; then
    echo "== installing Rust $toolchain (the MSRV)"
    rustup toolchain install "$toolchain" --profile minimal
fi
echo "MSRV: $(rustc "+$toolchain" --version)"
CARGO_TARGET_DIR=target/msrv cargo "+$toolchain" check --quiet --locked -p nexus --lib --features serde,tokio,redux-devtools
