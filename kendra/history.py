"""Changing many rows of a model with history, with a version for each.

QuerySet.update() writes no django-simple-history rows, so an action never calls it on a
model with history (a test reads every actions.py for that): it calls update() here. The
rows are read and locked, changed, written with bulk_update, and each gets its history
row by `by` at the same moment (simple_history.utils.bulk_update_with_history). A change
of fields the history does not track (Session.marks_version) makes no version, so it is
one plain UPDATE.
"""

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history, get_history_model_for_model


def tracked(model):
    """The names (and attnames) of the fields the model's history keeps."""
    fields = get_history_model_for_model(model).tracked_fields
    return {f.name for f in fields} | {f.attname for f in fields}


def update(queryset, by, **values):
    """queryset.update(**values), with a history row for each row it changes (changed by
    `by`, a user or None). Values that change tracked fields must be plain values, not
    F() expressions: the history copies them. Returns the number of rows changed."""
    model = queryset.model
    if not tracked(model) & set(values):
        return queryset.update(**values)
    with transaction.atomic():
        rows = list(queryset.select_for_update())
        for row in rows:
            for name, value in values.items():
                setattr(row, name, value)
        if not rows:
            return 0
        return bulk_update_with_history(
            rows, model, list(values), default_user=by, default_date=timezone.now()
        )
