#!/usr/bin/env bash
# Installs alien-signals (the version pinned in package.json / package-lock.json) into the git-ignored
# benches/alien/node_modules, only when it is not there yet (or is another version). Run by ../run.sh.
set -euo pipefail
cd "$(dirname "$0")"
want=$(node -p 'require("./package.json").dependencies["alien-signals"]')
have=$(node -p 'try { require("./node_modules/alien-signals/package.json").version } catch { "" }')
if [[ "$have" == "$want" ]]; then
    exit 0
fi
npm install --no-audit --no-fund --loglevel=error
