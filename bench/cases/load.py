"""HTTP load on loopback: gunicorn as in production, ``wrk`` against pages and a hello view.

Two gunicorn runs, one with ``PORTAL_PAGE_CACHE=true`` and one with ``false`` in its
environment, each serving ``consult_portal.settings.bench_server`` (production settings plus
``bench/hello/``). In each run every URL is checked to answer 200, warmed for a few
seconds, then loaded with ``wrk -t<cores> -c50 -d<duration> --latency``. Rows give
requests/s, wrk's latency percentiles, errors (non-2xx/3xx responses and socket errors)
and the ratio to hello's requests/s in the same run. Worker memory is the workers' RSS
(``ps``) after the run.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from bench.scale.rows import scale_surveys

from .pages import catalog_year_closest
from .results import Row

GROUP = "load"
HELLO = "/bench/hello/"
HEADERS = {"X-Forwarded-Proto": "https"}  # as the TLS-terminating proxy sends
TARGET_CACHED = 0.5
TARGET_UNCACHED = 0.2
# (label, PORTAL_PAGE_CACHE, PORTAL_FRAGMENT_CACHE, share of hello's requests/s to reach).
# "page cache off" is how the portal serves a page it has not kept whole: to signed-in
# visitors always, to anonymous ones on a miss; the part every visitor is shown alike
# still comes from the shared fragment (core.content_cache.fragment). With both off,
# every request computes its page from the database: shown, with no target.
MODES = (
    ("cache on", "true", "true", TARGET_CACHED),
    ("page cache off", "false", "true", TARGET_UNCACHED),
    ("page and fragment cache off", "false", "false", None),
)
DEFAULT_WORKERS = 3  # the Dockerfile's GUNICORN_WORKERS default
CONNECTIONS = 50
# wrk's default (2 s) would count every slow page as a timeout and report no latency at
# all; 30 s is gunicorn's own worker timeout, past which the request is lost anyway.
WRK_TIMEOUT = "30s"


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    socket_detail: str = ""  # "read 15, timeout 2": wrk's socket errors by kind

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors

    def errors_text(self) -> str:
        parts = [f"{self.non_2xx} non-2xx/3xx"] if self.non_2xx else []
        if self.socket_errors:
            parts.append(f"socket {self.socket_detail}")
        return f"{self.errors} errors" + (f" ({'; '.join(parts)})" if parts else "")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> WrkResult:
    """The figures of ``wrk --latency``'s report."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    requests = re.search(r"(\d+) requests in", output)
    if not (rps and p50 and p99 and requests):
        raise CommandError(f"Could not read wrk's report:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkResult(
        rps=float(rps.group(1)),
        p50_ms=_ms(p50.group(1)),
        p99_ms=_ms(p99.group(1)),
        requests=int(requests.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
        socket_detail=", ".join(
            f"{kind} {n}"
            for kind, n in zip(
                ("connect", "read", "write", "timeout"), sockets.groups(), strict=True
            )
            if n != "0"
        )
        if sockets
        else "",
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_url() -> str:
    """The cache gunicorn uses: REDIS_URL as production has it, else the local Redis."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    host, port = re.match(r"redis://([^:/]+):?(\d*)", url).groups()
    try:
        socket.create_connection((host, int(port or 6379)), timeout=1).close()
    except OSError:
        return ""  # each worker falls back to a local-memory cache; the notes say so
    return url


class Server:
    """One gunicorn, started and stopped by us (by its own pid)."""

    def __init__(self, *, env: dict[str, str], workers: int):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "consult_portal.wsgi:application",
                   "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
                   "--log-level", "warning"]  # fmt: skip
        log = Path(tempfile.gettempdir()) / "consult-portal-bench-gunicorn.log"
        self.log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn
            command, cwd=settings.BASE_DIR, env=env, stdout=self.log, stderr=self.log
        )

    def get(self, path: str) -> int:
        request = urllib.request.Request(self.base + path, headers=HEADERS)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError(f"gunicorn exited with {self.process.returncode}")
            try:
                if self.get(HELLO) == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise CommandError("gunicorn did not answer within a minute")

    def workers_rss_mb(self) -> list[float]:
        completed = subprocess.run(  # noqa: S603
            ["ps", "--ppid", str(self.process.pid), "-o", "rss="],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        return [int(line) / 1024 for line in completed.stdout.split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def wrk(url: str, *, seconds: int, threads: int) -> WrkResult:
    command = ["wrk", f"-t{threads}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency",
               "-H", "X-Forwarded-Proto: https", url]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise CommandError(f"wrk failed:\n{completed.stderr}")
    return parse_wrk(completed.stdout)


def collectstatic(env: dict[str, str]) -> None:
    completed = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "collectstatic",
            "--noinput",
            "-v0",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise CommandError(f"collectstatic failed:\n{completed.stderr}")


def pages() -> list[tuple[str, str, bool]]:
    """(label, path, shared): ``shared`` pages are the same for every visitor, and so
    cacheable, and are held to the share of hello's rate; a page computed for each visitor
    (a form with its CSRF token) is shown with its rate but no such target."""
    found = [("home page /", "/", True), ("public matter list /matters/", "/matters/", True)]
    year = catalog_year_closest()
    if year is not None:
        found.append((f"catalog year page, {year[1]:,} items (/catalogs/{year[0]}/)",
                      f"/catalogs/{year[0]}/", True))  # fmt: skip
    survey = scale_surveys().order_by("-pk").first()
    if survey is not None:
        # The form a visitor answers: its CSRF token and browser mark are the visitor's own,
        # so it is computed for every request. Its latency target is answering under load
        # in the surveys group (bench/cases/surveys.py).
        found.append((f"survey form, {survey.response_count:,} responses (/surveys/{survey.pk}/)",
                      f"/surveys/{survey.pk}/", False))  # fmt: skip
    return found


def run(*, seconds: int, workers: int | None = None, log=print) -> tuple[list[Row], list[str]]:
    if shutil.which("wrk") is None:
        raise CommandError("wrk is not installed: run `sh scripts/ensure-bench-deps.sh`.")
    workers = workers or int(os.environ.get("GUNICORN_WORKERS", DEFAULT_WORKERS))
    threads = max(1, min(os.cpu_count() or 1, 4))
    warmup = max(1, min(5, seconds // 6))
    static_root = os.environ.get("BENCH_STATIC_ROOT") or str(settings_static_root())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "consult_portal.settings.bench_server",
        "BENCH_STATIC_ROOT": static_root,
        "REDIS_URL": redis_url(),
        "PYTHONUNBUFFERED": "1",
    }
    env.setdefault("DATABASE_URL", database_url())
    collectstatic(env)
    urls = pages()
    rows, notes = [], []
    for mode, page_cache, fragment_cache, share in MODES:
        server = Server(
            env={
                **env,
                "PORTAL_PAGE_CACHE": page_cache,
                "PORTAL_FRAGMENT_CACHE": fragment_cache,
            },
            workers=workers,
        )
        try:
            server.wait_ready()
            if server.get(HELLO) != 200:
                raise CommandError(f"{HELLO} does not answer 200 under gunicorn ({mode})")
            log(f"  load ({mode}): {workers} gunicorn workers on {server.base}")
            hello = None
            for label, path, shared in [("hello view (baseline)", HELLO, True), *urls]:
                status = server.get(path)
                if status != 200:  # no load on a broken page: a FAIL row says why
                    log(f"    {path}: answered {status}, not loaded")
                    rows.append(
                        Row(
                            group=GROUP,
                            case=f"{label} [{mode}]",
                            measured=f"answered {status}, not loaded (see {server.log.name})",
                            target="answers 200",
                            passed=False,
                        )
                    )
                    continue
                wrk(server.base + path, seconds=warmup, threads=threads)
                result = wrk(server.base + path, seconds=seconds, threads=threads)
                log(f"    {path}: {result.rps:,.0f} req/s")
                row = Row(
                    group=GROUP,
                    case=f"{label} [{mode}]",
                    median_ms=result.p50_ms,
                    measured=(
                        f"{result.rps:,.0f} req/s; p99 {result.p99_ms:,.1f} ms; "
                        f"{result.errors_text()}"
                    ),
                )
                if hello is None:
                    hello = result
                    row.ratio = 1.0
                    row.target = "0 errors"
                    row.passed = result.errors == 0
                else:
                    row.baseline = f"hello {hello.rps:,.0f} req/s"
                    row.ratio = result.rps / hello.rps
                    if share is None or not shared:  # shown for what it is, no rate target
                        row.target = "0 errors" if shared else "0 errors (per visitor)"
                        row.passed = result.errors == 0
                    else:
                        row.target = f"≥{share:.0%} of hello req/s, 0 errors"
                        row.passed = row.ratio >= share and result.errors == 0
                rows.append(row)
            rss = server.workers_rss_mb()
            for row in rows[-1 - len(urls) :]:
                row.peak_mb = max(rss) if rss else None
        finally:
            server.stop()
    notes.append(
        f"Load: gunicorn `consult_portal.wsgi:application --workers {workers}` (3 is the "
        f"Dockerfile's default) with `consult_portal.settings.bench_server`; wrk -t{threads} "
        f"-c{CONNECTIONS} -d{seconds}s --timeout {WRK_TIMEOUT} --latency after a {warmup} s "
        "warm-up per URL, on the same machine as the server. median = wrk's p50 latency; "
        "peak MB = the largest "
        "worker's RSS (ps) after the run; cache: "
        + (f"Redis {env['REDIS_URL']}" if env["REDIS_URL"] else "local memory per worker")
        + "."
    )
    return rows, notes


def settings_static_root() -> Path:
    return Path(tempfile.gettempdir()) / "consult-portal-bench-static"


def database_url() -> str:
    """DATABASE_URL for the server: the database this process uses."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{db.get('HOST') or ''}{port}/{db['NAME']}"
