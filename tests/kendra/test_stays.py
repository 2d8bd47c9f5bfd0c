"""Stays (issue 21): one stay per admission, readmission on the same person, a check-in
plan from the first day, and the bad input that must save nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alumni.models import AlumniProfile, FollowUp, Relapse
from checkins.models import CheckIn, ReminderPlan
from groups.models import Attendance, PeerGroup, Session
from kendra.actions import readmit_resident
from kendra.models import Consent, Resident, Stay
from kendra.stays import StayRefused

from ..factories import ResidentFactory
from .test_residents import admit_data

TODAY = timezone.localdate


def _discharge(client, resident, reason, day):
    return client.post(
        reverse("resident_discharge", args=[resident.pk]),
        {"discharge_date": day.isoformat(), "discharge_reason": reason},
    )


def test_admitting_by_form_opens_a_stay_and_a_circle_only_plan(as_user, counselor, centre):
    as_user(counselor).post(
        reverse("resident_create"), admit_data(centre, referral_source="family")
    )
    resident = Resident.objects.get(full_name="Arjun Singh Rathore")
    stay = resident.stays.get()
    assert stay.is_open and stay.admission_date == resident.admission_date
    assert stay.referral_source == "family" and stay.stage == "detox"
    assert list(stay.stage_changes.values_list("stage", "by")) == [("detox", counselor.pk)]
    plan = ReminderPlan.objects.get(resident=resident)
    assert plan.channel == "circle" and plan.next_due_at is None  # no consent: the circle


def test_admitting_with_phone_and_consent_makes_a_personal_link_plan(as_user, counselor, centre):
    as_user(counselor).post(reverse("resident_create"), admit_data(centre, checkin_consent="on"))
    resident = Resident.objects.get(full_name="Arjun Singh Rathore")
    assert Consent.objects.filter(resident=resident, purpose="checkin_messages").exists()
    plan = ReminderPlan.objects.get(resident=resident)
    assert plan.channel == "sms" and plan.next_due_at is not None


def test_consent_without_a_phone_stays_circle_only(as_user, counselor, centre):
    data = admit_data(centre, checkin_consent="on", phone="")
    as_user(counselor).post(reverse("resident_create"), data)
    assert ReminderPlan.objects.get(resident__full_name="Arjun Singh Rathore").channel == "circle"


@pytest.fixture
def alumnus(as_user, counselor, centre):
    """Admitted 120 days ago, completed 60 days ago: an alumnus with follow-ups, one done,
    and one session attended during the stay."""
    resident = ResidentFactory(
        centre=centre, full_name="Mohan Lal", admission_date=TODAY() - dt.timedelta(days=120)
    )
    group = PeerGroup.objects.create(centre=centre, name="Morning circle", kind="circle")
    start = timezone.now() - dt.timedelta(days=100)
    session = Session.objects.create(
        group=group, centre=centre, start=start, end=start + dt.timedelta(hours=1)
    )
    Attendance.objects.create(session=session, resident=resident, status="present")
    CheckIn.objects.create(
        resident=resident, mood=4, source="circle", for_date=TODAY() - dt.timedelta(days=90)
    )
    _discharge(as_user(counselor), resident, "completed", TODAY() - dt.timedelta(days=60))
    first = FollowUp.objects.filter(profile__resident=resident).order_by("due_on").first()
    first.outcome = FollowUp.Outcome.REACHED_SOBER
    first.save()
    resident.refresh_from_db()
    return resident


def test_readmitting_an_alumnus_keeps_one_person_with_two_stays(as_user, counselor, alumnus):
    first_stay = alumnus.stays.get()
    assert Attendance.objects.get(resident=alumnus).stay == first_stay
    assert CheckIn.objects.get(resident=alumnus).stay == first_stay
    page = as_user(counselor).get(reverse("resident_readmit", args=[alumnus.pk]))
    assert page.status_code == 200 and "new stay on the same person" in page.content.decode()
    day = TODAY() - dt.timedelta(days=1)
    response = as_user(counselor).post(
        reverse("resident_readmit", args=[alumnus.pk]),
        {"admission_date": day.isoformat(), "referral_source": "self"},
    )
    assert response.status_code == 302
    assert Resident.objects.filter(full_name="Mohan Lal").count() == 1
    alumnus.refresh_from_db()
    assert alumnus.is_admitted and alumnus.admission_date == day
    assert alumnus.discharge_date is None and alumnus.sobriety_date == day
    stays = list(alumnus.stays.order_by("admission_date"))
    assert len(stays) == 2 and stays[0] == first_stay and stays[1].is_open
    assert not stays[0].is_open and stays[0].discharge_reason == "completed"
    # the first stay's attendance and follow-ups are intact
    assert Attendance.objects.get(resident=alumnus).stay == first_stay
    followups = FollowUp.objects.filter(profile__resident=alumnus)
    assert {f.stay_id for f in followups} == {first_stay.pk}
    outcomes = sorted(followups.values_list("outcome", flat=True))
    assert outcomes == ["reached_sober", "readmitted", "readmitted", "readmitted"]
    relapse = Relapse.objects.get(profile__resident=alumnus)
    assert relapse.relapsed_on == day and relapse.previous_sobriety_date is not None
    assert AlumniProfile.objects.filter(resident=alumnus).count() == 1
    plan = ReminderPlan.objects.get(resident=alumnus)
    assert not plan.paused and plan.channel == "circle"
    # the resident page shows both stays as a timeline
    page = as_user(counselor).get(alumnus.get_absolute_url()).content.decode()
    assert "Stays" in page and "Current stay" in page and "Completed the programme" in page


def test_a_check_in_during_the_new_stay_belongs_to_it(alumnus, counselor):
    stay = readmit_resident(alumnus, TODAY(), counselor)
    checkin = CheckIn.objects.create(resident=alumnus, mood=3, source="circle", for_date=TODAY())
    assert checkin.stay == stay


def test_admitting_again_someone_already_admitted_is_refused(as_user, counselor, resident):
    with pytest.raises(StayRefused, match="already admitted"):
        readmit_resident(resident, TODAY(), counselor)
    response = as_user(counselor).post(
        reverse("resident_readmit", args=[resident.pk]), {"admission_date": TODAY().isoformat()}
    )
    assert response.status_code == 302 and resident.stays.count() == 1


def test_a_readmission_inside_the_last_stay_is_refused(as_user, counselor, alumnus):
    inside = alumnus.discharge_date - dt.timedelta(days=5)
    response = as_user(counselor).post(
        reverse("resident_readmit", args=[alumnus.pk]), {"admission_date": inside.isoformat()}
    )
    assert response.status_code == 200
    assert "stays cannot overlap" in response.content.decode()
    assert alumnus.stays.count() == 1
    alumnus.refresh_from_db()
    assert not alumnus.is_admitted
    with pytest.raises(StayRefused, match="cannot overlap"):
        readmit_resident(alumnus, inside, counselor)
    assert alumnus.stays.count() == 1


def test_a_discharge_before_the_admission_saves_nothing(as_user, counselor, resident):
    before = resident.admission_date - dt.timedelta(days=1)
    response = _discharge(as_user(counselor), resident, "completed", before)
    assert response.status_code == 200
    assert "cannot be before the admission date" in response.content.decode()
    resident.refresh_from_db()
    assert resident.is_admitted and resident.stays.get().is_open


def test_moving_the_admission_date_into_an_earlier_stay_is_refused(as_user, counselor, alumnus):
    readmit_resident(alumnus, TODAY() - dt.timedelta(days=2), counselor)
    alumnus.refresh_from_db()
    data = admit_data(alumnus.centre, full_name="Mohan Lal", phone="")
    data["admission_date"] = (
        alumnus.stays.first().admission_date + dt.timedelta(days=3)
    ).isoformat()
    data.pop("centre")
    response = as_user(counselor).post(reverse("resident_edit", args=[alumnus.pk]), data)
    assert response.status_code == 200 and "cannot overlap" in response.content.decode()
    assert alumnus.stays.order_by(
        "-admission_date"
    ).first().admission_date == TODAY() - dt.timedelta(days=2)


def test_a_counselor_sets_the_stage_and_each_change_is_kept(as_user, counselor, resident):
    stay = resident.stays.get()
    client = as_user(counselor)
    client.post(reverse("stay_stage", args=[stay.pk]), {"stage": "preparing"})
    stay.refresh_from_db()
    assert stay.stage == "preparing"
    assert list(stay.stage_changes.values_list("stage", flat=True)) == ["residential", "preparing"]
    assert stay.history.count() == 2
    page = client.get(resident.get_absolute_url()).content.decode()
    assert "Preparing to leave" in page


def test_the_database_refuses_two_open_stays(resident):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Stay.objects.create(resident=resident, centre=resident.centre, admission_date=TODAY())


def test_the_stage_filters_the_list_and_shows_on_the_roster_and_home(as_user, counselor, centre):
    ready = ResidentFactory(centre=centre, full_name="Kishore Preparing")
    ResidentFactory(centre=centre, full_name="Vijay Residential")
    ready.stays.get().move_to("preparing", counselor)
    client = as_user(counselor)
    page = client.get(reverse("resident_list") + "?stage=preparing").content.decode()
    assert "Kishore Preparing" in page and "Vijay Residential" not in page
    assert "Preparing to leave" in page
    home = client.get(reverse("home")).content.decode()
    assert "Preparing to leave, with no discharge plan" in home and "Kishore Preparing" in home


def test_a_plan_takes_someone_off_the_home_list(as_user, counselor, centre):
    from recovery.models import RecoveryPlan

    ready = ResidentFactory(centre=centre, full_name="Kishore Preparing")
    ready.stays.get().move_to("preparing", counselor)
    RecoveryPlan.objects.create(
        resident=ready, centre=centre, written_on=TODAY(), written_with=counselor
    )
    home = as_user(counselor).get(reverse("home")).content.decode()
    assert "Preparing to leave, with no discharge plan" not in home


def test_mentor_suggestions_prefer_a_mentor_at_a_later_stage(centre):
    from mentors import matching

    class Mentor:
        def __init__(self, pk, stage):
            self.pk, self.stage, self.mentee_stage, self.capacity = pk, stage, "detox", 3
            self.resident = ResidentFactory.build(centre=centre, pk=100 + pk, languages=["hi"])

        def all_languages(self):
            return ["hi"]

    mentee = ResidentFactory.build(centre=centre, pk=1, languages=["hi"])
    early, later = Mentor(1, "detox"), Mentor(2, "aftercare")
    ranked = matching.rank(mentee, [early, later], today=TODAY())
    assert [s.mentor for s in ranked] == [later, early]
    assert any("later stage" in r for r in ranked[0].reasons)


def test_importing_opens_a_stay_and_a_plan_for_each_admitted_resident(centre, centre_admin):
    from kendra import imports

    job = imports.prepare(centre, centre_admin, "r.csv", imports.SAMPLE)
    assert imports.run(job) == 2
    rahul = Resident.objects.get(full_name="Rahul Sharma")
    sunita = Resident.objects.get(full_name="Sunita Devi")
    assert rahul.stays.get().is_open and not sunita.stays.get().is_open
    assert ReminderPlan.objects.get(resident=rahul).channel == "circle"  # no consent yet
    assert not ReminderPlan.objects.filter(resident=sunita).exists()


def test_import_offers_readmission_for_a_returning_person(as_user, centre_admin, centre):
    from kendra import imports
    from kendra.models import ImportJob

    back = ResidentFactory(
        centre=centre,
        full_name="Sunita Devi",
        phone="+919829012345",
        admission_date=TODAY() - dt.timedelta(days=100),
    )
    back.stays.get().close(back, TODAY() - dt.timedelta(days=30), "completed")
    csv = (
        ",".join(imports.COLUMNS)
        + f"\nSunita Devi,,female,1988-11-02,hi,opioids,9829012345,,hi,{TODAY() - dt.timedelta(days=1)},,admitted,,\n"
    )
    job = imports.prepare(centre, centre_admin, "back.csv", csv)
    assert job.new_rows == 0 and job.existing_rows == 0
    assert [r["resident"] for r in job.returning] == [back.pk]
    client = as_user(centre_admin)
    page = client.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert "Admit them again" in page and "Sunita Devi" in page
    ImportJob.objects.filter(pk=job.pk).update(status="queued")  # as the start page does
    imports.run(ImportJob.objects.get(pk=job.pk))
    assert Resident.objects.filter(full_name="Sunita Devi").count() == 1
    back.refresh_from_db()
    assert back.is_admitted and back.stays.count() == 2
    assert ReminderPlan.objects.filter(resident=back).exists()


def test_import_without_the_tick_leaves_a_returning_person_alone(as_user, centre_admin, centre):
    from kendra import imports

    back = ResidentFactory(centre=centre, full_name="Sunita Devi", phone="+919829012345")
    back.stays.get().close(back, TODAY() - dt.timedelta(days=10), "completed")
    csv = (
        ",".join(imports.COLUMNS)
        + f"\nSunita Devi,,female,1988-11-02,hi,opioids,9829012345,,hi,{TODAY()},,admitted,,\n"
    )
    job = imports.prepare(centre, centre_admin, "back.csv", csv)
    as_user(centre_admin).post(reverse("import_start", args=[job.pk]))  # no "readmit"
    job.refresh_from_db()
    assert job.returning == []
    imports.run(job)
    back.refresh_from_db()
    assert not back.is_admitted and back.stays.count() == 1
