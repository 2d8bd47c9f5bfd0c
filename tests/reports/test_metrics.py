"""The report's numbers against a hand-built centre where every answer is counted by hand.

The period is October 2026 (the last full month on 5 November 2026).
"""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from alumni.models import AlumniProfile, FollowUp, Visit
from checkins.models import Alert, CheckIn
from families.models import FamilyMeeting
from groups.models import Attendance, Kind, Session
from kendra.models import Resident
from mentors.models import ContactLog, MentorProfile, Pairing
from reports import metrics
from tests.factories import ResidentFactory
from tests.groups.factories import PeerGroupFactory

START, END = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
D = dt.date


def at(y, m, d, hour=11, minute=0):
    return timezone.make_aware(dt.datetime(y, m, d, hour, minute))


def resident(centre, name, admitted, discharged=None, reason=""):
    return ResidentFactory(
        centre=centre,
        full_name=name,
        admission_date=admitted,
        status=Resident.Status.DISCHARGED if discharged else Resident.Status.ADMITTED,
        discharge_date=discharged,
        discharge_reason=reason,
    )


def session(group, when, status=Session.Status.HELD, marks=()):
    s = Session.objects.create(
        group=group,
        centre=group.centre,
        start=when,
        end=when + dt.timedelta(hours=1),
        status=status,
    )
    for person, mark in marks:
        Attendance.objects.create(session=s, resident=person, status=mark)
    return s


_keys = iter(range(10_000))


def alert(person, rule, raised, resolved=None):
    return Alert.objects.create(
        resident=person,
        centre=person.centre,
        rule=rule,
        reason="-",
        dedupe_key=f"k{next(_keys)}",
        raised_at=raised,
        resolved_at=resolved,
        status=Alert.Status.RESOLVED if resolved else Alert.Status.OPEN,
    )


@pytest.fixture
def october(centre, other_centre):
    """The hand-built month. Comments give the answer each row contributes."""
    P, L, A, X = (
        Attendance.Status.PRESENT,
        Attendance.Status.LATE,
        Attendance.Status.ABSENT,
        Attendance.Status.EXCUSED,
    )
    amit = resident(centre, "Amit", D(2026, 9, 1))  # on the roll all month: 31 days
    bina = resident(centre, "Bina", D(2026, 10, 5))  # admitted: 27 days
    chetan = resident(centre, "Chetan", D(2026, 9, 15), D(2026, 10, 10), "completed")  # 9 days
    deepa = resident(centre, "Deepa", D(2026, 10, 20), D(2026, 10, 25), "against_advice")  # 5
    esha = resident(centre, "Esha", D(2026, 8, 1), D(2026, 9, 20), "completed")  # before
    farhan = resident(centre, "Farhan", D(2026, 1, 1), D(2026, 6, 1), "completed")
    stranger = resident(other_centre, "Stranger", D(2026, 10, 3))

    def checkin(person, day, hour=9):
        CheckIn.objects.create(
            resident=person,
            at=at(day.year, day.month, day.day, hour),
            mood=3,
            source="circle",
            for_date=day,
        )

    checkin(amit, D(2026, 10, 1))
    checkin(amit, D(2026, 10, 1), 18)  # the same day twice counts once
    checkin(amit, D(2026, 10, 2))
    checkin(amit, D(2026, 9, 30))  # before the period
    checkin(bina, D(2026, 10, 4))  # before her admission
    checkin(bina, D(2026, 10, 5))
    checkin(chetan, D(2026, 10, 10))  # on his discharge day: no longer on the roll
    checkin(deepa, D(2026, 10, 21))
    checkin(stranger, D(2026, 10, 5))  # another centre

    therapy = PeerGroupFactory(centre=centre, kind=Kind.THERAPY, format="cbt")
    circle = PeerGroupFactory(centre=centre, kind=Kind.CIRCLE, format="")
    session(therapy, at(2026, 10, 6), marks=[(amit, P), (bina, L), (chetan, A)])
    session(therapy, at(2026, 10, 13), marks=[(amit, X), (bina, P)])
    session(therapy, at(2026, 10, 20), status=Session.Status.CANCELLED)
    session(therapy, at(2026, 9, 29), marks=[(amit, P)])  # before
    session(circle, at(2026, 10, 7), marks=[(amit, P), (bina, A)])
    session(circle, at(2026, 10, 31, 23, 30))  # the last half hour of October, India time
    session(circle, at(2026, 11, 1, 0, 30))  # already November in India
    session(PeerGroupFactory(centre=other_centre), at(2026, 10, 8), marks=[(stranger, P)])

    mentor = MentorProfile.objects.create(centre=centre, resident=esha, capacity=3)
    with_amit = Pairing.objects.create(
        centre=centre, mentor=mentor, mentee=amit, started_at=at(2026, 9, 1)
    )
    Pairing.objects.create(
        centre=centre,
        mentor=mentor,
        mentee=chetan,
        started_at=at(2026, 10, 1),
        ended_at=at(2026, 10, 10),
        end_reason="mentee_left",
    )
    Pairing.objects.create(
        centre=centre,
        mentor=mentor,
        mentee=farhan,
        started_at=at(2026, 2, 1),
        ended_at=at(2026, 5, 1),
        end_reason="completed",
    )
    for day in (2, 9, 16):
        ContactLog.objects.create(pairing=with_amit, at=at(2026, 10, day), method="call", mood=4)
    ContactLog.objects.create(pairing=with_amit, at=at(2026, 9, 25), method="call", mood=4)

    def meeting(**kw):
        when = kw.pop("when")
        return FamilyMeeting.objects.create(
            centre=centre, starts_at=when, ends_at=when + dt.timedelta(hours=1), **kw
        )

    from families.models import FamilyGroup

    fgroup = FamilyGroup.objects.create(centre=centre, name="Parents")
    meeting(group=fgroup, when=at(2026, 10, 11), status=FamilyMeeting.Status.HELD)
    meeting(resident=amit, when=at(2026, 10, 12), status=FamilyMeeting.Status.HELD)
    meeting(resident=amit, when=at(2026, 10, 26), status=FamilyMeeting.Status.PLANNED)

    alert(amit, Alert.Rule.LOW_MOOD, at(2026, 10, 3), at(2026, 10, 4))
    alert(bina, Alert.Rule.HELP_REQUEST, at(2026, 10, 12))
    alert(chetan, Alert.Rule.MISSED_CHECKINS, at(2026, 9, 28), at(2026, 10, 2))
    alert(amit, Alert.Rule.LOW_MOOD, at(2026, 9, 1))
    alert(stranger, Alert.Rule.LOW_MOOD, at(2026, 10, 5))

    esha_profile = AlumniProfile.objects.create(resident=esha, centre=centre)
    farhan_profile = AlumniProfile.objects.create(resident=farhan, centre=centre)

    def visit(day, alumni, status=Visit.Status.DONE, reached=None):
        v = Visit.objects.create(
            centre=centre,
            starts_at=at(2026, 10 if day > 0 else 9, abs(day)),
            ends_at=at(2026, 10 if day > 0 else 9, abs(day), 12),
            purpose="share_story",
            status=status,
            residents_reached=reached,
        )
        v.alumni.set(alumni)

    visit(15, [esha_profile, farhan_profile], reached=12)
    visit(20, [esha_profile], reached=5)
    visit(22, [farhan_profile], status=Visit.Status.CANCELLED)
    visit(-10, [farhan_profile], reached=8)  # September

    Out = FollowUp.Outcome
    for months, due, outcome in [
        (1, D(2026, 10, 5), Out.REACHED_SOBER),
        (3, D(2026, 10, 10), Out.NOT_REACHED),
        (6, D(2026, 10, 20), Out.RELAPSED),
        (12, D(2026, 10, 30), ""),
        (24, D(2026, 9, 30), Out.REACHED_SOBER),  # before
    ]:
        FollowUp.objects.create(
            profile=farhan_profile,
            centre=centre,
            discharge_date=D(2026, 6, 1),
            months=months,
            due_on=due,
            outcome=outcome,
        )
    return centre


def test_it_counts_residents_in_and_out_so_the_roll_adds_up(october):
    r = metrics.residents(october, START, END)
    assert (r["at_start"], r["admitted"], r["discharged"], r["at_end"]) == (2, 2, 2, 2)
    assert r["at_start"] + r["admitted"] - r["discharged"] == r["at_end"]
    reasons = {value: n for value, _label, n in r["by_reason"]}
    assert reasons == {"completed": 1, "against_advice": 1, "transferred": 0, "readmitted": 0}


def test_it_counts_held_group_sessions_by_kind_and_format_in_india_time(october):
    g = metrics.group_sessions(october, START, END)
    rows = {
        (row["kind"], row["format"]): (row["sessions"], row["attended"], row["marked"])
        for row in g["rows"]
    }
    assert rows == {
        ("Sharing circle", "—"): (2, 1, 2),
        ("Group therapy", "Cognitive-behavioural (CBT)"): (2, 3, 5),
    }
    assert g["total"] == {"sessions": 4, "attended": 4, "marked": 7, "rate": 57}


def test_it_splits_sessions_into_individual_group_and_family(october):
    s = metrics.session_types(october, START, END)
    assert s == {"individual": 3, "group": 4, "family_group": 1, "family_session": 1, "total": 9}


def test_it_measures_check_in_response_over_days_on_the_roll(october):
    c = metrics.checkin_response(october, START, END)
    assert c == {"expected": 31 + 27 + 9 + 5, "answered": 4, "rate": 6}


def test_it_counts_alerts_raised_by_rule_resolved_and_still_open(october):
    a = metrics.alerts(october, START, END)
    by_rule = {value: n for value, _label, n in a["by_rule"]}
    assert by_rule["low_mood"] == 1 and by_rule["help_request"] == 1
    assert (a["raised"], a["resolved"], a["open_at_end"]) == (2, 2, 2)


def test_it_counts_pairings_active_started_ended_and_contacts(october):
    assert metrics.pairings(october, START, END) == {
        "active": 2,
        "started": 1,
        "ended": 1,
        "contacts": 3,
    }


def test_it_sums_residents_reached_once_per_visit_however_many_alumni_came(october):
    assert metrics.visits(october, START, END) == {"done": 2, "alumni": 2, "residents_reached": 17}


def test_it_counts_follow_ups_due_by_outcome_and_the_open_ones_make_up_the_total(october):
    f = metrics.followups(october, START, END)
    assert (f["due"], f["open"], f["reached"], f["rate"]) == (4, 1, 2, 67)
    assert sum(n for *_x, n in f["outcomes"]) + f["open"] == f["due"]


def test_it_defaults_to_the_last_full_month():
    with time_machine.travel(at(2026, 11, 5), tick=False):
        assert metrics.last_full_month() == (START, END)
    assert metrics.last_full_month(D(2026, 1, 15)) == (D(2025, 12, 1), D(2025, 12, 31))


def test_it_builds_twelve_weekly_points_from_the_same_data(october):
    trends = metrics.centre_trends(october, D(2026, 10, 31))
    assert len(trends["weeks"]) == 12 and trends["weeks"][-1] == D(2026, 10, 26)
    # Week of 5 Oct: therapy 2 of 3 (present, late, absent), circle 1 of 2: 3 of 5 = 60%.
    week = trends["weeks"].index(D(2026, 10, 5))
    assert trends["attendance"][week] == 60
    assert trends["occupancy"][-1] == 2  # Amit and Bina on 31 Oct
    assert trends["alerts"][-1] == 2
    by_group = metrics.group_attendance_trend(october, D(2026, 10, 31))
    therapy = next(
        g for g in by_group["groups"] if g["rates"][week] is not None and g["marked"][week] == 3
    )
    assert therapy["rates"][week] == 67
