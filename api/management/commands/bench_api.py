"""Time the API's matter list against a baseline, in one process, on the current data.

    python manage.py bench_api [--runs 30]

Cases (each request goes through the whole Django stack with the test client):
``/api/v1/matters/?page_size=50`` plain, with filters, and with ``q``. The baseline is
what the issue names: the same 50 rows fetched with one raw SQL query and encoded with
``json.dumps``, timed the same way in the same run. Each case prints its median and p95
over ``--runs`` runs (after two warm-up runs), its SQL queries and its ratio to the
baseline. Run it on the scale database (``manage.py seed_scale``) for city-scale figures;
with fewer than 50 published matters it refuses.
"""

import json
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from matters.models import Matter

CASES = (
    ("API /api/v1/matters/?page_size=50", "/api/v1/matters/?page_size=50"),
    (
        "API with filters (kind, year, is_major_decision)",
        "/api/v1/matters/?page_size=50&kind=decision&year=2025&is_major_decision=false",
    ),
    ("API with q=养老", "/api/v1/matters/?page_size=50&q=养老"),
)

BASELINE_SQL = """
SELECT m.id, m.reference, m.title, m.kind, d.id, d.code, d.name, m.year, m.stage,
       m.stage_due_on, m.is_major_decision, m.is_major_public_interest,
       m.affects_stability, m.is_contested, m.seeks_non_party_opinions,
       m.planned_start, m.planned_end, m.is_published, m.published_at, m.updated_at
FROM matters_matter m JOIN accounts_department d ON d.id = m.department_id
WHERE m.is_published
ORDER BY m.updated_at DESC, m.id DESC
LIMIT 50
"""

BASELINE_KEYS = [
    "id",
    "reference",
    "title",
    "kind",
    "department_id",
    "department_code",
    "department_name",
    "year",
    "stage",
    "stage_due_on",
    "is_major_decision",
    "is_major_public_interest",
    "affects_stability",
    "is_contested",
    "seeks_non_party_opinions",
    "planned_start",
    "planned_end",
    "is_published",
    "published_at",
    "modified",
]


def baseline() -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL)
        rows = cursor.fetchall()
    return json.dumps(
        {"results": [dict(zip(BASELINE_KEYS, row, strict=True)) for row in rows]},
        default=str,
        ensure_ascii=False,
    ).encode()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Time the API's matter list against raw SQL + json.dumps on the current data."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30)

    def time(self, call, runs: int) -> tuple[float, float, int]:
        for _ in range(2):
            call()
        # Counted with an execute wrapper: the request_started signal empties the
        # connection's query log, so a query log diff would undercount requests.
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)
        ):
            call()
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            call()
            seconds.append(time.perf_counter() - started)
        return statistics.median(seconds), percentile(seconds, 0.95), len(queries)

    def handle(self, *args, runs, **options):
        published = Matter.objects.filter(is_published=True).count()
        if published < 50:
            raise CommandError(
                f"Only {published} published matters: run `manage.py seed_scale` first."
            )
        client = Client(HTTP_HOST="localhost")

        def get(url):
            def call():
                response = client.get(url)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
                return response.content

            return call

        base_median, base_p95, base_queries = self.time(baseline, runs)
        self.stdout.write(
            f"{Matter.objects.count():,} matters ({published:,} published), "
            f"{connection.vendor}, {runs} runs per case"
        )
        header = f"{'case':<52} {'median':>9} {'p95':>9} {'queries':>8} {'× baseline':>11}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        self.stdout.write(
            f"{'baseline: raw SQL + json.dumps, same 50 rows':<52} "
            f"{base_median * 1000:>7.1f}ms {base_p95 * 1000:>7.1f}ms {base_queries:>8} {'1.00':>11}"
        )
        for label, url in CASES:
            median, p95, queries = self.time(get(url), runs)
            self.stdout.write(
                f"{label:<52} {median * 1000:>7.1f}ms {p95 * 1000:>7.1f}ms {queries:>8} "
                f"{median / base_median:>11.2f}"
            )
