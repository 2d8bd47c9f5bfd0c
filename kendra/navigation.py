"""The navigation: which sections each role sees, in which order.

Every app registers its own sections in its AppConfig.ready(), the core its own in
KendraConfig.ready():

    from kendra import navigation
    navigation.register(10, _("Today's sessions"), "groups:today", {Role.COUNSELOR},
                        _("Open and log today's group sessions."))

`order` places the section in the bar and on the home page (lowest first). Entries name
URL patterns as strings; an entry whose URL does not exist (yet) is simply left out.
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from . import access


@dataclass(frozen=True, order=True)
class Section:
    order: int
    label: object = field(compare=False)  # lazy translation
    url_name: str = field(compare=False)
    roles: frozenset = field(compare=False)
    description: object = field(compare=False)


_sections = []


def register(order, label, url_name, roles, description):
    """Add a section (once per URL name: a second registration replaces the first)."""
    _sections[:] = [s for s in _sections if s.url_name != url_name]
    _sections.append(Section(order, label, url_name, frozenset(roles), description))
    _sections.sort()
    _by_roles.clear()
    _links.clear()


def sections():
    """Every registered section, in order."""
    return list(_sections)


_by_roles = {}  # (roles, script prefix) -> sections; URLs never change while the process runs


def sections_for(user):
    held = frozenset(access.roles(user))
    key = (held, get_script_prefix())
    items = _by_roles.get(key)
    if items is None:
        items = []
        for section in _sections:
            if not held & section.roles:
                continue
            try:
                url = reverse(section.url_name)
            except NoReverseMatch:
                continue
            items.append(
                {
                    "label": section.label,
                    "url": url,
                    "name": section.url_name,
                    "description": section.description,
                }
            )
        _by_roles[key] = items
    return [dict(item) for item in items]


_links = {}  # (roles, script prefix, language) -> [(url, label)], labels translated once


def nav_links_html(user, path):
    """The <li> items of the navigation bar, the current page marked: built in Python
    (a template loop over lazy labels cost more than the rest of the bar)."""
    held = frozenset(access.roles(user))
    key = (held, get_script_prefix(), get_language())
    links = _links.get(key)
    if links is None:
        links = [(item["url"], str(item["label"])) for item in sections_for(user)]
        _links[key] = links
    return format_html_join(
        "\n",
        '<li class="nav-item"><a class="nav-link{}" href="{}"{}>{}</a></li>',
        (
            (" active", url, mark_safe(' aria-current="page"'), label)
            if url == path
            else ("", url, "", label)
            for url, label in links
        ),
    )
