"""Links made at send time: a personal link is never kept in an outbox row.

A message whose text carries a personal link (a check-in reminder) is written with the
placeholder LINK where the link goes (in its text and its template values). Just before
the transport is called, the app that owns that kind of message makes a fresh link for
each row (storing only a hash of its token) and the placeholder is replaced in the copy
handed to the transport alone; the row keeps the placeholder. The core knows no app: an app registers its link maker in its
AppConfig.ready():

    from kendra.notify import fill
    fill.register("checkin", links_for_rows)

A maker takes a list of rows of its kind and returns {row pk: absolute link}, for a whole
send batch in a couple of queries.
"""

import copy
import logging

log = logging.getLogger(__name__)

LINK = "{link}"

_makers = {}


class LinkMissing(Exception):
    """A row needs a link and none could be made now: the send is retried."""


def register(kind, maker):
    _makers[kind] = maker
    return maker


def needs_link(n):
    texts = (n.subject, n.body, n.body_html, *(n.variables or []))
    return n.kind in _makers and any(LINK in (v or "") for v in texts)


def links_for(rows):
    """{row pk: link} for the rows that need one (one call per kind). A maker that fails
    gives no links: those rows are retried (LinkMissing at delivery)."""
    by_kind = {}
    for n in rows:
        if needs_link(n):
            by_kind.setdefault(n.kind, []).append(n)
    links = {}
    for kind, group in by_kind.items():
        try:
            links.update(_makers[kind](group))
        except Exception:  # noqa: BLE001 - those rows wait for their retry
            log.exception("could not make links for %d %s message(s)", len(group), kind)
    return links


def filled(n, links):
    """What the transport is handed: row `n` itself, or a copy of it with the link in its
    text (the row, and what is saved of it, keeps the placeholder)."""
    if not needs_link(n):
        return n
    link = links.get(n.pk)
    if not link:
        raise LinkMissing(f"no link could be made for notification {n.pk}")
    out = copy.copy(n)
    out.subject = (n.subject or "").replace(LINK, link)
    out.body = (n.body or "").replace(LINK, link)
    out.body_html = (n.body_html or "").replace(LINK, link)
    out.variables = [(v or "").replace(LINK, link) for v in n.variables or []]
    return out
