"""Each demo role follows every link it can reach from its home page, in Chromium.

Fails on a server error, on a link the app shows that leads nowhere (404) or to a page the
same person may not open (403), and on any console error (the `new_page` fixture).
"""

import re
from urllib.parse import urldefrag, urlparse

import pytest

from .conftest import sign_in
from .pages import ROLES, checkin_link

SKIP = re.compile(
    r"^/(admin/|static/|logout/|language/)|\.(csv|json|ics|pdf)$|/export|/feed/|/calendar/reset|/sample"
)
LIMIT = 60  # pages per role: enough to reach every kind of page from the menu


def links_on(page, origin):
    hrefs = page.locator("a[href]").evaluate_all("els => els.map(e => e.href)")
    out = []
    for href in hrefs:
        url, _ = urldefrag(href)
        parts = urlparse(url)
        if f"{parts.scheme}://{parts.netloc}" != origin or SKIP.search(parts.path):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


@pytest.mark.parametrize("role", [*ROLES, "checkin-link"])
def test_it_finds_no_broken_link_error_or_console_error_for(role, demo, new_page, live_server):
    page = new_page()
    start = checkin_link() if role == "checkin-link" else "/"
    if role != "checkin-link":
        sign_in(page, role)
    origin = live_server.url
    queue, came_from, seen, broken = [start], {start: "(start)"}, set(), []
    while queue and len(seen) < LIMIT:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(path)
        status = response.status if response else 0
        if status >= 400:
            broken.append(f"{path} -> {status} (linked from {came_from[path]})")
            continue
        # Different query strings of one list (pages, filters) count once, so the
        # crawl spends its budget on kinds of pages rather than page 7 of a list.
        for link in links_on(page, origin):
            base = link.split("?")[0]
            if link not in came_from and (link == base or base not in came_from):
                came_from[link] = path
                queue.append(link)
    assert not broken, "\n".join(broken)
    assert len(seen) >= (1 if role == "checkin-link" else 3)
