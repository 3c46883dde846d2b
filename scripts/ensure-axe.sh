#!/bin/sh
# Installs axe-core for the accessibility tests (tests/browser/test_accessibility.py) from the
# pinned tests/browser/axe/package-lock.json. `npm ci` runs only when node_modules is missing
# or older than the lock file, so a repeated `make setup` costs nothing. Without npm, Debian's
# nodejs and npm are installed when run as root; otherwise it stops with one line saying so.
set -eu

dir="$(dirname "$0")/../tests/browser/axe"
cd "$dir"

stamp=node_modules/.package-lock.json  # npm writes it on every install
if [ -f node_modules/axe-core/axe.min.js ] && [ -f "$stamp" ] && [ ! package-lock.json -nt "$stamp" ]; then
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: nodejs npm"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  else
    echo "缺少 npm / missing npm — 请安装后重试 / install it, e.g.: sudo apt-get install nodejs npm" >&2
    exit 1
  fi
fi

npm ci --no-audit --no-fund --loglevel=error
