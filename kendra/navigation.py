"""The navigation table: which sections each role sees.

Entries name URL patterns as strings, so kendra imports no app; an entry whose URL
does not exist (yet) is simply left out.
"""

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Role

C, P, M, A, F, ADMIN = (
    Role.COUNSELOR,
    Role.PEER_LEADER,
    Role.MENTOR,
    Role.ALUMNI_COORDINATOR,
    Role.FAMILY_MEMBER,
    Role.CENTRE_ADMIN,
)

# (label, url name, roles that see it, one-line description for the home page)
SECTIONS = [
    (_("Today's sessions"), "groups:today", {C}, _("Open and log today's group sessions.")),
    (_("Check-in grid"), "checkins:grid", {C}, _("Morning check-in: one tap per face.")),
    (_("Alerts"), "checkins:alerts", {C, M, ADMIN}, _("Early warnings that need someone.")),
    (_("On-duty rota"), "rota:rota", {C, ADMIN}, _("Who is the counselor on duty, day and night.")),
    (
        _("Residents"),
        "resident_list",
        {C, ADMIN},
        _("Admit, find, update and discharge residents."),
    ),
    (
        _("Import residents"),
        "import_upload",
        {ADMIN},
        _("Bring in the register from a spreadsheet."),
    ),
    (_("Groups"), "groups:list", {C, P, ADMIN}, _("Sharing circles, therapy groups, activities.")),
    (_("Unpaired residents"), "mentors:queue", {P}, _("Residents waiting for a mentor.")),
    (_("Pairings"), "mentors:pairings", {P, C, ADMIN}, _("Every mentor pairing, with history.")),
    (_("My mentees"), "mentors:my_mentees", {M}, _("Your mentees and your contact log.")),
    (_("Alumni"), "alumni:directory", {A, ADMIN}, _("The alumni network and who to call.")),
    (_("Visits"), "alumni:visits", {A}, _("Alumni visits: propose, confirm, record.")),
    (_("Follow-ups"), "alumni:followups", {A}, _("Follow-ups due after discharge.")),
    (
        _("Stories"),
        "alumni:published_stories",
        {C, P, M, A, ADMIN},
        _("Recovery stories alumni agreed to share."),
    ),
    (_("Family groups"), "families:groups", {C, ADMIN}, _("Family support groups and meetings.")),
    (_("My schedule"), "families:schedule", {F}, _("When and where your family meetings are.")),
    (_("Reports"), "reports:monthly", {ADMIN, C}, _("Monthly centre report.")),
    (_("Audit log"), "audit_log", {ADMIN}, _("Who saw or changed what.")),
    (
        _("Staff and settings"),
        "staff:home",
        {ADMIN},
        _("Invite staff, give roles, deactivate; the centre's settings."),
    ),
]


_by_roles = {}  # (roles, script prefix) -> sections; URLs never change while the process runs


def sections_for(user):
    held = frozenset(access.roles(user))
    key = (held, get_script_prefix())
    items = _by_roles.get(key)
    if items is None:
        items = []
        for label, url_name, who, description in SECTIONS:
            if not held & who:
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append({"label": label, "url": url, "name": url_name, "description": description})
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
