"""Build a city at ten times real size for performance work. See bench/scale.py."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import ProtectedError

from bench import scale as city


class Command(BaseCommand):
    help = (
        "Write a city at ten times real size (100,000 matters, 2,000 annual plans, "
        "500,000 opinions, ...) with bulk inserts, for performance work. PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1.0 = the full sizes (default)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument(
            "--replace", action="store_true", help="Delete previous scale data first."
        )
        parser.add_argument(
            "--allow-sqlite", action="store_true", help="Run on SQLite (tests, tiny scales)."
        )

    def handle(self, *args, scale, seed, yes, replace, allow_sqlite, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if connection.vendor == "sqlite" and not allow_sqlite:
            raise CommandError(
                "seed_scale is meant for PostgreSQL (it uses COPY and ANALYZE). Set "
                "DATABASE_URL to a PostgreSQL database, or pass --allow-sqlite for a tiny scale."
            )
        has_data = city.scale_data_present()
        if has_data and not replace:
            raise CommandError(
                "The database already holds scale data (references starting with "
                f"{city.REFERENCE_PREFIX!r}). Run with --replace to delete it first."
            )
        sizes = city.sizes(scale)
        database = connection.settings_dict["NAME"]
        self.stdout.write(
            f"seed_scale: database {database} ({connection.vendor}), scale {scale}, seed {seed}"
        )
        for name, count in sizes.items():
            self.stdout.write(f"  {name:<18} {count:>10,}")
        if not yes:
            replacing = " after deleting the previous scale data" if has_data else ""
            answer = input(f"Write these rows{replacing}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Cancelled.")
        started = time.monotonic()
        if has_data:
            self.stdout.write("Deleting previous scale data:")
            try:
                city.scale_data_delete(log=self.stdout.write)
            except ProtectedError as error:
                raise CommandError(
                    "Previous scale data is referenced by other rows (the ledger is never "
                    f"deleted from) and cannot be removed: {error.args[0]}"
                ) from error
        self.stdout.write("Inserting:")
        report = city.seed_scale(scale=scale, seed=seed, log=self.stdout.write)
        total = time.monotonic() - started
        self.stdout.write("")
        self.stdout.write(f"{'table':<24} {'rows':>10} {'seconds':>8}")
        for label, count, seconds in report.rows:
            self.stdout.write(f"{label:<24} {count:>10,} {seconds:>8.1f}")
        self.stdout.write(f"{'total':<24} {sum(r[1] for r in report.rows):>10,} {total:>8.1f}")
        if report.top_matter:
            matter_id, reference, count = report.top_matter
            self.stdout.write(
                f"Most contested matter: id {matter_id}, reference {reference}, {count:,} opinions."
            )
        self.stdout.write(self.style.SUCCESS("Scale data written."))
