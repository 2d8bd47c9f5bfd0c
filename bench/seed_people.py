"""The bench dataset's people: centres, staff and their accounts, residents, family
accounts and family groups, alumni and their follow-ups, mentors and pairings.
`bench/seed.py` calls these in order on one `Seeding`; `bench/seed_activity.py` seeds what
those people do."""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from alumni.models import AlumniProfile, FollowUp
from families.models import CalendarFeed, FamilyGroup, FamilyMeeting, FamilyMember
from kendra.models import Centre, Consent, Membership, Profile, Resident, Role
from mentors.models import ContactLog, MentorProfile, Pairing

from .loading import copy_rows

STAFF = [  # per centre: (role, how many)
    (Role.COUNSELOR, 3),
    (Role.PEER_LEADER, 3),
    (Role.MENTOR, 3),
    (Role.ALUMNI_COORDINATOR, 1),
    (Role.CENTRE_ADMIN, 1),
]
FIRST = ["Rahul", "Amit", "Sanjay", "Vijay", "Ravi", "Deepak", "Manoj", "Priya", "Sunita"]
FIRST += ["Pooja", "Imran", "Salim", "Harpreet", "Gurpreet", "Neha", "Kavita", "Arjun"]
LAST = ["Sharma", "Verma", "Singh", "Yadav", "Gupta", "Khan", "Meena", "Chauhan", "Saini"]
CITIES = ["Jaipur", "Lucknow", "Patna", "Bhopal", "Indore", "Kanpur", "Agra", "Ajmer"]


@dataclass
class Person:
    id: int
    centre: int
    admitted: bool
    gender: str
    admission: dt.date
    discharge: dt.date | None


@dataclass
class Seeding:
    """What one seeding run knows: its sizes and clock, and the people made so far, which
    the later steps point at (every id is assigned here, not by the database)."""

    sizes: dict
    rng: random.Random
    progress: object
    password: str
    today: dt.date
    now: dt.datetime
    counts: dict = field(default_factory=dict)
    staff: dict = field(default_factory=dict)  # (centre, role) -> [user ids]
    users: list = field(default_factory=list)  # (id, username, first name, last name)
    people: list = field(default_factory=list)  # [Person]
    by_centre: dict = field(default_factory=dict)  # centre -> [Person]
    family: list = field(default_factory=list)  # (user id, resident id, centre)

    @property
    def n_centres(self):
        return self.sizes["centres"]


def aware(day, hour=0, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def centres_and_people(s):
    """Centres, staff accounts, residents, family accounts with their consents and feeds."""
    sizes, rng, today, now, counts = s.sizes, s.rng, s.today, s.now, s.counts
    n_centres, progress, password = s.n_centres, s.progress, s.password
    User = get_user_model()
    per_centre = sizes["residents"] // n_centres
    admitted_per_centre = max(4, per_centre // 5)
    # Centres -----------------------------------------------------------------------
    copy_rows(
        Centre,
        ["id", "name", "city", "state"],
        (
            (c, f"Kendra {CITIES[c % len(CITIES)]} {c}", CITIES[c % len(CITIES)], "UP")
            for c in range(1, n_centres + 1)
        ),
    )
    counts["centres"] = n_centres

    # Staff and their memberships -------------------------------------------------
    users, memberships = s.users, []
    staff = s.staff
    uid = 0
    for c in range(1, n_centres + 1):
        for role, how_many in STAFF:
            for k in range(1, how_many + 1):
                uid += 1
                users.append((uid, f"c{c}-{role}-{k}", role.label, f"{k}"))
                memberships.append((uid, uid, c, role, True))
                staff.setdefault((c, role), []).append(uid)

    # Residents ---------------------------------------------------------------------
    people = s.people
    resident_rows = []
    rid = 0
    for c in range(1, n_centres + 1):
        for i in range(per_centre):
            rid += 1
            admitted = i < admitted_per_centre
            gender = "female" if rng.random() < 0.15 else "male"
            if admitted:
                admission = today - dt.timedelta(days=rng.randint(1, 80))
                discharge = None
            else:
                discharge = today - dt.timedelta(days=rng.randint(1, 1000))
                admission = discharge - dt.timedelta(days=rng.randint(60, 120))
            person = Person(rid, c, admitted, gender, admission, discharge)
            people.append(person)
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {rid}"
            resident_rows.append(
                (
                    rid,
                    c,
                    name,
                    gender,
                    ["hi", "en"],
                    ["alcohol"],
                    f"9{c:03d}{i:06d}",
                    admission,
                    admission + dt.timedelta(days=1),
                    "admitted" if admitted else "discharged",
                    "" if admitted else "completed",
                    discharge,
                    aware(admission),
                )
            )
    copy_rows(
        Resident,
        [
            "id",
            "centre_id",
            "full_name",
            "gender",
            "languages",
            "primary_substances",
            "phone",
            "admission_date",
            "sobriety_date",
            "status",
            "discharge_reason",
            "discharge_date",
            "created_at",
        ],
        resident_rows,
    )
    progress.step("residents", len(resident_rows))
    counts["residents"] = len(resident_rows)
    by_centre = s.by_centre
    for p in people:
        by_centre.setdefault(p.centre, []).append(p)

    # Family accounts: one per admitted resident, with consent to see the schedule.
    family = s.family
    for c in range(1, n_centres + 1):
        for k, p in enumerate((p for p in by_centre[c] if p.admitted), start=1):
            uid += 1
            users.append((uid, f"c{c}-family-{k}", "Family", f"{k}"))
            memberships.append((uid, uid, c, Role.FAMILY_MEMBER, True))
            family.append((uid, p.id, c))
    copy_rows(
        User,
        ["id", "username", "first_name", "last_name", "password", "is_active"],
        ((u, name, first, last, password, True) for u, name, first, last in users),
    )
    copy_rows(Profile, ["id", "user_id", "language"], ((u[0], u[0], "en") for u in users))
    copy_rows(Membership, ["id", "user_id", "centre_id", "role", "is_active"], memberships)
    copy_rows(
        FamilyMember,
        ["id", "user_id", "resident_id", "relationship", "phone"],
        ((i, u, r, "parent", "") for i, (u, r, _c) in enumerate(family, start=1)),
    )
    copy_rows(
        Consent,
        ["id", "resident_id", "purpose", "grantee_id", "given_at"],
        (
            (i, r, Consent.Purpose.FAMILY_SCHEDULE, u, now)
            for i, (u, r, _c) in enumerate(family, start=1)
        ),
    )
    copy_rows(
        CalendarFeed,
        ["id", "user_id", "token_hash"],  # only hashes are stored: the token is known by
        (  # its pattern, bench-feed-<user id> (bench/targets.py)
            (i, u, CalendarFeed.hash(f"bench-feed-{u}"))
            for i, (u, _r, _c) in enumerate(family, start=1)
        ),
    )
    counts["users"] = len(users)


def alumni(s):
    """Alumni profiles of everyone discharged, and their follow-ups."""
    today, people = s.today, s.people
    alumni = [p for p in people if not p.admitted]
    copy_rows(
        AlumniProfile,
        ["id", "resident_id", "centre_id", "consent_decision", "city", "languages"],
        (
            (p.id, p.id, p.centre, "opted_in" if p.id % 3 else "pending", "Jaipur", ["hi"])
            for p in alumni
        ),
    )
    followups = []
    for p in alumni:
        for months in (1, 3, 6, 12):
            due = p.discharge + dt.timedelta(days=30 * months)
            if due > today + dt.timedelta(days=60):
                continue
            done = due < today - dt.timedelta(days=7)
            followups.append(
                (
                    len(followups) + 1,
                    p.id,
                    p.centre,
                    p.discharge,
                    months,
                    due,
                    "reached_sober" if done else "",
                    aware(due) if done else None,
                )
            )
    copy_rows(
        FollowUp,
        [
            "id",
            "profile_id",
            "centre_id",
            "discharge_date",
            "months",
            "due_on",
            "outcome",
            "recorded_at",
        ],
        followups,
    )


def mentors(s):
    """The centre's mentor accounts, each on an alumnus' record; pairings and contacts."""
    n_centres, by_centre, staff, now = s.n_centres, s.by_centre, s.staff, s.now
    mentor_profiles, pairings, contacts = [], [], []
    for c in range(1, n_centres + 1):
        alumni_here = [p for p in by_centre[c] if not p.admitted]
        mentor_ids = []
        for k, user_id in enumerate(staff[(c, Role.MENTOR)]):
            record = alumni_here[k]
            mentor_profiles.append((record.id, c, record.id, user_id, True, 5, ["hi"]))
            mentor_ids.append(record.id)
        for k, p in enumerate(by_centre[c]):
            if p.admitted and k % 4 == 3:
                continue  # a quarter of those inside wait in the peer leader's queue
            if not p.admitted and k % 5:
                continue
            pid = len(pairings) + 1
            mentor = mentor_ids[k % len(mentor_ids)]
            started = aware(p.admission + dt.timedelta(days=3))
            ended = None if p.admitted else aware(p.discharge)
            pairings.append(
                (
                    pid,
                    c,
                    mentor,
                    p.id,
                    staff[(c, Role.PEER_LEADER)][0],
                    started,
                    ended,
                    "" if p.admitted else "completed",
                )
            )
            for w in range(3):
                at = started + dt.timedelta(days=7 * w + 1)
                if at < now:
                    contacts.append((len(contacts) + 1, pid, at, "call", 4, "", now))
    copy_rows(
        MentorProfile,
        [
            "id",
            "centre_id",
            "resident_id",
            "user_id",
            "accepts_mentees",
            "capacity",
            "languages",
        ],
        mentor_profiles,
    )
    copy_rows(
        Pairing,
        [
            "id",
            "centre_id",
            "mentor_id",
            "mentee_id",
            "assigned_by_id",
            "started_at",
            "ended_at",
            "end_reason",
        ],
        pairings,
    )
    copy_rows(
        ContactLog, ["id", "pairing_id", "at", "method", "mood", "note", "created_at"], contacts
    )


def families(s):
    """Family groups and meetings: weekly, a year back and a month ahead."""
    n_centres, staff, today, family = s.n_centres, s.staff, s.today, s.family
    fgroups, meetings = [], []
    for c in range(1, n_centres + 1):
        fgroups.append((c, c, "Family circle", "all", staff[(c, Role.COUNSELOR)][0], 6))
        for w in range(-52, 5):
            day = today + dt.timedelta(days=7 * w + (6 - today.weekday()) % 7)
            start = aware(day, 11)
            meetings.append(
                (
                    len(meetings) + 1,
                    c,
                    c,
                    start,
                    start + dt.timedelta(minutes=90),
                    "Hall 1",
                    "planned",
                    day,
                    f"00000000-0000-4000-8000-{len(meetings) + 1:012d}",
                )
            )
    copy_rows(
        FamilyGroup,
        ["id", "centre_id", "name", "audience", "facilitator_id", "weekday"],
        fgroups,
    )
    copy_rows(
        FamilyGroup.residents.through,
        ["id", "familygroup_id", "resident_id"],
        ((i, r_c, r) for i, (_u, r, r_c) in enumerate(family, start=1)),
    )
    copy_rows(
        FamilyMeeting,
        [
            "id",
            "centre_id",
            "group_id",
            "starts_at",
            "ends_at",
            "place",
            "status",
            "scheduled_for",
            "uid",
        ],
        meetings,
    )
