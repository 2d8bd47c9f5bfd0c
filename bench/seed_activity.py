"""The bench dataset's activity: peer groups, sessions and attendance, check-ins, alerts,
reminder plans, notifications. `bench/seed.py` calls these after `bench/seed_people.py`
has made the people they point at."""

import datetime as dt

from checkins.models import Alert, CheckIn, ReminderPlan
from groups.models import Attendance, GroupMember, PeerGroup, Session
from kendra.models import Role
from kendra.notify.models import Notification

from .loading import copy_rows
from .seed_people import STAFF, aware

# Sessions of the last days are logged but not signed yet, as counselors leave them.
UNSIGNED_DAYS = 3


def groups_and_sessions(s):
    """Peer groups, members, sessions, attendance. Returns how many groups were made."""
    sizes, today, progress, counts = s.sizes, s.today, s.progress, s.counts
    n_centres, by_centre, staff = s.n_centres, s.by_centre, s.staff
    groups_per_centre = sizes["groups"] // n_centres
    sessions_per_group = sizes["sessions"] // sizes["groups"]
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
            start = aware(day, hour)
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
    return len(group_rows)


def checkins(s):
    """Check-ins: spread over each person's stay and the months after."""
    sizes, today, people, progress, counts = s.sizes, s.today, s.people, s.progress, s.counts
    checkins_per_resident = sizes["checkins"] // sizes["residents"]

    def rows():
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
                    aware(day, 9, cid % 60),
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
        rows(),
    )
    progress.step("check-ins", n)
    counts["checkins"] = n


def alerts(s):
    """A few open alerts per centre, a history of resolved ones."""
    n_centres, by_centre, now = s.n_centres, s.by_centre, s.now
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


def reminder_plans(s):
    """Everyone inside daily, alumni on the centre's default."""
    today, people = s.today, s.people
    tomorrow_9 = aware(today + dt.timedelta(days=1), 9)
    copy_rows(
        ReminderPlan,
        ["id", "resident_id", "centre_id", "channel", "next_due_at"],
        ((p.id, p.id, p.centre, "sms", tomorrow_9) for p in people),
    )


def notifications(s):
    """SMS reminders to residents and in-app messages to staff."""
    sizes, now, people, users = s.sizes, s.now, s.people, s.users
    n_centres, progress, counts = s.n_centres, s.progress, s.counts
    staff_ids = [u[0] for u in users[: n_centres * sum(k for _r, k in STAFF)]]

    def rows():
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
        rows(),
    )
    progress.step("notifications", n)
    counts["notifications"] = n
