"""The README's "Who can see what" table is the permission table's, word for word."""

from pathlib import Path

from django.conf import settings

from kendra.access import PERMISSIONS
from staff import who_sees


def test_the_readme_table_is_made_from_the_permission_table():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    copy = who_sees.readme_copy(readme)
    assert copy is not None, "the README lost its 'Who can see what' markers"
    assert copy == who_sees.table(), (
        "README's 'Who can see what' differs from kendra/access.py: "
        "paste the output of `python manage.py who_can_see` into README.md"
    )


def test_every_row_names_a_permission_that_exists():
    assert {perm for _, perm in who_sees.ROWS} <= set(PERMISSIONS)
    assert {perm for perm, _ in who_sees.PARTLY} <= {perm for _, perm in who_sees.ROWS}


def test_a_changed_rule_would_show_as_drift(monkeypatch):
    before = who_sees.table()
    monkeypatch.setitem(PERMISSIONS, "audit.view", PERMISSIONS["audit.view"] | {"counselor"})
    assert who_sees.table() != before
