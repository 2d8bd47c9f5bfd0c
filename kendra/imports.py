"""Import residents from the CSV register most centres keep in a spreadsheet.

check() reads every row through the same ResidentForm the admit page uses, so a row is
refused for exactly the reasons a person typing it would be, in the same words. run()
imports in one transaction (all or nothing), reporting progress through the cache. A
row that matches a resident already in the centre (same phone, or same name and date
of birth) is left alone, so importing the same file twice adds nobody twice.
"""

import csv
import datetime as dt
import io
import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from . import audit, phones
from .forms import ResidentForm, normalise_phone
from .models import Centre, ImportJob, Resident
from .signals import resident_admitted
from .stays import Stay

log = logging.getLogger(__name__)

COLUMNS = [
    "full_name",
    "preferred_name",
    "gender",
    "date_of_birth",
    "languages",
    "primary_substances",
    "phone",
    "email",
    "preferred_language",
    "admission_date",
    "sobriety_date",
    "status",
    "discharge_date",
    "discharge_reason",
]
REQUIRED = {"full_name", "gender", "admission_date"}
MAX_ROWS = 20000
MAX_BYTES = 5 * 1024 * 1024
SAMPLE = (
    ",".join(COLUMNS)
    + "\n"
    + "Rahul Sharma,Rahul,male,1992-04-18,hi;en,alcohol,9829012345,,hi,2026-10-01,2026-09-30,"
    + "admitted,,\n"
    + "Sunita Devi,,female,1988-11-02,hi,opioids;tobacco,,,hi,2026-06-10,2026-06-10,"
    + "discharged,2026-09-05,completed\n"
)


@dataclass
class CheckResult:
    rows: list = field(default_factory=list)  # cleaned dicts of new residents
    existing: int = 0
    returning: list = field(default_factory=list)  # people discharged, coming back
    errors: list = field(default_factory=list)  # [{"row": n, "messages": [...]}]


def _progress_key(job_id):
    return f"kendra:import:{job_id}"


def read_csv(content):
    """The rows as dicts, or a ValueError saying in words what is wrong with the file."""
    if len(content.encode()) > MAX_BYTES:
        raise ValueError(_("The file is larger than 5 MB. Split it into smaller files."))
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = REQUIRED - set(header)
    if missing:
        raise ValueError(
            _("The file has no column %(columns)s. Download the sample to see the columns.")
            % {"columns": ", ".join(sorted(missing))}
        )
    unknown = set(header) - set(COLUMNS)
    if unknown:
        raise ValueError(
            _("Unknown column(s): %(columns)s. Download the sample to see the columns.")
            % {"columns": ", ".join(sorted(unknown))}
        )
    rows = []
    for row in reader:
        rows.append({(k or "").strip(): (v or "").strip() for k, v in row.items() if k})
        if len(rows) > MAX_ROWS:
            raise ValueError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
    if not rows:
        raise ValueError(_("The file has no rows under the header."))
    return rows


def _form_data(row, centre):
    data = {k: row.get(k, "") for k in COLUMNS}
    data["centre"] = centre.pk
    data["languages"] = [x.strip() for x in data["languages"].split(";") if x.strip()]
    data["primary_substances"] = [
        x.strip() for x in data["primary_substances"].split(";") if x.strip()
    ]
    data["preferred_language"] = data["preferred_language"] or "hi"
    return data


def _discharge_errors(row, cleaned):
    status = (row.get("status") or "admitted").lower()
    if status not in Resident.Status.values:
        return [_("Unknown status “%(s)s”: use admitted or discharged.") % {"s": row.get("status")}]
    if status == Resident.Status.ADMITTED:
        return []
    errors = []
    reason = row.get("discharge_reason", "")
    if reason not in Resident.DischargeReason.values:
        errors.append(
            _("Unknown discharge reason “%(r)s”: use %(choices)s.")
            % {"r": reason, "choices": ", ".join(Resident.DischargeReason.values)}
        )
    try:
        day = ResidentForm.base_fields["admission_date"].to_python(row.get("discharge_date"))
    except Exception:  # noqa: BLE001 - any parse failure is reported in words
        day = None
    if day is None:
        errors.append(_("A discharged resident needs a discharge date (YYYY-MM-DD)."))
    elif cleaned.get("admission_date") and day < cleaned["admission_date"]:
        errors.append(_("The discharge date is before the admission date."))
    elif day > timezone.localdate():
        errors.append(_("The discharge date is in the future."))
    cleaned.update(status=status, discharge_reason=reason, discharge_date=day)
    return errors


def _known(result, person, row, number):
    """A row of someone already in Kendra: left alone, or, when they were discharged before
    the row's admission date, someone coming back (readmission offered in the preview)."""
    pk, _phone, name, _born, status, discharged = person
    try:
        admitted = ResidentForm.base_fields["admission_date"].to_python(row.get("admission_date"))
    except Exception:  # noqa: BLE001 - no usable date: left alone
        admitted = None
    if (
        status == Resident.Status.DISCHARGED
        and admitted
        and discharged
        and discharged < admitted <= timezone.localdate()
    ):
        result.returning.append(
            {"row": number, "resident": pk, "name": name, "admission_date": admitted.isoformat()}
        )
    else:
        result.existing += 1


def check(centre, rows):
    """Validate every row; nothing is written."""
    result = CheckResult()
    known = list(
        Resident.objects.filter(centre=centre).values_list(
            "pk", "phone", "full_name", "date_of_birth", "status", "discharge_date"
        )
    )
    existing_phones = {phone: person for person in known if (phone := person[1])}
    existing_people = {(person[2], person[3]): person for person in known}
    seen_phones = {}
    centres = Centre.objects.filter(pk=centre.pk)
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        messages = []
        try:
            phone = normalise_phone(row.get("phone"))
        except Exception:  # noqa: BLE001 - the form reports it in words below
            phone = None
        if phone and phone in existing_phones:
            _known(result, existing_phones[phone], row, number)
            continue
        form = ResidentForm(_form_data(row, centre), centres=centres, check_duplicates=False)
        # The duplicate-phone check is ours here: across the file and against the centre.
        valid = form.is_valid()
        cleaned = form.cleaned_data if valid else {}
        person = valid and existing_people.get((cleaned["full_name"], cleaned.get("date_of_birth")))
        if person:
            _known(result, person, row, number)
            continue
        if not valid:
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else name
                messages += [f"{label}: {e}" for e in errors]
        else:
            messages += _discharge_errors(row, cleaned)
        if phone:
            if phone in seen_phones:
                messages.append(
                    _("The phone number is the same as in row %(row)s.")
                    % {"row": seen_phones[phone]}
                )
            seen_phones.setdefault(phone, number)
        if messages:
            result.errors.append({"row": number, "messages": messages})
        else:
            cleaned.setdefault("status", Resident.Status.ADMITTED)
            result.rows.append(cleaned)
    return result


PREVIEW_ROWS = 20


def preview(job):
    """The first rows of a checked file as they will be stored: (row, name, phone), the phone
    normalised to E.164 (kendra/phones.py) so the person importing sees what Kendra reads."""
    try:
        rows = read_csv(job.content)
    except ValueError:
        return []
    shown = []
    for number, row in enumerate(rows[:PREVIEW_ROWS], start=2):
        raw = row.get("phone", "")
        shown.append((number, row.get("full_name", ""), phones.or_none(raw, mobile=True) or raw))
    return shown


def prepare(centre, user, filename, content):
    """Read and check an upload; returns the ImportJob (with errors if any) or raises ValueError."""
    rows = read_csv(content)
    result = check(centre, rows)
    return ImportJob.objects.create(
        centre=centre,
        uploaded_by=user,
        filename=filename[:200],
        content=content,
        total_rows=len(rows),
        new_rows=len(result.rows),
        existing_rows=result.existing,
        errors=result.errors,
        returning=result.returning,
    )


def set_progress(job_id, done, total):
    try:
        cache.set(_progress_key(job_id), (done, total), timeout=3600)
    except Exception as exc:  # noqa: BLE001 - progress is a courtesy; the import goes on
        log.warning("could not record import progress: %s", exc)


def progress(job):
    """(done, total) for a running job."""
    if job.status == ImportJob.Status.DONE:
        return job.new_rows, job.new_rows
    try:
        value = cache.get(_progress_key(job.pk))
    except Exception:  # noqa: BLE001
        value = None
    return value or (0, job.new_rows)


def run(job, on_progress=None, chunk=250):
    """Import a checked job: all rows or none. Safe to run again (existing rows are skipped)."""
    rows = read_csv(job.content)
    result = check(job.centre, rows)
    if result.errors:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            errors=result.errors,
            finished_at=timezone.now(),
            content="",  # the uploaded file is not kept once its import has ended
        )
        return 0
    total = len(result.rows)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    fields = {f.name for f in Resident._meta.fields}
    with transaction.atomic():
        for start in range(0, total, chunk):
            batch = [
                Resident(
                    centre=job.centre,
                    **{k: v for k, v in row.items() if k in fields and k != "centre"},
                )
                for row in result.rows[start : start + chunk]
            ]
            bulk_create_with_history(batch, Resident, default_user=job.uploaded_by)
            Stay.for_imported(batch, job.uploaded_by)
            admitted = [r for r in batch if r.status == Resident.Status.ADMITTED]
            # A check-in plan from the first day (the checkins app answers).
            resident_admitted.send(
                sender=Resident, residents=admitted, by=job.uploaded_by, readmitted=False
            )
            done = min(start + chunk, total)
            set_progress(job.pk, done, total)
            if on_progress:
                on_progress(done, total)

        _readmit(job, result.returning)
        audit.record(
            job.uploaded_by, "residents.imported", job, centre=job.centre, detail=f"{total} rows"
        )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE,
        imported=total,
        new_rows=total,
        existing_rows=result.existing,
        finished_at=timezone.now(),
        content="",
    )
    set_progress(job.pk, total, total)
    return total


def _readmit(job, returning):
    """Admit again the returning people the admin confirmed (job.returning): a new stay on
    the same person each, never a second resident."""
    from .actions import readmit_resident

    confirmed = {entry["resident"] for entry in job.returning or []}
    for entry in returning:
        if entry["resident"] in confirmed:
            resident = Resident.objects.get(pk=entry["resident"], centre=job.centre)
            day = dt.date.fromisoformat(entry["admission_date"])
            readmit_resident(resident, day, job.uploaded_by)


KEEP_UPLOADS = dt.timedelta(days=1)


def forget_old_uploads(now=None):
    """Remove the text of uploaded files whose import never ended within a day (a preview
    nobody confirmed, a worker that died): it holds names and phone numbers, and is kept
    only as long as the import needs it. Returns how many were removed."""
    now = now or timezone.now()
    old = ImportJob.objects.filter(created_at__lt=now - KEEP_UPLOADS).exclude(content="")
    return old.update(
        content="",
        status=ImportJob.Status.FAILED,
        finished_at=now,
        errors=[{"row": 0, "messages": [_("The file was removed after a day. Upload it again.")]}],
    )
