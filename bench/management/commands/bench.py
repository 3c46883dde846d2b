"""Every city-scale benchmark, as one table, written to docs/PERFORMANCE.md.

    python manage.py bench [--setup]
                           [--only api,pages,proposals,execution,surveys,pdfs,reminders,load]
                           [--runs N]
                           [--duration S] [--output docs/PERFORMANCE.md | --no-write]

``--setup`` (what ``make bench`` passes) first makes sure the database exists (PostgreSQL:
``CREATE DATABASE`` when missing), is migrated and holds the scale data (``seed_scale``
when it does not). The cases are in ``bench.cases``; they only read the
scale data and write their fixtures in transactions that are rolled back.
``BENCH_QUICK=1`` shortens every case for a smoke run; ``BENCH_DURATION`` sets the load
run's seconds per URL.
"""

import argparse
import json
import os
import time
import warnings
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import scale
from bench.cases import api, execution, load, pages, pdfs, proposals, reminders, surveys
from bench.cases.results import (
    CASE_BUDGET_S,
    MIN_RUNS,
    machine,
    machine_text,
    markdown_document,
    summary,
    text_table,
)
from core.process import freeze_loaded_objects

GROUPS = ("api", "pages", "proposals", "execution", "surveys", "pdfs", "reminders", "load")


class Command(BaseCommand):
    help = "Run every benchmark on the scale data; print one table, write docs/PERFORMANCE.md."

    def add_arguments(self, parser):
        quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
        parser.add_argument(
            "--setup", action="store_true", help="create, migrate and seed the database if needed"
        )
        parser.add_argument("--only", default=",".join(GROUPS),
                            help=f"comma-separated groups of {', '.join(GROUPS)}")  # fmt: skip
        parser.add_argument("--runs", type=int, default=5 if quick else 30,
                            help="timed requests per API and page case")  # fmt: skip
        parser.add_argument("--pdf-runs", type=int, default=2 if quick else 7)
        parser.add_argument("--reminder-runs", type=int, default=1 if quick else 5)
        parser.add_argument(
            "--duration", type=int,
            default=int(os.environ.get("BENCH_DURATION") or (5 if quick else 30)),
            help="seconds of wrk per URL in the load run",
        )  # fmt: skip
        parser.add_argument("--workers", type=int, help="gunicorn workers (default 3)")
        parser.add_argument("--output", default=str(Path("docs") / "PERFORMANCE.md"))
        parser.add_argument("--no-write", action="store_true", help="print only")
        parser.add_argument("--pdf-child", choices=sorted(pdfs.CHILD_CASES),
                            help=argparse.SUPPRESS)  # fmt: skip
        parser.add_argument("--survey-child", choices=["export"], help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["pdf_child"]:
            result = pdfs.run_child_case(options["pdf_child"], runs=options["pdf_runs"])
            self.stdout.write(json.dumps(result))
            return
        if options["survey_child"]:
            freeze_loaded_objects()
            result = surveys.run_child_case(options["survey_child"], runs=options["pdf_runs"])
            self.stdout.write(json.dumps(result))
            return
        only = [group.strip() for group in options["only"].split(",") if group.strip()]
        unknown = sorted(set(only) - set(GROUPS))
        if unknown:
            raise CommandError(f"Unknown group(s) {', '.join(unknown)}; use {', '.join(GROUPS)}.")
        # whitenoise warns that STATIC_ROOT is missing when static files are not collected.
        warnings.filterwarnings("ignore", message="No directory at", module="django")
        if options["setup"]:
            self.setup_database()
        if not scale.scale_data_present():
            raise CommandError("No scale data here: run `manage.py bench --setup` (or seed_scale).")

        # As a gunicorn or Celery worker process does once it has started.
        freeze_loaded_objects()
        info = machine()
        self.stdout.write(f"bench: {machine_text(info)}")
        rows, notes = [], []
        runners = {
            "api": lambda: api.run(runs=options["runs"]),
            "pages": lambda: pages.run(runs=options["runs"]),
            "proposals": lambda: proposals.run(runs=options["runs"]),
            "execution": lambda: execution.run(runs=options["runs"]),
            "surveys": lambda: surveys.run(
                runs=options["runs"],
                export_runs=min(2, options["pdf_runs"]),
                load_seconds=options["duration"],
                workers=options["workers"],
            ),
            "pdfs": lambda: pdfs.run(runs=options["pdf_runs"]),
            "reminders": lambda: reminders.run(runs=options["reminder_runs"]),
        }
        for group in GROUPS:
            if group not in only:
                continue
            # Each group starts from a vacuumed database: the fixtures that earlier groups
            # (or runs) rolled back leave dead rows and unmerged search-index entries until
            # autovacuum gets to them, which made the search page 25% slower.
            scale.analyze([*scale.TABLES, *scale.LINK_TABLES])
            started = time.monotonic()
            self.stdout.write(f"  {group} ...")
            if group == "load":
                found, load_notes = load.run(
                    seconds=options["duration"], workers=options["workers"],
                    log=self.stdout.write,
                )  # fmt: skip
                notes += load_notes
            else:
                found = runners[group]()
            rows += found
            self.stdout.write(f"  {group}: {len(found)} rows in {time.monotonic() - started:.0f} s")
        notes = self.notes(options, only) + notes

        self.stdout.write("")
        self.stdout.write(text_table(rows))
        self.stdout.write("")
        self.stdout.write(summary(rows))
        for note in notes:
            self.stdout.write(f"- {note}")
        if not options["no_write"]:
            output = Path(options["output"])
            if not output.is_absolute():
                output = settings.BASE_DIR / output
            output.parent.mkdir(parents=True, exist_ok=True)
            command = "manage.py bench" + (
                f" --only {','.join(only)}" if only != list(GROUPS) else ""
            )
            output.write_text(markdown_document(rows, info=info, notes=notes, command=command))
            self.stdout.write(f"Written to {output}")

    def notes(self, options, only) -> list[str]:
        found = [
            "median, p95: wall-clock time per call, nearest-rank percentiles after warm-up; "
            "SQL: queries of one call, counted with an execute wrapper; ratio: median ÷ the "
            "baseline's median (load: req/s ÷ hello's req/s).",
        ]
        if "api" in only or "pages" in only:
            found.append(
                f"api, page: {options['runs']} timed requests per case after 2 warm-up "
                f"requests (a case stops after {CASE_BUDGET_S:g} s of timing once it has "
                f"{MIN_RUNS}; BENCH_CASE_SECONDS), through the whole Django stack with the "
                "test client, anonymous, no cookies, DEBUG off, in one process that froze "
                "what it had loaded (gc.freeze(), as gunicorn and Celery workers do). An API "
                "case and its baseline take turns, request by request. Plain page rows "
                "are cold: page and fragment caches off and the content generation bumped "
                "before each request (included in the time), so list totals are counted "
                "again, as for the first visitor after a change; [fragment cached] rows keep "
                "the part of the page every visitor is shown alike (how signed-in visitors "
                "are served); [cached] rows keep the whole page (anonymous visitors); both "
                "in a local-memory cache filled by the warm-up. "
                "API rows run with PORTAL_PAGE_CACHE as configured; their SQL shows "
                "'(n for 10 rows)' when page_size=10 needs another count."
            )
        if "pages" in only:
            found.append(
                "page fixtures: the 500-item catalog year is written (40 departments' "
                "published catalogs) in a transaction that is rolled back; the matter page is "
                "the published matter of the scale data whose opinion count is closest to "
                "5,000; the scale data's catalog year is the one closest to 500 items."
            )
        if "proposals" in only:
            found.append(
                "proposals: the scale data's year of suggestions and proposals (2,000 items, "
                "10,000 contacts at scale 1), signed in with the test client (a staff member "
                "of the department that leads the most items; a general-office reviewer), "
                "DEBUG off, accounts written in a transaction that is rolled back. A page "
                "this build does not have (404) is listed without a time."
            )
        if "execution" in only:
            found.append(
                "execution: the scale data's year with the most catalog items in force, "
                "counted as on the last day of that year (every item due); the figures timed "
                "as the function the dashboard and the workbench call, in process; the list "
                "page with the test client as a general-office reviewer, DEBUG off, the "
                "account written in a transaction that is rolled back."
            )
        if "surveys" in only:
            found.append(
                "surveys: the scale data's open questionnaire (12 questions, 100,000 "
                "responses at scale 1); results pages with the test client (a staff member of "
                "the organising department; anonymous), DEBUG off; answering in process: each "
                "answer by a new visitor (GET for its cookies, then one timed POST per page), "
                "written in a transaction that is rolled back; the Excel export in a fresh "
                "child process (peak MB = its peak RSS). Answering under load: gunicorn "
                "(3 workers unless --workers) with `consult_portal.settings.bench_server` "
                f"and Redis, {surveys.LOAD_VISITORS} client threads on the same machine for "
                f"--duration seconds, one iteration in {surveys.ANSWER_SHARE} answering the "
                "survey as a new visitor (form, one POST per page, thank-you page), the other "
                "reading a cached public page; paced: each visitor pauses a random time "
                f"(mean {surveys.PACE_SECONDS:g} s) between iterations and arrives within its "
                "first pause; unpaced: no pause, the server never idles, latency is the queue. "
                "median/p95 = every POST of an answer as the visitor timed it; responses "
                "counted before and after, then taken back. A page this build does not have "
                "is listed without a time."
            )
        if "pdfs" in only:
            found.append(
                f"pdf: each case in a fresh child process that first freezes what it has "
                f"loaded; {options['pdf_runs']} timed renders after one cold render; "
                "peak MB = the child's peak RSS (getrusage ru_maxrss); "
                "fixtures written and rolled back in the child."
            )
        if "reminders" in only:
            found.append(
                f"reminders: {options['reminder_runs']} timed scans of 10,000 due objects "
                "(fixture rolled back), each scan in a savepoint rolled back; nothing sent."
            )
        return found

    def setup_database(self) -> None:
        """Create the database when missing, migrate it, seed the scale data once."""
        name = connection.settings_dict["NAME"]
        if connection.vendor == "postgresql":
            with connection._nodb_cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if cursor.fetchone() is None:
                    self.stdout.write(f"bench: creating database {name}")
                    cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
        call_command("migrate", interactive=False, verbosity=0)
        if scale.scale_data_present():
            self.stdout.write(f"bench: database {name} holds the scale data already")
            return
        if connection.vendor != "postgresql":
            raise CommandError("The benchmarks need PostgreSQL: set BENCH_DATABASE_URL.")
        self.stdout.write(f"bench: seeding the scale data into {name} (some minutes)")
        call_command("seed_scale", yes=True, stdout=self.stdout)
