from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=300, time_limit=330, ignore_result=True)
def generate_meetings():
    """Daily: make each active family group's regular meetings for the weeks ahead."""
    from .actions import generate_meetings as generate
    from .models import FamilyGroup

    made = 0
    for group in FamilyGroup.objects.filter(is_active=True, weekday__isnull=False).iterator():
        made += generate(group)
    return made
