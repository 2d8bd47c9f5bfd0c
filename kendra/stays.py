"""A stay: one admission of a resident, from the day they come to the day they leave.

A resident has one or more stays; attendance, check-ins, alerts, pairings and follow-ups
belong to the stay in which they happened (their `stay` foreign key). The Resident keeps
its status, admission and discharge fields as a copy of the current (latest) stay, so
the rest of the code reads them as before; they are written only here (Stay.open,
Stay.close, Stay.set_admission_date), in one path, so the copy never drifts.

Each stay moves through the stages the centre uses; every change is a StageChange row
(dated, by whom), and the stay's own changes are kept by simple-history.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Window
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kendra.choices import DischargeReason


class Stage(models.TextChoices):
    DETOX = "detox", _("Detox / stabilisation")
    RESIDENTIAL = "residential", _("Residential programme")
    PREPARING = "preparing", _("Preparing to leave")
    AFTERCARE = "aftercare", _("After-care")


STAGE_ORDER = {stage: n for n, stage in enumerate(Stage.values)}


class ReferralSource(models.TextChoices):
    SELF = "self", _("Came on their own")
    FAMILY = "family", _("Family")
    DOCTOR = "doctor", _("Doctor or hospital")
    ALUMNUS = "alumnus", _("An alumnus")
    COURT = "court", _("Court or police")
    OTHER = "other", _("Other")


class StayRefused(Exception):
    """A stay change the rules do not allow; str(error) is the message for the page."""


class StayQuerySet(models.QuerySet):
    def open(self):
        return self.filter(discharge_date__isnull=True)

    def covering(self, resident_id, day):
        """The resident's stay on `day` (the latest that began by then)."""
        return (
            self.filter(resident_id=resident_id, admission_date__lte=day)
            .order_by("-admission_date", "-pk")
            .first()
        )


class Stay(models.Model):
    """One admission of a resident. Never deleted; a readmission opens a new one."""

    # A resident is never deleted in the product; if the operator deletes one (a row
    # typed by mistake, with nothing else), its stays go with it.
    resident = models.ForeignKey("kendra.Resident", on_delete=models.CASCADE, related_name="stays")
    centre = models.ForeignKey("kendra.Centre", on_delete=models.PROTECT, related_name="+")
    admission_date = models.DateField(_("admission date"))
    referral_source = models.CharField(
        _("referred by"), max_length=10, choices=ReferralSource.choices, blank=True
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.DETOX)
    discharge_date = models.DateField(_("discharge date"), null=True, blank=True)
    discharge_reason = models.CharField(
        _("discharge reason"), max_length=20, choices=DischargeReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = StayQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["resident", "admission_date", "pk"]
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(discharge_date__isnull=True),
                name="stay_one_open_per_resident",
            ),
            models.CheckConstraint(
                condition=Q(discharge_date__isnull=True)
                | Q(discharge_date__gte=models.F("admission_date")),
                name="stay_discharge_after_admission",
            ),
        ]
        indexes = [models.Index(fields=["centre", "admission_date"])]

    def __str__(self):
        return f"{self.resident} · {self.admission_date:%d/%m/%Y}"

    @property
    def is_open(self):
        return self.discharge_date is None

    def days(self, today=None):
        end = self.discharge_date or today or timezone.localdate()
        return (end - self.admission_date).days

    # --- the one path that writes the resident's copy ----------------------------------

    @classmethod
    def open(cls, resident, admission_date, by=None, referral_source="", note="", stage=None):
        """A new stay for `resident` (saved), the resident marked admitted from that day.
        Refuses an admitted resident, and a day inside (or before) an earlier stay."""
        if resident.pk and cls.objects.filter(resident=resident).open().exists():
            raise StayRefused(
                _("%(name)s is already admitted: discharge first, or open their page.")
                % {"name": resident}
            )
        last = cls.objects.filter(resident=resident).order_by("-admission_date").first()
        if last is not None and admission_date <= last.discharge_date:
            raise StayRefused(
                _(
                    "The new admission must be after the last discharge (%(date)s): stays "
                    "cannot overlap."
                )
                % {"date": last.discharge_date.strftime("%d/%m/%Y")}
            )
        stay = cls.objects.create(
            resident=resident,
            centre_id=resident.centre_id,
            admission_date=admission_date,
            referral_source=referral_source,
            stage=stage or Stage.DETOX,
            note=note,
        )
        StageChange.objects.create(stay=stay, stage=stay.stage, on=admission_date, by=by)
        resident.status = resident.Status.ADMITTED
        resident.admission_date = admission_date
        resident.discharge_date = None
        resident.discharge_reason = ""
        resident.discharge_note = ""
        resident.save()
        return stay

    def close(self, resident, discharge_date, reason, note=""):
        """End this stay; the resident (the same row, loaded by the caller) is discharged."""
        if not self.is_open:
            raise StayRefused(_("This stay has already ended."))
        if discharge_date < self.admission_date:
            raise StayRefused(
                _("The discharge date cannot be before the admission date (%(date)s).")
                % {"date": self.admission_date.strftime("%d/%m/%Y")}
            )
        self.discharge_date, self.discharge_reason = discharge_date, reason
        if note:
            self.note = "\n\n".join(filter(None, [self.note, note]))
        self.save()
        resident.status = resident.Status.DISCHARGED
        resident.discharge_date, resident.discharge_reason = discharge_date, reason
        resident.discharge_note = note
        resident.save()
        return self

    @classmethod
    def mirror(cls, resident, stage=None):
        """The stay a resident written without one (the demo, test factories) has: from
        their admission date to their discharge date. The resident is left as it is."""
        discharged = resident.status == resident.Status.DISCHARGED
        admitted = resident.admission_date
        if discharged and resident.discharge_date:  # dates written the wrong way round
            admitted = min(admitted, resident.discharge_date)
        stay = cls.objects.create(
            resident=resident,
            centre_id=resident.centre_id,
            admission_date=admitted,
            stage=stage or (Stage.AFTERCARE if discharged else Stage.RESIDENTIAL),
            discharge_date=resident.discharge_date if discharged else None,
            discharge_reason=resident.discharge_reason if discharged else "",
        )
        StageChange.objects.create(stay=stay, stage=stay.stage, on=admitted)
        return stay

    @classmethod
    def for_imported(cls, residents, by=None):
        """The stays of residents just written in bulk (the import): one each, from their
        admission date (to their discharge date), each with its first stage change."""
        from simple_history.utils import bulk_create_with_history

        stays = []
        for resident in residents:
            discharged = resident.status == resident.Status.DISCHARGED
            stays.append(
                cls(
                    resident=resident,
                    centre_id=resident.centre_id,
                    admission_date=resident.admission_date,
                    stage=Stage.AFTERCARE if discharged else Stage.DETOX,
                    discharge_date=resident.discharge_date if discharged else None,
                    discharge_reason=resident.discharge_reason if discharged else "",
                )
            )
        stays = bulk_create_with_history(stays, cls, default_user=by)
        StageChange.objects.bulk_create(
            [StageChange(stay=s, stage=s.stage, on=s.admission_date, by=by) for s in stays]
        )
        return stays

    def set_admission_date(self, day):
        """The admission date corrected on the resident's form: the stay follows."""
        if day == self.admission_date:
            return
        earlier = (
            Stay.objects.filter(
                resident_id=self.resident_id, admission_date__lt=self.admission_date
            )
            .exclude(pk=self.pk)
            .order_by("-admission_date")
            .first()
        )
        if earlier is not None and day <= earlier.discharge_date:
            raise StayRefused(_("Stays cannot overlap: this date is inside an earlier stay."))
        if self.discharge_date and day > self.discharge_date:
            raise StayRefused(_("The admission date cannot be after the discharge date."))
        self.admission_date = day
        self.save(update_fields=["admission_date"])

    def move_to(self, stage, by, on=None):
        """A counselor moves the stay to `stage` (kept as a StageChange). False: no change."""
        if stage == self.stage:
            return False
        self.stage = stage
        self.save(update_fields=["stage"])
        StageChange.objects.create(stay=self, stage=stage, on=on or timezone.localdate(), by=by)
        return True


class StageChange(models.Model):
    """A stay entering a stage: dated, by whom. Rows are history, never edited."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="stage_changes")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    on = models.DateField(_("from"), default=dt.date.today)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["stay", "at", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self):
        return f"{self.stay} → {self.get_stage_display()}"


def preparing_without_plan(admitted_scope, has_plan, shown=10):
    """(how many residents are admitted, the first `shown` of them whose stay is at
    "preparing to leave" with no discharge plan), in one query: the count is a window
    total on the rows. `has_plan(ref)` is the boolean expression a plan exists."""
    preparing = Exists(Stay.objects.open().filter(resident=OuterRef("pk"), stage=Stage.PREPARING))
    rows = list(
        admitted_scope.admitted()
        .annotate(
            total=Window(Count("pk")),
            preparing=preparing,
            planned=has_plan(OuterRef("pk")),
        )
        .order_by("-preparing", "planned", "full_name", "pk")[:shown]
    )
    total = rows[0].total if rows else 0
    return total, [r for r in rows if r.preparing and not r.planned]


def with_stage(residents, stage=""):
    """Residents annotated with the stage of their open stay (`stage`, None when not
    admitted), kept to those at `stage` when one is given. No query of its own."""
    current = Stay.objects.open().filter(resident=OuterRef("pk")).values("stage")[:1]
    residents = residents.annotate(stage=Subquery(current))
    return residents.filter(stage=stage) if stage else residents


def stay_on(resident_id, day):
    """The stay of `resident_id` on `day` (a date or datetime), or None."""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return Stay.objects.covering(resident_id, day)


def current_stays(resident_ids):
    """{resident id: stay id} of each resident's latest stay (one query)."""
    rows = (
        Stay.objects.filter(resident_id__in=list(resident_ids))
        .order_by("resident_id", "-admission_date", "-pk")
        .distinct("resident_id")
        .values_list("resident_id", "pk")
    )
    return dict(rows)


# --- rows that belong to a stay (attendance, check-ins, alerts, pairings, follow-ups) ---
# Such a model has a nullable `stay` foreign key and a method `stay_key()` returning
# (resident id, the date or datetime the row is about). A row saved without a stay is
# given the resident's stay on that day (a pre_save receiver, kendra/apps.py); rows
# written in bulk are given theirs with fill_stays() first.


def _pick(stays, day):
    """The stay (id) covering `day` among (admission_date, pk) pairs, oldest first; a day
    before the first admission belongs to the first stay."""
    chosen = stays[0][1] if stays else None
    for admitted, pk in stays:
        if admitted <= day:
            chosen = pk
    return chosen


def _as_date(day):
    if isinstance(day, dt.datetime):
        return timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return day


def fill_stays(rows):
    """Set `stay_id` on each of `rows` that has none, in one query. Returns the rows."""
    wanting = [row for row in rows if getattr(row, "stay_id", None) is None]
    keys = [row.stay_key() for row in wanting]
    ids = {resident_id for resident_id, _day in keys if resident_id}
    stays = {}
    for resident_id, admitted, pk in (
        Stay.objects.filter(resident_id__in=ids)
        .order_by("admission_date", "pk")
        .values_list("resident_id", "admission_date", "pk")
    ):
        stays.setdefault(resident_id, []).append((admitted, pk))
    for row, (resident_id, day) in zip(wanting, keys, strict=True):
        if resident_id and day:
            row.stay_id = _pick(stays.get(resident_id, []), _as_date(day))
    return rows


def fill_stay_before_save(sender, instance, raw=False, **kwargs):
    if raw or not hasattr(instance, "stay_key") or instance.stay_id is not None:
        return
    fill_stays([instance])
