"""Build the state-network dataset (issue 11) into the database of DATABASE_URL.

    python manage.py seed_scale [--seed 2026] [--tiny] [--force]

Runs only with KENDRA_BENCH=1 (without it the bench app, and so this command, is not
installed). Never touches a database that holds anything but the benchmark's own data:
one with people in it and no bench_seed table is refused, --force or not. A benchmark
database already seeded is emptied first with --force (every Kendra table), else refused.
Records what it built in the table bench_seed, so `make bench` can tell the dataset is
already there (same seed and version) and reuse it.
"""

import time

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import seed as seeding
from kendra.models import Resident


def seeded_marker():
    """(seed, version, sizes name, day) of the dataset in this database, or None."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_seed')")
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute("SELECT seed, version, size, seeded_on FROM bench_seed LIMIT 1")
        return cursor.fetchone()


def holds_data():
    """Has anyone or anything been written here (residents, accounts)?"""
    return Resident.objects.exists() or get_user_model().objects.exists()


def empty_everything():
    tables = [m._meta.db_table for m in apps.get_models(include_auto_created=True)]
    keep = {"django_migrations", "django_content_type", "auth_permission"}
    names = ", ".join(f'"{t}"' for t in tables if t not in keep)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")  # noqa: S608
        cursor.execute("DROP TABLE IF EXISTS bench_seed")


class Command(BaseCommand):
    help = "Seed the benchmark dataset (50 centres, 10,000 residents, 1M attendance rows)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--tiny", action="store_true", help="a small dataset (smoke test)")
        parser.add_argument("--force", action="store_true", help="empty the database first")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, seed, tiny, force, quiet, **options):
        if not settings.KENDRA_BENCH:
            raise CommandError("seed_scale is the benchmark's: run it with KENDRA_BENCH=1.")
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL (it loads with COPY).")
        if holds_data():
            if seeded_marker() is None:
                raise CommandError(
                    "This database holds data that is not the benchmark's; seed_scale never"
                    " touches it. Use a database of its own (make bench uses kendra_bench)."
                )
            if not force:
                raise CommandError("This database has residents; use --force to empty it first.")
            empty_everything()
        started = time.monotonic()
        counts = seeding.seed(seed, seeding.TINY if tiny else seeding.FULL, quiet=quiet)
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS bench_seed"
                " (seed integer, version integer, size text, seeded_on date)"
            )
            cursor.execute("DELETE FROM bench_seed")
            cursor.execute(
                "INSERT INTO bench_seed VALUES (%s, %s, %s, CURRENT_DATE)",
                [seed, seeding.VERSION, "tiny" if tiny else "full"],
            )
        took = time.monotonic() - started
        summary = " ".join(f"{k}={v}" for k, v in counts.items())
        self.stdout.write(f"seed_scale seed={seed} took_s={took:.0f} {summary}")
