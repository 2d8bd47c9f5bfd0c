"""Build the state-network dataset (issue 11) into the database of DATABASE_URL.

    python manage.py seed_scale [--seed 2026] [--tiny] [--force]

Refuses a database that already has residents unless --force (which empties every
Kendra table first). Records what it built in the table bench_seed, so `make bench`
can tell the dataset is already there (same seed and version) and reuse it.
"""

import time

from django.apps import apps
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
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL (it loads with COPY).")
        if Resident.objects.exists():
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
