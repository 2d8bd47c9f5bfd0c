"""The relapse-prevention plan: written with the resident, versioned, read by the right
people only, carried on the personal check-in link, after a help press and a strong craving."""

import pytest
from django.urls import reverse

from families.models import FamilyMember
from kendra.models import AuditEvent, Consent, Role
from recovery.models import RecoveryPlan

from ..checkins.conftest import make_plan
from ..factories import member
from ..mentors.conftest import make_mentor, make_pairing

FORM = {
    "language": "hi",
    "triggers": "शाम को अकेले रहना\nपुराने दोस्त",
    "warning_signs": "नींद न आना",
    "what_helps": "मेंटर को फ़ोन करना\nदस मिनट टहलना",
    "reasons": "मेरी बेटी",
}


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    from kendra.notify import outbox

    monkeypatch.setattr(outbox, "queue_send", lambda pks, queue=None: list(pks))


@pytest.fixture
def paired(centre, resident, mentor_user):
    mentor_user.first_name, mentor_user.last_name = "Suresh", "Mentor"
    mentor_user.save()
    mentor = make_mentor(centre, user=mentor_user, full_name="Suresh Mentor", phone="+919811111111")
    return make_pairing(mentor, resident)


def write(client, resident, **changes):
    return client.post(reverse("recovery:plan_edit", args=[resident.pk]), {**FORM, **changes})


def test_a_counselor_writes_the_plan_with_real_contacts_and_free_entries(
    as_user, counselor, resident, paired, family_user
):
    link = FamilyMember.objects.create(
        user=family_user, resident=resident, relationship="mother", phone="+919822222222"
    )
    Consent.objects.create(resident=resident, purpose="family_schedule", grantee=family_user)
    client = as_user(counselor)
    form = client.get(reverse("recovery:plan_edit", args=[resident.pk])).text
    assert "Suresh Mentor" in form and "+919822222222" in form
    response = write(
        client,
        resident,
        chosen=[f"mentor:{paired.mentor.pk}", f"family:{link.pk}"],
        other_name_1="Dr Mehta",
        other_phone_1="0141 222 3333",
    )
    assert response.status_code == 302
    plan = RecoveryPlan.objects.get(resident=resident)
    assert [p["who"] for p in plan.people] == ["mentor", "family", "other"]
    assert plan.people[0]["phone"] == "+919811111111"
    assert plan.language == "hi" and plan.written_with == counselor
    page = client.get(reverse("recovery:plan", args=[resident.pk])).text
    assert "Version 1, written with" in page and "tel:+919811111111" in page
    assert AuditEvent.objects.filter(action="recovery_plan.saved", resident=resident).exists()
    assert AuditEvent.objects.filter(action="recovery_plan.viewed", resident=resident).exists()


def test_each_save_is_a_new_version(as_user, counselor, resident):
    client = as_user(counselor)
    write(client, resident)
    write(client, resident, what_helps="पानी पीना")
    plan = RecoveryPlan.objects.get(resident=resident)
    assert plan.history.count() == 2
    page = client.get(reverse("recovery:plan", args=[resident.pk])).text
    assert "Version 2, written with" in page and "Version 1, written with" in page


def test_family_members_without_consent_are_not_offered(as_user, counselor, resident, family_user):
    FamilyMember.objects.create(
        user=family_user, resident=resident, relationship="mother", phone="+919833333333"
    )
    form = as_user(counselor).get(reverse("recovery:plan_edit", args=[resident.pk])).text
    assert "+919833333333" not in form


def test_bad_input_saves_nothing(as_user, counselor, resident):
    client = as_user(counselor)
    response = write(client, resident, other_name_1="Dr Mehta", other_phone_1="")
    assert (
        response.status_code == 400 and "Write both the name and the phone number" in response.text
    )
    response = write(client, resident, other_name_1="X", other_phone_1="call me maybe")
    assert response.status_code == 400 and "Enter a phone number" in response.text
    response = write(client, resident, chosen=["mentor:999999"])
    assert response.status_code == 400
    assert not RecoveryPlan.objects.exists()


def test_who_may_read_and_write(
    as_user,
    counselor,
    centre_admin,
    peer_leader,
    coordinator,
    family_user,
    outsider,
    mentor_user,
    centre,
    resident,
    paired,
):
    write(as_user(counselor), resident)
    plan_url = reverse("recovery:plan", args=[resident.pk])
    edit_url = reverse("recovery:plan_edit", args=[resident.pk])
    assert as_user(mentor_user).get(plan_url).status_code == 200
    assert as_user(mentor_user).get(edit_url).status_code == 200
    assert as_user(centre_admin).get(plan_url).status_code == 200
    assert as_user(centre_admin).get(edit_url).status_code == 403
    other_mentor = member(Role.MENTOR, centre, username="other-mentor")
    for user in (peer_leader, coordinator, family_user, outsider, other_mentor):
        assert as_user(user).get(plan_url).status_code == 404, user
        assert as_user(user).get(edit_url).status_code == 404, user
    paired.ended_at, paired.end_reason = paired.started_at, "completed"
    paired.save()
    assert as_user(mentor_user).get(plan_url).status_code == 404


def test_the_card_prints_on_one_a6_page(as_user, counselor, resident, client):
    as_user(counselor)
    write(client, resident)
    page = client.get(reverse("recovery:plan_card", args=[resident.pk])).text
    assert "recovery/card.css" in page and "मेंटर को फ़ोन करना" in page
    assert "क्या मदद करता है" in page  # the card speaks the plan's language (Hindi)
    assert AuditEvent.objects.filter(action="recovery_plan.printed").exists()
    from django.contrib.staticfiles import finders

    css = open(finders.find("recovery/card.css")).read()
    assert "size: 105mm 148mm" in css and "@media print" in css


def test_the_resident_page_links_to_the_plan(as_user, counselor, resident):
    page = as_user(counselor).get(resident.get_absolute_url()).text
    assert "Write the plan with the resident" in page


# --- the personal check-in link ---------------------------------------------------------


@pytest.fixture
def link(counselor, resident, as_user, client, paired):
    as_user(counselor)
    write(client, resident, chosen=[f"mentor:{paired.mentor.pk}"])
    client.logout()
    plan = make_plan(resident.centre, resident=resident)
    return reverse("checkins:answer", args=[plan.new_link()])


def test_the_resident_reads_their_plan_on_their_link(client, link):
    page = client.get(link).text
    assert "My plan" in page and "दस मिनट टहलना" in page and "शाम को अकेले रहना" in page


def test_after_a_help_press_the_people_to_call_come_under_the_truthful_message(client, link):
    page = client.post(link, {"help": "1"}).text
    block = page[page.index('class="answer mx-auto help-outcome"') :]
    truthful = (
        block.index("We could not reach")
        if "We could not reach" in block
        else block.index("We have told someone")
    )
    people = block.index("People to call")
    assert truthful < people
    assert 'href="tel:+919811111111"' in block and "दस मिनट टहलना" in block


def test_a_strong_craving_shows_what_helps_at_once(client, link):
    page = client.post(link, {"mood": "2", "craving": "8", "note": ""}).text
    assert "Your craving is strong today" in page and "दस मिनट टहलना" in page
    page = client.post(link, {"mood": "4", "craving": "2", "note": ""}).text
    assert "Your craving is strong today" not in page


def test_a_link_without_a_plan_shows_no_plan(client, resident):
    plan = make_plan(resident.centre, resident=resident)
    page = client.get(reverse("checkins:answer", args=[plan.new_link()])).text
    assert "My plan" not in page


def test_plan_pages_query_counts_are_bounded(
    as_user, counselor, resident, paired, django_assert_max_num_queries
):
    client = as_user(counselor)
    write(client, resident, chosen=[f"mentor:{paired.mentor.pk}"])
    for _ in range(3):
        write(client, resident)
    for name in ("recovery:plan", "recovery:plan_card", "recovery:plan_edit"):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name, args=[resident.pk])).status_code == 200
