"""Every write of a model with history keeps its history: no action calls QuerySet.update()
on such a model (it skips simple-history); it calls kendra.history.update() instead."""

import ast
import importlib
import types
from pathlib import Path

import pytest
from django.db import models

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {".venv", "tests", "bench", "node_modules", "static"}


def action_modules():
    """The dotted names of every actions.py of the apps, kendra's own packages included."""
    for path in sorted(ROOT.rglob("actions.py")):
        parts = path.relative_to(ROOT).parts
        if SKIPPED.isdisjoint(parts):
            yield ".".join((*parts[:-1], "actions"))


def _root(node):
    """The name a chain like Model.objects.filter(…).update starts from, or None."""
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return node.id if isinstance(node, ast.Name) else None


def _assignments(func):
    """{name: the expression last assigned to it} in a function (simple assignments)."""
    found = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                found[target.id] = node.value
    return found


def _model_of(call, module, local):
    """The model class the .update() call writes; "dict" or "function" for a dict's or a
    module's update; None if the scan cannot tell."""
    receiver = call.func.value
    seen = set()
    while True:
        name = _root(receiver)
        if name is None:
            return None
        if name in local and name not in seen:
            seen.add(name)
            value = local[name]
            if isinstance(value, ast.Dict) or (
                isinstance(value, ast.Call) and _root(value.func) == "dict"
            ):
                return "dict"
            receiver = value
            continue
        found = getattr(module, name, None)
        if isinstance(found, type) and issubclass(found, models.Model):
            return found
        if isinstance(found, types.ModuleType):
            return "function"  # history.update(), a module's function
        return None


def bare_updates(module_name):
    """[(line, what)] of .update() calls in the module that may skip a model's history:
    on a model with history, or on something the scan cannot tell (related managers,
    parameters) — write those as Model.objects.filter(…) or through kendra.history."""
    module = importlib.import_module(module_name)
    tree = ast.parse(Path(module.__file__).read_text())
    found = []
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        local = _assignments(func)
        for call in ast.walk(func):
            if not (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "update"
            ):
                continue
            model = _model_of(call, module, local)
            if model in ("dict", "function"):
                continue
            if model is None:
                found.append((call.lineno, "an update() the scan cannot tell the model of"))
            elif hasattr(model._meta, "simple_history_manager_attribute"):
                found.append((call.lineno, f"{model.__name__}: a model with history"))
    return found


def test_it_finds_the_actions_of_every_app():
    names = set(action_modules())
    assert {"groups.actions", "mentors.actions", "checkins.actions"} <= names


@pytest.mark.parametrize("module_name", list(action_modules()))
def test_no_action_updates_a_model_with_history_without_it(module_name):
    assert bare_updates(module_name) == []


def test_the_scan_finds_a_bare_update_on_a_model_with_history(tmp_path, monkeypatch):
    source = tmp_path / "scan_example_actions.py"
    source.write_text(
        "from groups.models import GroupMember, Session\n"
        "from kendra import history\n"
        "def cancel(group):\n"
        "    Session.objects.filter(group=group).update(status='cancelled')\n"
        "def through_a_name(group):\n"
        "    future = group.sessions.filter(status='planned')\n"
        "    future.update(status='cancelled')\n"
        "def fine(resident, context):\n"
        "    GroupMember.objects.filter(resident=resident).update(left_on=None)\n"
        "    extra = {}\n"
        "    extra.update(context)\n"
        "    history.update(Session.objects.filter(group=None), None, status='held')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert bare_updates("scan_example_actions") == [
        (4, "Session: a model with history"),
        (7, "an update() the scan cannot tell the model of"),
    ]


@pytest.mark.django_db
def test_imported_residents_each_have_their_first_version_by_the_uploader(centre, centre_admin):
    from kendra import imports
    from kendra.models import Resident

    header = ",".join(imports.COLUMNS)
    line = {"full_name": "Imported Person", "gender": "male", "admission_date": "2026-10-01"}
    text = header + "\n" + ",".join(line.get(c, "") for c in imports.COLUMNS) + "\n"
    job = imports.prepare(centre, centre_admin, "a.csv", text)
    assert imports.run(job) == 1
    resident = Resident.objects.get(full_name="Imported Person")
    versions = list(resident.history.all())
    assert [(v.history_type, v.history_user) for v in versions] == [("+", centre_admin)]
