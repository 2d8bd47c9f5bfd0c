"""A crawler over the app with the Django test client: the pages and forms a role can reach."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

from django.urls import Resolver404, resolve

SKIP = re.compile(
    r"^/(admin/|static/|logout/|language/)|\.(csv|json|ics)$|/export|/feed/|/calendar/"
)


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict = field(default_factory=dict)  # name -> (type, value, options)
    attrs: dict = field(default_factory=dict)  # name -> the input's attributes (min, max, …)


class PageParser(HTMLParser):
    def __init__(self, base):
        super().__init__()
        self.base, self.links, self.forms, self.current, self.select = base, [], [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.base, a["href"]))
        elif tag == "form":
            self.current = Form(
                self.base,
                urljoin(self.base, a.get("action") or self.base),
                (a.get("method") or "get").lower(),
            )
            self.forms.append(self.current)
        elif self.current is not None and a.get("name"):
            name = a["name"]
            self.current.attrs.setdefault(name, a)
            if tag == "input":
                kind = a.get("type", "text")
                if kind in {"checkbox", "radio"}:
                    entry = self.current.fields.setdefault(name, (kind, None, []))
                    entry[2].append(a.get("value", "on"))
                else:
                    self.current.fields[name] = (kind, a.get("value", ""), [])
            elif tag == "textarea":
                self.current.fields[name] = ("textarea", "", [])
            elif tag == "select":
                self.select = name
                self.current.fields[name] = ("select", None, [])
            elif tag == "button" and a.get("type", "submit") == "submit":
                self.current.fields.setdefault(name, ("submit", a.get("value", ""), []))
        if tag == "option" and self.select and self.current is not None:
            self.current.fields[self.select][2].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def pattern(path):
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def crawl(client, start="/", limit=150, get_forms=None, skipped=None, per_pattern=None):
    """Visit same-site pages breadth-first; returns ({url: status}, [Form], {url: referrer}).

    Given lists, also collects the forms sent by GET (filters, periods, exports) into
    `get_forms` and the same-site links not visited (exports, feeds, other pages of a
    list) into `skipped`. With `per_pattern`, visits at most that many pages of one URL
    pattern (two residents' pages stand for forty), so the limit reaches every part.
    """
    seen, forms, queue, came_from = {}, [], [start], {start: "(start)"}
    per = {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = PageParser(url)
        parser.feed(response.content.decode())
        forms.extend(f for f in parser.forms if f.method == "post")
        if get_forms is not None:
            get_forms.extend(f for f in parser.forms if f.method == "get")
        for link in parser.links:
            parts = urlparse(link)
            if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not parts.path.startswith("/"):
                continue
            if SKIP.search(parts.path) or "page=" in parts.query:
                if skipped is not None and path not in skipped:
                    skipped.append(path)
                continue
            if path not in seen and path not in came_from:
                if per_pattern is not None:
                    name = pattern(parts.path)
                    per[name] = per.get(name, 0) + 1
                    if per[name] > per_pattern:
                        continue
                came_from[path] = url
                queue.append(path)
    return seen, forms, came_from


# Sections a role reaches from home, crawled on their own as well: the crawl from home
# stops at its page limit before it gets deep into them (a person's page, then their
# deactivation form).
ALSO_FROM = {"admin": ["/staff/"]}


def role_forms(client, username, limit=60, **options):
    """The pages ({url: status}) and POST forms a signed-in role reaches: from home, and
    from its deep sections. `options` go to crawl() (get_forms, skipped, per_pattern)."""
    seen, forms, _ = crawl(client, limit=limit, **options)
    for start in ALSO_FROM.get(username, []):
        more, more_forms, _ = crawl(client, start=start, limit=40, **options)
        seen.update(more)
        forms += more_forms
    return seen, forms
