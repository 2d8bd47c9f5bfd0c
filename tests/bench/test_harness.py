"""The benchmark harness builds its dataset and serves its floor page. No timings here:
benchmarks print numbers (`make bench`); tests never assert wall-clock times."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from bench import seed as seeding
from bench.run import form_of
from checkins.models import ReminderPlan
from groups.models import Attendance, Session
from kendra.models import Resident
from kendra.notify.models import Notification


@pytest.mark.django_db
def test_it_seeds_the_tiny_dataset_with_every_kind_of_row():
    counts = seeding.seed(7, seeding.TINY, quiet=True)
    assert counts["residents"] == Resident.objects.count() == 80
    assert Attendance.objects.count() == seeding.TINY["attendance"]
    assert Session.objects.exists() and Notification.objects.count() == 400
    assert ReminderPlan.objects.count() == 80
    # Sequences moved on: the next row made the ordinary way does not collide.
    assert (
        Resident.objects.create(
            centre_id=1, full_name="After the seed", gender="male", admission_date="2026-01-01"
        ).pk
        == 81
    )


def test_it_has_no_floor_page_unless_benchmarking():
    with pytest.raises(NoReverseMatch):
        reverse("bench:floor")


def test_it_posts_back_the_form_of_the_page_itself():
    html = (
        '<form method="post" action="/language/"><input name="language" value="hi"></form>'
        '<form method="post" action="/log/"><input type="hidden" name="a" value="1">'
        '<input type="radio" name="s" value="x"><input type="radio" name="s" value="y" checked>'
        '<select name="m"><option value="1">1</option><option value="2" selected>2</option>'
        "</select><textarea name=t>hi</textarea></form>"
    )
    assert form_of(html, "/log/") == {"a": "1", "s": "y", "m": "2", "t": "hi"}


@override_settings(KENDRA_BENCH=True)
def test_it_counts_the_queries_of_a_request_in_a_header():
    from django.http import HttpResponse

    from bench.middleware import QueryCountMiddleware

    assert QueryCountMiddleware(lambda r: HttpResponse())(None)["X-Kendra-Queries"] == "0"


def test_templates_are_compiled_once_per_process_with_debug_off():
    """Production settings (DEBUG off) keep Django's cached template loader: no loaders are
    named in TEMPLATES, so Django wraps the file loaders in it (pages are rendered, not
    cached: what is kept is the compiled template)."""
    from django.conf import settings
    from django.template import engines

    assert "loaders" not in settings.TEMPLATES[0]["OPTIONS"]
    loaders = engines["django"].engine.loaders
    assert loaders[0][0] == "django.template.loaders.cached.Loader"
