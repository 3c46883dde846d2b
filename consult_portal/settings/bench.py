"""What the benchmarks' commands run under (``make bench``, ``make load``): the embedded
default's settings plus the ``bench`` app, which holds the scale data, the benchmarks and
their commands (``bench``, ``seed_scale``, ``load_run``, ``bench_*``). The pages they load
are served by gunicorn under ``bench_server``, production's settings."""

from .local import *  # noqa: F403
from .local import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
