#!/usr/bin/env bash
# Installs the JS side's packages, exactly as pinned in package.json / package-lock.json (alien-signals;
# jotai, jotai-optics and optics-ts for issue 28's keyed lists), into the git-ignored
# benches/alien/node_modules with `npm ci`, only when one of them is missing or is another version.
# Run by ../run.sh.
#
# jotai 3 declares `engines.node >= 22.12`; it runs on node 20 here (ESM only, no require(esm)), and npm's
# EBADENGINE warning is silenced with the rest below the error level.
set -euo pipefail
cd "$(dirname "$0")"
stale=$(node -e '
    const deps = require("./package.json").dependencies;
    const have = (p) => { try { return require(`./node_modules/${p}/package.json`).version; } catch { return ""; } };
    console.log(Object.entries(deps).filter(([p, v]) => have(p) !== v).map(([p]) => p).join(" "));
')
if [[ -z "$stale" ]]; then
    exit 0
fi
echo "installing the JS side ($stale missing or another version): npm ci"
npm ci --no-audit --no-fund --loglevel=error
