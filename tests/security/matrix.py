"""Shared machinery of the permission matrix: URL patterns, concrete paths, answers."""

import os
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from .crawl import crawl

SIGN_IN = {"login", "admin:login"}


def url_names():
    """Every named URL pattern of the project (admin's own pages left to Django)."""

    def walk(patterns, ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                yield from walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{ns}{p.name}"

    return set(walk(get_resolver().url_patterns))


def view_name(path):
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def seed():
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115


def paths_by_name(client, usernames, limit=200):
    """{url name: concrete path} reached by crawling as each user (pages and form actions)."""
    found = {}
    User = get_user_model()
    for username in usernames:
        client.force_login(User.objects.get(username=username))
        seen, forms, _ = crawl(client, limit=limit)
        for path in list(seen) + [urlsplit(f.action).path for f in forms]:
            name = view_name(path)
            if name and not name.startswith("admin:"):
                found.setdefault(name, path)
        client.logout()
    return found


def answer(client, path, method):
    response = getattr(client, method)(path)
    if response.status_code in (301, 302) and view_name(response.get("Location", "")) in SIGN_IN:
        return "login"
    return response.status_code
