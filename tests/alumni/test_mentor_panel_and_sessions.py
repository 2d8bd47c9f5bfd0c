import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from alumni.models import Visit
from groups.models import Kind
from tests.factories import ResidentFactory
from tests.groups.factories import PeerGroupFactory, SessionFactory
from tests.mentors.conftest import make_mentor, make_pairing

from .conftest import make_alumnus

MID_MONTH = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))


@time_machine.travel(MID_MONTH, tick=False)
def test_it_shows_a_mentor_the_milestones_of_their_own_mentees_this_month(
    as_user, centre, mentor_user
):
    mine = make_mentor(centre, user=mentor_user, full_name="Suresh Kumar")
    other = make_mentor(centre, full_name="Someone Else")
    mentee = ResidentFactory(
        centre=centre, full_name="Vikram Mentee", sobriety_date=dt.date(2026, 2, 13)
    )  # 30 days on 15 March
    stranger = ResidentFactory(
        centre=centre, full_name="Not Theirs", sobriety_date=dt.date(2026, 2, 13)
    )
    ended = ResidentFactory(
        centre=centre, full_name="Ended Pairing", sobriety_date=dt.date(2026, 2, 13)
    )
    make_pairing(mine, mentee)
    make_pairing(other, stranger)
    make_pairing(mine, ended, ended_at=timezone.now(), end_reason="completed")
    page = as_user(mentor_user).get(reverse("home")).text
    assert "Your mentees&#x27; milestones this month" in page or "milestones this month" in page
    assert "Vikram Mentee" in page and "30 days sober" in page
    assert "Not Theirs" not in page and "Ended Pairing" not in page


def test_it_shows_no_mentor_panel_to_a_counselor(as_user, counselor):
    assert "mentees&#x27; milestones" not in as_user(counselor).get(reverse("home")).text


def test_it_offers_the_centres_upcoming_sessions_when_proposing_a_visit(
    as_user, coordinator, centre, other_centre
):
    soon = timezone.now().replace(microsecond=0) + dt.timedelta(days=7)
    circle = SessionFactory(
        group=PeerGroupFactory(centre=centre, name="Morning circle", kind=Kind.CIRCLE, format=""),
        start=soon,
    )
    SessionFactory(group=PeerGroupFactory(centre=other_centre, name="Far away"), start=soon)
    page = as_user(coordinator).get(reverse("alumni:visit_propose")).text
    assert "Morning circle (Sharing circle)" in page and "Far away" not in page
    assert circle.pk


def test_it_takes_the_date_and_time_from_the_chosen_session(as_user, coordinator, centre):
    alumnus = make_alumnus(centre, coordinator, full_name="Deepak Saini")
    start = timezone.localtime(timezone.now() + dt.timedelta(days=8)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    circle = SessionFactory(
        group=PeerGroupFactory(centre=centre, name="Morning circle", kind=Kind.CIRCLE, format=""),
        start=start,
    )
    response = as_user(coordinator).post(
        reverse("alumni:visit_propose"),
        {
            "centre": centre.pk,
            "alumni": [alumnus.pk],
            "duration": 60,
            "purpose": "share_story",
            "session_id": circle.pk,
            "propose_anyway": "on",
        },
    )
    assert response.status_code == 302, response.text
    visit = Visit.objects.get()
    assert visit.session_id == circle.pk and visit.starts_at == start


def test_it_refuses_a_session_of_another_centre_and_saves_nothing(
    as_user, coordinator, centre, other_centre
):
    alumnus = make_alumnus(centre, coordinator)
    far = SessionFactory(
        group=PeerGroupFactory(centre=other_centre),
        start=timezone.now() + dt.timedelta(days=5),
    )
    day = timezone.localdate() + dt.timedelta(days=5)
    response = as_user(coordinator).post(
        reverse("alumni:visit_propose"),
        {
            "centre": centre.pk,
            "alumni": [alumnus.pk],
            "day": day.isoformat(),
            "time": "11:00",
            "duration": 60,
            "purpose": "share_story",
            "session_id": far.pk,
        },
    )
    assert "Choose one of the centre" in response.text and not Visit.objects.exists()
