#!/bin/sh
# Installs oidc-provider, the real OpenID Connect provider of tests/browser/test_oidc_journey.py,
# from the pinned tests/oidc/package-lock.json, as scripts/ensure-axe.sh does axe-core: `npm ci`
# only when node_modules is missing or older than the lock file.
set -eu

dir="$(dirname "$0")/../tests/oidc"
cd "$dir"

stamp=node_modules/.package-lock.json
if [ -f node_modules/oidc-provider/package.json ] && [ -f "$stamp" ] && [ ! package-lock.json -nt "$stamp" ]; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || sh ../../scripts/ensure-axe.sh  # installs npm if missing
npm ci --no-audit --no-fund --loglevel=error
