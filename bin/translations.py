#!/usr/bin/env python
"""Hand the Hindi catalogue to translators in chunks, and take their work back.

    bin/translations.py export OUTDIR [--size 150]   untranslated entries → OUTDIR/chunk-NN.json
    bin/translations.py import FILE.json [...]       merge translations into the catalogue
    bin/translations.py status                       how many entries are still untranslated

A chunk is {"entries": [{"msgid": …, "msgid_plural": …?, "context": …?, "msgstr": ""
or ["", ""]}]}; a translator fills msgstr and keeps every %(name)s / {{ name }} placeholder.
"""

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale/hi/LC_MESSAGES/django.po"


def untranslated(po):
    return [e for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def export(outdir, size=150):
    po = polib.pofile(str(PO))
    todo = untranslated(po)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    for n, start in enumerate(range(0, len(todo), size)):
        entries = []
        for e in todo[start : start + size]:
            item = {"msgid": e.msgid, "msgstr": ["", ""] if e.msgid_plural else ""}
            if e.msgid_plural:
                item["msgid_plural"] = e.msgid_plural
            if e.msgctxt:
                item["context"] = e.msgctxt
            item["where"] = ", ".join(f for f, _ in e.occurrences[:2])
            entries.append(item)
        (out / f"chunk-{n:02d}.json").write_text(
            json.dumps({"entries": entries}, ensure_ascii=False, indent=1)
        )
    print(f"{len(todo)} untranslated entries in {(len(todo) + size - 1) // size} chunks")


def import_(files):
    po = polib.pofile(str(PO))
    index = {(e.msgctxt, e.msgid): e for e in po}
    done = 0
    for name in files:
        for item in json.loads(Path(name).read_text())["entries"]:
            entry = index.get((item.get("context"), item["msgid"]))
            if entry is None or not item["msgstr"]:
                continue
            if entry.msgid_plural:
                forms = item["msgstr"] if isinstance(item["msgstr"], list) else [item["msgstr"]] * 2
                if not all(forms):
                    continue
                entry.msgstr_plural = {0: forms[0], 1: forms[-1]}
            else:
                entry.msgstr = item["msgstr"]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            done += 1
    po.save(str(PO))
    print(f"{done} entries translated; {len(untranslated(po))} still untranslated")


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["status"]
    if command == "export":
        export(args[0], int(args[2]) if len(args) > 2 else 150)
    elif command == "import":
        import_(args)
    else:
        print(f"{len(untranslated(polib.pofile(str(PO))))} untranslated entries")
