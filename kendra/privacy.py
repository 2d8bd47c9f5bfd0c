"""Privacy pages: the audit log, the consent ledger and a resident's data export."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access, audit, panels, record_export
from .forms import Bounded, KendraForm
from .models import AuditEvent, Consent


class AuditFilter(Bounded, forms.Form):
    q = forms.CharField(label=gettext_lazy("User, action or record"), required=False)
    resident = forms.IntegerField(widget=forms.HiddenInput, required=False)
    number_ranges = {"resident": (1, 2**63 - 1)}  # a resident's id: a bigint


@login_required
def audit_log(request):
    access.require(request.user, "audit.view")
    events = access.visible_audit_events(request.user).select_related("user", "resident")
    form = AuditFilter(request.GET or None)
    if form.is_valid():
        text = form.cleaned_data["q"].strip()
        if text:
            events = events.filter(
                Q(user__username__icontains=text)
                | Q(action__icontains=text)
                | Q(resident__full_name__icontains=text)
                | Q(detail__icontains=text)
            )
        if form.cleaned_data["resident"]:
            events = events.filter(resident_id=form.cleaned_data["resident"])
    page = Paginator(events.order_by("-at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "kendra/audit_log.html", {"page": page, "form": form})


class ConsentForm(KendraForm):
    class Meta:
        model = Consent
        fields = ["purpose", "grantee_description", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grantee_description"].required = True


@login_required
def consent_add(request, pk):
    resident = access.get_resident(request.user, pk, "consents.manage")
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            consent = form.save(commit=False)
            consent.resident = resident
            consent.given_by = request.user
            consent.save()
            audit.record(
                request.user,
                "consent.given",
                consent,
                resident=resident,
                centre=resident.centre,
                detail=consent.get_purpose_display(),
            )
        messages.success(request, _("Consent recorded."))
        return redirect(resident)
    return render(request, "kendra/consent_form.html", {"form": form, "resident": resident})


@login_required
def consent_withdraw(request, pk):
    consent = access.get_consent(request.user, pk)
    resident = consent.resident
    if request.method == "POST":
        if consent.in_force:
            with transaction.atomic():
                consent.withdraw(by=request.user)
                audit.record(
                    request.user,
                    "consent.withdrawn",
                    consent,
                    resident=resident,
                    centre=resident.centre,
                    detail=consent.get_purpose_display(),
                )
            messages.success(request, _("Consent withdrawn. It takes effect at once."))
        return redirect(resident)
    return render(request, "kendra/consent_withdraw.html", {"consent": consent})


@login_required
def resident_export(request, pk, fmt):
    """Everything about the resident, at any depth (kendra/record.py): a ZIP of
    record.json, one CSV per kind and an HTML summary; or record.json alone, or one long
    CSV."""
    resident = access.get_resident(request.user, pk, "residents.export")
    audit.record(request.user, "resident.exported", resident, detail=fmt)
    filename = f"resident-{resident.pk}"
    if fmt == "zip":
        response = HttpResponse(record_export.as_zip(resident), content_type="application/zip")
    elif fmt == "json":
        body = record_export.as_json(record_export.collect(resident))
        response = HttpResponse(body, content_type="application/json")
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        record_export.as_long_csv(record_export.collect(resident), response)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def consent_panel(request, resident):
    consents = list(resident.consents.select_related("grantee", "given_by", "withdrawn_by"))
    return {
        "resident": resident,
        "consents": consents,
        "can_manage": access.can(request.user, "consents.manage", resident.centre_id),
    }


def viewers_panel(request, resident):
    views = (
        AuditEvent.objects.filter(resident=resident, action="resident.viewed")
        .order_by("-at")
        .values_list("at", "user__first_name", "user__last_name", "user__username")[:15]
    )
    # When and who, as the template printed them, with the date format looked up once.
    fmt = get_format("SHORT_DATETIME_FORMAT")
    views = [
        (format_date(localtime(at), fmt), f"{first or ''} {last or ''}".strip() or username or "—")
        for at, first, last, username in views
    ]
    return {
        "resident": resident,
        "views": views,
        "can_export": access.can(request.user, "residents.export", resident.centre_id),
        "can_erase": access.can(request.user, "residents.erase", resident.centre_id),
    }


panels.resident_panels.register("kendra/_consent_panel.html", consent_panel, order=80)
panels.resident_panels.register("kendra/_viewers_panel.html", viewers_panel, order=90)
