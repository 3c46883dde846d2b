"""Public pages through the whole Django stack (test client, anonymous), timed in process.

The plain rows are what the server does for a page right after a change: page and
fragment caches off, and the content generation bumped before each request, so no list
total is kept either. The same pages are timed again with the shared fragment kept (how
signed-in visitors are served) and with the whole page kept (anonymous visitors), each in
a fresh local-memory cache filled by the warm-up requests, so no entry outlives the
rolled-back fixture in a shared cache.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Func
from django.test import Client
from django.test.utils import override_settings

from annual_plans.models import AnnualPlan, PlanItem
from bench.management.commands.bench_pdfs import catalog_fixture
from core.content_cache import bump_generation
from participation.models import Opinion

from .results import Row, count_queries, time_calls, timed_row

GROUP = "page"
PAGE_TARGET_MS = 80
SEARCH_TARGET_MS = 50
MATTER_OPINIONS = 5_000
CATALOG_ITEMS = 500


def matter_with_opinions(count: int = MATTER_OPINIONS) -> tuple[int, int]:
    """The published matter whose opinion count is closest to ``count``: (pk, opinions)."""
    row = (
        Opinion.objects.filter(matter__is_published=True)
        .values("matter")
        .annotate(n=Count("pk"))
        .order_by(Func(F("n") - count, function="ABS"), "matter")
        .first()
    )
    if row is None:
        raise CommandError("No published matter has opinions: run `manage.py seed_scale`.")
    return row["matter"], row["n"]


def catalog_year_closest(count: int = CATALOG_ITEMS) -> tuple[int, int] | None:
    """The year whose public catalog holds closest to ``count`` items: (year, items)."""
    return (
        PlanItem.objects.filter(plan__status=AnnualPlan.Status.PUBLISHED)
        .values_list("plan__year")
        .annotate(n=Count("pk"))
        .order_by(Func(F("n") - count, function="ABS"), "-plan__year")
        .first()
    )


def anonymous_get(url: str, *, cold: bool = False):
    """A request as a first-time anonymous visitor (no cookies), that must answer 200;
    ``cold``: after a change, with nothing cached (the generation bumped first)."""
    client = Client(HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")

    def call():
        if cold:
            bump_generation()
        client.cookies.clear()
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return response

    return call


def local_caches() -> dict:
    return {
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"bench-{alias}",
        }
        for alias in settings.CACHES
    }


def cases(
    *, fixture_year: int, scale_year: tuple[int, int] | None
) -> list[tuple[str, str, int | None]]:
    """(label, url, target p95 ms or None) for every page."""
    pk, opinions = matter_with_opinions()
    found = [
        ("home page /", "/", None),
        ("public matter list /matters/", "/matters/", PAGE_TARGET_MS),
        (f"matter page, {opinions:,} opinions (/matters/{pk}/)", f"/matters/{pk}/", PAGE_TARGET_MS),
        (
            f"catalog year page, {CATALOG_ITEMS} items (fixture, /catalogs/{fixture_year}/)",
            f"/catalogs/{fixture_year}/",
            PAGE_TARGET_MS,
        ),
    ]
    if scale_year is not None:
        year, items = scale_year
        found.append(
            (
                f"catalog year page, {items:,} items (scale data, /catalogs/{year}/)",
                f"/catalogs/{year}/",
                None,
            )
        )
    found.append(("search /search/?q=养老", "/search/?q=养老", SEARCH_TARGET_MS))
    # The public list of suggestions and proposals (as many as seed_scale made), plain
    # and searched by a word most items contain.
    found.append(("public proposals list /proposals/", "/proposals/", PAGE_TARGET_MS))
    found.append(
        ("public proposals searched /proposals/?q=养老", "/proposals/?q=养老", PAGE_TARGET_MS)
    )
    return found


# Row suffix per mode: cold (nothing cached), the shared fragment kept (how signed-in
# visitors are served), the whole page kept (anonymous visitors).
SUFFIXES = {"cold": "", "fragment": " [fragment cached]", "page": " [cached]"}


def page_row(label: str, url: str, target_ms: int | None, *, runs: int, mode: str) -> Row:
    call = anonymous_get(url, cold=mode == "cold")
    samples = time_calls(call, runs)
    response = call()
    row = timed_row(
        GROUP,
        f"{label}{SUFFIXES[mode]}",
        samples,
        runs=runs,
        queries=count_queries(call),
        measured=f"{len(response.content) / 1024:,.0f} KB",
    )
    if target_ms is not None:
        row.target = f"p95 ≤{target_ms} ms"
        row.passed = row.p95_ms <= target_ms
    return row


def run(*, runs: int) -> list[Row]:
    rows = []
    scale_year = catalog_year_closest()  # before the fixture adds its year
    with transaction.atomic():
        fixture_year = catalog_fixture(items=CATALOG_ITEMS)
        found = cases(fixture_year=fixture_year, scale_year=scale_year)
        with override_settings(DEBUG=False, PORTAL_PAGE_CACHE=False, PORTAL_FRAGMENT_CACHE=False):
            rows += [page_row(*case, runs=runs, mode="cold") for case in found]
        for mode, page_cache in (("fragment", False), ("page", True)):
            for case in found:
                with override_settings(
                    DEBUG=False,
                    PORTAL_PAGE_CACHE=page_cache,
                    PORTAL_FRAGMENT_CACHE=True,
                    CACHES=local_caches(),
                ):
                    rows.append(page_row(*case, runs=runs, mode=mode))
        transaction.set_rollback(True)
    return rows
