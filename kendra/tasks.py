from celery import shared_task

from . import imports
from .models import ImportJob


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660, ignore_result=True)
def import_residents(job_id):
    """Run a checked residents import. A duplicate task finds the job no longer queued."""
    taken = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING
    )
    if not taken:
        return "not claimed"
    try:
        return imports.run(ImportJob.objects.get(pk=job_id))
    except Exception as exc:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            errors=[{"row": 0, "messages": [str(exc)]}],
            content="",  # the uploaded file is not kept once its import has ended
        )
        raise


@shared_task(ignore_result=True)
def forget_old_uploads():
    """Daily: uploaded files whose import never ended are removed after a day."""
    return imports.forget_old_uploads()
