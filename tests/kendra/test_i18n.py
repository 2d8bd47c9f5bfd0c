"""Every user-facing string is translatable, and the Hindi catalogue is complete."""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    p for p in (ROOT / "templates").rglob("*") if p.is_file() and p.suffix in {".html", ".txt"}
)
PO = ROOT / "locale/hi/LC_MESSAGES/django.po"
WORD = re.compile(r"[A-Za-z]{2,}")
ATTRS = {"aria-label", "placeholder", "title", "alt"}


def strip_translated(source):
    source = re.sub(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{#.*?#}", " ", source, flags=re.S)
    source = re.sub(r"{%.*?%}", " ", source, flags=re.S)
    source = re.sub(r"{{.*?}}", " ", source, flags=re.S)
    return source


class TextFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found, self.skip, self.lang_depth = [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "style"}:
            self.skip += 1
        self.lang_depth.append("lang" in attrs and tag != "html")
        for name in ATTRS & set(attrs):
            if attrs[name] and WORD.search(attrs[name]):
                self.found.append(f'{name}="{attrs[name]}"')

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.skip = max(0, self.skip - 1)
        if self.lang_depth:
            self.lang_depth.pop()

    def handle_data(self, data):
        if self.skip or any(self.lang_depth):
            return  # text in a declared other language (the language switch) stays as it is
        if WORD.search(data):
            self.found.append(data.strip())


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_every_template_string_is_marked_for_translation(path):
    text = strip_translated(path.read_text())
    if path.suffix == ".txt":
        leftovers = [line.strip() for line in text.splitlines() if WORD.search(line)]
    else:
        finder = TextFinder()
        finder.feed(text)
        leftovers = finder.found
    assert not leftovers, f"untranslated text in {path.name}: {leftovers}"


def test_the_hindi_catalogue_is_complete():
    po = polib.pofile(str(PO))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing, f"{len(missing)} strings without Hindi: {missing[:10]}"
    assert PO.with_suffix(".mo").exists(), "compile the catalogue: make messages"


def test_dates_and_times_read_the_indian_way():
    import datetime as dt

    from django.utils import formats, timezone, translation

    evening = timezone.make_aware(dt.datetime(2026, 11, 22, 17, 30))
    with translation.override("hi"):
        assert formats.date_format(evening, "DATETIME_FORMAT") == "22 नवंबर 2026, 5:30 pm"
        assert formats.date_format(evening.replace(hour=5), "TIME_FORMAT") == "5:30 am"
    with translation.override("en"):
        assert formats.date_format(evening, "DATETIME_FORMAT") == "22 November 2026, 5:30 pm"
