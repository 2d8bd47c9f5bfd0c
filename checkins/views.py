import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kendra import access, audit, once, providers
from kendra.models import Resident
from kendra.ratelimits import token_page

from . import access as checkin_access
from . import actions
from .forms import CRAVINGS, ReminderPlanForm, ResolveForm
from .forms import CheckInForm as AnswerForm
from .models import MOODS, Alert, AlertEvent, CheckIn, CheckinLink, ReminderPlan
from .reminders import site_url
from .rules import HIGH_CRAVING

FACES = {1: "😢", 2: "😞", 3: "😐", 4: "😊", 5: "😄"}
LATE_ANSWER_DAYS = 62


# --- morning check-in grid ----------------------------------------------------------


def _grid_centre(request):
    centres = list(access.centres_for(request.user, "checkins.record"))
    if not centres:
        access.require(request.user, "checkins.record")
    wanted = request.GET.get("centre") or request.POST.get("centre")
    chosen = next((c for c in centres if str(c.pk) == wanted), centres[0])
    return chosen, centres


def _parse_grid(post, residents):
    """{resident pk: (mood, craving)} and a list of errors in plain words."""
    answers, errors = {}, []
    for r in residents:
        mood_raw = post.get(f"mood_{r.pk}", "").strip()
        craving_raw = post.get(f"craving_{r.pk}", "").strip()
        if not mood_raw and not craving_raw:
            continue
        try:
            mood = int(mood_raw) if mood_raw else None
        except ValueError:
            mood = 0
        try:
            craving = int(craving_raw) if craving_raw else None
        except ValueError:
            craving = -1
        if mood is None:
            errors.append(_("%(name)s: choose a face, or clear the craving.") % {"name": r})
        elif not 1 <= mood <= 5:
            errors.append(_("%(name)s: the mood must be one of the five faces.") % {"name": r})
        elif craving is not None and not 0 <= craving <= 10:
            errors.append(_("%(name)s: the craving must be a number from 0 to 10.") % {"name": r})
        else:
            answers[r.pk] = (mood, craving)
    return answers, errors


def _grid_rows(request, residents, today, errors):
    """(the grid's rows, how many answered in the circle today): each resident with today's
    circle answers, or what was posted when the page comes back with errors, and an answer
    given elsewhere (the check-in link) shown beside."""
    done, elsewhere = {}, {}
    for c in CheckIn.objects.filter(resident__in=residents, for_date=today).order_by("at"):
        if c.source == CheckIn.Source.CIRCLE:
            done[c.resident_id] = c
        else:
            elsewhere[c.resident_id] = c
    rows = []
    for r in residents:
        checkin = done.get(r.pk)
        mood = request.POST.get(f"mood_{r.pk}") if errors else (checkin and str(checkin.mood))
        craving = (
            request.POST.get(f"craving_{r.pk}")
            if errors
            else (checkin and checkin.craving is not None and str(checkin.craving))
        )
        other = elsewhere.get(r.pk)
        rows.append(
            {
                "resident": r,
                "mood": mood or "",
                "craving": craving or "",
                "other": other,
                "other_face": FACES.get(other.mood) if other else "",
            }
        )
    return rows, {
        "total": len(residents),
        "circle": len(done),
        "link": len([pk for pk in elsewhere if pk not in done]),
        "not_yet": len([r for r in residents if r.pk not in done and r.pk not in elsewhere]),
    }


@login_required
def grid(request):
    centre, centres = _grid_centre(request)
    residents = list(Resident.objects.admitted().filter(centre=centre).order_by("full_name", "pk"))
    today = timezone.localdate()
    errors = []
    if request.method == "POST":
        answers, errors = _parse_grid(request.POST, residents)
        if not errors:
            new, changed = actions.save_grid(residents, answers, request.user)
            messages.success(
                request,
                _("Check-ins saved: %(new)s new, %(changed)s corrected.")
                % {"new": new, "changed": changed},
            )
            return redirect(f"{request.path}?centre={centre.pk}")
    audit.record(request.user, "checkins.grid_viewed", centre=centre)
    rows, done = _grid_rows(request, residents, today, errors)
    return render(
        request,
        "checkins/grid.html",
        {
            "centre": centre,
            "centres": centres,
            "rows": rows,
            "errors": errors,
            "moods": [(n, label, FACES[n]) for n, label in MOODS],
            "cravings": [str(n) for n, _label in CRAVINGS],
            "today": today,
            "done_count": done["circle"],
            "counts": done,
        },
    )


# --- alerts -------------------------------------------------------------------------


@login_required
def alert_list(request):
    access.require(request.user, "alerts.handle")
    status = request.GET.get("status", "open")
    if status not in {"open", "resolved", "all"}:
        status = "open"  # a made-up filter shows the open alerts, as with none
    alerts = (
        checkin_access.visible_alerts(request.user)
        .select_related("resident", "acknowledged_by")
        .prefetch_related(
            Prefetch(
                "events", queryset=AlertEvent.objects.select_related("user").order_by("at", "pk")
            )
        )
    )
    if status == "open":
        alerts = alerts.open()
    elif status == "resolved":
        alerts = alerts.filter(status=Alert.Status.RESOLVED)
    page = Paginator(alerts.order_by("-raised_at", "-pk"), 25).get_page(request.GET.get("page"))
    shown = ", ".join(str(a.pk) for a in page)
    audit.record(request.user, "alerts.viewed", detail=f"status={status} alerts={shown}")
    return render(request, "checkins/alert_list.html", {"page": page, "status": status})


@login_required
@require_POST
def alert_acknowledge(request, pk):
    alert = checkin_access.get_alert(request.user, pk)
    if actions.acknowledge(alert, request.user):
        messages.success(request, _("Alert acknowledged. Resolve it with a note when done."))
    return redirect("checkins:alerts")


@login_required
def alert_resolve(request, pk):
    alert = checkin_access.get_alert(request.user, pk)
    if alert.status == Alert.Status.RESOLVED:
        messages.info(request, _("This alert is already resolved."))
        return redirect("checkins:alerts")
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.resolve(alert, request.user, form.cleaned_data["note"])
        messages.success(request, _("Alert resolved."))
        return redirect("checkins:alerts")
    return render(request, "checkins/alert_resolve.html", {"alert": alert, "form": form})


# --- personal check-in link (no login) ----------------------------------------------


def _plan_by_token(token):
    """The plan of a live link (only the token's hash is stored); 404 otherwise."""
    link = CheckinLink.live(token) if 16 <= len(token) <= 64 else None
    if link is None:
        raise Http404  # no hint whether the link ever existed
    return link.plan


def _answer_day(raw):
    """The day a link was sent for: a past day is accepted late, a future one is not."""
    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(raw or "")
    except ValueError:
        return today
    if day > today or (today - day).days > LATE_ANSWER_DAYS:
        return today
    return day


def is_help_press(request):
    """The "I need help now" button: never counted or refused by the rate limits."""
    return request.method == "POST" and "help" in request.POST


@token_page("checkin", exempt=is_help_press, refused_template="checkins/ratelimited.html")
def answer(request, token):
    plan = _plan_by_token(token)
    resident = plan.resident
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(resident.preferred_language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
    day = _answer_day(request.GET.get("day") or request.POST.get("day"))
    context = {"plan": plan, "resident": resident, "day": day, "late": day < timezone.localdate()}
    context["recovery"] = providers.recovery_plan(resident)  # their relapse-prevention plan
    if is_help_press(request):
        context.update(actions.ask_for_help(resident).page)
        return render(request, "checkins/answer_help.html", context)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.record_checkin(
            resident,
            mood=form.cleaned_data["mood"],
            craving=form.cleaned_data["craving"],
            note=form.cleaned_data["note"],
            source=CheckIn.Source.LINK,
            for_date=day,
        )
        context["strong_craving"] = (form.cleaned_data["craving"] or 0) >= HIGH_CRAVING
        return render(request, "checkins/answer_thanks.html", context)
    context.update(
        {
            "form": form,
            "moods": _radio_choices(form, "mood", FACES),
            "cravings": _radio_choices(form, "craving"),
        }
    )
    return render(request, "checkins/answer.html", context, status=400 if form.errors else 200)


def _radio_choices(form, name, icons=None):
    """(value, label, icon, checked) per choice, prepared here: iterating a bound radio
    field in the template renders a widget per choice, the bulk of this page's cost."""
    chosen = str(form[name].value() or "") if form.is_bound else ""
    return [
        (str(value), label, (icons or {}).get(value, ""), str(value) == chosen)
        for value, label in form.fields[name].choices
    ]


# --- reminder plans -----------------------------------------------------------------


@login_required
def plan_edit(request, resident_pk):
    resident = access.get_resident(request.user, resident_pk, "reminders.manage")
    plan = ReminderPlan.objects.filter(resident=resident).first() or actions.default_plan(resident)
    plan.resident = resident
    form = ReminderPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        actions.save_plan(form, request.user)
        messages.success(request, _("Reminder plan saved."))
        return redirect("checkins:plan", resident_pk=resident.pk)
    # Check-ins and "Make a new link" only for those who may read check-ins (not
    # coordinators). No link is shown here: only a hash of each is kept.
    sees = access.can(request.user, "checkins.view", resident.centre_id)
    recent = CheckIn.objects.filter(resident=resident).order_by("-at")[:10] if sees else None
    audit.record(request.user, "reminder_plan.viewed", resident)
    return render(
        request,
        "checkins/plan_form.html",
        {"resident": resident, "plan": plan, "form": form, "recent": recent, "sees": sees},
    )


@login_required
def plan_revoke(request, resident_pk):
    """ "Make a new link": the old links stop working and the new one is shown once, for
    staff to give to the resident on the spot (only its hash is kept: kendra/once.py)."""
    resident = access.get_resident(request.user, resident_pk, "reminders.manage")
    access.require(request.user, "checkins.view", resident.centre_id)
    plan = get_object_or_404(ReminderPlan, resident=resident)
    context = {"resident": resident, "plan": plan}
    if request.method == "POST":
        token = actions.new_link(plan, request.user)
        return once.redirect_showing(request.path, NEW_LINK, token)
    token = once.take(request, NEW_LINK)
    if token is None:
        return render(request, "checkins/plan_revoke.html", context)
    context["link"] = site_url() + ReminderPlan.link(token)
    response = render(request, "checkins/plan_new_link.html", context)
    return once.forget(request, response, NEW_LINK)


@login_required
@require_POST
def plan_close_links(request, resident_pk):
    """ "Close the personal link": every link of the plan stops working at once."""
    resident = access.get_resident(request.user, resident_pk, "reminders.manage")
    access.require(request.user, "checkins.view", resident.centre_id)
    plan = get_object_or_404(ReminderPlan, resident=resident)
    closed = actions.close_links(plan, request.user)
    messages.success(
        request,
        ngettext("%(n)s link closed.", "%(n)s links closed.", closed) % {"n": closed},
    )
    return redirect("checkins:plan", resident.pk)


NEW_LINK = "kendra_new_checkin_link"
