from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Scale data and benchmarks. Installed only by the bench and test settings; no other
    package imports it (lint-imports), and the production image leaves it out."""

    name = "bench"
    verbose_name = "Benchmarks"
