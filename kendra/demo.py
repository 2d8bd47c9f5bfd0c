"""Demo data for the core: two centres, staff with one login per role, ~40 residents.

`manage.py seed_demo` runs this first, then the `demo.seed(ctx)` of every other app
that has a `demo` module, in INSTALLED_APPS order. `ctx` carries what was made.
"""

import datetime as dt
import functools
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from .models import Centre, Consent, Membership, Profile, Resident, Role, Stay

DEMO_PASSWORD = "kendra-demo-2026"  # noqa: S105 - printed on purpose: demo logins only

DEMO_LOGINS = [
    ("counselor", Role.COUNSELOR, "Anjali", "Verma"),
    ("peerleader", Role.PEER_LEADER, "Rakesh", "Yadav"),
    ("mentor", Role.MENTOR, "Suresh", "Kumar"),
    ("coordinator", Role.ALUMNI_COORDINATOR, "Meena", "Joshi"),
    ("family", Role.FAMILY_MEMBER, "Kamla", "Devi"),
    ("admin", Role.CENTRE_ADMIN, "Dr. Vikram", "Singh"),
]

MEN = [
    "Rahul",
    "Amit",
    "Sanjay",
    "Vijay",
    "Ravi",
    "Deepak",
    "Manoj",
    "Ajay",
    "Sunil",
    "Arjun",
    "Harpreet",
    "Gurpreet",
    "Imran",
    "Salim",
    "Rohit",
    "Vikas",
    "Pankaj",
    "Anil",
    "Mohit",
    "Naveen",
    "Karan",
    "Ashok",
    "Dinesh",
    "Mahesh",
]
WOMEN = [
    "Priya",
    "Sunita",
    "Pooja",
    "Neha",
    "Kavita",
    "Rekha",
    "Anita",
    "Shabnam",
    "Simran",
    "Geeta",
    "Radha",
    "Nisha",
]
SURNAMES = [
    "Sharma",
    "Verma",
    "Singh",
    "Yadav",
    "Gupta",
    "Khan",
    "Meena",
    "Chauhan",
    "Rathore",
    "Jat",
    "Saini",
    "Gill",
    "Ansari",
    "Mishra",
    "Tiwari",
    "Pandey",
    "Qureshi",
    "Bairwa",
]


@dataclass
class DemoContext:
    rng: random.Random
    today: dt.date
    centres: list = field(default_factory=list)
    users: dict = field(default_factory=dict)  # username -> User
    residents: dict = field(default_factory=dict)  # centre.pk -> [Resident]
    log: list = field(default_factory=list)

    @property
    def home(self):
        return self.centres[0]

    @property
    def other(self):
        return self.centres[1]


@functools.cache
def _demo_password_hash():
    # Hashing is slow on purpose; every demo login shares one password, so hash it once.
    return make_password(DEMO_PASSWORD)


def make_user(username, first, last, centre, role, email=None):
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": email or f"{username}@example.in",
        },
    )
    user.password = _demo_password_hash()
    user.is_staff = False  # Django admin is for superusers; centre admins use Kendra's pages
    user.save()
    Membership.objects.get_or_create(user=user, centre=centre, role=role)
    # A phone for each staff login, so a help request reaches them by SMS too.
    phone = "" if role == Role.FAMILY_MEMBER else f"+91982900{user.pk % 10000:04d}"
    Profile.objects.get_or_create(user=user, defaults={"phone": phone})
    return user


def _resident(ctx, centre, index, gender, stage):
    rng, today = ctx.rng, ctx.today
    first = rng.choice(MEN if gender == "male" else WOMEN)
    name = f"{first} {rng.choice(SURNAMES)}"
    born = today - dt.timedelta(days=rng.randint(19 * 365, 55 * 365))
    if stage == "new":
        admitted = today - dt.timedelta(days=rng.randint(0, 12))
    elif stage == "inside":
        admitted = today - dt.timedelta(days=rng.randint(20, 80))
    else:
        admitted = today - dt.timedelta(days=rng.randint(120, 700))
    sober = admitted - dt.timedelta(days=rng.randint(0, 3))
    resident = Resident(
        centre=centre,
        full_name=name,
        preferred_name=first if rng.random() < 0.5 else "",
        gender=gender,
        date_of_birth=born,
        languages=["hi", *rng.sample(["en", "pa", "ur", "raj"], k=rng.randint(0, 1))],
        primary_substances=rng.sample(
            ["alcohol", "opioids", "cannabis", "tobacco", "prescription"], k=rng.randint(1, 2)
        ),
        phone=f"+91{9800000000 + centre.pk * 1000 + index}",
        preferred_language="hi" if rng.random() < 0.7 else "en",
        admission_date=admitted,
        sobriety_date=sober,
    )
    if stage in {"alumnus", "left", "transferred"}:
        stay = rng.randint(60, 100) if stage == "alumnus" else rng.randint(10, 40)
        resident.status = Resident.Status.DISCHARGED
        resident.discharge_date = min(admitted + dt.timedelta(days=stay), today)
        resident.discharge_reason = {
            "alumnus": Resident.DischargeReason.COMPLETED,
            "left": Resident.DischargeReason.AGAINST_ADVICE,
            "transferred": Resident.DischargeReason.TRANSFERRED,
        }[stage]
    resident.save()
    Stay.mirror(resident)
    return resident


def seed(ctx):
    jaipur = Centre.objects.create(
        name="Navjeevan Nasha Mukti Kendra, Jaipur",
        city="Jaipur",
        state="Rajasthan",
        phone="+911412222333",
        emergency_phone="+911412222999",
        beds=40,
        closed_weekdays=[],
    )
    lucknow = Centre.objects.create(
        name="Umeed Nasha Mukti Kendra, Lucknow",
        city="Lucknow",
        state="Uttar Pradesh",
        phone="+915222444555",
        beds=30,
    )
    ctx.centres = [jaipur, lucknow]
    for username, role, first, last in DEMO_LOGINS:
        ctx.users[username] = make_user(username, first, last, jaipur, role)
    # The other centre's staff, so every page has an outsider to hide things from.
    for username, role, first, last in [
        ("counselor_lko", Role.COUNSELOR, "Farah", "Naqvi"),
        ("peerleader_lko", Role.PEER_LEADER, "Alok", "Srivastava"),
        ("coordinator_lko", Role.ALUMNI_COORDINATOR, "Ritu", "Awasthi"),
        ("admin_lko", Role.CENTRE_ADMIN, "Dr. Shalini", "Kapoor"),
    ]:
        ctx.users[username] = make_user(username, first, last, lucknow, role)

    plan = {
        jaipur: [("male", "new")] * 6
        + [("male", "inside")] * 8
        + [("female", "inside")] * 2
        + [("male", "senior")] * 3
        + [("male", "alumnus")] * 4
        + [("male", "left"), ("male", "transferred")],
        lucknow: [("female", "new")] * 3
        + [("female", "inside")] * 4
        + [("male", "inside")] * 3
        + [("female", "alumnus")] * 2
        + [("male", "alumnus")],
    }
    index = 0
    for centre, people in plan.items():
        ctx.residents[centre.pk] = []
        for gender, stage in people:
            index += 1
            ctx.residents[centre.pk].append(_resident(ctx, centre, index, gender, stage))

    # The family demo login is the mother of one admitted resident, with consent in force.
    son = next(r for r in ctx.residents[jaipur.pk] if r.is_admitted and r.gender == "male")
    ctx.family_resident = son
    Consent.objects.create(
        resident=son,
        purpose=Consent.Purpose.FAMILY_SCHEDULE,
        grantee=ctx.users["family"],
        grantee_description="Kamla Devi (mother)",
        given_by=ctx.users["counselor"],
        given_at=timezone.now() - dt.timedelta(days=5),
    )
