"""Cached home panels and whole pages, per viewer, invalidated on writes.

Each centre has a version number in the cache. Any write to a model of the apps bumps
the version of the centre it belongs to (post_save / post_delete receivers connected by
connect(), for every model of WATCHED_APPS; explicit `bump()` calls where bulk writes
skip signals), so the next request computes afresh. Keys always include the viewer, their
memberships, the day and the language, so nothing one person may see is served to
another. TTLs are a safety net: 5 minutes for panels, 1 minute for pages.

Panels (for_user / cached_panel) hold no clinical notes. Pages (render_page) can, so they
are stored encrypted; see "whole pages" below. Access checks and audit records are never
cached: a view runs them before it asks for its page.

The cache is Redis in production: if it is down every call falls back to computing.
"""

import base64
import functools
import hashlib
import logging
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
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
    if not ids:
        return
    if transaction.get_connection().in_atomic_block:
        _safe(cache.set_many, {_VERSION.format(c): stamp for c in ids}, None)
    # (Again) after commit: a request that read the old rows between the write and its
    # commit may have cached them under the first new version. Outside a transaction
    # this runs at once, and is the only bump.
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


def _key(kind, name, user, *extra):
    """A key for this viewer, their memberships, their centres' versions, today and the
    language; None when the cache is down."""
    from . import access

    held = access.roles_by_centre(user)
    centre_ids = sorted(held)
    versions = _versions([*centre_ids, ALL])
    if versions is None:
        return None
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
    return f"kendra:{kind}:" + hashlib.sha256(ident.encode()).hexdigest()


def for_user(name, user, compute, *extra):
    """compute(), cached for this user, their memberships, today and the language,
    until a write touches one of their centres."""
    key = _key("panel", name, user, *extra)
    if key is None:
        return compute()
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


# --- whole pages ------------------------------------------------------------------------
#
# A page view wraps itself in render_page(): the page is stored rendered, under a key of
# the viewer, their memberships, the day, the language, the address (path and query) and
# their CSRF secret (the forms in the page carry a token of it), beside the versions of
# their centres and their unread count when it was rendered. One round trip to the cache
# reads versions, unread count and page; the page is served only if both still match.
# On a hit the view's context is never built and no template is rendered, but the view
# has already run its access check and its audit record. A request with a message to
# show (after a POST) is rendered afresh and not stored.
#
# These pages can hold clinical notes, so what is stored is encrypted (Fernet, with a key
# derived from SECRET_KEY) and lives PAGE_TTL seconds at most; Redis keeps nothing on disk.

PAGE_TTL = 60
UNREAD = "kendra:unread:{}"  # the viewer's unread count (navigation bar)


@functools.cache
def _fernet():
    from cryptography.fernet import Fernet

    digest = hashlib.sha256(b"kendra.cache.page:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _seal(html):
    return _fernet().encrypt(html.encode())


def _open(token):
    from cryptography.fernet import InvalidToken

    try:
        return _fernet().decrypt(token).decode()
    except (InvalidToken, TypeError, ValueError):
        return None


class Page:
    """One page for one viewer: `html` when the cache holds it still valid, else None."""

    def __init__(self, key=None, versions=None, unread=None, html=None):
        self.key, self.versions, self.unread, self.html = key, versions, unread, html

    def save(self, html):
        if self.key is not None and self.unread is not None:
            _safe(cache.set, self.key, (self.versions, self.unread, _seal(html)), PAGE_TTL)


def page_for(request, name, *extra):
    from . import access

    user = request.user
    if request.method != "GET" or getattr(request, "htmx", False):
        return Page()
    if "CSRF_COOKIE" not in request.META:
        get_token(request)  # makes the CSRF secret the page's forms will carry, for the key
    held = access.roles_by_centre(user)
    ident = repr(
        (
            name,
            user.pk,
            sorted((c, sorted(r)) for c, r in held.items()),
            timezone.localdate().isoformat(),
            translation.get_language(),
            request.get_full_path(),
            hashlib.sha256(request.META.get("CSRF_COOKIE", "").encode()).hexdigest(),
            extra,
        )
    )
    key = "kendra:page:" + hashlib.sha256(ident.encode()).hexdigest()
    version_keys = [_VERSION.format(c) for c in [*sorted(held), ALL]]
    unread_key = UNREAD.format(user.pk)
    found = _safe(cache.get_many, [*version_keys, key, unread_key])
    if found is None:
        return Page()
    missing = {k: time.time_ns() for k in version_keys if k not in found}
    if missing:
        _safe(cache.set_many, missing, None)
        found.update(missing)
    versions = [found[k] for k in version_keys]
    unread = found.get(unread_key)
    if unread is not None:
        user._kendra_unread = unread
    stored = found.get(key)
    html = None
    if stored and unread is not None and stored[0] == versions and stored[1] == unread:
        html = _open(stored[2])
    return Page(key, versions, unread, html)


def render_page(request, template, name, build, *extra):
    """render(request, template, build()), kept for this viewer until a write touches one
    of their centres. build() runs only when the page is not in the cache."""
    page = page_for(request, name, *extra)
    quiet = not len(messages.get_messages(request))  # len() leaves them unread
    if page.html is not None and quiet:
        return HttpResponse(page.html)
    response = render(request, template, build())
    if quiet and response.status_code == 200:
        page.unread = page.unread if page.unread is not None else _known_unread(request.user)
        page.save(response.content.decode())
    return response


def _known_unread(user):
    """The unread count the page was rendered with, if the navigation bar read one."""
    return getattr(user, "_kendra_unread", None)


def unread_count(user, compute):
    """The unread count of the navigation bar, kept until forget_unread(user)."""
    cached = getattr(user, "_kendra_unread", None)
    if cached is not None:
        return cached
    key = UNREAD.format(user.pk)
    value = _safe(cache.get, key)
    if value is None:
        value = compute()
        _safe(cache.set, key, value, TTL)
    user._kendra_unread = value
    return value


def forget_unread(*user_ids):
    """Call when in-app notifications of these people are written or read."""
    keys = [UNREAD.format(u) for u in set(user_ids) if u is not None]
    if keys:
        _safe(cache.delete_many, keys)
        transaction.on_commit(lambda: _safe(cache.delete_many, keys))


# Invalidation: a write to any model of these apps bumps the version of its centre.
WATCHED_APPS = ("kendra", "groups", "mentors", "alumni", "families", "checkins")
# Written on every page view or by machinery, and shown on no cached page.
UNWATCHED = {"AuditEvent", "ImportJob", "Profile", "CalendarFeed"}
# How a row without a centre of its own finds one, tried in this order.
VIA = ("resident", "session", "group", "pairing", "profile")
ALL = "all"  # bumped when a row's centre cannot be found: every centre's pages go


def _centre_path(model):
    """None if the model has its own centre, else the fields that lead to one, in order
    (a row may leave one empty: an addendum for the whole session has no resident)."""
    names = {f.name for f in model._meta.concrete_fields}
    if "centre" in names:
        return None
    return tuple(
        name
        for name in VIA
        if name in names
        and any(
            f.name == "centre"
            for f in model._meta.get_field(name).related_model._meta.concrete_fields
        )
    )


def _centre_of(instance, via):
    if via is None:
        return getattr(instance, "centre_id", None)
    for name in via:
        field = instance._meta.get_field(name)
        if field.is_cached(instance) and getattr(instance, name) is not None:
            return getattr(instance, name).centre_id
        pk = getattr(instance, field.attname)
        if pk is not None:
            found = field.related_model.objects.filter(pk=pk).values_list("centre_id", flat=True)
            return found.first() or ALL
    return instance.pk if instance._meta.model_name == "centre" else ALL


def _receiver(via):
    def changed(sender, instance, **kwargs):
        bump(_centre_of(instance, via))

    return changed


_receivers = []  # strong references: signals hold receivers weakly


def watched_models():
    """[(model, path to its centre)] — every model of WATCHED_APPS but UNWATCHED and the
    history tables (they are written with the row they copy)."""
    from django.apps import apps

    found = []
    for label in WATCHED_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            name = model.__name__
            if name in UNWATCHED or name.startswith("Historical"):
                continue
            found.append((model, _centre_path(model)))
    return found


def connect():
    from django.db.models.signals import post_delete, post_save

    for model, via in watched_models():
        func = _receiver(via)
        _receivers.append(func)
        uid = f"kendra.cache.{model._meta.label}"
        post_save.connect(func, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(func, sender=model, dispatch_uid=uid + ".delete")
