"""A crawler over the app with the Django test client: the pages and forms a role can reach."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

SKIP = re.compile(
    r"^/(admin/|static/|logout/|language/)|\.(csv|json|ics)$|/export|/feed/|/calendar/"
)


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict = field(default_factory=dict)  # name -> (type, value, options)


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


def crawl(client, start="/", limit=150):
    """Visit same-site pages breadth-first; returns ({url: status}, [Form], {url: referrer})."""
    seen, forms, queue, came_from = {}, [], [start], {start: "(start)"}
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
        for link in parser.links:
            parts = urlparse(link)
            if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not parts.path.startswith("/") or SKIP.search(parts.path) or "page=" in parts.query:
                continue
            if path not in seen and path not in came_from:
                came_from[path] = url
                queue.append(path)
    return seen, forms, came_from


# Sections a role reaches from home, crawled on their own as well: the crawl from home
# stops at its page limit before it gets deep into them (a person's page, then their
# deactivation form).
ALSO_FROM = {"admin": ["/staff/"]}


def role_forms(client, username, limit=60):
    """The POST forms a signed-in role reaches: from home, and from its deep sections."""
    _, forms, _ = crawl(client, limit=limit)
    for start in ALSO_FROM.get(username, []):
        forms += crawl(client, start=start, limit=40)[1]
    return forms
