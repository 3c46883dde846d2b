"""The formal PDFs, each case in a fresh child process so its memory peak is its own.

The filing form and the consolidated catalog are ``bench_pdfs``'s cases; the feedback
report (意见采纳情况说明) is added here, because its fixture needs the participation app
and ``annual_plans`` does not import that one. Its child is ``manage.py bench
--pdf-child feedback``.
"""

import datetime
import random
import uuid

from django.db.models import Count
from django.utils import timezone

from accounts.models import Department, User
from bench import scale
from bench.management.commands import bench_pdfs
from matters.models import Matter
from matters.procedures import Kind, procedure_for
from participation.models import CommentPeriod, Opinion
from participation.reports import feedback_report_pdf

from .results import Row

GROUP = "pdf"
FEEDBACK_OPINIONS = 1_000
FEEDBACK = ("feedback", f"feedback report, {FEEDBACK_OPINIONS:,} opinions", 3.0, 400)
REPORT = ("report", "the year's supervision report (年度督查报告), busiest year", 30.0, 500)
CHILD_CASES = {"feedback": FEEDBACK, "report": REPORT}


def feedback_fixture():
    """A closed comment period with 1,000 answered opinions and a published report.

    Half the answers are the standard answer of their disposition, half are written for
    the one opinion, so the report has some 500 groups (more than a real period has).
    """
    rng = random.Random(2026)  # noqa: S311 - repeatable fixture, not security
    tag = uuid.uuid4().hex[:8]
    now = timezone.now()
    creator = User.objects.create(username=f"bench-{tag}", full_name="基准测试")
    department = Department.objects.create(
        code=f"bench-{tag}",
        name="青岛市基准测试局",
        short_name="测试局",
        kind=Department.Kind.MUNICIPAL_DEPARTMENT,
        sort_order=10_000,
    )
    today = timezone.localdate(now)
    matter = Matter.objects.create(
        reference=f"BENCH-{tag}",
        title="《青岛市养老服务条例（草案）》立法协商",
        kind=Kind.LEGISLATIVE,
        department=department,
        year=today.year,
        summary="基准测试",
        planned_start=today - datetime.timedelta(days=120),
        planned_end=today + datetime.timedelta(days=120),
        stage=procedure_for(Kind.LEGISLATIVE).stages[0].code,
        stage_entered_at=now - datetime.timedelta(days=90),
        is_published=True,
        published_at=now - datetime.timedelta(days=90),
        created_by=creator,
    )
    ends_at = now - datetime.timedelta(days=30)
    period = CommentPeriod.objects.create(
        matter=matter,
        title=f"{matter.title}公开征求意见",
        starts_at=ends_at - datetime.timedelta(days=30),
        ends_at=ends_at,
        created_by=creator,
        report_summary="本次征求意见收到的意见建议已逐条研究，采纳情况如下。",
        report_published_at=now - datetime.timedelta(days=5),
    )
    channels, channel_weights = zip(*scale.CHANNEL_WEIGHTS.items(), strict=True)
    disposed = {k: w for k, w in scale.DISPOSITION_WEIGHTS.items() if k}
    dispositions, disposition_weights = zip(*disposed.items(), strict=True)
    opinions = []
    for n in range(FEEDBACK_OPINIONS):
        topic = rng.choice(scale.TOPICS)[0]
        disposition = rng.choices(dispositions, disposition_weights)[0]
        response = scale.RESPONSES[disposition]
        if n % 2:
            response = (
                f"{response}针对第{n + 1}号意见提出的{topic}问题，我们将在实施细则中研究明确。"
            )
        opinions.append(
            Opinion(
                period=period,
                matter=matter,
                channel=rng.choices(channels, channel_weights)[0],
                content=(
                    rng.choice(scale.OPINION_OPENINGS)
                    + rng.choice(scale.OPINION_BODIES).format(
                        topic=topic, place=rng.choice(scale.PLACES)
                    )
                    + rng.choice(scale.OPINION_CLOSINGS)
                ),
                article=f"第{rng.randint(1, 60)}条" if rng.random() < 0.3 else "",
                moderation=Opinion.Moderation.SHOWN,
                disposition=disposition,
                response=response,
                disposed_at=ends_at + datetime.timedelta(days=10),
                disposed_by=creator,
                received_on=timezone.localdate(ends_at)
                - datetime.timedelta(days=rng.randint(0, 29)),
            )
        )
    Opinion.objects.bulk_create(opinions)
    return lambda: feedback_report_pdf(period, now=now)


def report_fixture():
    """The year's supervision report of the scale data's year with the most matters, as
    the worker builds it: every figure read and the PDF rendered (the file not stored)."""
    from supervision.report import render_report, report_content

    busiest = Matter.objects.values("year").annotate(n=Count("pk")).order_by("-n", "-year").first()
    year = busiest["year"] if busiest else timezone.localdate().year
    as_of = datetime.datetime(year, 12, 31, 18, tzinfo=datetime.UTC)
    return lambda: render_report(report_content(year=year, as_of=as_of))


FIXTURES = {"feedback": feedback_fixture, "report": report_fixture}


def run_child_case(case: str, *, runs: int) -> dict:
    """In the child process: one case of this module, measured like ``bench_pdfs``'s."""
    name, label, target_s, target_mb = CHILD_CASES[case]
    return bench_pdfs.measure_render(
        name,
        label=label,
        target_s=target_s,
        target_mb=target_mb,
        build=FIXTURES[case],
        runs=runs,
    )


def run(*, runs: int) -> list[Row]:
    results = bench_pdfs.run_cases(runs=runs)
    results += [
        bench_pdfs.run_child(["bench", "--pdf-child", case, "--runs", str(runs)])
        for case in CHILD_CASES
    ]
    return [
        Row(
            group=GROUP,
            case=result["label"],
            median_ms=result["median_s"] * 1000,
            p95_ms=result["p95_s"] * 1000,
            peak_mb=result["peak_mb"],
            queries=result["queries"],
            measured=(
                f"{result['pages'] or '?'} pages, {result['bytes'] / 1024:,.0f} KB; "
                f"cold {result['cold_s']:.2f} s"
            ),
            target=f"median ≤{result['target_s']:g} s, peak <{result['target_mb']} MB",
            passed=bench_pdfs.passed(result),
        )
        for result in results
    ]
