"""Time one reminder scan over a city at ten times its size, on throw-away data.

    python manage.py bench_reminders [--runs N] [--objects 10000]

The fixture is written inside a transaction that is rolled back at the end. It holds
``--objects`` objects that are all due at the scan's moment (three days before the filing
deadline of next year, 09:00 Shanghai):

* about 34% active departments, each with one staff member (经办人) with an e-mail and no
  submitted catalog for the year (half have a draft) -> deadline reminders;
* about 33% matters whose current stage was due three days ago -> stage-overdue reminders;
* the rest pending invitations whose reply deadline is two days ahead -> reply reminders;
* and a few reviewers plus three comment periods with an overdue feedback report, so that
  the office digest and the feedback reminders are part of the scan too.

Each timed run starts from the same state: it runs inside a savepoint (a nested atomic
block) that is rolled back, so every run records every reminder anew. Nothing is sent:
the scan enqueues sends with ``on_commit``, nothing commits inside the outer block and
rolled-back callbacks are discarded (the command checks both), and the e-mail backend is
forced to locmem anyway.

One extra, untimed run counts the SQL queries (``CaptureQueriesContext``): the reads of
the snapshot, and the queries of the outbox batches (``services.BATCH_SIZE`` reminders
each), which should be the same number for every batch.
"""

import datetime
import hashlib
import math
import os
import resource
import statistics
import time
import uuid

from django.contrib.auth.models import Group
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from accounts.models import Department, User
from accounts.roles import Role
from annual_plans.deadlines import SHANGHAI, deadline_for
from annual_plans.models import AnnualPlan
from matters.models import Matter
from matters.procedures import Kind as MatterKind
from matters.procedures import procedure_for
from occasions import services
from participation.models import Activity, CommentPeriod, Invitation, Participant
from reminders.models import Reminder

TARGET_S = 5.0
REVIEWERS = 5
UNREPORTED_PERIODS = 3
INVITATIONS_PER_ACTIVITY = 100
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def _percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile: with 7 runs, p95 is the slowest run."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _peak_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _is_batch_query(sql: str) -> bool:
    """A query of the outbox batches: the reminder table, or a batch's savepoint."""
    return "reminders_reminder" in sql or sql.lstrip().upper().startswith(
        ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
    )


def measure(*, runs: int = 7, objects: int = 10_000) -> dict:
    """One benchmark run, for ``manage.py bench``: the figures this command prints."""
    return Command().measure(runs=runs, objects=objects)


class Command(BaseCommand):
    help = "Benchmark one reminder scan over 10,000+ due objects (data rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=7, help="timed scans")
        parser.add_argument(
            "--objects", type=int, default=10_000, help="due departments, matters, invitations"
        )

    def handle(self, *args, runs: int, objects: int, **options):
        self.print_table(self.measure(runs=runs, objects=objects), runs=runs)

    def measure(self, *, runs: int, objects: int) -> dict:
        """Build the fixture, count one scan's queries, time ``runs`` scans, roll back."""
        if runs < 1:
            raise CommandError("--runs must be at least 1")
        if objects < 3:
            raise CommandError("--objects must be at least 3")
        with override_settings(EMAIL_BACKEND=LOCMEM), transaction.atomic():
            outbox_before = len(getattr(mail, "outbox", []))
            now, built = self.build_fixture(objects)
            reminders_before = Reminder.objects.count()

            # Untimed: warms the template cache and counts the queries of one scan.
            queries = CaptureQueriesContext(connection)
            result, callbacks = self.scan_in_savepoint(now, queries=queries)
            recorded = len(result.recorded)
            if Reminder.objects.count() != reminders_before:
                raise CommandError("a rolled-back scan left reminders behind")

            samples, cpu_samples = [], []
            for _run in range(runs):
                started, cpu_started = time.perf_counter(), time.process_time()
                timed, _callbacks = self.scan_in_savepoint(now)
                samples.append(time.perf_counter() - started)
                cpu_samples.append(time.process_time() - cpu_started)
                if len(timed.recorded) != recorded:
                    raise CommandError("runs did not start from the same state")
            transaction.set_rollback(True)
        sent = len(getattr(mail, "outbox", [])) - outbox_before
        if sent:
            raise CommandError(f"{sent} e-mail(s) were sent during the benchmark")

        batch_sql = [q["sql"] for q in queries.captured_queries if _is_batch_query(q["sql"])]
        batches = math.ceil(result.due / services.BATCH_SIZE) if result.due else 0
        return {
            "case": f"scan, {built['departments']} depts",
            "runs": runs,
            "objects": sum(built.values()),
            "built": built,
            "due": result.due,
            "recorded": recorded,
            "by_kind": dict(result.by_kind),
            "median_s": statistics.median(samples),
            "p95_s": _percentile(samples, 0.95),
            "cpu_s": statistics.median(cpu_samples),
            "queries": len(queries.captured_queries),
            "read_queries": len(queries.captured_queries) - len(batch_sql),
            "batch_queries": len(batch_sql),
            "batches": batches,
            "peak_mb": _peak_mb(),
            "callbacks": callbacks,
            "sent": sent,
            "target_s": TARGET_S,
        }

    def scan_in_savepoint(self, now: datetime.datetime, queries=None):
        """One scan, then its rows and its after-commit sends rolled back."""
        # An atomic block, not a bare transaction.savepoint(): only a savepoint that atomic
        # pushed on connection.savepoint_ids drops the on_commit callbacks registered under
        # it when it is rolled back; a bare savepoint's rollback undoes the rows but leaves
        # the callbacks queued for the outer commit.
        with transaction.atomic():
            if queries is None:
                result = services.scan(now=now)
            else:
                with queries:
                    result = services.scan(now=now)
            callbacks = len(connection.run_on_commit)
            transaction.set_rollback(True)
        if connection.run_on_commit:
            raise CommandError("after-commit sends survived the savepoint rollback")
        return result, callbacks

    # ------------------------------------------------------------------------ output

    def print_table(self, r: dict, *, runs: int) -> None:
        passed = r["median_s"] <= TARGET_S
        per_batch = r["batch_queries"] / r["batches"] if r["batches"] else 0
        header = ("case", "objects", "due", "recorded", "median s", "p95 s", "cpu s",
                  "queries", "q/1k objects", "batches", "q/batch", "peak MB", "target",
                  "result")  # fmt: skip
        row = (
            r["case"],
            f"{r['objects']:,}",
            f"{r['due']:,}",
            f"{r['recorded']:,}",
            f"{r['median_s']:.3f}",
            f"{r['p95_s']:.3f}",
            f"{r['cpu_s']:.3f}",
            f"{r['queries']} = {r['read_queries']} + {r['batch_queries']}",
            f"{r['queries'] * 1000 / r['objects']:.1f}",
            str(r["batches"]),
            f"{per_batch:.1f}",
            f"{r['peak_mb']:.0f}",
            f"≤{TARGET_S:g} s",
            "PASS" if passed else "FAIL",
        )
        rows = [header, row]
        widths = [max(len(line[i]) for line in rows) for i in range(len(header))]
        load = " ".join(f"{value:.2f}" for value in os.getloadavg())
        self.stdout.write(
            f"database: {connection.vendor}; {runs} timed scans after one untimed (counted) "
            f"scan, each in a savepoint rolled back; {os.cpu_count()} CPUs, load average {load}"
        )
        built = ", ".join(f"{count:,} {name}" for name, count in r["built"].items())
        self.stdout.write(f"due objects built: {built}")
        for number, line in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)))
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        kinds = ", ".join(f"{kind} {count:,}" for kind, count in sorted(r["by_kind"].items()))
        self.stdout.write(f"recorded by kind: {kinds}")
        self.stdout.write(
            f"queries: snapshot reads + outbox batches of {services.BATCH_SIZE} (savepoint, "
            f"existing keys, insert(s), read back); after-commit sends discarded per scan: "
            f"{r['callbacks']}; e-mails sent: {r['sent']}"
        )
        self.stdout.write(
            "median/p95 (nearest rank): wall-clock per scan; cpu s: median CPU time of a scan; "
            "peak MB: this process's peak RSS (getrusage ru_maxrss), fixture included."
        )

    # ----------------------------------------------------------------------- fixture

    def build_fixture(self, objects: int) -> tuple[datetime.datetime, dict[str, int]]:
        """Rows written directly with bulk_create: a benchmark fixture, not business writes.

        Returns the scan's moment and how many due objects of each sort were built.
        """
        tag = uuid.uuid4().hex[:8]
        year = timezone.now().astimezone(SHANGHAI).year + 1
        deadline_date = deadline_for(year).astimezone(SHANGHAI).date()
        scan_day = deadline_date - datetime.timedelta(days=3)
        now = datetime.datetime.combine(scan_day, datetime.time(9), tzinfo=SHANGHAI)
        n_departments = math.ceil(objects * 0.34)
        n_matters = math.ceil((objects - n_departments) / 2)
        n_invitations = objects - n_departments - n_matters

        groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
        creator = User.objects.create(
            username=f"bench-{tag}-creator", full_name="基准测试", password=f"!bench-{tag}"
        )
        Department.objects.bulk_create(
            [
                Department(
                    code=f"bench-{tag}-{n}",
                    name=f"青岛市基准测试第{n}局-{tag}",
                    short_name=f"测试{n}局",
                    kind=Department.Kind.MUNICIPAL_DEPARTMENT,
                    sort_order=10_000 + n,
                )
                for n in range(n_departments)
            ]
        )
        departments = list(
            Department.objects.filter(code__startswith=f"bench-{tag}-").order_by("sort_order")
        )
        User.objects.bulk_create(
            [
                User(
                    username=f"bench-{tag}-staff-{n}",
                    full_name=f"经办人{n}",
                    email=f"staff{n}@bench-{tag}.example.cn",
                    password=f"!bench-{tag}",
                    department=department,
                )
                for n, department in enumerate(departments)
            ]
            + [
                User(
                    username=f"bench-{tag}-reviewer-{n}",
                    full_name=f"审核人{n}",
                    email=f"reviewer{n}@bench-{tag}.example.cn",
                    password=f"!bench-{tag}",
                )
                for n in range(REVIEWERS)
            ]
        )
        staff = list(User.objects.filter(username__startswith=f"bench-{tag}-staff-"))
        reviewers = list(User.objects.filter(username__startswith=f"bench-{tag}-reviewer-"))
        Membership = User.groups.through
        Membership.objects.bulk_create(
            [Membership(user=user, group=groups[Role.DEPARTMENT_STAFF]) for user in staff]
            + [
                Membership(user=user, group=groups[Role.GENERAL_OFFICE_REVIEWER])
                for user in reviewers
            ]
        )
        # Half the departments have started a catalog but not submitted it.
        AnnualPlan.objects.bulk_create(
            [
                AnnualPlan(department=department, year=year, created_by=creator)
                for department in departments[::2]
            ]
        )

        stage = procedure_for(MatterKind.DECISION).stages[0].code
        Matter.objects.bulk_create(
            [
                Matter(
                    reference=f"BENCH-{tag}-{n}",
                    title=f"基准测试协商事项{n}",
                    kind=MatterKind.DECISION,
                    department=departments[n % len(departments)],
                    year=year,
                    summary="基准测试",
                    planned_start=scan_day - datetime.timedelta(days=60),
                    planned_end=scan_day + datetime.timedelta(days=200),
                    stage=stage,
                    stage_entered_at=now - datetime.timedelta(days=30),
                    stage_due_on=scan_day - datetime.timedelta(days=3),
                    created_by=creator,
                )
                for n in range(n_matters)
            ]
        )
        matters = list(Matter.objects.filter(reference__startswith=f"BENCH-{tag}-"))

        n_activities = max(1, math.ceil(n_invitations / INVITATIONS_PER_ACTIVITY))
        starts_at = now + datetime.timedelta(days=10)
        Activity.objects.bulk_create(
            [
                Activity(
                    matter=matters[n % len(matters)],
                    kind=Activity.Kind.values[0],
                    title=f"基准测试座谈会{n}-{tag}",
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(hours=2),
                    created_by=creator,
                )
                for n in range(n_activities)
            ]
        )
        activities = list(Activity.objects.filter(title__endswith=f"-{tag}"))
        Participant.objects.bulk_create(
            [
                Participant(
                    name=f"参与者{n}",
                    affiliation=f"基准测试单位-{tag}",
                    category=Participant.Category.values[0],
                    email=f"p{n}@bench-{tag}.example.cn",
                    created_by=creator,
                )
                for n in range(n_invitations)
            ]
        )
        participants = list(Participant.objects.filter(affiliation=f"基准测试单位-{tag}"))
        Invitation.objects.bulk_create(
            [
                Invitation(
                    activity=activities[n // INVITATIONS_PER_ACTIVITY],
                    participant=participant,
                    token_hash=hashlib.sha256(f"{tag}-{n}".encode()).hexdigest(),
                    reply_deadline=now + datetime.timedelta(days=2),
                    created_by=creator,
                )
                for n, participant in enumerate(participants)
            ]
        )

        # Closed 40 days ago, report due ten days ago: feedback reminders and the digest.
        ends_at = now - datetime.timedelta(days=40)
        CommentPeriod.objects.bulk_create(
            [
                CommentPeriod(
                    matter=matters[n % len(matters)],
                    title=f"基准测试征求意见{n}",
                    starts_at=ends_at - datetime.timedelta(days=30),
                    ends_at=ends_at,
                    created_by=creator,
                )
                for n in range(UNREPORTED_PERIODS)
            ]
        )
        built = {
            "departments": len(departments),
            "matters": len(matters),
            "invitations": len(participants),
            "comment periods": UNREPORTED_PERIODS,
        }
        return now, built
