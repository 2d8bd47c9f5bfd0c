"""Every admitted resident is counted on the grid and the home page, with a phone or not
(issue 21): "checked in today: 2 of 4 — 1 in the circle, 1 by link, 2 not yet"."""

from django.urls import reverse
from django.utils import timezone

from checkins.models import CheckIn

from ..factories import ResidentFactory

LINE = "Checked in today: 2 of 4 — 1 in the circle, 1 by link, 2 not yet"


def test_grid_and_home_count_every_admitted_resident(as_user, counselor, centre):
    today = timezone.localdate()
    with_phone = [ResidentFactory(centre=centre, phone=f"+91980000000{i}") for i in range(2)]
    phoneless = [ResidentFactory(centre=centre, phone="") for _ in range(2)]
    ResidentFactory(centre=centre, status="discharged", discharge_date=today)
    CheckIn.objects.create(resident=phoneless[0], mood=4, source="circle", for_date=today)
    CheckIn.objects.create(resident=with_phone[0], mood=3, source="link", for_date=today)
    client = as_user(counselor)
    assert LINE in client.get(reverse("checkins:grid")).content.decode()
    assert LINE in client.get(reverse("home")).content.decode()
