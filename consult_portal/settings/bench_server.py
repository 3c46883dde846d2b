"""What gunicorn serves in the benchmarks' load runs: production settings plus a hello view.

Production as it is, with three differences that a benchmark on loopback needs:

* ``ROOT_URLCONF`` adds ``bench/hello/`` (``bench.urls``), the baseline the
  load run compares pages with. Production's URLs never have it.
* ``SECRET_KEY`` has a throw-away default, as the Docker build has.
* ``STATIC_ROOT`` is ``BENCH_STATIC_ROOT`` (the bench collects static files there first):
  the manifest storage stays as in production, so ``{% static %}`` costs what it costs.

HTTPS stays as in production: the load generator sends ``X-Forwarded-Proto: https`` as
the TLS-terminating proxy does (``SECURE_PROXY_SSL_HEADER``), so nothing redirects.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")

from .production import *  # noqa: F403
from .production import env

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = env.path(
    "BENCH_STATIC_ROOT", default=os.path.join(tempfile.gettempdir(), "consult-portal-bench-static")
)
