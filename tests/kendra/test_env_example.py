"""`.env.example` lists every variable kendra/settings.py reads from the environment (and
nothing it does not read), each under a comment; its values load."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "kendra" / "settings.py"
EXAMPLE = ROOT / ".env.example"
# Set by pytest itself, never by a person: they name the test run, they configure nothing.
NOT_SETTINGS = {"PYTEST_VERSION", "PYTEST_XDIST_WORKER"}
LINE = re.compile(r"^#?\s?([A-Z][A-Z0-9_]+)=(.*)$")


def read_by_settings():
    """Every NAME in os.environ.get("NAME"), os.environ["NAME"], "NAME" in os.environ,
    env.<kind>("NAME"), env("NAME") and env_bool("NAME") in settings.py."""
    names = set()
    for node in ast.walk(ast.parse(SETTINGS.read_text())):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            f = node.func
            src = ast.unparse(f)
            if src in {"os.environ.get", "env", "env_bool"} or (
                isinstance(f, ast.Attribute) and ast.unparse(f.value) == "env"
            ):
                names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            names.add(ast.literal_eval(node.slice))
        elif isinstance(node, ast.Compare) and any(
            ast.unparse(c) == "os.environ" for c in node.comparators
        ):
            names.add(node.left.value)
    return names - NOT_SETTINGS


def listed():
    lines = EXAMPLE.read_text().splitlines()
    found = {}
    for number, line in enumerate(lines):
        match = LINE.match(line)
        if match:
            found[match.group(1)] = (number, match.group(2))
    return lines, found


def test_every_variable_settings_read_is_listed_and_nothing_else():
    names = read_by_settings()
    assert len(names) > 40  # the parser above still finds them
    _, found = listed()
    assert not names - set(found), f"add to .env.example: {sorted(names - set(found))}"
    assert not set(found) - names, f"not read by settings: {sorted(set(found) - names)}"


def test_each_variable_has_a_comment_above_it_or_its_group():
    lines, found = listed()
    for name, (number, _) in found.items():
        above = number - 1
        while above >= 0 and LINE.match(lines[above]):
            above -= 1  # a group of variables shares the comment above the first
        assert above >= 0 and lines[above].startswith("#"), name


def test_its_values_load(tmp_path):
    """The file's set lines, plus the two secrets it leaves empty, start Kendra."""
    _, found = listed()
    env = {k: v for k, v in os.environ.items() if k not in found and not k.startswith("PYTEST")}
    for line in EXAMPLE.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    env.update(
        DJANGO_SECRET_KEY="x" * 50, ALLOWED_HOSTS="kendra.example.in", KENDRA_VAR_DIR=str(tmp_path)
    )
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "kendra.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False"
