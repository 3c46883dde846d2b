"""The API's matter list against its baseline (cases and baselines from ``bench_api``).

Each case of ``bench_api.CASES`` is ``(label, url, where, order, params)``: its baseline
fetches the same rows with one SQL query and encodes them with ``json.dumps``
(``bench_api.baseline(where, order, params)``), timed in the same run, the two taking
turns (``time_side_by_side``). Timed with the
settings as configured (``PORTAL_PAGE_CACHE`` on by default, so the API's cached counts
are part of what is measured), with DEBUG off.
"""

import functools
import json
import statistics

from django.core.management.base import CommandError
from django.test import Client
from django.test.utils import override_settings

from bench.management.commands.bench_api import CASES, baseline
from matters.models import Matter

from .results import Row, count_queries, time_side_by_side, timed_row

GROUP = "api"
TARGET_RATIO = 2.5


def client_get(client: Client, url: str):
    def call():
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return response.content

    return call


def run(*, runs: int) -> list[Row]:
    with override_settings(DEBUG=False):
        return _run(runs=runs)


def _run(*, runs: int) -> list[Row]:
    published = Matter.objects.filter(is_published=True).count()
    if published < 50:
        raise CommandError(f"Only {published} published matters: run `manage.py seed_scale`.")
    client = Client(HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    rows = []
    for label, url, *shape in CASES:
        by_hand = functools.partial(baseline, *shape) if shape else baseline
        call = client_get(client, url)
        samples, api_samples = time_side_by_side(by_hand, call, runs)
        base = statistics.median(samples) * 1000
        rows.append(
            timed_row(
                GROUP,
                "  baseline: one SQL query + json.dumps, same rows",
                samples,
                runs=runs,
                queries=count_queries(by_hand),
                measured=f"{len(by_hand()):,} bytes",
                ratio=1.0,
            )
        )
        samples = api_samples
        queries = count_queries(call)
        # "Queries constant": the same count for 10 rows as for 50.
        small = count_queries(client_get(client, url.replace("page_size=50", "page_size=10")))
        content = call()
        same_rows = json.loads(by_hand())["results"] == json.loads(content)["results"]
        row = timed_row(
            GROUP,
            label,
            samples,
            runs=runs,
            queries=queries if queries == small else f"{queries} ({small} for 10 rows)",
            measured=f"{len(content):,} bytes"
            + ("" if same_rows else "; rows differ from the baseline's"),
            baseline=f"{base:.1f} ms",
            target=f"≤{TARGET_RATIO}× baseline, queries constant",
        )
        row.ratio = row.median_ms / base
        row.passed = row.ratio <= TARGET_RATIO and queries == small and same_rows
        rows.append(row)
    return rows
