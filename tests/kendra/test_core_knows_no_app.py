"""The core (kendra/) imports no app, and no module of the project imports itself back.

Apps depend on the core, reports on the apps; never the other way. Each app adds what it
brings (getters, panels, navigation, reminder sources, providers) from its own
AppConfig.ready(), so the core can be loaded with every app missing.
"""

import ast
import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = (
    "groups",
    "mentors",
    "alumni",
    "families",
    "reports",
    "rota",
    "checkins",
    "staff",
    "recovery",
    "bench",
)
# Modules that wire the apps in on purpose: settings name them, urls include them, the
# Celery app finds their tasks; the WSGI entry point loads all of them.
WIRING = {"kendra.settings", "kendra.urls", "kendra.celery", "kendra.wsgi"}

# Run in a fresh interpreter: a finder refuses every app package, Django starts with the
# core's apps only, then every module of kendra/ is imported.
CHILD = """
import importlib, json, sys
BLOCKED = set(json.loads(sys.argv[1]))
MODULES = json.loads(sys.argv[2])

class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"the core imported an app: {name}")
        return None

sys.meta_path.insert(0, Refuse())
from django.conf import settings
import kendra.settings as base

values = {k: getattr(base, k) for k in dir(base) if k.isupper()}
values["INSTALLED_APPS"] = [
    a for a in base.INSTALLED_APPS if a.split(".")[0] not in BLOCKED
]
values["MIDDLEWARE"] = [m for m in base.MIDDLEWARE if m.split(".")[0] not in BLOCKED]
settings.configure(**values)
import django

django.setup()
failed = {}
for name in MODULES:
    try:
        importlib.import_module(name)
    except Exception as exc:  # report every module, not only the first
        failed[name] = f"{type(exc).__name__}: {exc}"
print(json.dumps(failed))
"""


def _module(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def core_modules():
    found = []
    for path in sorted((ROOT / "kendra").rglob("*.py")):
        name = _module(path)
        if "migrations" in path.parts or name in WIRING:
            continue
        found.append(name)
    return found


def test_every_module_of_the_core_imports_with_the_apps_blocked():
    modules = core_modules()
    assert "kendra.access" in modules and "kendra.notify.screen" in modules
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", CHILD, json.dumps(APPS), json.dumps(modules)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {}


def test_the_finder_does_block_an_app():
    """The check above would pass vacuously if the finder let apps through."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", CHILD, json.dumps(APPS), json.dumps(["groups.access"])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    failed = json.loads(done.stdout.strip().splitlines()[-1])
    assert "the core imported an app: groups" in failed["groups.access"]


# --- no import cycle --------------------------------------------------------------------

SKIPPED = {".venv", ".git", "migrations", "node_modules", "tests"}


def project_modules():
    found = {}
    for path in ROOT.rglob("*.py"):
        if SKIPPED.isdisjoint(path.relative_to(ROOT).parts):
            found[_module(path)] = path
    return found


def import_graph():
    """{module: {project modules it imports}}, every import statement counted (at the top
    or inside a function), read with ast, nothing executed."""
    modules = project_modules()
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                edges |= {a.name for a in node.names if a.name in modules}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([node.module] if node.module else []))
                else:
                    base = node.module
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    if full in modules:
                        edges.add(full)
                    elif base in modules:
                        edges.add(base)
        edges.discard(name)
        graph[name] = edges
    return graph


def cycles(graph):
    """The strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_of_the_project_imports_itself_back():
    graph = import_graph()
    assert {"kendra.access", "checkins.rules", "groups.access"} <= graph.keys()
    assert cycles(graph) == []


def test_the_core_names_no_app_even_inside_a_function():
    graph = import_graph()
    into_apps = {
        (name, target)
        for name, targets in graph.items()
        if name.startswith("kendra.") and name not in WIRING
        for target in targets
        if target.split(".")[0] in APPS
    }
    assert into_apps == set()
