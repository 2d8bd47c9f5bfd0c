"""In Hindi, no English from the interface is left on the main pages of any role."""

import re
from pathlib import Path

import polib
import pytest
from django.contrib.auth import get_user_model

from kendra.models import Profile

from .conftest import sign_in
from .pages import ROLES, checkin_link, main_pages

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/hi/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%(\(\w+\))?[sd]|\{\{.*?\}\}|\{\w*\}")
# Ids that are names or read the same in both languages, or too common in demo data.
IGNORED = {"Kendra", "Namaste, %(name)s", "English", "WhatsApp", "SMS", "OK"}


# The interface's text, less what was written down when it happened (an alert's reason, a
# notification as sent): that stays in the language it was written in, marked data-stored-text.
VISIBLE_TEXT_JS = """
() => {
  const stored = [...document.querySelectorAll('[data-stored-text]')];
  const before = stored.map(el => el.style.display);
  stored.forEach(el => { el.style.display = 'none'; });
  const text = document.body.innerText;
  stored.forEach((el, i) => { el.style.display = before[i]; });
  return text;
}
"""


def english_fragments():
    """Pieces of every catalogue id long enough not to turn up by chance in names or data."""
    fragments = set()
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete or entry.msgid in IGNORED or entry.msgstr == entry.msgid:
            continue
        for part in PLACEHOLDER.split(entry.msgid):
            part = (part or "").strip(" .,:;!?…()\n")
            if len(part) >= 12 and " " in part and "<" not in part:
                fragments.add(part)
    return fragments


def use_hindi(username):
    user = get_user_model().objects.get(username=username)
    Profile.objects.update_or_create(user=user, defaults={"language": "hi"})


@pytest.mark.parametrize("role", [*ROLES, "checkin-link"])
def test_it_leaves_no_english_interface_text_in_hindi_for(role, demo, new_page):
    fragments = english_fragments()
    page = new_page(locale="hi-IN")
    if role == "checkin-link":
        paths = [checkin_link()]
        page.goto(paths[0])
        if page.locator("html").get_attribute("lang") != "hi":
            page.locator("form.language-switch button[value=hi]").click()
            page.wait_for_selector('html[lang="hi"]')
    else:
        use_hindi(role)
        paths = main_pages(role)
        sign_in(page, role)
    left = []
    for path in paths:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "hi", path
        text = " ".join(page.evaluate(VISIBLE_TEXT_JS).split())
        text += " " + " ".join(
            page.locator("[aria-label], [placeholder], [title]").evaluate_all(
                "els => els.map(e => [e.ariaLabel, e.placeholder, e.title].join(' '))"
            )
        )
        left += [f"{path}: {f!r}" for f in sorted(fragments) if f in text]
    assert not left, "English left in the Hindi pages:\n" + "\n".join(left)
