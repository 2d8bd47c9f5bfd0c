"""What the groups app tells the others (registered in GroupsConfig.ready through
kendra/providers.py): how often residents came to their sessions."""

from django.db.models import Count, Q

from .models import Attendance


def attendance_rates(resident_ids, since, until):
    """{resident_id: (attended, counted)} for sessions that started in [since, until);
    excused absences are not counted, late counts as attended."""
    rows = (
        Attendance.objects.filter(
            resident_id__in=resident_ids, session__start__gte=since, session__start__lt=until
        )
        .exclude(status="excused")
        .values("resident_id")
        .annotate(counted=Count("pk"), came=Count("pk", filter=Q(status__in=["present", "late"])))
    )
    return {r["resident_id"]: (r["came"], r["counted"]) for r in rows}
