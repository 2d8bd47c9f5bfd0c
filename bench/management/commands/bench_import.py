"""The residents import figure (issue 8): a reproducible N-row CSV through the real import
path — imports.prepare (read + check every row), then the import_residents Celery task on
one worker on Redis — timed until the job is done, with progress read as the page reads it.

    python manage.py bench_import [--rows 5000] [--seed 2026] [--inline] [--json out.json]

Run it on a database of its own (bench/run.py uses <bench db>_import): each run imports
into a new centre, so it can be run again and never touches the page dataset.
`--inline` runs imports.run with a progress callback instead of a worker (no broker).
"""

import csv
import io
import json
import random
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kendra import imports
from kendra.models import Centre, ImportJob, Resident

CENTRE_PREFIX = "Import bench centre"
FIRST = ["Rahul", "Amit", "Suresh", "Vikram", "Imran", "Harpreet", "Sunita", "Pooja", "Ravi"]
FIRST += ["Arjun", "Manoj", "Deepak", "Salim", "Gurpreet", "Neha", "Kavita", "Rohit", "Anil"]
LAST = ["Sharma", "Verma", "Singh", "Khan", "Gupta", "Yadav", "Meena", "Jat", "Choudhary"]
LANGUAGES = ["hi", "hi;en", "hi;raj", "pa;hi", "ur;hi", "en"]
SUBSTANCES = ["alcohol", "opioids", "cannabis", "alcohol;tobacco", "opioids;tobacco", "inhalants"]
REASONS = ["completed", "against_advice", "transferred"]


def make_csv(rows, seed=2026):
    """The same file for the same (rows, seed): every row valid, one phone per row.
    Dates are fixed (2023–2025), so the file does not change with the day it is made."""
    import datetime as dt

    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(imports.COLUMNS)
    base = dt.date(2025, 12, 31)
    for i in range(rows):
        gender = "female" if rng.random() < 0.15 else "male"
        born = base - dt.timedelta(days=rng.randint(18 * 365, 60 * 365))
        admitted = base - dt.timedelta(days=rng.randint(30, 900))
        sober = admitted - dt.timedelta(days=rng.randint(0, 10))
        discharged = rng.random() < 0.3
        row = {
            "full_name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {i + 1}",
            "preferred_name": "",
            "gender": gender,
            "date_of_birth": born.isoformat(),
            "languages": rng.choice(LANGUAGES),
            "primary_substances": rng.choice(SUBSTANCES),
            "phone": f"7{i:09d}" if rng.random() < 0.8 else "",
            "email": "",
            "preferred_language": "hi",
            "admission_date": admitted.isoformat(),
            "sobriety_date": sober.isoformat(),
            "status": "discharged" if discharged else "admitted",
            "discharge_date": (
                min(admitted + dt.timedelta(days=rng.randint(20, 120)), base).isoformat()
                if discharged
                else ""
            ),
            "discharge_reason": rng.choice(REASONS) if discharged else "",
        }
        writer.writerow([row[c] for c in imports.COLUMNS])
    return out.getvalue()


def run_on_worker(job, timeout):
    """Queue the task as the import page does, with one worker; sample progress as the
    progress bar does. Returns (seconds, highest progress seen, samples)."""
    from bench.management.commands.bench_fanout import start_worker, wait_ready
    from kendra.celery import app
    from kendra.tasks import import_residents

    app.control.purge()
    tmp = Path(tempfile.mkdtemp(prefix="kendra-import-"))
    proc, out = start_worker(1, tmp / "worker.log", tmp / "worker.out")
    try:
        wait_ready()
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
        started = time.monotonic()
        import_residents.apply_async((job.pk,), retry=False)
        best, samples = (0, job.new_rows), 0
        while time.monotonic() - started < timeout:
            job.refresh_from_db()
            done, total = imports.progress(job)
            samples += 1
            best = max(best, (done, total))
            if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
                break
            time.sleep(0.1)
        seconds = time.monotonic() - started
    finally:
        proc.terminate()
        proc.wait(30)
        out.close()
    return seconds, best, samples


def run_inline(job):
    seen = []
    started = time.monotonic()
    imports.run(job, on_progress=lambda done, total: seen.append((done, total)))
    seconds = time.monotonic() - started
    job.refresh_from_db()
    return seconds, max(seen, default=(0, job.new_rows)), len(seen)


class Command(BaseCommand):
    help = "Time a residents CSV import (check + import task) on a database of its own."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--inline", action="store_true", help="no worker: imports.run")
        parser.add_argument("--timeout", type=int, default=600)
        parser.add_argument("--json", dest="json_path", help="write the figures to this file")

    def handle(self, *args, rows, seed, inline, timeout, json_path=None, **options):
        if not inline and not settings.REDIS_URL:
            raise CommandError("bench_import needs REDIS_URL (one worker), or --inline.")
        content = make_csv(rows, seed)
        run_no = Centre.objects.filter(name__startswith=CENTRE_PREFIX).count() + 1
        centre = Centre.objects.create(name=f"{CENTRE_PREFIX} {run_no}", city="Jaipur")
        user, _ = get_user_model().objects.get_or_create(username="bench-import")

        started = time.monotonic()
        job = imports.prepare(centre, user, "bench-residents.csv", content)
        check_s = time.monotonic() - started
        if job.errors or job.new_rows != rows:
            raise CommandError(
                f"the generated file did not check clean: {job.new_rows} new rows of {rows},"
                f" errors {job.errors[:3]}"
            )
        seconds, (done, total), samples = run_inline(job) if inline else run_on_worker(job, timeout)
        job.refresh_from_db()
        imported = Resident.objects.filter(centre=centre).count()
        problems = []
        if job.status != ImportJob.Status.DONE:
            problems.append(f"job ended {job.status}: {job.errors[:3]}")
        if imported != rows:
            problems.append(f"{imported} residents in the centre, expected {rows}")
        if (done, total) != (rows, rows):
            problems.append(f"progress reached {done}/{total}, expected {rows}/{rows}")
        figures = {
            "rows": rows,
            "seed": seed,
            "mode": "inline" if inline else "worker",
            "check_s": round(check_s, 2),
            "seconds": round(seconds, 2),
            "rows_per_s": round(rows / seconds, 1) if seconds else 0,
            "imported": imported,
            "progress": f"{done}/{total}",
            "progress_samples": samples,
            "ok": not problems,
            "problems": problems,
        }
        self.stdout.write(
            f"import rows={rows} seconds={figures['seconds']} rows_per_s={figures['rows_per_s']}"
            f" check_s={figures['check_s']} progress={done}/{total} mode={figures['mode']}"
        )
        if json_path:
            Path(json_path).write_text(json.dumps(figures, indent=2))
        if problems:
            raise CommandError("; ".join(problems))
