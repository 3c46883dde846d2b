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

import functools
import json
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from matters.models import Matter
from matters.procedures import procedure_for

# Each case: its label, the API request, and the WHERE and ORDER BY that select the same
# rows in one hand-written query (its baseline). On PostgreSQL the search is the stored
# bigram vector (core/search.py): every bigram must match, title hits rank first.
SEARCH = "plainto_tsquery('simple'::regconfig, portal_bigrams(%(q)s))"
CASES = (
    (
        "API /api/v1/matters/?page_size=50",
        "/api/v1/matters/?page_size=50",
        "",
        "m.updated_at DESC, m.id DESC",
        {},
    ),
    (
        "API with filters (kind, year, is_major_decision)",
        "/api/v1/matters/?page_size=50&kind=decision&year=2025&is_major_decision=false",
        "AND m.kind = 'decision' AND m.year = 2025 AND NOT m.is_major_decision",
        "m.updated_at DESC, m.id DESC",
        {},
    ),
    (
        "API with q=养老",
        "/api/v1/matters/?page_size=50&q=养老",
        f"AND m.search_vector @@ {SEARCH}",
        f"ts_rank(m.search_title, {SEARCH}) + CASE WHEN m.search_title @@ {SEARCH} "
        "THEN 1.0 ELSE 0.0 END DESC, m.updated_at DESC NULLS LAST, m.id DESC",
        {"q": "养老"},
    ),
)

# The baseline builds the very document the API sends for the same page, from one SQL
# query: the department, the policy areas (aggregated in SQL) and whether a comment
# period is open now, with the labels, dates and links formatted in Python. The command
# checks that both give the same rows before timing them.
BASELINE_SQL = """
SELECT m.id, m.reference, m.title, m.kind, d.id, d.code, d.name, m.year, m.stage,
       m.stage_due_on, m.is_major_decision, m.is_major_public_interest,
       m.affects_stability, m.is_contested, m.seeks_non_party_opinions,
       m.planned_start, m.planned_end, m.is_published, m.published_at, m.updated_at,
       EXISTS (SELECT 1 FROM participation_commentperiod p
               WHERE p.matter_id = m.id AND p.starts_at <= %(now)s AND p.ends_at > %(now)s),
       (SELECT coalesce(json_agg(json_build_object('code', a.code, 'name', a.name)
                                 ORDER BY a.sort_order, a.code), '[]')
        FROM matters_matter_policy_areas l JOIN matters_policyarea a ON a.id = l.policyarea_id
        WHERE l.matter_id = m.id)
FROM matters_matter m JOIN accounts_department d ON d.id = m.department_id
WHERE m.is_published {where}
ORDER BY {order}
LIMIT 50
"""


def baseline(where: str = CASES[0][2], order: str = CASES[0][3], params=None) -> bytes:
    """The first page of a case (by default ``/api/v1/matters/?page_size=50``) for an
    anonymous client, by hand: one query, ``json.dumps``."""
    with connection.cursor() as cursor:
        cursor.execute(
            BASELINE_SQL.format(where=where, order=order), {"now": timezone.now(), **(params or {})}
        )
        rows = cursor.fetchall()
    kinds = dict(Matter._meta.get_field("kind").flatchoices)
    zone = timezone.get_current_timezone()
    base = "http://localhost"
    results = []
    for (pk, reference, title, kind, department_id, code, name, year, stage, stage_due_on,
         major, public_interest, stability, contested, non_party, planned_start, planned_end,
         published, published_at, updated_at, open_now, areas) in rows:  # fmt: skip
        results.append(
            {
                "id": pk,
                "reference": reference,
                "title": title,
                "kind": kind,
                "kind_label": str(kinds[kind]),
                "department": {"id": department_id, "code": code, "name": name},
                "year": year,
                "stage": stage,
                "stage_label": str(procedure_for(kind).stage(stage).label),
                "stage_due_on": stage_due_on and stage_due_on.isoformat(),
                "policy_areas": json.loads(areas) if isinstance(areas, str) else areas,
                "is_major_decision": major,
                "is_major_public_interest": public_interest,
                "affects_stability": stability,
                "is_contested": contested,
                "seeks_non_party_opinions": non_party,
                "planned_start": planned_start.isoformat(),
                "planned_end": planned_end.isoformat(),
                "is_published": published,
                "published_at": published_at and published_at.astimezone(zone).isoformat(),
                "open_for_comment": open_now,
                "modified": updated_at.astimezone(zone).isoformat(),
                "url": f"{base}/matters/{pk}/",
                "api_url": f"{base}/api/v1/matters/{pk}/",
            }
        )
    return json.dumps({"results": results}, ensure_ascii=False).encode()


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
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
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

        self.stdout.write(
            f"{Matter.objects.count():,} matters ({published:,} published), "
            f"{connection.vendor}, {runs} runs per case; each case's baseline fetches the same "
            "rows with one SQL query and encodes them with json.dumps"
        )
        header = f"{'case':<52} {'median':>9} {'p95':>9} {'queries':>8} {'× baseline':>11}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for label, url, where, order, params in CASES:
            by_hand = functools.partial(baseline, where, order, params)
            if json.loads(by_hand())["results"] != json.loads(get(url)())["results"]:
                raise CommandError(f"{label}: the baseline and the API disagree on the rows.")
            base_median, base_p95, base_queries = self.time(by_hand, runs)
            median, p95, queries = self.time(get(url), runs)
            self.stdout.write(
                f"{'  baseline: one SQL query + json.dumps':<52} {base_median * 1000:>7.1f}ms "
                f"{base_p95 * 1000:>7.1f}ms {base_queries:>8} {'1.00':>11}"
            )
            self.stdout.write(
                f"{label:<52} {median * 1000:>7.1f}ms {p95 * 1000:>7.1f}ms {queries:>8} "
                f"{median / base_median:>11.2f}"
            )
