#!/bin/sh
# Installs Lighthouse for tests/browser/test_lighthouse.py from the pinned
# tests/lighthouse/package-lock.json, as scripts/ensure-axe.sh does axe-core: `npm ci`
# only when node_modules is missing or older than the lock file.
set -eu

dir="$(dirname "$0")/../tests/lighthouse"
cd "$dir"

stamp=node_modules/.package-lock.json
if [ -x node_modules/.bin/lighthouse ] && [ -f "$stamp" ] && [ ! package-lock.json -nt "$stamp" ]; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || sh ../../scripts/ensure-axe.sh  # installs npm if missing
npm ci --no-audit --no-fund --loglevel=error
