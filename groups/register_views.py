"""The attendance register: who came to which session in a date range, as a CSV file."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kendra import access, audit, csv_export

from . import access as group_access
from .forms import RegisterForm
from .models import Attendance, local_day_bounds


def register_rows(groups, data):
    """The marks of the chosen groups (or one group) between the form's two dates."""
    start, _e = local_day_bounds(data["date_from"])
    _s, end = local_day_bounds(data["date_to"])
    rows = (
        Attendance.objects.filter(
            session__group__in=groups, session__start__gte=start, session__start__lt=end
        )
        .select_related("session__group", "resident")
        .order_by("session__start", "session__group__name", "resident__full_name")
    )
    if data["group"]:
        rows = rows.filter(session__group=data["group"])
    return rows


def write_register(response, rows):
    writer = csv_export.writer(response)
    writer.writerow(
        [_("Date"), _("Time"), _("Group"), _("Kind"), _("Resident"), _("Attendance"), _("Walk-in")]
    )
    for a in rows.iterator(chunk_size=1000):
        local = timezone.localtime(a.session.start)
        writer.writerow(
            [
                f"{local:%Y-%m-%d}",
                f"{local:%H:%M}",
                a.session.group.name,
                a.session.group.get_kind_display(),
                a.resident.full_name,
                a.get_status_display(),
                _("yes") if a.walk_in else "",
            ]
        )


@login_required
def register(request):
    access.require(request.user, "attendance.view")
    groups = group_access.groups_for(request.user)
    form = RegisterForm(request.GET or None, groups=groups)
    if not form.is_valid():
        return render(request, "groups/register.html", {"form": form})
    data = form.cleaned_data
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"attendance-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_register(response, register_rows(groups, data))
    audit.record(request.user, "attendance.exported", detail=filename)
    return response
