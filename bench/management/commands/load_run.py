"""Load without loss: public pages, opinion submissions and survey answers, then count
what was stored.

    python manage.py load_run [--setup] [--seconds 60] [--clients 40] [--workers 3]
                              [--redis-url redis://127.0.0.1:6379/14]

Starts gunicorn as in production on loopback, runs ``--clients`` visitors for
``--seconds`` (LOAD_SECONDS, LOAD_CLIENTS), then prints one table and exits non-zero when
any answer was a 5xx, any request had no answer, or the opinions or survey responses
stored differ from the submissions answered with success (bench/cases/loadrun.py).
``--setup`` (what ``make load`` passes) creates the database when missing, migrates it
and loads the demo data (``seed_demo``), which has an open comment period and an open
poll.
"""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from bench.cases import loadrun

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"


class Command(BaseCommand):
    help = (
        "Load public pages, opinion submissions and survey answers for a bounded time; "
        "nothing may be lost."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--setup", action="store_true", help="create, migrate and seed the database first"
        )
        parser.add_argument(
            "--seconds",
            type=float,
            default=float(os.environ.get("LOAD_SECONDS") or loadrun.DEFAULT_SECONDS),
            help="seconds of load (LOAD_SECONDS, default 60)",
        )
        parser.add_argument(
            "--clients",
            type=int,
            default=int(os.environ.get("LOAD_CLIENTS") or loadrun.DEFAULT_CLIENTS),
            help="concurrent clients (LOAD_CLIENTS, default 40)",
        )
        parser.add_argument("--workers", type=int, help="gunicorn workers (default 3)")
        parser.add_argument(
            "--redis-url",
            default=os.environ.get("LOAD_REDIS_URL") or settings.REDIS_URL or DEFAULT_REDIS_URL,
            help="the cache gunicorn uses (LOAD_REDIS_URL)",
        )

    def handle(self, *args, **options):
        if options["seconds"] <= 0 or options["clients"] <= 0:
            raise CommandError("--seconds and --clients must be positive.")
        if connection.vendor != "postgresql":
            raise CommandError("The load run needs PostgreSQL: set DATABASE_URL.")
        if options["setup"]:
            self.setup_database()
        report = loadrun.run(
            seconds=options["seconds"],
            clients=options["clients"],
            workers=options["workers"],
            redis=options["redis_url"],
            log=self.stdout.write,
        )
        self.stdout.write("")
        for line in report.lines():
            self.stdout.write(line)
        if not report.passed:
            raise CommandError("load run failed: " + "; ".join(report.failures()))

    def setup_database(self) -> None:
        """Create the database when missing, migrate it, load the demo data (idempotent)."""
        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                self.stdout.write(f"load: creating database {name}")
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"load: database {name} migrated; loading the demo data")
        # The demo's invitations are e-mailed; nobody reads them here, so keep them quiet.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            call_command("seed_demo", quiet_logins=True, stdout=self.stdout)
