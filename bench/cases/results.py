"""The benchmark's one table: rows, timing helpers, the text table and the Markdown file."""

import datetime
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection


@dataclass
class Row:
    """One case. Times are in milliseconds; ``None`` leaves a cell empty."""

    group: str
    case: str
    median_ms: float | None = None
    p95_ms: float | None = None
    peak_mb: float | None = None
    queries: int | str | None = None
    measured: str = ""  # what a row measures besides time: req/s, errors, items, ...
    baseline: str = ""
    ratio: float | None = None
    target: str = ""
    passed: bool | None = None  # None: no target
    notes: list[str] = field(default_factory=list)

    @property
    def result(self) -> str:
        return {True: "PASS", False: "FAIL", None: "-"}[self.passed]


COLUMNS = ("group", "case", "median", "p95", "peak MB", "SQL", "measured", "baseline",
           "ratio", "target", "result")  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: with 20 runs, p95 is the second slowest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def count_queries(call: Callable[[], object]) -> int:
    """SQL queries of one call, counted with an execute wrapper.

    The request_started signal empties the connection's query log, so a log diff
    (CaptureQueriesContext) undercounts requests made with the test client.
    """
    queries: list[str] = []
    with connection.execute_wrapper(
        lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)
    ):
        call()
    return len(queries)


# A case stops after this many seconds of timed calls (at least MIN_RUNS of them), so
# that a slow case cannot stretch the run to an hour; its row says how many it timed.
CASE_BUDGET_S = float(os.environ.get("BENCH_CASE_SECONDS", "60"))
MIN_RUNS = 5


def time_calls(call: Callable[[], object], runs: int, warmup: int = 2) -> list[float]:
    """Wall-clock seconds of up to ``runs`` calls after ``warmup`` untimed ones."""
    (samples,) = _time_in_turns((call,), runs, warmup)
    return samples


def time_side_by_side(
    first: Callable[[], object], second: Callable[[], object], runs: int, warmup: int = 2
) -> tuple[list[float], list[float]]:
    """Like ``time_calls`` for two calls at once, taking turns (which one goes first
    alternates), so that a case and its baseline are timed under the same conditions: on
    a shared machine whose speed drifts by a third within a minute, timing all of one and
    then all of the other made their ratio swing as much."""
    first_samples, second_samples = _time_in_turns((first, second), runs, warmup)
    return first_samples, second_samples


def _time_in_turns(calls: tuple, runs: int, warmup: int) -> list[list[float]]:
    """Each call ``runs`` times after ``warmup`` untimed rounds, one round a run, the
    order reversed every other round; stops once ``CASE_BUDGET_S`` per call has passed
    and every call has ``MIN_RUNS`` samples."""
    for _ in range(warmup):
        for call in calls:
            call()
    samples: list[list[float]] = [[] for _ in calls]
    deadline = time.monotonic() + len(calls) * CASE_BUDGET_S
    order = list(range(len(calls)))
    for run in range(runs):
        if len(samples[0]) >= MIN_RUNS and time.monotonic() > deadline:
            break
        for index in order if run % 2 == 0 else reversed(order):
            started = time.perf_counter()
            calls[index]()
            samples[index].append(time.perf_counter() - started)
    return samples


def timed_row(group: str, case: str, samples: list[float], *, runs: int, **fields) -> Row:
    row = Row(
        group=group,
        case=case,
        median_ms=statistics.median(samples) * 1000,
        p95_ms=percentile(samples, 0.95) * 1000,
        **fields,
    )
    if len(samples) < runs:
        row.measured = "; ".join(
            filter(None, [row.measured, f"{len(samples)} of {runs} runs (time budget)"])
        )
    return row


def _ms(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f} ms" if value >= 1000 else f"{value:.1f} ms"


def cells(row: Row) -> tuple[str, ...]:
    return (
        row.group,
        row.case,
        _ms(row.median_ms),
        _ms(row.p95_ms),
        "" if row.peak_mb is None else f"{row.peak_mb:.0f}",
        "" if row.queries is None else str(row.queries),
        row.measured,
        row.baseline,
        "" if row.ratio is None else f"{row.ratio:.2f}",
        row.target,
        row.result,
    )


def text_table(rows: list[Row]) -> str:
    lines = [COLUMNS, *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    out = []
    for number, line in enumerate(lines):
        out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if number == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_table(rows: list[Row]) -> str:
    right = {"median", "p95", "peak MB", "SQL", "ratio"}
    out = [
        "| " + " | ".join(COLUMNS) + " |",
        "| " + " | ".join("---:" if c in right else "---" for c in COLUMNS) + " |",
    ]
    for row in rows:
        values = list(cells(row))
        values[-1] = f"**{values[-1]}**" if row.passed is False else values[-1]
        out.append("| " + " | ".join(_md_cell(v) for v in values) + " |")
    return "\n".join(out)


def summary(rows: list[Row]) -> str:
    judged = [row for row in rows if row.passed is not None]
    failed = [row for row in judged if not row.passed]
    return f"{len(judged) - len(failed)} of {len(judged)} targets met; {len(failed)} FAIL"


# --------------------------------------------------------------------------- machine


def _first_line(path: str, prefix: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    memory_kb = _first_line("/proc/meminfo", "MemTotal")
    memory = f"{int(memory_kb.split()[0]) / 1024 / 1024:.1f} GB" if memory_kb else "?"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            database = f"{connection.vendor} {connection.Database.sqlite_version}"
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _first_line("/proc/cpuinfo", "model name") or platform.processor() or "?",
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": platform.platform(),
        "database": f"{database} (database {connection.settings_dict['NAME']})",
        # The interpreter's installation: builds of one version differ in speed (PGO, LTO).
        "python": f"{platform.python_version()} ({sys.base_prefix})",
        "commit": _git_commit(),
        "load": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }


def _git_commit() -> str:
    try:
        completed = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return "?"
    return completed.stdout.strip() or "?"


def machine_text(info: dict[str, str]) -> str:
    return (
        f"{info['date']}; commit {info['commit']}; {info['cpu']}, {info['cores']} cores, "
        f"{info['memory']} RAM; {info['database']}; Python {info['python']}; "
        f"load average before the run {info['load']}"
    )


def markdown_document(
    rows: list[Row], *, info: dict[str, str], notes: list[str], command: str
) -> str:
    lines = [
        "# Performance",
        "",
        f"Generated by `{command}` — do not edit by hand; run `make bench` to refresh it.",
        "",
        "| | |",
        "| --- | --- |",
        f"| date | {info['date']} |",
        f"| git commit | `{info['commit']}` |",
        f"| CPU | {info['cpu']} |",
        f"| cores | {info['cores']} |",
        f"| RAM | {info['memory']} |",
        f"| OS | {info['os']} |",
        f"| database | {info['database']} |",
        f"| Python | {info['python']} |",
        f"| load average before the run | {info['load']} |",
        "",
        f"**{summary(rows)}.**",
        "",
        markdown_table(rows),
        "",
        "## How to read the table",
        "",
        *(f"- {note}" for note in notes),
        "",
    ]
    return "\n".join(lines)
