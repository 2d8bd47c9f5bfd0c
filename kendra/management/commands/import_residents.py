import sys

from django.core.management.base import BaseCommand, CommandError

from kendra import imports
from kendra.models import Centre


class Command(BaseCommand):
    help = "Import residents from a CSV file into a centre (all or nothing; safe to repeat)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--centre", type=int, help="Centre id (needed if there are several).")

    def handle(self, file, centre=None, **options):
        centres = Centre.objects.all()
        if centre:
            centres = centres.filter(pk=centre)
        if centres.count() != 1:
            ids = ", ".join(f"{c.pk}={c.name}" for c in Centre.objects.all())
            raise CommandError(f"Name the centre with --centre ID (ids: {ids}).")
        try:
            with open(file, encoding="utf-8-sig") as fh:
                content = fh.read()
            job = imports.prepare(centres.get(), None, file, content)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if job.errors:
            for error in job.errors:
                self.stderr.write(f"row {error['row']}: " + "; ".join(error["messages"]))
            raise CommandError(f"{len(job.errors)} rows have problems; nothing was imported.")
        self.stdout.write(f"{job.new_rows} new, {job.existing_rows} already there.")

        def bar(done, total):
            filled = int(40 * done / total) if total else 40
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (40 - filled)}] {done}/{total}")
            sys.stderr.flush()

        count = imports.run(job, on_progress=bar)
        sys.stderr.write("\n")
        self.stdout.write(self.style.SUCCESS(f"Imported {count} residents."))
