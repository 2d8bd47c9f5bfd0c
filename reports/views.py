from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kendra import csv_export
from kendra.forms import int_param

from . import access as report_access
from . import metrics
from .charts import chart, week_label
from .forms import PeriodForm


def _period(request):
    """(centre, form, start, end) from the query string; last full month by default."""
    raw = request.GET.get("centre")
    wanted = int_param(raw)
    if raw is not None and wanted is None:
        raise Http404
    centre = report_access.get_report_centre(request.user, wanted)
    start, end = metrics.last_full_month()
    form = PeriodForm(
        request.GET if "start" in request.GET else None, initial={"start": start, "end": end}
    )
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return centre, form, start, end


@login_required
def monthly(request):
    centre, form, start, end = _period(request)
    return render(
        request, "reports/monthly.html", _monthly_context(request, centre, form, start, end)
    )


def _monthly_context(request, centre, form, start, end):
    report = metrics.monthly(centre, start, end)
    trend = metrics.group_attendance_trend(centre, end)
    load = metrics.mentor_load(centre)
    outcomes = report["followups"]["outcomes"]
    charts = [
        chart(
            "chart-group-attendance",
            _("Attendance rate per group, 12 weeks to %(end)s") % {"end": week_label(end)},
            "line",
            [week_label(w) for w in trend["weeks"]],
            [(g["group"], g["rates"]) for g in trend["groups"]],
            unit="%",
            suggested_max=100,
            tall=True,
        ),
        chart(
            "chart-mentor-load",
            _("Mentor load today"),
            "bar",
            [name for name, _load, _cap in load],
            [
                (_("Mentees"), [n for _name, n, _cap in load]),
                (_("Capacity"), [c for *_x, c in load]),
            ],
        ),
        chart(
            "chart-followup-outcomes",
            _("Follow-up outcomes"),
            "bar",
            [label for _v, label, _n in outcomes] + [_("Not yet recorded")],
            [(_("Follow-ups"), [n for *_x, n in outcomes] + [report["followups"]["open"]])],
        ),
    ]
    return {
        **report,
        "form": form,
        "charts": charts,
        "centres": report_access.report_centres(request.user),
        "query": request.GET.urlencode(),
    }


@login_required
def monthly_csv(request):
    centre, _form, start, end = _period(request)
    report = metrics.monthly(centre, start, end)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="kendra-report-{centre.pk}-{start:%Y-%m-%d}-{end:%Y-%m-%d}.csv"'
    )
    writer = csv_export.writer(response)
    writer.writerow([_("Section"), _("Item"), _("Value")])
    writer.writerows(rows(report))
    return response


def rows(report):
    """The report as (section, item, value) rows: what the CSV holds."""
    r, s, c, a = report["residents"], report["session_types"], report["checkins"], report["alerts"]
    out = [
        (_("Period"), _("Centre"), str(report["centre"])),
        (_("Period"), _("From"), report["start"].isoformat()),
        (_("Period"), _("To"), report["end"].isoformat()),
        (_("Residents"), _("On the roll at the start"), r["at_start"]),
        (_("Residents"), _("Admitted"), r["admitted"]),
        (_("Residents"), _("Discharged"), r["discharged"]),
        (_("Residents"), _("On the roll at the end"), r["at_end"]),
    ]
    st = report["stays"]
    out += [
        (_("Stays"), _("Admissions"), st["admissions"]),
        (_("Stays"), _("Readmissions within 30 days"), st["readmitted_30"]),
        (_("Stays"), _("Readmissions within 90 days"), st["readmitted_90"]),
        (_("Stays"), _("Left against advice"), st["left_against_advice"]),
    ]
    out += [(_("Discharged by reason"), str(label), n) for _v, label, n in r["by_reason"]]
    for row in report["groups"]["rows"]:
        item = f"{row['kind']} / {row['format']}"
        out += [
            (_("Group sessions held"), item, row["sessions"]),
            (_("Group attendance (present or late)"), item, row["attended"]),
        ]
    out += [
        (_("Group sessions held"), _("Total"), report["groups"]["total"]["sessions"]),
        (
            _("Group attendance (present or late)"),
            _("Total"),
            report["groups"]["total"]["attended"],
        ),
        (_("Sessions by type"), _("Individual (mentor contacts)"), s["individual"]),
        (_("Sessions by type"), _("Group sessions"), s["group"]),
        (_("Sessions by type"), _("Family group meetings"), s["family_group"]),
        (_("Sessions by type"), _("Family sessions"), s["family_session"]),
        (_("Sessions by type"), _("Total"), s["total"]),
        (_("Families"), _("Family meetings held"), report["family"]["meetings_held"]),
        (_("Families"), _("Families that attended at least once"), report["family"]["families"]),
        (_("Families"), _("Residents whose family attended"), report["family"]["residents"]),
        (_("Check-ins"), _("Resident-days on the roll"), c["expected"]),
        (_("Check-ins"), _("Days with a check-in"), c["answered"]),
        (_("Check-ins"), _("Response rate (%)"), c["rate"]),
    ]
    out += [(_("Alerts raised"), str(label), n) for _v, label, n in a["by_rule"]]
    out += [
        (_("Alerts raised"), _("Total"), a["raised"]),
        (_("Alerts"), _("Resolved in the period"), a["resolved"]),
        (_("Alerts"), _("Open at the end"), a["open_at_end"]),
        (_("Mentor pairings"), _("Active in the period"), report["pairings"]["active"]),
        (_("Mentor pairings"), _("Started"), report["pairings"]["started"]),
        (_("Mentor pairings"), _("Ended"), report["pairings"]["ended"]),
        (_("Alumni visits"), _("Visits held"), report["visits"]["done"]),
        (_("Alumni visits"), _("Alumni who came"), report["visits"]["alumni"]),
        (_("Alumni visits"), _("Residents reached"), report["visits"]["residents_reached"]),
        (_("Follow-ups"), _("Due"), report["followups"]["due"]),
        (_("Follow-ups"), _("Reached"), report["followups"]["reached"]),
        (_("Follow-ups"), _("Not yet recorded"), report["followups"]["open"]),
    ]
    out += [
        (_("Follow-up outcomes"), str(label), n) for _v, label, n in report["followups"]["outcomes"]
    ]
    return out
