"""Pages for importing residents from CSV: upload → preview → import with a progress bar."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import access, imports
from .models import ImportJob
from .tasks import import_residents


class UploadForm(forms.Form):
    centre = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Centre"), empty_label=None)
    file = forms.FileField(label=gettext_lazy("CSV file"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = access.centres_for(user, "residents.edit")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB. Split it into smaller files.")
            )
        raw = upload.read()
        for encoding in ("utf-8-sig", "utf-16"):
            try:
                return upload.name, raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(
            _(
                "This does not look like a CSV text file. Save the sheet as “CSV UTF-8” and try again."
            )
        )


@login_required
def import_upload(request):
    access.require(request.user, "residents.edit")
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        name, content = form.cleaned_data["file"]
        try:
            job = imports.prepare(form.cleaned_data["centre"], request.user, name, content)
        except ValueError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("import_detail", pk=job.pk)
    return render(request, "kendra/import_upload.html", {"form": form})


@login_required
def import_sample(request):
    access.require(request.user, "residents.edit")
    response = HttpResponse(imports.SAMPLE, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="residents-sample.csv"'
    return response


@login_required
def import_detail(request, pk):
    job = access.get_import_job(request.user, pk)
    done, total = imports.progress(job)
    percent = (
        100
        if total == 0 and job.status == ImportJob.Status.DONE
        else (int(done * 100 / total) if total else 0)
    )
    context = {"job": job, "done": done, "total": total, "percent": percent}
    if job.status == ImportJob.Status.CHECKED and not job.errors:
        context["preview"] = imports.preview(job)
    if request.htmx:
        return render(request, "kendra/_import_progress.html", context)
    return render(request, "kendra/import_detail.html", context)


@login_required
@require_POST
def import_start(request, pk):
    job = access.get_import_job(request.user, pk)
    if job.errors or job.status != ImportJob.Status.CHECKED:
        messages.error(
            request, _("This file cannot be imported. Fix the rows listed and upload it again.")
        )
        return redirect("import_detail", pk=job.pk)
    # Returning people are admitted again only when the admin ticked it in the preview.
    returning = job.returning if request.POST.get("readmit") else []
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED, returning=returning)
    try:
        import_residents.apply_async((job.pk,), retry=False)
    except Exception:  # noqa: BLE001 - broker down: say so; the file stays checked
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKED)
        messages.error(
            request,
            _(
                "The import could not start just now. Nothing was imported; please try again in a minute."
            ),
        )
    return redirect("import_detail", pk=job.pk)
