"""A person's own channel (WhatsApp, SMS, email) on their record: refused without the
number or address it needs, and used by the outbox when they can be reached on it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kendra.models import Profile, Resident
from kendra.notify import outbox

from ..factories import ResidentFactory, UserFactory
from ..kendra.test_residents import admit_data


@pytest.fixture
def no_broker(monkeypatch):
    monkeypatch.setattr(outbox, "queue_send", lambda pks, queue=None: list(pks))


def test_whatsapp_without_a_number_is_refused_in_plain_words(as_user, counselor, centre):
    data = admit_data(centre, phone="", message_channel="whatsapp")
    response = as_user(counselor).post(reverse("resident_create"), data)
    assert response.status_code == 200 and "Nothing was saved" in response.text
    errors = " ".join(response.context["form"].errors["message_channel"])
    assert "WhatsApp needs a mobile number" in errors
    assert not Resident.objects.exists()


def test_email_without_an_address_is_refused(as_user, counselor, centre):
    data = admit_data(centre, email="", message_channel="email")
    response = as_user(counselor).post(reverse("resident_create"), data)
    assert "Email needs an email address" in " ".join(
        response.context["form"].errors["message_channel"]
    )


def test_whatsapp_with_a_number_is_kept_and_shown(as_user, counselor, centre):
    client = as_user(counselor)
    client.post(reverse("resident_create"), admit_data(centre, message_channel="whatsapp"))
    resident = Resident.objects.get()
    assert resident.message_channel == "whatsapp"
    page = client.get(resident.get_absolute_url()).text
    assert "Send messages by" in page and "WhatsApp" in page


def test_a_profile_preferring_whatsapp_needs_a_number(db):
    user = UserFactory(username="meera")
    with pytest.raises(ValidationError) as caught:
        Profile(user=user, message_channel="whatsapp").full_clean()
    assert "WhatsApp needs a mobile number" in str(caught.value)
    Profile(user=user, phone="+919800000002", message_channel="whatsapp").full_clean()


def test_the_outbox_uses_the_residents_choice_when_it_can(centre, settings, no_broker):
    settings.WHATSAPP_PROVIDER = "console"
    resident = ResidentFactory(
        centre=centre, phone="+919812345678", email="asha@example.in", message_channel="whatsapp"
    )
    context = {"link": "{link}", "name": "Asha"}
    assert outbox.enqueue("checkin", slot="1", resident=resident, context=context).channel == (
        "whatsapp"
    )
    resident.message_channel = "email"
    assert (
        outbox.enqueue("checkin", slot="2", resident=resident, context=context).channel == "email"
    )


def test_an_urgent_message_never_moves_from_the_phone_to_email(counselor, centre, no_broker):
    Profile.objects.create(user=counselor, phone="+919800000001", message_channel="email")
    resident = ResidentFactory(centre=centre)
    n = outbox.enqueue(
        "help", slot="1", user=counselor, channel="sms", context={"resident": resident}
    )
    assert n.channel == "sms"
    m = outbox.enqueue(
        "pairing_assigned",
        slot="1",
        user=counselor,
        channel="sms",
        context={"mentor": {"name": "Suresh"}, "mentee": resident},
    )
    assert m.channel == "email"
