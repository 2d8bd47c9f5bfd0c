"""Per-centre cached panel data, invalidated on writes.

Each centre has a version number in the cache. Any write to a model a cached panel reads
bumps the versions of the centres it touches (post_save / post_delete receivers in
kendra/receivers.py, and explicit `bump()` calls where bulk writes skip signals), so the
next request computes afresh. Keys always include the viewer, their memberships, the day
and the language, so nothing one person may see is served to another. TTL is a safety net.

The cache is Redis in production: if it is down every call falls back to computing.
Never put clinical notes in here.
"""

import hashlib
import logging
import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

log = logging.getLogger(__name__)

TTL = 300
_VERSION = "kendra:cv:{}"


def _safe(call, *args, default=None):
    try:
        return call(*args)
    except Exception:  # the cache being down must never break a page
        log.warning("cache unavailable", exc_info=True)
        return default


def bump(*centre_ids):
    """Invalidate every cached panel of these centres."""
    stamp = time.time_ns()
    ids = {c for c in centre_ids if c is not None}
    if ids:
        _safe(cache.set_many, {_VERSION.format(c): stamp for c in ids}, None)
        # Again after commit: a request that read the old rows between the write and its
        # commit may have cached them under the first new version.
        transaction.on_commit(
            lambda: _safe(cache.set_many, {_VERSION.format(c): stamp + 1 for c in ids}, None)
        )


def _versions(centre_ids):
    keys = [_VERSION.format(c) for c in centre_ids]
    found = _safe(cache.get_many, keys)
    if found is None:
        return None
    missing = {k: time.time_ns() for k in keys if k not in found}
    if missing:
        _safe(cache.set_many, missing, None)
        found.update(missing)
    return [found[k] for k in keys]


_MISS = object()


def for_user(name, user, compute, *extra):
    """compute(), cached for this user, their memberships, today and the language,
    until a write touches one of their centres."""
    from . import access

    held = access.roles_by_centre(user)
    centre_ids = sorted(held)
    versions = _versions(centre_ids)
    if versions is None:
        return compute()
    ident = repr(
        (
            name,
            user.pk,
            sorted((c, sorted(r)) for c, r in held.items()),
            versions,
            timezone.localdate().isoformat(),
            translation.get_language(),
            extra,
        )
    )
    key = "kendra:panel:" + hashlib.sha256(ident.encode()).hexdigest()
    value = _safe(cache.get, key, _MISS, default=_MISS)
    if value is _MISS:
        value = compute()
        _safe(cache.set, key, value, TTL)
    return value


def cached_panel(name):
    """Decorator for a home panel function(request)."""

    def wrap(func):
        def panel(request):
            return for_user(name, request.user, lambda: func(request))

        panel.uncached = func
        panel.__name__ = func.__name__
        panel.__doc__ = func.__doc__
        return panel

    return wrap


# Models whose writes change cached panels, and how to find the centre of a row.
WATCHED = [
    ("kendra", "Resident", None),
    ("kendra", "Membership", None),
    ("checkins", "Alert", None),
    ("checkins", "CheckIn", "resident"),
    ("groups", "Session", None),
    ("groups", "Attendance", "session"),
    ("alumni", "AlumniProfile", None),
    ("alumni", "Visit", None),
    ("alumni", "FollowUp", None),
]


def _centre_of(instance, via):
    if via is None:
        return getattr(instance, "centre_id", None)
    field = instance._meta.get_field(via)
    if field.is_cached(instance):
        return getattr(getattr(instance, via), "centre_id", None)
    pk = getattr(instance, field.attname)
    return field.related_model.objects.filter(pk=pk).values_list("centre_id", flat=True).first()


def _receiver(via):
    def changed(sender, instance, **kwargs):
        bump(_centre_of(instance, via))

    return changed


_receivers = []  # strong references: signals hold receivers weakly


def connect():
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    for app_label, model_name, via in WATCHED:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        func = _receiver(via)
        _receivers.append(func)
        post_save.connect(func, sender=model, dispatch_uid=f"kendra.cache.{model_name}.save")
        post_delete.connect(func, sender=model, dispatch_uid=f"kendra.cache.{model_name}.delete")
