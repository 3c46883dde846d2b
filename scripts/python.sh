#!/bin/sh
# Prints the Python 3.11 that `make setup` builds .venv from:
#   1. $PYTHON, when set (make PYTHON=... or the environment);
#   2. the distribution's /usr/bin/python3.11 when it can make a virtualenv. Debian and
#      Ubuntu build it with profile-guided optimisation and LTO, libpython linked into the
#      executable, as the official python:3.11 images that the Dockerfile deploys are built.
#      A source build without those options (pyenv's default: no PGO, a shared libpython)
#      runs the portal's Python about 15% slower (README, "Benchmarks");
#   3. python3.11, then python3, on PATH.
set -eu

if [ -n "${PYTHON:-}" ]; then
  echo "$PYTHON"
  exit 0
fi
if [ -x /usr/bin/python3.11 ] && /usr/bin/python3.11 -c "import ensurepip, venv" 2>/dev/null; then
  echo /usr/bin/python3.11
  exit 0
fi
command -v python3.11 2>/dev/null || echo python3
