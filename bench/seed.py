"""The state-network dataset (issue 11), built with COPY from one seed.

50 centres, 10,000 residents and alumni, 300 groups, 100,000 sessions, 1,000,000
attendance rows, 500,000 check-ins, 200,000 notifications, plus the staff, memberships,
mentors, pairings, families, consents, calendar feeds, alumni profiles, follow-ups,
reminder plans and alerts the pages read. Every id is assigned here, so rows can point at
each other without a round trip; sequences are moved on at the end.

The logins the load run uses are those of centre 1 (see LOGINS); every account's
password is PASSWORD.
"""

import datetime as dt
import random
import sys
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from alumni.models import AlumniProfile, FollowUp
from checkins.models import Alert, CheckIn, ReminderPlan
from families.models import CalendarFeed, FamilyGroup, FamilyMeeting, FamilyMember
from groups.models import Attendance, GroupMember, PeerGroup, Session
from kendra.models import Centre, Consent, Membership, Profile, Resident, Role
from kendra.notify.models import Notification
from mentors.models import ContactLog, MentorProfile, Pairing

from .loading import copy_rows, reset_sequences

VERSION = 6  # bump when the shape of the data changes: `make bench` reseeds
# Sessions of the last days are logged but not signed yet, as counselors leave them.
UNSIGNED_DAYS = 3
PASSWORD = "kendra-bench-2026"  # noqa: S105 - bench database only

FULL = {
    "centres": 50,
    "residents": 10_000,
    "groups": 300,
    "sessions": 100_000,
    "attendance": 1_000_000,
    "checkins": 500_000,
    "notifications": 200_000,
}
TINY = {
    "centres": 2,
    "residents": 80,
    "groups": 4,
    "sessions": 120,
    "attendance": 800,
    "checkins": 1_000,
    "notifications": 400,
}

STAFF = [  # per centre: (role, how many)
    (Role.COUNSELOR, 3),
    (Role.PEER_LEADER, 3),
    (Role.MENTOR, 3),
    (Role.ALUMNI_COORDINATOR, 1),
    (Role.CENTRE_ADMIN, 1),
]
# The virtual users of the load run: centre 1's first account of each role.
LOGINS = {
    "counselor": "c1-counselor-1",
    "peer_leader": "c1-peer_leader-1",
    "mentor": "c1-mentor-1",
    "coordinator": "c1-alumni_coordinator-1",
    "admin": "c1-centre_admin-1",
    "family": "c1-family-1",
}
FIRST = ["Rahul", "Amit", "Sanjay", "Vijay", "Ravi", "Deepak", "Manoj", "Priya", "Sunita"]
FIRST += ["Pooja", "Imran", "Salim", "Harpreet", "Gurpreet", "Neha", "Kavita", "Arjun"]
LAST = ["Sharma", "Verma", "Singh", "Yadav", "Gupta", "Khan", "Meena", "Chauhan", "Saini"]
CITIES = ["Jaipur", "Lucknow", "Patna", "Bhopal", "Indore", "Kanpur", "Agra", "Ajmer"]


class Progress:
    """A one-line progress bar on stderr (no dependency)."""

    def __init__(self, total, quiet=False):
        self.total, self.done, self.quiet, self.started = total, 0, quiet, time.monotonic()

    def step(self, label, n):
        self.done += n
        if self.quiet:
            return
        width = 30
        filled = int(width * self.done / self.total)
        elapsed = time.monotonic() - self.started
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done * 100 // self.total:3d}%"
            f" {elapsed:5.0f}s  {label:<40}"
        )
        sys.stderr.flush()

    def finish(self):
        if not self.quiet:
            sys.stderr.write("\n")


@dataclass
class Person:
    id: int
    centre: int
    admitted: bool
    gender: str
    admission: dt.date
    discharge: dt.date | None


def _aware(day, hour=0, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def seed(seed=2026, sizes=None, quiet=False):
    """Build the dataset into an empty (migrated) database. Returns the counts made."""
    sizes = sizes or FULL
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    n_centres = sizes["centres"]
    per_centre = sizes["residents"] // n_centres
    admitted_per_centre = max(4, per_centre // 5)
    groups_per_centre = sizes["groups"] // n_centres
    sessions_per_group = sizes["sessions"] // sizes["groups"]
    checkins_per_resident = sizes["checkins"] // sizes["residents"]
    progress = Progress(sum(sizes.values()) - n_centres, quiet)
    counts = {}
    User = get_user_model()
    password = make_password(PASSWORD)

    with transaction.atomic(), connection.cursor() as cursor:
        # The rows are made consistent here: skip per-row FK triggers while loading.
        cursor.execute("SET LOCAL session_replication_role = replica")

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
        users, memberships = [], []
        staff = {}  # (centre, role) -> [user ids]
        uid = 0
        for c in range(1, n_centres + 1):
            for role, how_many in STAFF:
                for k in range(1, how_many + 1):
                    uid += 1
                    users.append((uid, f"c{c}-{role}-{k}", role.label, f"{k}"))
                    memberships.append((uid, uid, c, role, True))
                    staff.setdefault((c, role), []).append(uid)

        # Residents ---------------------------------------------------------------------
        people = []
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
                        _aware(admission),
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
        by_centre = {}
        for p in people:
            by_centre.setdefault(p.centre, []).append(p)

        # Family accounts: one per admitted resident, with consent to see the schedule.
        family = []  # (user id, resident id, centre)
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
            ["id", "user_id", "token_hash"],
            (
                (i, u, CalendarFeed.hash(f"bench-feed-{u}"))
                for i, (u, _r, _c) in enumerate(family, start=1)
            ),
        )
        counts["users"] = len(users)

        # Alumni profiles and follow-ups --------------------------------------------------
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
                        _aware(due) if done else None,
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

        # Mentors: the centre's mentor accounts, each on an alumnus' record; pairings -----
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
                started = _aware(p.admission + dt.timedelta(days=3))
                ended = None if p.admitted else _aware(p.discharge)
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

        # Peer groups, members, sessions, attendance ---------------------------------------
        group_rows, members = [], []
        gid = 0
        group_centre = {}
        for c in range(1, n_centres + 1):
            inside = [p for p in by_centre[c] if p.admitted]
            for g in range(groups_per_centre):
                gid += 1
                group_centre[gid] = c
                kind = ["circle", "therapy", "activity"][g % 3]
                fmt = {"circle": "", "therapy": "cbt", "activity": "yoga"}[kind]
                facilitator = staff[(c, Role.PEER_LEADER if kind == "circle" else Role.COUNSELOR)]
                group_rows.append(
                    (
                        gid,
                        c,
                        f"Group {g + 1} ({kind})",
                        kind,
                        fmt,
                        "everyone",
                        30,
                        facilitator[g % len(facilitator)],
                        "daily",
                        [],
                        dt.time(6 + g, 0),
                        60,
                        f"Hall {g + 1}",
                    )
                )
                for p in inside:
                    if (p.id + g) % 3 == 0 or kind == "circle":
                        members.append((len(members) + 1, gid, p.id, p.admission, None))
        copy_rows(
            PeerGroup,
            [
                "id",
                "centre_id",
                "name",
                "kind",
                "format",
                "audience",
                "capacity",
                "facilitator_id",
                "frequency",
                "weekdays",
                "start_time",
                "duration_minutes",
                "room",
            ],
            group_rows,
        )
        copy_rows(GroupMember, ["id", "group_id", "resident_id", "joined_on", "left_on"], members)

        ahead = 14  # sessions planned ahead, as the generator does
        first_day = today - dt.timedelta(days=sessions_per_group - ahead - 1)
        held = (sessions_per_group - ahead - 1) * len(group_rows)
        per_session = -(-sizes["attendance"] // held)  # enough to reach the total
        session_rows, attendance_rows = [], []
        sid = aid = 0
        for gid_, row in enumerate(group_rows, start=1):
            c = group_centre[gid_]
            pool = by_centre[c]
            hour = row[10].hour
            for d in range(sessions_per_group):
                day = first_day + dt.timedelta(days=d)
                sid += 1
                start = _aware(day, hour)
                past = day < today
                signed = past and day < today - dt.timedelta(days=UNSIGNED_DAYS)
                session_rows.append(
                    (
                        sid,
                        gid_,
                        c,
                        start,
                        start + dt.timedelta(hours=1),
                        "held" if past else "planned",
                        row[7],
                        row[12],
                        True,
                        start + dt.timedelta(hours=2) if signed else None,
                        row[7] if signed else None,
                        start + dt.timedelta(hours=1) if past else None,
                        row[7] if past else None,
                    )
                )
                if not past or aid >= sizes["attendance"]:
                    continue
                # Ten residents of that time: a window sliding through the centre's people.
                offset = (d * 7 + gid_ * 13) % len(pool)
                for k in range(min(per_session, sizes["attendance"] - aid)):
                    p = pool[(offset + k) % len(pool)]
                    aid += 1
                    status = "absent" if (aid % 11) == 0 else "present"
                    attendance_rows.append(
                        (aid, sid, p.id, status, 3 if status == "present" else None, 4)
                    )
        copy_rows(
            Session,
            [
                "id",
                "group_id",
                "centre_id",
                "start",
                "end",
                "status",
                "facilitator_id",
                "room",
                "generated",
                "signed_at",
                "signed_by_id",
                "logged_at",
                "logged_by_id",
            ],
            session_rows,
        )
        progress.step("sessions", len(session_rows))
        counts["sessions"] = len(session_rows)
        session_rows = None
        copy_rows(
            Attendance,
            ["id", "session_id", "resident_id", "status", "participation", "mood"],
            attendance_rows,
        )
        progress.step("attendance", len(attendance_rows))
        counts["attendance"] = len(attendance_rows)
        attendance_rows = None

        # Check-ins: spread over each person's stay and the months after ----------------
        def checkins():
            cid = 0
            for p in people:
                end = today if p.admitted else min(today, p.discharge + dt.timedelta(days=365))
                start = p.admission
                span = max(1, (end - start).days)
                for k in range(checkins_per_resident):
                    cid += 1
                    day = start + dt.timedelta(days=k * span // checkins_per_resident)
                    mood = 1 + (cid * 7) % 5
                    yield (
                        cid,
                        p.id,
                        _aware(day, 9, cid % 60),
                        max(mood, 3),
                        cid % 6,
                        "",
                        "circle" if p.admitted else "link",
                        False,
                        day,
                    )

        n = copy_rows(
            CheckIn,
            [
                "id",
                "resident_id",
                "at",
                "mood",
                "craving",
                "note",
                "source",
                "help_requested",
                "for_date",
            ],
            checkins(),
        )
        progress.step("check-ins", n)
        counts["checkins"] = n

        # Alerts: a few open per centre, a history of resolved ones --------------------
        alerts = []
        for c in range(1, n_centres + 1):
            for k, p in enumerate(by_centre[c][:40]):
                open_ = k < 3
                alerts.append(
                    (
                        len(alerts) + 1,
                        p.id,
                        c,
                        "low_mood",
                        "Mood 1 of 5 on the last check-in.",
                        f"bench-{p.id}-{k}",
                        "open" if open_ else "resolved",
                        now - dt.timedelta(days=k),
                        None if open_ else now - dt.timedelta(days=k - 1),
                    )
                )
        copy_rows(
            Alert,
            [
                "id",
                "resident_id",
                "centre_id",
                "rule",
                "reason",
                "dedupe_key",
                "status",
                "raised_at",
                "resolved_at",
            ],
            alerts,
        )

        # Reminder plans: everyone inside daily, alumni on the centre's default ---------
        tomorrow_9 = _aware(today + dt.timedelta(days=1), 9)
        copy_rows(
            ReminderPlan,
            ["id", "resident_id", "centre_id", "channel", "next_due_at"],
            ((p.id, p.id, p.centre, "sms", tomorrow_9) for p in people),
        )

        # Notifications: SMS reminders to residents and in-app messages to staff -------
        staff_ids = [u[0] for u in users[: n_centres * sum(k for _r, k in STAFF)]]

        def notifications():
            for i in range(1, sizes["notifications"] + 1):
                when = now - dt.timedelta(minutes=7 * i)
                if i % 4:
                    p = people[i % len(people)]
                    yield (
                        i,
                        None,
                        p.id,
                        p.centre,
                        "sms",
                        f"9{p.centre:03d}",
                        "checkin",
                        f"bench-{i}",
                        f"r{p.id}:sms:checkin:bench-{i}",
                        "How are you feeling today?",
                        "sent",
                        when,
                        when,
                        None,
                    )
                else:
                    u = staff_ids[i % len(staff_ids)]
                    yield (
                        i,
                        u,
                        None,
                        (u - 1) // sum(k for _r, k in STAFF) + 1,
                        "in_app",
                        "",
                        "session_soon",
                        f"bench-{i}",
                        f"u{u}:in_app:session_soon:bench-{i}",
                        "Your session starts soon.",
                        "sent",
                        when,
                        when,
                        when if i % 8 else None,
                    )

        n = copy_rows(
            Notification,
            [
                "id",
                "recipient_user_id",
                "recipient_resident_id",
                "centre_id",
                "channel",
                "address",
                "kind",
                "slot",
                "dedupe_key",
                "body",
                "status",
                "queued_at",
                "sent_at",
                "read_at",
            ],
            notifications(),
        )
        progress.step("notifications", n)
        counts["notifications"] = n

        # Family groups and meetings: weekly, a year back and a month ahead -------------
        fgroups, meetings = [], []
        for c in range(1, n_centres + 1):
            fgroups.append((c, c, "Family circle", "all", staff[(c, Role.COUNSELOR)][0], 6))
            for w in range(-52, 5):
                day = today + dt.timedelta(days=7 * w + (6 - today.weekday()) % 7)
                start = _aware(day, 11)
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

        reset_sequences(
            Centre,
            User,
            Profile,
            Membership,
            Resident,
            FamilyMember,
            Consent,
            CalendarFeed,
            AlumniProfile,
            FollowUp,
            MentorProfile,
            Pairing,
            ContactLog,
            PeerGroup,
            GroupMember,
            Session,
            Attendance,
            CheckIn,
            Alert,
            ReminderPlan,
            Notification,
            FamilyGroup,
            FamilyGroup.residents.through,
            FamilyMeeting,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    progress.step("analyze", 0)
    progress.finish()
    counts["groups"] = len(group_rows)
    return counts
