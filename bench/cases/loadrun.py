"""Load without loss: public pages and opinion submissions for a bounded time.

gunicorn serves the portal as in production (``load.Server``:
``consult_portal.settings.bench_server``, DEBUG off, the Redis cache) on loopback while
``clients`` threads, each one visitor with its own cookies, loop until the time is up.
Most iterations read a public page; one in ``SUBMIT_EVERY`` opens the comment form and
posts an opinion carrying a marker unique to this run and submission. A submission is
answered with success only when the server redirects to the period's thank-you page, which
the view does once the opinion is stored.

Where an open public survey (问卷调查) is given, one iteration in ``ANSWER_EVERY`` answers
it as a new visitor (no cookies yet): the form, one POST per page (下一页 …, 提交 on the
last), the thank-you page. A response is answered with success only by the redirect to the
survey's thank-you page, which the view sends once the response is stored.

When every client has had its last answer and gunicorn has stopped, the opinions holding
this run's markers are read back: every success must have stored exactly one opinion
(else it is *missing*), and nothing else may be stored (else it is *extra*: a client that
gave up on an answer the server still completed, or a duplicate). The survey's responses
are counted before and after: the run must have added exactly as many as were answered
with success (nobody else answers during the run).
"""

import http.client
import os
import random
import re
import secrets
import socket
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import CommandError
from django.urls import reverse

from matters.selectors import matters_public
from participation.models import CommentPeriod, Opinion
from participation.selectors.comments import comment_periods_open
from surveys import answering
from surveys.demo import random_answers  # the answers the demo and scale data hold
from surveys.models import Response, Survey
from surveys.rules import open_public_surveys

from . import load
from .pages import catalog_year_closest
from .results import percentile

DEFAULT_SECONDS = 60
DEFAULT_CLIENTS = 40
SUBMIT_EVERY = 5  # one iteration in five submits an opinion
ANSWER_EVERY = 5  # and, where a survey is open, one in five answers it
# Longer than gunicorn's 30 s worker timeout: a request the server gives up on shows as
# a connection error (as a proxy would show a 502), not as the client's impatience.
CLIENT_TIMEOUT = 60
# What the run raises in gunicorn's environment: every client comes from 127.0.0.1, so
# the per-address opinion limit (5 per 10 minutes) would refuse almost every submission.
RAISED_LIMITS = {
    "PORTAL_OPINION_RATE": "1000000",
    "PORTAL_SURVEY_RATE": "1000000",
    "PORTAL_API_ANON_RATE": "1000000/min",
    "PORTAL_API_USER_RATE": "1000000/min",
}
FORM_KIND = "comment form (GET)"
SUBMIT_KIND = "opinion submit (POST)"
THANKS_KIND = "thank-you page"
SURVEY_FORM_KIND = "survey form (GET)"
SURVEY_PAGE_KIND = "survey page (POST, next page)"
SURVEY_SUBMIT_KIND = "survey submit (POST, last page)"
SURVEY_THANKS_KIND = "survey thank-you page"
# The requests of answering a survey: their latencies together are the answering figure.
ANSWER_POSTS = (SURVEY_PAGE_KIND, SURVEY_SUBMIT_KIND)
OPINION_TEXT = "建议延长征求意见期，并在社区公告栏同步张贴草案。"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Target:
    kind: str
    path: str


@dataclass(frozen=True)
class Period:
    """The open comment period the submissions go to: its page holds the form."""

    pk: int
    form_path: str
    thanks_path: str


@dataclass(frozen=True)
class SurveyPlan:
    """The open public survey the answers go to: its questions (``surveys.questions.Spec``,
    read-only, shared by the clients) and how many pages it has."""

    pk: int
    form_path: str
    thanks_path: str
    specs: tuple
    pages: int
    title: str = ""


class Outcome(StrEnum):
    SUCCESS = "answered with success (redirect to the thank-you page)"
    FORM_AGAIN = "form shown again (200: validation refused)"
    REFUSED = "refused (4xx)"
    SERVER_ERROR = "server error (5xx)"
    NO_ANSWER = "no answer (connection error or timeout)"
    OTHER = "other answer"
    NO_FORM = "not posted: form page had no form or token"


def submission_outcome(status: int | None, location: str, thanks_path: str) -> Outcome:
    """What the answer to an opinion POST means (participation.views.comments.period_detail):
    stored → redirect to the thank-you page; invalid form → the page again with 200;
    too many from one address → 429; CSRF failure → 403."""
    if status is None:
        return Outcome.NO_ANSWER
    if status >= 500:
        return Outcome.SERVER_ERROR
    if status in (301, 302, 303) and urllib.parse.urlsplit(location).path == thanks_path:
        return Outcome.SUCCESS
    if status == 200:
        return Outcome.FORM_AGAIN
    if 400 <= status < 500:
        return Outcome.REFUSED
    return Outcome.OTHER


class Tally:
    """Every request's kind, status (None: no answer) and latency, and every submission's
    marker by outcome. Clients record from their threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.outcomes: dict[Outcome, list[str]] = defaultdict(list)
        self.refusals: Counter = Counter()  # status of each 4xx answer to a submission
        self.answers: Counter = Counter()  # each survey answer's Outcome

    def request(self, kind: str, status: int | None, ms: float) -> None:
        with self._lock:
            self.latencies[kind].append(ms)
            self.statuses[kind][status] += 1

    def submission(self, marker: str, outcome: Outcome, status: int | None = None) -> None:
        with self._lock:
            self.outcomes[outcome].append(marker)
            if outcome is Outcome.REFUSED:
                self.refusals[status] += 1

    def answer(self, outcome: Outcome) -> None:
        with self._lock:
            self.answers[outcome] += 1

    def count(self, test) -> int:
        return sum(
            n for counter in self.statuses.values() for status, n in counter.items() if test(status)
        )

    @property
    def server_errors(self) -> int:
        return self.count(lambda status: status is not None and status >= 500)

    @property
    def connection_errors(self) -> int:
        return self.count(lambda status: status is None)

    @property
    def successes(self) -> set[str]:
        return set(self.outcomes[Outcome.SUCCESS])


@dataclass
class Report:
    seconds: float
    tally: Tally
    stored: list[str]  # this run's marker of every stored opinion, one per row
    notes: list[str] = field(default_factory=list)
    # Responses the survey gained during the run (None: no survey was answered).
    answers_stored: int | None = None

    @property
    def missing(self) -> list[str]:
        """Answered with success, not stored."""
        return sorted(self.tally.successes - set(self.stored))

    @property
    def extra(self) -> list[str]:
        """Stored without a success answer, and every second copy of one marker."""
        duplicates = [marker for marker, n in Counter(self.stored).items() for _ in range(n - 1)]
        return sorted([*(set(self.stored) - self.tally.successes), *duplicates])

    def failures(self) -> list[str]:
        found = []
        if self.tally.server_errors:
            found.append(f"{self.tally.server_errors} answers with 5xx")
        if self.tally.connection_errors:
            found.append(f"{self.tally.connection_errors} requests without an answer")
        answered = self.tally.answers[Outcome.SUCCESS]
        if not self.tally.successes and not answered:
            found.append("no submission answered with success: the run proves nothing")
        if len(self.stored) != len(self.tally.successes) or self.missing or self.extra:
            found.append(
                f"{len(self.stored)} opinions stored for {len(self.tally.successes)} "
                f"successful submissions ({len(self.missing)} missing, {len(self.extra)} extra)"
            )
        if self.answers_stored is not None and self.answers_stored != answered:
            found.append(
                f"the survey gained {self.answers_stored} responses for {answered} answers "
                "answered with success"
            )
        return found

    @property
    def passed(self) -> bool:
        return not self.failures()

    def lines(self) -> list[str]:
        tally = self.tally
        header = (
            "kind",
            "requests",
            "req/s",
            "median ms",
            "p95 ms",
            "max ms",
            "5xx",
            "no answer",
            "statuses",
        )
        rows = []
        for kind in sorted(tally.latencies, key=_kind_order):
            values = tally.latencies[kind]
            statuses = tally.statuses[kind]
            rows.append(_row(kind, values, statuses, self.seconds))
        every = [ms for values in tally.latencies.values() for ms in values]
        total = Counter()
        for counter in tally.statuses.values():
            total.update(counter)
        rows.append(_row("all requests", every, total, self.seconds))
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

        def line(row):
            return "  ".join(
                str(cell).ljust(width) if i in (0, len(row) - 1) else str(cell).rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ).rstrip()

        found = [
            f"load run: {self.seconds:.1f} s",
            line(header),
            line(["-" * width for width in widths]),
            *(line(row) for row in rows),
            "",
        ]
        posted = sum(
            len(markers)
            for outcome, markers in tally.outcomes.items()
            if outcome is not Outcome.NO_FORM
        )
        found.append(f"opinion submissions posted: {posted}")
        for outcome in Outcome:
            n = len(tally.outcomes.get(outcome, ()))
            detail = ""
            if outcome is Outcome.REFUSED and tally.refusals:
                detail = (
                    " (" + ", ".join(f"{s}: {n}" for s, n in sorted(tally.refusals.items())) + ")"
                )
            found.append(f"  {outcome.value}: {n}{detail}")
        if self.answers_stored is not None:
            found.append(f"survey answers posted: {sum(tally.answers.values())}")
            found += [
                f"  {outcome.value}: {tally.answers[outcome]}"
                for outcome in Outcome
                if tally.answers[outcome]
            ]
            found.append(f"survey responses stored during the run: {self.answers_stored}")
        found += [
            f"5xx answers: {tally.server_errors}",
            f"requests without an answer (connection error, timeout): {tally.connection_errors}",
            f"submissions answered with success: {len(tally.successes)}",
            f"opinions stored with this run's markers: {len(self.stored)}",
            f"missing (answered success, not stored): {len(self.missing)}",
            f"extra (stored, not answered success): {len(self.extra)}",
        ]
        for label, markers in (("missing", self.missing), ("extra", self.extra)):
            if markers:
                shown = ", ".join(markers[:10]) + (" ..." if len(markers) > 10 else "")
                found.append(f"  {label}: {shown}")
        failures = self.failures()
        found.append("result: " + ("PASS" if not failures else "FAIL: " + "; ".join(failures)))
        found += [f"- {note}" for note in self.notes]
        return found


def _kind_order(kind: str) -> tuple[int, str]:
    flow = {
        FORM_KIND: 1,
        SUBMIT_KIND: 2,
        THANKS_KIND: 3,
        SURVEY_FORM_KIND: 4,
        SURVEY_PAGE_KIND: 5,
        SURVEY_SUBMIT_KIND: 6,
        SURVEY_THANKS_KIND: 7,
    }
    return flow.get(kind, 0), kind


def _row(kind: str, values: list[float], statuses: Counter, seconds: float) -> list:
    errors = sum(n for status, n in statuses.items() if status is not None and status >= 500)
    shown = ", ".join(
        f"{status}: {n}"
        for status, n in sorted(statuses.items(), key=lambda i: i[0] or 0)
        if status is not None
    )
    return [
        kind,
        len(values),
        f"{len(values) / seconds:,.1f}" if seconds else "-",
        f"{percentile(values, 0.5):,.0f}" if values else "-",
        f"{percentile(values, 0.95):,.0f}" if values else "-",
        f"{max(values):,.0f}" if values else "-",
        errors,
        statuses.get(None, 0),
        shown,
    ]


class Visitor:
    """One browser: its own connection and cookies, never a retried request (a POST sent
    twice could store an opinion twice)."""

    def __init__(self, *, base: str, tally: Tally):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        # The proxy terminates TLS (X-Forwarded-Proto: https): the page's origin is https.
        self.origin = f"https://{parts.netloc}"
        self.tally = tally
        self.connection: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    @property
    def csrf_cookie(self) -> str:
        return self.cookies.get(settings.CSRF_COOKIE_NAME, "")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ):
        """(status or None, Location, body); the request is recorded in the tally."""
        sent = {**load.HEADERS, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=CLIENT_TIMEOUT
                )
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            self.tally.request(kind, None, (time.perf_counter() - started) * 1000)
            return None, "", b""
        self.tally.request(kind, response.status, (time.perf_counter() - started) * 1000)
        if response.will_close:  # gunicorn's sync workers close after every answer
            self.close()
        for cookie in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in rest.lower():
                self.cookies[name.strip()] = value
            else:  # deleted (a flushed session)
                self.cookies.pop(name.strip(), None)
        return response.status, response.headers.get("Location", ""), data

    def read(self, target: Target) -> None:
        self.request(target.kind, "GET", target.path)

    def submit(self, period: Period, marker: str) -> None:
        status, _, page = self.request(FORM_KIND, "GET", period.form_path)
        if status != 200:
            return  # counted with the form's requests; nothing was posted
        token = TOKEN.search(page)
        if token is None or not self.csrf_cookie:
            self.tally.submission(marker, Outcome.NO_FORM)
            return
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "content": f"负载测试意见 {marker}：{OPINION_TEXT}",
                "article": "第三条",
                "author_name": "",
                "contact": "",
                "website": "",  # the honeypot stays empty, as a person leaves it
            }
        ).encode()
        status, location, _ = self.request(
            SUBMIT_KIND,
            "POST",
            period.form_path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + period.form_path,
            },
        )
        outcome = submission_outcome(status, location, period.thanks_path)
        self.tally.submission(marker, outcome, status)
        if outcome is Outcome.SUCCESS:
            self.request(THANKS_KIND, "GET", urllib.parse.urlsplit(location).path)

    def answer(self, survey: SurveyPlan, data: dict[str, list[str]]) -> None:
        """Answer ``survey`` with ``data`` (every page's fields, as a browser holds them) as
        a new person: no cookies yet, so no session and no browser mark."""
        self.cookies = {}
        status, _, page = self.request(SURVEY_FORM_KIND, "GET", survey.form_path)
        if status != 200:
            return
        token = TOKEN.search(page)
        if token is None or not self.csrf_cookie:
            self.tally.answer(Outcome.NO_FORM)
            return
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.origin,
            "Referer": self.origin + survey.form_path,
        }
        for index in range(survey.pages):
            last = index == survey.pages - 1
            body = urllib.parse.urlencode(
                {
                    **data,
                    "csrfmiddlewaretoken": [token.group(1).decode()],
                    "website": [""],
                    "page": [str(index)],
                    "action": ["submit" if last else "next"],
                },
                doseq=True,
            ).encode()
            kind = SURVEY_SUBMIT_KIND if last else SURVEY_PAGE_KIND
            status, location, _ = self.request(
                kind, "POST", survey.form_path, body=body, headers=headers
            )
            if not last and status != 200:  # the next page was not shown: say why, stop
                self.tally.answer(submission_outcome(status, location, survey.thanks_path))
                return
        outcome = submission_outcome(status, location, survey.thanks_path)
        self.tally.answer(outcome)
        if outcome is Outcome.SUCCESS:
            self.request(SURVEY_THANKS_KIND, "GET", urllib.parse.urlsplit(location).path)


def drive(
    *,
    base: str,
    targets: list[Target],
    period: Period | None,
    seconds: float,
    clients: int,
    run_id: str,
    submit_every: int = SUBMIT_EVERY,
    survey: SurveyPlan | None = None,
    answer_every: int = ANSWER_EVERY,
    pause: float = 0.0,
) -> tuple[Tally, float]:
    """Run ``clients`` visitors until ``seconds`` have passed; wait for their last answers.
    Each iteration submits an opinion (one in ``submit_every``, where there is a period),
    answers the survey (one in ``answer_every``, where there is one) or reads a page; a
    visitor then pauses a random time around ``pause`` seconds (0: none, the server never
    idles). (tally, seconds from the first request to the last answer)."""
    tally = Tally()
    deadline = time.monotonic() + seconds
    crashes: list[BaseException] = []
    shares = [
        (1 / submit_every) if period is not None else 0.0,
        (1 / answer_every) if survey is not None else 0.0,
    ]

    def visit(number: int) -> None:
        rng = random.Random(f"{run_id}-{number}")  # noqa: S311 - a mix of pages, not a secret
        preferences: dict = {}
        visitor = Visitor(base=base, tally=tally)
        sequence = 0
        try:
            if pause:  # visitors arrive over time, not all in the same instant
                time.sleep(rng.uniform(0, pause))
            while time.monotonic() < deadline:
                draw = rng.random()
                if draw < shares[0]:
                    sequence += 1
                    visitor.submit(period, f"{run_id}-{number:03d}-{sequence:06d}")
                elif draw < shares[0] + shares[1]:
                    visitor.answer(survey, random_answers(survey.specs, rng, preferences))
                else:
                    visitor.read(rng.choice(targets))
                if pause:  # a person reading; never past the end of the run
                    wait = min(rng.expovariate(1 / pause), 10 * pause)
                    time.sleep(max(0.0, min(wait, deadline - time.monotonic())))
        except BaseException as error:  # a bug in the driver must not pass for a quiet run
            crashes.append(error)
        finally:
            visitor.close()

    started = time.monotonic()
    threads = [
        threading.Thread(target=visit, args=(n,), name=f"load-client-{n}", daemon=True)
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if crashes:
        raise crashes[0]
    return tally, time.monotonic() - started


# ----------------------------------------------------------------- the run on a database


def new_run_id() -> str:
    return f"LOAD{time.strftime('%Y%m%d%H%M%S')}X{secrets.token_hex(3).upper()}"


def open_period() -> Period:
    period = comment_periods_open().first()
    if period is None:
        raise CommandError(
            "No open comment period in this database: the demo data's period opened by "
            "seed_demo has closed. Drop the load database and run again."
        )
    return Period(
        pk=period.pk,
        form_path=reverse("participation:comment_period", kwargs={"pk": period.pk}),
        thanks_path=reverse("participation:comment_thanks", kwargs={"pk": period.pk}),
    )


def survey_plan(survey: Survey) -> SurveyPlan:
    pages = answering.pages_of(survey)
    return SurveyPlan(
        pk=survey.pk,
        form_path=reverse("surveys:public_detail", args=[survey.pk]),
        thanks_path=reverse("surveys:thanks", args=[survey.pk]),
        specs=tuple(answering.all_specs(pages)),
        pages=len(pages),
        title=survey.title,
    )


def open_survey() -> SurveyPlan | None:
    """The open survey the public answers that has the most questions (the demo's poll
    where nothing larger is open), or ``None``."""
    found = [
        survey_plan(survey)
        for survey in open_public_surveys().order_by("pk")
        if survey.takes_public
    ]
    found = [plan for plan in found if plan.pages]
    return max(found, key=lambda plan: len(plan.specs), default=None)


def responses_of(plan: SurveyPlan | None) -> int:
    if plan is None:
        return 0
    return Response.objects.filter(survey_id=plan.pk).count()


def public_targets(period: Period) -> list[Target]:
    """The public pages a visitor reads: home, matter list and pages, open consultations,
    catalogs and search."""
    matter = CommentPeriod.objects.select_related("matter").get(pk=period.pk).matter
    matters = [matter, *matters_public().exclude(pk=matter.pk)[:4]]
    targets = [
        Target("home page", reverse("home")),
        Target("matter list", reverse("matters:public_list")),
        *(Target("matter page", reverse("matters:public_detail", args=[m.pk])) for m in matters),
        Target("open consultations", reverse("participation:open_comment_periods")),
        Target("catalog index", reverse("annual_plans:public_list")),
    ]
    year = catalog_year_closest()
    if year is not None:
        targets.append(Target("catalog year", reverse("annual_plans:public_year", args=[year[0]])))
    for words in (matter.title[:4], "征求意见"):
        query = urllib.parse.urlencode({"q": words})
        targets.append(Target("search", f"{reverse('search:results')}?{query}"))
    return targets


def stored_markers(run_id: str) -> list[str]:
    """This run's marker of every opinion stored with one (a row per opinion)."""
    pattern = re.compile(rf"{re.escape(run_id)}-\d+-\d+")
    found = []
    for content in Opinion.objects.filter(content__contains=run_id).values_list(
        "content", flat=True
    ):
        found += pattern.findall(content)[:1]
    return found


def static_current(static_root: Path) -> bool:
    """The collected files (their manifest) are newer than every file collectstatic would
    collect: collecting again would change nothing."""
    manifest = static_root / "staticfiles.json"
    if not manifest.is_file():
        return False
    collected_at = manifest.stat().st_mtime
    return all(
        os.path.getmtime(storage.path(path)) <= collected_at
        for finder in finders.get_finders()
        for path, storage in finder.list(["CVS", ".*", "*~"])
    )


def _without_password(url: str) -> str:
    return re.sub(r"://([^:@/]*):[^@/]*@", r"://\1:***@", url)


def redis_reachable(url: str) -> bool:
    host, port = re.match(r"redis://(?:[^@/]*@)?([^:/]+):?(\d*)", url).groups()
    try:
        socket.create_connection((host, int(port or 6379)), timeout=1).close()
    except OSError:
        return False
    return True


def start_server(*, redis: str, workers: int, paths) -> load.Server:
    """gunicorn on this database and ``redis``, with the limits raised, once each of
    ``paths`` answers 200 (stopped again, and the run refused, when one does not)."""
    static_root = os.environ.get("BENCH_STATIC_ROOT") or str(load.settings_static_root())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "consult_portal.settings.bench_server",
        "BENCH_STATIC_ROOT": static_root,
        "DATABASE_URL": load.database_url(),
        "REDIS_URL": redis,
        "PYTHONUNBUFFERED": "1",
        **RAISED_LIMITS,
    }
    if not static_current(Path(static_root)):
        load.collectstatic(env)  # over a minute on this machine: whitenoise compresses
    server = load.Server(env=env, workers=workers)
    try:
        server.wait_ready()
        for path in sorted(paths):
            status = server.get(path)
            if status != 200:
                raise CommandError(
                    f"{path} answers {status} before any load (see {server.log.name})"
                )
    except BaseException:
        server.stop()
        raise
    return server


def run(
    *, seconds: float, clients: int, redis: str, workers: int | None = None, log=print
) -> Report:
    if not redis_reachable(redis):
        raise CommandError(
            f"Redis does not answer at {_without_password(redis)}: the load run needs it."
        )
    workers = workers or int(os.environ.get("GUNICORN_WORKERS", load.DEFAULT_WORKERS))
    period = open_period()
    targets = public_targets(period)
    survey = open_survey()
    run_id = new_run_id()
    paths = {target.path for target in targets} | {period.form_path}
    paths |= {survey.form_path} if survey is not None else set()
    server = start_server(redis=redis, workers=workers, paths=paths)
    try:
        log(
            f"load run {run_id}: {clients} clients for {seconds:g} s against {workers} "
            f"gunicorn workers on {server.base}"
        )
        responses_before = responses_of(survey)
        tally, elapsed = drive(
            base=server.base,
            targets=targets,
            period=period,
            seconds=seconds,
            clients=clients,
            run_id=run_id,
            survey=survey,
        )
    finally:
        server.stop()  # SIGTERM: gunicorn finishes what it is answering, then exits
    notes = [
        f"gunicorn `consult_portal.wsgi:application --workers {workers}` with "
        "`consult_portal.settings.bench_server` (production settings, DEBUG off), database "
        f"{settings.DATABASES['default']['NAME']}, cache Redis {_without_password(redis)}; "
        f"log {server.log.name}.",
        f"{clients} client threads on the same machine, each one visitor with its own "
        f"cookies; one iteration in {SUBMIT_EVERY} opens the comment form of period "
        f"{period.pk} and posts an opinion marked {run_id}-<client>-<n>, the others read one "
        f"of {len(targets)} public pages. No request is retried; client timeout "
        f"{CLIENT_TIMEOUT} s.",
        "Raised for this run in gunicorn's environment, as every client has the address "
        "127.0.0.1: "
        + ", ".join(f"{name}={value}" for name, value in RAISED_LIMITS.items())
        + " (the per-address opinion limit would otherwise refuse nearly every submission).",
        "Opinions counted after the load stopped and gunicorn exited.",
    ]
    if survey is not None:
        notes.insert(
            2,
            f"One iteration in {ANSWER_EVERY} answers survey {survey.pk} ({survey.title}, "
            f"{len(survey.specs)} questions on {survey.pages} pages) as a new visitor: the "
            "form, one POST per page, the thank-you page; its responses are counted before "
            "and after the run.",
        )
    return Report(
        seconds=elapsed,
        tally=tally,
        stored=stored_markers(run_id),
        notes=notes,
        answers_stored=responses_of(survey) - responses_before if survey is not None else None,
    )


# ------------------------------------------------------ answering a survey under load


def take_back_responses(survey_pk: int, *, received: int, counted: int, suspected: int) -> int:
    """Remove the responses a run added to ``survey_pk`` (numbers above ``received``), their
    answers and their part of the tallies, and put the survey's counters back as they
    were: the scale data stays as seeded. Returns how many were removed."""
    from django.db import transaction

    from surveys import tallies

    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey_pk)
        specs = tallies.specs_of(survey)
        added = Response.objects.filter(survey=survey, number__gt=received).prefetch_related(
            "answers"
        )
        removed = 0
        for response in added:
            if response.voided_at is None:
                tallies.add(
                    survey_id=survey.pk,
                    channel=response.channel,
                    category=response.category,
                    counts=tallies.counts_for(specs, tallies.stored_values(response, specs)),
                    sign=-1,
                )
            response.delete()
            removed += 1
        Survey.objects.filter(pk=survey.pk).update(
            received=received, response_count=counted, suspected_duplicates=suspected
        )
    return removed


def answering_run(
    *,
    survey: Survey,
    targets: list[Target],
    seconds: float,
    clients: int,
    pause: float,
    redis: str,
    workers: int | None = None,
    answer_every: int = 2,
    log=print,
) -> Report:
    """``clients`` visitors against gunicorn for ``seconds``: one iteration in
    ``answer_every`` answers ``survey`` page by page as a new visitor, the others read one
    of ``targets``; each pauses around ``pause`` seconds between iterations. The responses
    the run added are counted, then taken back (``take_back_responses``)."""
    workers = workers or int(os.environ.get("GUNICORN_WORKERS", load.DEFAULT_WORKERS))
    plan = survey_plan(survey)
    survey.refresh_from_db()
    before = {
        "received": survey.received,
        "counted": survey.response_count,
        "suspected": survey.suspected_duplicates,
    }
    paths = {target.path for target in targets} | {plan.form_path}
    server = start_server(redis=redis, workers=workers, paths=paths)
    try:
        # Warm each worker (imports, the first query of each kind) before timing.
        drive(
            base=server.base,
            targets=targets,
            period=None,
            seconds=min(5, seconds / 4),
            clients=workers * 2,
            run_id=new_run_id(),
            survey=plan,
            answer_every=answer_every,
        )
        stored_before = responses_of(plan)
        log(f"    answering under load: {clients} visitors, pause ~{pause:g} s, {seconds:g} s")
        tally, elapsed = drive(
            base=server.base,
            targets=targets,
            period=None,
            seconds=seconds,
            clients=clients,
            run_id=new_run_id(),
            survey=plan,
            answer_every=answer_every,
            pause=pause,
        )
    finally:
        server.stop()
    report = Report(
        seconds=elapsed,
        tally=tally,
        stored=[],
        answers_stored=responses_of(plan) - stored_before,
    )
    take_back_responses(survey.pk, **before)
    return report
