import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run_check(**env):
    full = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "ALLOWED_HOSTS"}}
    full.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], env=full, capture_output=True, text=True, timeout=60
    )


def test_it_refuses_to_start_in_production_without_a_secret_key():
    result = run_check(DJANGO_DEBUG="false", ALLOWED_HOSTS="kendra.example.in")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY is required" in result.stderr


def test_it_refuses_to_start_in_production_without_allowed_hosts():
    result = run_check(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0 and "ALLOWED_HOSTS is required" in result.stderr


def test_it_rejects_a_misspelt_boolean():
    result = run_check(DJANGO_DEBUG="flase")
    assert result.returncode != 0 and "must be true or false" in result.stderr


def test_it_starts_in_production_with_both():
    result = run_check(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="kendra.example.in",
        # Production sends for real (kendra/checks.py refuses the console transports).
        EMAIL_URL="smtp+tls://kendra%40example.in:secret@smtp.example.in:587",
        SMS_GATEWAY_URL="https://sms-gateway.example.in/v1/messages",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")


@pytest.mark.django_db
def test_seed_demo_makes_one_login_per_role(settings, django_user_model):
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    for username in ["counselor", "peerleader", "mentor", "coordinator", "family", "admin"]:
        user = django_user_model.objects.get(username=username)
        assert user.check_password("kendra-demo-2026")
        assert user.memberships.exists()
    call_command("seed_demo", once=True, force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
