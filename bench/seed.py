"""The state-network dataset (issue 11), built with COPY from one seed.

50 centres, 10,000 residents and alumni, 300 groups, 100,000 sessions, 1,000,000
attendance rows, 500,000 check-ins, 200,000 notifications, plus the staff, memberships,
mentors, pairings, families, consents, calendar feeds, alumni profiles, follow-ups,
reminder plans and alerts the pages read. Every id is assigned here, so rows can point at
each other without a round trip; sequences are moved on at the end.

Every account's password is PASSWORD. Each centre has the staff of STAFF
(bench/seed_people.py: three counselors, peer leaders and mentors, a coordinator, a centre
admin), named `c<centre>-<role>-<k>`, and a family account per resident inside
(`c<centre>-family-<k>`): the load run signs each virtual user in as a different one of
them (bench/targets.py).

The people are seeded in `bench/seed_people.py`, what they do in `bench/seed_activity.py`.
"""

import random
import sys
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from alumni.models import AlumniProfile, FollowUp
from checkins.models import Alert, CheckIn, ReminderPlan
from families.models import CalendarFeed, FamilyGroup, FamilyMeeting, FamilyMember
from groups.models import Attendance, GroupMember, PeerGroup, Session
from kendra.models import Centre, Consent, Membership, Profile, Resident
from kendra.notify.models import Notification
from mentors.models import ContactLog, MentorProfile, Pairing

from . import seed_activity, seed_people
from .loading import reset_sequences

VERSION = 7  # bump when the shape of the data changes: `make bench` reseeds
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


def seed(seed=2026, sizes=None, quiet=False):
    """Build the dataset into an empty (migrated) database. Returns the counts made."""
    sizes = sizes or FULL
    s = seed_people.Seeding(
        sizes=sizes,
        rng=random.Random(seed),
        progress=Progress(sum(sizes.values()) - sizes["centres"], quiet),
        password=make_password(PASSWORD),
        today=timezone.localdate(),
        now=timezone.now(),
    )
    User = get_user_model()

    with transaction.atomic(), connection.cursor() as cursor:
        # The rows are made consistent here: skip per-row FK triggers while loading.
        cursor.execute("SET LOCAL session_replication_role = replica")
        seed_people.centres_and_people(s)
        seed_people.alumni(s)
        seed_people.mentors(s)
        n_groups = seed_activity.groups_and_sessions(s)
        seed_activity.checkins(s)
        seed_activity.alerts(s)
        seed_activity.reminder_plans(s)
        seed_activity.notifications(s)
        seed_people.families(s)
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
    s.progress.step("analyze", 0)
    s.progress.finish()
    s.counts["groups"] = n_groups
    return s.counts
