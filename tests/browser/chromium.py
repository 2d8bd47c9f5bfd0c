"""Which Chromium the browser tests drive: CHROMIUM_PATH, else one on the PATH (Debian's
chromium, chromium-browser, Google Chrome), else the one Playwright downloads itself
(`playwright install chromium`, which bin/ensure-services runs when nothing else is here).
Imports nothing of Django, so bin/ensure-services can ask it too."""

import os
import shutil
from pathlib import Path

ON_PATH = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def playwright_own():
    """The executable of Playwright's own Chromium, if it was downloaded."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # noqa: BLE001 - no Playwright, or no driver: none
        return None
    return path if path and Path(path).exists() else None


def find():
    given = os.environ.get("CHROMIUM_PATH")
    if given:
        return given if Path(given).exists() else None
    for name in ON_PATH:
        found = shutil.which(name)
        if found:
            return found
    return playwright_own()
