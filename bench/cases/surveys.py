"""Surveys (问卷调查) at scale: the scale data's open questionnaire with 100,000 responses
(``bench/scale/surveys.py``).

* the staff's results page (``surveys:staff_results``), signed in as the organising
  department's staff, and the public results page (``surveys:public_results``): p95 ≤200 ms;
* the Excel export of the raw responses (``surveys.exports.write_responses``) in a fresh
  child process (``manage.py bench --survey-child export``), so its memory peak is its
  own: ≤20 s and <400 MB;
* answering: a full answer posted to the survey's public page (``surveys:public_detail``),
  page by page, each from a new visitor (its own cookies), in process;
* answering under load: gunicorn as in production (``bench/cases/loadrun.py``), visitors
  who each read a public page or answer the survey as a new visitor, pausing around
  ``PACE_SECONDS`` between iterations and arriving over the first pause: every POST of an
  answer p95 ≤80 ms, every answer answered with success stored, no 5xx. Shown again with
  no pause at all, where the server never idles: its throughput is the capacity, and its
  latency is the queue (visitors ÷ throughput), so it has no time target. The responses
  these runs add are taken away again afterwards.

A page, or the export, that this build does not have yet is listed without a time. The
signed-in account and the in-process answers are written in a transaction that is rolled
back.
"""

import importlib
import random
import statistics
import tempfile
import time
from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import NoReverseMatch, reverse

from accounts.roles import Role
from accounts.services import user_create
from bench.management.commands import bench_pdfs
from bench.scale.rows import scale_surveys
from surveys.demo import random_answers
from surveys.models import Response, Survey
from surveys.tallies import specs_of

from . import load, loadrun
from .results import Row, count_queries, percentile, time_calls, timed_row

GROUP = "surveys"
RESULTS_TARGET_MS = 200
ANSWER_TARGET_MS = 80
EXPORT_TARGET_S = 20.0
EXPORT_TARGET_MB = 400
PASSWORD = "bench-surveys-2026"  # noqa: S105 - a rolled-back fixture account
# URL names of the pages timed; each takes the survey's pk.
STAFF_RESULTS = "surveys:staff_results"
PUBLIC_RESULTS = "surveys:public_results"
PUBLIC_DETAIL = "surveys:public_detail"
# The answering limits are per address; every request here comes from one.
RAISED_LIMITS = {"PORTAL_SURVEY_RATE": 1_000_000}
LOAD_VISITORS = 40  # as many as `make load` runs
PACE_SECONDS = 2.0  # a visitor's mean pause between iterations in the paced run
ANSWER_SHARE = 2  # one iteration in two answers the survey, the other reads a page


def scale_survey() -> Survey:
    survey = scale_surveys().order_by("-pk").first()
    if survey is None:
        raise CommandError("No scale survey: run `manage.py seed_scale --replace`.")
    return survey


def _client(user=None) -> Client:
    client = Client(HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    if user is not None:
        client.force_login(user)
    return client


def _url(name: str, survey: Survey) -> str | None:
    try:
        return reverse(name, args=[survey.pk])
    except NoReverseMatch:
        return None


def page_row(label: str, client: Client, url: str | None, *, runs: int) -> Row:
    if url is None:
        return Row(group=GROUP, case=label, measured="no such page in this build")
    probe = client.get(url)
    if probe.status_code == 404:
        return Row(group=GROUP, case=label, measured="no such page in this build")
    if probe.status_code != 200:
        raise CommandError(f"{url} answered {probe.status_code}")

    def call():
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return response

    samples = time_calls(call, runs)
    response = call()
    row = timed_row(GROUP, label, samples, runs=runs, queries=count_queries(call),
                    measured=f"{len(response.content) / 1024:,.0f} KB")  # fmt: skip
    row.target = f"p95 ≤{RESULTS_TARGET_MS} ms"
    row.passed = row.p95_ms <= RESULTS_TARGET_MS
    return row


def answer_row(survey: Survey, *, runs: int) -> Row:
    """``runs`` full answers, each by a new visitor, as a browser sends them: GET the page
    (cookies, CSRF token), then one POST per page (下一页 …, 提交 on the last). Every POST is
    timed; success is the thank-you redirect with one more response stored. The visitors
    all come from one address, so the per-address limit is lifted for the case (it is
    tested elsewhere); the duplicate window still marks them, as it would."""
    label = f"answer the survey, {survey.response_count:,} responses (POST {PUBLIC_DETAIL})"
    url = _url(PUBLIC_DETAIL, survey)
    if url is None:
        return Row(group=GROUP, case=label, measured="no such page in this build")
    specs = specs_of(survey)
    pages = [
        [spec for spec in specs if spec.id in ids]
        for ids in (
            set(section.questions.values_list("pk", flat=True))
            for section in survey.sections.order_by("position")
        )
    ]
    pages = [page for page in pages if page]
    rng = random.Random(2027)  # noqa: S311 - a repeatable mix of answers, not a secret
    preferences: dict = {}
    samples, statuses = [], {}
    before = Response.objects.filter(survey=survey).count()
    with override_settings(PORTAL_SURVEY_RATE=10**6):
        for n in range(runs + 2):
            client = Client(HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
            page = client.get(url)
            if page.status_code == 404:
                return Row(group=GROUP, case=label, measured="no such page in this build")
            data = random_answers(specs, rng, preferences)
            for index, _page in enumerate(pages):
                last = index == len(pages) - 1
                started = time.perf_counter()
                response = client.post(
                    url, {**data, "page": str(index), "action": "submit" if last else "next"}
                )
                if n >= 2:  # the first two visitors warm up
                    samples.append(time.perf_counter() - started)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    stored = Response.objects.filter(survey=survey).count() - before
    row = Row(
        group=GROUP,
        case=label,
        median_ms=statistics.median(samples) * 1000,
        p95_ms=percentile(samples, 0.95) * 1000,
        measured=f"{stored} of {runs + 2} stored in {len(pages)} pages each; answers "
        + ", ".join(f"{status}×{n}" for status, n in sorted(statuses.items())),
        target=f"p95 ≤{ANSWER_TARGET_MS} ms, every answer stored",
    )
    row.passed = row.p95_ms <= ANSWER_TARGET_MS and stored == runs + 2
    return row


def run_child_case(case: str, *, runs: int) -> dict:
    """In the child process (``manage.py bench --survey-child export``): time the Excel
    export of every response of the scale survey and report the process's memory peak."""
    if case != "export":
        raise CommandError(f"unknown survey case {case}")
    survey = scale_survey()
    try:
        exports = importlib.import_module("surveys.exports")
        write_responses = exports.write_responses
    except (ImportError, AttributeError):
        return {"missing": True, "responses": survey.response_count}
    before_mb = bench_pdfs._peak_mb()
    samples = []
    size = 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "responses.xlsx"
        for _run in range(max(1, runs)):
            started = time.perf_counter()
            write_responses(survey, path)
            samples.append(time.perf_counter() - started)
            size = path.stat().st_size
    return {
        "missing": False,
        "responses": survey.response_count,
        "median_s": statistics.median(samples),
        "max_s": max(samples),
        "peak_mb": bench_pdfs._peak_mb(),
        "before_mb": before_mb,
        "bytes": size,
    }


def export_row(*, runs: int) -> Row:
    result = bench_pdfs.run_child(["bench", "--survey-child", "export", "--pdf-runs", str(runs)])
    label = f"Excel export of {result['responses']:,} responses (surveys.exports.write_responses)"
    if result["missing"]:
        return Row(group=GROUP, case=label, measured="no export in this build")
    return Row(
        group=GROUP,
        case=label,
        median_ms=result["median_s"] * 1000,
        p95_ms=result["max_s"] * 1000,
        peak_mb=result["peak_mb"],
        measured=f"{result['bytes'] / 1024 / 1024:,.1f} MB file; "
        f"{result['before_mb']:.0f} MB before the export",
        target=f"≤{EXPORT_TARGET_S:g} s, peak <{EXPORT_TARGET_MB} MB",
        passed=result["max_s"] <= EXPORT_TARGET_S and result["peak_mb"] < EXPORT_TARGET_MB,
    )


def under_load_row(survey: Survey, *, seconds: int, pause: float, workers=None) -> Row:
    """One answering run under gunicorn (``loadrun.answering_run``) as a row: the POSTs of
    the answers timed by the visitors, the run's rates, and whether nothing was lost."""
    redis = load.redis_url()
    paced = pause > 0
    label = (
        f"answer the survey under load: {LOAD_VISITORS} visitors, pause ~{pause:g} s"
        if paced
        else f"answer the survey under load: {LOAD_VISITORS} visitors, no pause (capacity)"
    )
    if not redis:
        return Row(group=GROUP, case=label, measured="no Redis: not run", passed=False)
    pages = [path for _label, path, shared in load.pages() if shared]
    targets = [loadrun.Target("public page", path) for path in pages]
    report = loadrun.answering_run(
        survey=survey,
        targets=targets,
        seconds=seconds,
        clients=LOAD_VISITORS,
        pause=pause,
        redis=redis,
        workers=workers,
        answer_every=ANSWER_SHARE,
        log=lambda line: None,
    )
    tally = report.tally
    posts = [ms for kind in loadrun.ANSWER_POSTS for ms in tally.latencies[kind]]
    answered = tally.answers[loadrun.Outcome.SUCCESS]
    requests = sum(len(values) for values in tally.latencies.values())
    every_stored = report.passed  # no 5xx, no request unanswered, stored == successes
    row = Row(
        group=GROUP,
        case=label,
        median_ms=percentile(posts, 0.5) if posts else None,
        p95_ms=percentile(posts, 0.95) if posts else None,
        measured=(
            f"{answered:,} answers ({answered / report.seconds:,.1f}/s), "
            f"{report.answers_stored:,} stored; {len(posts):,} answer POSTs, "
            f"{requests / report.seconds:,.0f} req/s in all; {tally.server_errors} 5xx, "
            f"{tally.connection_errors} unanswered"
        ),
    )
    if paced:
        row.target = f"p95 ≤{ANSWER_TARGET_MS} ms, every answer stored, no 5xx"
        row.passed = bool(posts) and row.p95_ms <= ANSWER_TARGET_MS and every_stored
    else:
        row.target = "every answer stored, no 5xx"
        row.passed = every_stored
    return row


def run(*, runs: int, export_runs: int = 1, load_seconds: int = 30, workers=None) -> list[Row]:
    survey = scale_survey()
    rows = []
    with transaction.atomic():
        staff = user_create(
            username="bench_surveys_staff",
            password=PASSWORD,
            full_name="基准经办人",
            department=survey.department,
            roles=[Role.DEPARTMENT_STAFF],
        )
        with override_settings(DEBUG=False, **RAISED_LIMITS):
            responses = f"{survey.response_count:,} responses"
            rows.append(
                page_row(f"staff results page, {responses} ({STAFF_RESULTS})",
                         _client(staff), _url(STAFF_RESULTS, survey), runs=runs)
            )  # fmt: skip
            rows.append(
                page_row(f"public results page, {responses} ({PUBLIC_RESULTS})",
                         _client(), _url(PUBLIC_RESULTS, survey), runs=runs)
            )  # fmt: skip
            rows.append(answer_row(survey, runs=runs))
        transaction.set_rollback(True)
    rows.append(export_row(runs=export_runs))
    for pause in (PACE_SECONDS, 0.0):
        rows.append(under_load_row(survey, seconds=load_seconds, pause=pause, workers=workers))
    return rows
