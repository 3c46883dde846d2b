"""Time the two formal PDFs against their targets on throw-away data.

    python manage.py bench_pdfs [--runs N] [--save DIR]

``manage.py bench`` runs these cases too, plus the feedback report PDF (which lives in
the participation app, so its fixture is in ``bench.cases.pdfs``).

Each case runs in a fresh child process (this command again, with ``--case``) so that
one case's memory peak does not hide in the other's. The child builds its fixture inside a
transaction that it rolls back, renders once cold (fontconfig, CSS, font files), then N
times, and reports JSON; the parent prints the table.

The fixtures: one accepted catalog of 12 items for the filing form; 500 items over 40
published catalogs for the consolidated catalog, about 30% of them major decisions and
20% seeking non-party opinions (more than a real year has), so its two municipal
catalogs add some 250 rows to the 500.

Times are wall-clock per call, as a user waits for them; "cpu s" is the process's CPU time,
which tells how much of a slow run was other load on the machine. Memory is the child's
peak resident set size (``getrusage(RUSAGE_SELF).ru_maxrss``, the whole process: Python,
Django, Pango, HarfBuzz, fonts); "render MB" is how much that peak grew from just before
the first render.
"""

import datetime
import gc
import io
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Department, User
from annual_plans.models import AnnualPlan, PlanItem
from annual_plans.reports import consolidated_catalog_pdf, filing_form_pdf
from matters.procedures import Kind, StepType

CASES = {
    # case: (what is rendered, target median seconds, target peak MB)
    "filing": ("filing form, 12 items", 0.3, 400),
    "consolidated": ("catalog, 40 depts, 500 items", 2.5, 400),
}
FILING_ITEMS = 12
CONSOLIDATED_DEPARTMENTS = 40
CONSOLIDATED_ITEMS = 500

TITLES = [
    "《{city}养老服务条例（草案）》立法协商",
    "{city}城市更新和老旧小区改造三年行动方案",
    "中小学校课后服务收费标准调整",
    "{city}公共停车设施规划建设管理办法",
    "关于进一步优化营商环境、降低制度性交易成本的若干措施",
    "社区长者食堂建设运营补贴政策",
    "{city}生活垃圾分类管理办法（修订）",
    "2026年市级财政预算编制和重点支出安排",
    "海岸带保护与利用规划（2026—2035年）",
    "城市轨道交通票价体系调整方案",
    "居民阶梯水价制度完善",
    "“15分钟健身圈”建设实施意见",
]
OFFICES = ["法规处", "综合处", "规划发展处", "财务处", "社会事务处", "政策研究室", "行政审批处"]


def _percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile: with 7 runs, p95 is the slowest run."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _peak_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _page_count(pdf: bytes) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:  # pypdf is a development dependency
        return None
    return len(PdfReader(io.BytesIO(pdf)).pages)


def catalog_fixture(
    *, items: int = CONSOLIDATED_ITEMS, departments: int = CONSOLIDATED_DEPARTMENTS
) -> int:
    """Published catalogs of ``departments`` departments holding ``items`` items in a year
    that has no other catalog; returns that year. Call it inside a transaction you roll back.
    """
    rng = random.Random(2026)  # noqa: S311 - repeatable fixture, not security
    tag = uuid.uuid4().hex[:8]
    creator = User.objects.create(username=f"bench-{tag}", full_name="基准测试")
    year = _free_year()
    _plans(tag, year, creator, departments)
    plans = list(AnnualPlan.objects.filter(year=year, department__code__startswith=f"bench-{tag}-"))
    PlanItem.objects.bulk_create(_items(rng, plans, items))
    return year


def _filing_fixture() -> Callable[[], bytes]:
    rng = random.Random(2026)  # noqa: S311 - repeatable fixture, not security
    tag = uuid.uuid4().hex[:8]
    now = timezone.now()
    creator = User.objects.create(username=f"bench-{tag}", full_name="基准测试")
    (department,) = _departments(tag, 1)
    plan = AnnualPlan.objects.create(
        department=department,
        year=_free_year(),
        status=AnnualPlan.Status.ACCEPTED,
        contact_person="张明",
        contact_phone="0532-85912345",
        signed_off_by=creator,
        signed_off_at=now - datetime.timedelta(days=3),
        first_submitted_at=now - datetime.timedelta(days=2),
        submitted_at=now - datetime.timedelta(days=2),
        reviewed_by=creator,
        reviewed_at=now - datetime.timedelta(days=1),
        review_comment="同意备案。请按计划时间组织协商，及时报送协商情况。",
        version=1,
        created_by=creator,
    )
    PlanItem.objects.bulk_create(_items(rng, [plan], FILING_ITEMS))
    return lambda: filing_form_pdf(plan)


def _consolidated_fixture() -> Callable[[], bytes]:
    year = catalog_fixture()
    return lambda: consolidated_catalog_pdf(year=year)


FIXTURES = {"filing": _filing_fixture, "consolidated": _consolidated_fixture}


def _free_year() -> int:
    """A year with no catalogs, so the consolidated catalog holds only the fixture."""
    used = set(AnnualPlan.objects.values_list("year", flat=True))
    year = 2090
    while year in used:
        year += 1
    return year


def _departments(tag: str, count: int) -> list[Department]:
    Department.objects.bulk_create(
        [
            Department(
                code=f"bench-{tag}-{n}",
                name=f"青岛市基准测试第{n}局",
                short_name=f"测试{n}局",
                kind=Department.Kind.MUNICIPAL_DEPARTMENT,
                sort_order=n,
            )
            for n in range(1, count + 1)
        ]
    )
    return list(Department.objects.filter(code__startswith=f"bench-{tag}-"))


def _plans(tag: str, year: int, creator: User, count: int) -> None:
    AnnualPlan.objects.bulk_create(
        [
            AnnualPlan(
                department=department,
                year=year,
                status=AnnualPlan.Status.PUBLISHED,
                contact_person="联系人",
                contact_phone="0532-80000000",
                published_at=timezone.now(),
                version=1,
                created_by=creator,
            )
            for department in _departments(tag, count)
        ]
    )


def _items(rng: random.Random, plans: list[AnnualPlan], total: int) -> list[PlanItem]:
    kinds = list(Kind.values)
    forms = list(StepType.values)
    rows = []
    for n in range(total):
        plan = plans[n % len(plans)]
        start = datetime.date(plan.year, rng.randint(1, 6), 1)
        end = datetime.date(plan.year, rng.randint(start.month + 1, 12), 28)
        rows.append(
            PlanItem(
                plan=plan,
                title=rng.choice(TITLES).format(city="青岛市") + f"（{n + 1}）",
                kind=rng.choice(kinds),
                forms=rng.sample(forms, rng.randint(1, 4)),
                planned_start=start,
                planned_end=end,
                responsible_office=rng.choice(OFFICES),
                is_major_decision=rng.random() < 0.3,
                seeks_non_party_opinions=rng.random() < 0.2,
                order=n // len(plans) + 1,
            )
        )
    return rows


def measure_render(
    case: str,
    *,
    label: str,
    target_s: float,
    target_mb: float,
    build: Callable[[], Callable[[], bytes]],
    runs: int,
    save: str | None = None,
) -> dict:
    """Build a fixture in a transaction that is rolled back, render once cold, count the
    SQL queries of one render, then time ``runs`` renders. Meant for a fresh process, which
    first freezes what it has loaded, as a gunicorn or Celery worker process does once
    started (``core.process``).
    """
    gc.collect()
    gc.freeze()
    with transaction.atomic():
        render = build()
        before_mb = _peak_mb()
        started = time.perf_counter()
        pdf = render()
        cold = time.perf_counter() - started
        queries: list[str] = []
        with connection.execute_wrapper(
            lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)
        ):
            render()
        samples, cpu_samples = [], []
        for _run in range(runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            pdf = render()
            samples.append(time.perf_counter() - started)
            cpu_samples.append(time.process_time() - cpu_started)
        transaction.set_rollback(True)
    peak_mb = _peak_mb()
    if save:
        Path(save).mkdir(parents=True, exist_ok=True)
        (Path(save) / f"{case}.pdf").write_bytes(pdf)
    return {
        "case": case,
        "label": label,
        "runs": runs,
        "cold_s": cold,
        "median_s": statistics.median(samples),
        "cpu_s": statistics.median(cpu_samples),
        "p95_s": _percentile(samples, 0.95),
        "peak_mb": peak_mb,
        "render_mb": peak_mb - before_mb,
        "queries": len(queries),
        "pages": _page_count(pdf),
        "bytes": len(pdf),
        "target_s": target_s,
        "target_mb": target_mb,
    }


def run_child(command: list[str]) -> dict:
    """Run ``manage.py <command>`` in a fresh interpreter; its last stdout line is JSON."""
    completed = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *command],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    if completed.returncode != 0:
        raise CommandError(f"{' '.join(command)} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def passed(result: dict) -> bool:
    return result["median_s"] <= result["target_s"] and result["peak_mb"] < result["target_mb"]


def run_cases(*, runs: int, save: str | None = None) -> list[dict]:
    """Every case of this command, each in a fresh child process."""
    results = []
    for name in CASES:
        command = ["bench_pdfs", "--case", name, "--runs", str(runs)]
        if save:
            command += ["--save", save]
        results.append(run_child(command))
    return results


class Command(BaseCommand):
    help = "Benchmark the filing form and consolidated catalog PDFs (data rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=7, help="timed renders per case")
        parser.add_argument("--case", choices=sorted(CASES), help="run one case in process")
        parser.add_argument("--save", metavar="DIR", help="write the last PDF of each case here")

    def handle(self, *args, runs: int, case: str | None, save: str | None, **options):
        if runs < 1:
            raise CommandError("--runs must be at least 1")
        if case:
            label, target_s, target_mb = CASES[case]
            result = measure_render(
                case, label=label, target_s=target_s, target_mb=target_mb,
                build=FIXTURES[case], runs=runs, save=save,
            )  # fmt: skip
            self.stdout.write(json.dumps(result))
            return
        self.print_table(run_cases(runs=runs, save=save), runs=runs)

    def print_table(self, results: list[dict], *, runs: int) -> None:
        header = ("case", "what", "cold s", "median s", "p95 s", "cpu s", "peak MB",
                  "render MB", "queries", "pages", "bytes", "target", "result")  # fmt: skip
        rows = [header]
        for result in results:
            rows.append(
                (
                    result["case"],
                    result["label"],
                    f"{result['cold_s']:.3f}",
                    f"{result['median_s']:.3f}",
                    f"{result['p95_s']:.3f}",
                    f"{result['cpu_s']:.3f}",
                    f"{result['peak_mb']:.0f}",
                    f"{result['render_mb']:.0f}",
                    str(result["queries"]),
                    str(result["pages"] if result["pages"] is not None else "?"),
                    str(result["bytes"]),
                    f"≤{result['target_s']} s, <{result['target_mb']} MB",
                    "PASS" if passed(result) else "FAIL",
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        load = " ".join(f"{value:.2f}" for value in os.getloadavg())
        self.stdout.write(
            f"database: {connection.vendor}; {runs} timed runs per case after one cold run; "
            f"each case in a fresh process; {os.cpu_count()} CPUs, load average {load}"
        )
        for number, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write(
            "median/p95 (nearest rank): wall-clock per call; cpu s: median CPU time of the call; "
            "peak MB: the child process's peak RSS (getrusage ru_maxrss); render MB: its growth "
            "from just before the first render; queries: SQL queries of one render."
        )
