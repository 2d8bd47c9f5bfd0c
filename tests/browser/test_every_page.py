"""Every main page of every role: axe-core clean, fits a phone, thumb-sized targets, light."""

import pytest

from .checks import (
    MAX_PAGE_BYTES,
    axe_problems,
    first_load_weight,
    scrolls_sideways,
    small_targets,
)
from .conftest import DESKTOP, PHONE, sign_in
from .pages import ROLES, checkin_link, main_pages


def check_page(page, path, viewport):
    problems = []  # (what, where)
    response = page.goto(path)
    page.wait_for_load_state("load")
    if response.status != 200:
        return [(f"status {response.status}", path)]
    problems += [(f"axe {p}", path) for p in axe_problems(page)] if viewport is DESKTOP else []
    if viewport is PHONE:
        if scrolls_sideways(page):
            problems.append(("scrolls sideways at 390 px", path))
        problems += [(f"small target {t}", path) for t in small_targets(page)]
        total, parts = first_load_weight(page)
        if "/static/vendor/bootstrap/bootstrap.min.css" not in parts:
            problems.append(("the weight did not count the stylesheet", path))
        if total > MAX_PAGE_BYTES:
            problems.append((f"{total // 1024} KB on first load: {parts}", path))
    return problems


@pytest.mark.parametrize("role", [*ROLES, "checkin-link"])
def test_it_passes_axe_fits_a_phone_and_stays_light_on_every_main_page(role, demo, new_page):
    paths = [checkin_link()] if role == "checkin-link" else main_pages(role)
    problems = []
    for viewport in (DESKTOP, PHONE):
        page = new_page(viewport=viewport)
        if role != "checkin-link":
            sign_in(page, role)
        for path in paths:
            problems += check_page(page, path, viewport)
    # The same problem on many pages (a shared header) is reported once, with its first page.
    first_seen = {}
    for what, where in problems:
        first_seen.setdefault(what, where)
    assert not first_seen, "\n".join(f"{where}: {what}" for what, where in first_seen.items())
