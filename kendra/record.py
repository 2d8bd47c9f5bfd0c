"""Everything Kendra holds about one person, found by walking the model graph.

The walk is generic, so a model added later is followed without anyone remembering to
add it: starting from the resident, every model (of every installed app, read from the
app registry when the walk runs; the core names none) with a foreign key or one-to-one
field pointing at a row already found contributes the rows that point there, again and
again until nothing new is found — attendance marks through the resident, alert events
through alerts, contact logs through pairings, and through a stay or whatever comes next.
Many-to-many links are followed through their link tables.

Two limits keep the walk to this person:
- a row that also points at ANOTHER resident (a pairing in which this person is the
  mentor, say) is included, but the walk does not go on from it, so the other person's
  contact logs are not exported with this one;
- history tables (simple-history) are read for the rows found (and for rows deleted
  since, that still point at them), never walked from.

The audit trail's rows about the resident are found the same way (its `resident` field):
who viewed or changed the record, and when.

`walk()` is also what erasure (kendra/erasure.py) uses to find what to blank.
"""

from collections import defaultdict

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from .models import Resident

# Never exported: secrets, and what only proves a secret (hashes of link tokens).
SECRET_PARTS = ("token", "hash", "secret", "password")


def is_history(model):
    return getattr(model, "instance_type", None) is not None and model.__name__.startswith(
        "Historical"
    )


def _pointers(model):
    """The many-to-one and one-to-one fields of `model`, with the model each points at."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and (field.many_to_one or field.one_to_one) and field.related_model
    ]


def _candidates():
    return [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy]


def _foreign(model, pks, resident):
    """The pks of rows (of `pks`) that also point at another resident: not walked from."""
    fields = [f for f in _pointers(model) if f.related_model is Resident]
    if not fields or model is Resident:
        return set()
    other = models.Q()
    for field in fields:
        other |= models.Q(**{f"{field.attname}__isnull": False}) & ~models.Q(
            **{field.attname: resident.pk}
        )
    return set(model._default_manager.filter(pk__in=pks).filter(other).values_list("pk", flat=True))


def walk(resident):
    """{model: set of pks} of every row that belongs to the resident, at any depth, history
    rows included (keyed by their historical model, pks being history ids).

    Breadth first: each round asks only about the rows found in the round before, so the
    number of queries grows with the depth of the graph, not with the number of rows."""
    found = defaultdict(set)
    found[Resident].add(resident.pk)
    expandable = defaultdict(set)
    expandable[Resident].add(resident.pk)
    frontier = {Resident: {resident.pk}}
    live = [m for m in _candidates() if not is_history(m)]
    while frontier:
        reached = defaultdict(set)
        for model in live:
            for field in _pointers(model):
                targets = frontier.get(field.related_model)
                if not targets or (model is Resident and field.related_model is Resident):
                    continue
                rows = model._default_manager.filter(**{f"{field.attname}__in": targets})
                pks = set(rows.values_list("pk", flat=True)) - found[model]
                if not pks:
                    continue
                found[model] |= pks
                walkable = pks - _foreign(model, pks, resident)
                reached[model] |= walkable - expandable[model]
                expandable[model] |= walkable
        frontier = {model: pks for model, pks in reached.items() if pks}
    for history in filter(is_history, _candidates()):
        source = history.instance_type
        query = models.Q(id__in=found.get(source, ()))
        for field in _pointers(history):
            if expandable.get(field.related_model) and field.name != "history_user":
                query |= models.Q(**{f"{field.attname}__in": expandable[field.related_model]})
        pks = set(history._default_manager.filter(query).values_list("pk", flat=True))
        if pks:
            found[history] = pks
    return {model: pks for model, pks in found.items() if pks}


def exported_fields(model):
    """The fields written out: every concrete field but secrets and hashes."""
    return [
        f
        for f in model._meta.concrete_fields
        if not any(part in f.name.lower() for part in SECRET_PARTS)
    ]


def _value(field, obj):
    value = field.value_from_object(obj)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def rows(model, pks):
    """[{"id": pk, field: value, …}] of those rows, in id order."""
    fields = exported_fields(model)
    objects = model._default_manager.filter(pk__in=pks).order_by("pk")
    return [{f.attname: _value(f, obj) for f in fields} for obj in objects]


def referenced(found):
    """{label: {pk: text}}: what the rows point at outside the record (a session, a group,
    the staff member who viewed), by name only, so the export is readable."""
    wanted = defaultdict(set)
    for model, pks in found.items():
        for field in _pointers(model):
            target = field.related_model
            if target in found and target is not get_user_model():
                continue
            values = model._default_manager.filter(pk__in=pks).values_list(field.attname, flat=True)
            wanted[target].update(v for v in values if v is not None)
    User = get_user_model()
    named = {}
    for target, pks in wanted.items():
        objects = target._default_manager.filter(pk__in=pks)
        if target is User:
            label = {u.pk: u.get_full_name() or u.get_username() for u in objects}
        else:
            label = {obj.pk: str(obj) for obj in objects}
        if label:
            named[target._meta.label] = label
    return named


def label(model):
    return model._meta.label
