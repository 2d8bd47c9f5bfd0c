"""Real-browser journeys: Playwright driving Chromium (tests/browser/chromium.py says which)
against live_server. Under pytest-xdist each worker has its own browser and live server."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# for setup are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from .chromium import find

CHROMIUM = find()
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM:
        pytest.fail(
            "No Chromium: set CHROMIUM_PATH, install chromium, or run "
            "`.venv/bin/python -m playwright install chromium` (make test does one of these)."
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    from django.core.management import call_command

    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def new_page(browser, live_server):
    """new_page(viewport=PHONE) -> a page whose console errors fail the test."""
    contexts, errors = [], []

    def make(viewport=DESKTOP, locale="en-IN"):
        context = browser.new_context(viewport=viewport, locale=locale, base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"console errors: {errors}"


@pytest.fixture(params=["desktop", "phone"])
def viewport(request):
    """Run a journey twice: on a shared desktop and on a phone."""
    return {"desktop": DESKTOP, "phone": PHONE}[request.param]


def size(viewport):
    return "phone" if viewport is PHONE else "desktop"


def open_menu(page):
    """On a phone the menu is collapsed behind a button; open it if so."""
    toggler = page.get_by_role("button", name="Show menu")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()


def sign_in(page, username, password="kendra-demo-2026"):
    page.goto("/login/")
    # By field name, so it works whatever the page's language.
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/")


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
