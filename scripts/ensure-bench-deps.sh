#!/bin/sh
# The benchmarks' system parts (`make bench`): the portal's own plus wrk, the HTTP load
# generator of the load run. Installed on Debian when run as root, as the portal's are.
set -eu
EXTRA_DEBIAN_PACKAGES="${EXTRA_DEBIAN_PACKAGES:-} wrk" exec sh "$(dirname "$0")/ensure-system-deps.sh"
