"""Erasing a discharged person while keeping the numbers.

Every row that belongs to the person is found as the export finds it (kendra/record.py,
the model graph read from the registry, so a model added later is erased too):
- rows that hold a secret (a check-in link, an invitation: a field named *token* or
  *hash*) are deleted;
- in every other row, free text (a char, text or email field without choices) becomes
  empty, or the placeholder where it may not be empty (a required key such as a dedupe
  key stays: it holds ids, nothing personal);
  JSON becomes empty (except what the model names in `erasure_keeps`); a date of birth
  becomes empty; uploaded files are deleted. Choices, numbers, dates and links between
  rows stay, so attendance, follow-up outcomes and every monthly count are unchanged;
- history rows (simple-history) of those rows lose the same fields, so no earlier
  version keeps the name;
- audit events are never rewritten (kendra migration 0005 makes the trail append-only in
  PostgreSQL): nothing personal is written into them in the first place — who, what,
  which record by id — so erasing the record leaves them with nothing to tell.

Nothing here decides who may erase: kendra/actions.py (erase_resident) does, and audits.
"""

from django.db import models

from . import history, record
from .models import AuditEvent

PLACEHOLDER = "[erased]"
TEXT_FIELDS = (models.CharField, models.TextField)  # EmailField is a CharField
ERASED_DATES = ("date_of_birth",)


def _holds_secret(model):
    return any(
        any(part in f.name.lower() for part in ("token", "hash")) for f in model._meta.fields
    )


def _unique(model, field):
    if field.unique or field.primary_key:
        return True
    for constraint in model._meta.constraints:
        if field.name in getattr(constraint, "fields", ()):
            return True
    return any(field.name in together for together in model._meta.unique_together)


def erased_values(model):
    """{field name: value} that erase the personal fields of `model`'s rows."""
    keeps = set(getattr(getattr(model, "instance_type", model), "erasure_keeps", ()))
    values = {}
    for field in model._meta.concrete_fields:
        if field.is_relation or field.name in keeps or field.name.startswith("history_"):
            if field.name == "history_change_reason":
                values[field.name] = None
            continue
        if isinstance(field, TEXT_FIELDS) and not field.choices:
            if field.blank:  # (a unique phone is unique only when not empty)
                values[field.name] = ""
            elif not _unique(model, field):  # a key (a dedupe key) says nothing personal
                values[field.name] = PLACEHOLDER[: field.max_length or None]
        elif isinstance(field, models.JSONField):
            values[field.name] = field.get_default()
        elif field.name in ERASED_DATES and field.null:
            values[field.name] = None
        elif isinstance(field, models.FileField):
            values[field.name] = ""
    return values


def _delete_files(model, pks):
    for field in model._meta.concrete_fields:
        if isinstance(field, models.FileField):
            for obj in model._default_manager.filter(pk__in=pks).exclude(**{field.name: ""}):
                getattr(obj, field.name).delete(save=False)


def erase(resident, by):
    """Erase the resident's personal details everywhere (call inside a transaction).
    Returns {label: rows changed or deleted}."""
    found = record.walk(resident)
    done = {}
    live = [m for m in found if not record.is_history(m) and m is not AuditEvent]
    for model in sorted(live, key=lambda m: m is not type(resident)):
        pks = found[model]
        queryset = model._default_manager.filter(pk__in=pks)
        if _holds_secret(model):
            done[model._meta.label] = queryset.delete()[0]
            continue
        _delete_files(model, pks)
        values = erased_values(model)
        if values:
            done[model._meta.label] = _write(model, queryset, by, values)
    # The history last: the versions just written are erased with the older ones.
    for model, pks in record.walk(resident).items():
        if record.is_history(model):
            values = erased_values(model)
            if values:
                # History rows have no history of their own: a plain UPDATE is the write.
                done[model._meta.label] = model._default_manager.filter(pk__in=pks).update(**values)
    return done


def _write(model, queryset, by, values):
    if getattr(model, "history", None) is not None and hasattr(model.history, "model"):
        return history.update(queryset, by, **values)
    return queryset.update(**values)
