"""The README's "Who can see what" table, made from kendra/access.py's PERMISSIONS.

tests/staff/test_who_sees.py fails when the README's copy differs from `table()`, so the
table cannot drift from the rules the pages follow. Print a fresh one with
`python manage.py who_can_see`.
"""

from kendra.access import PERMISSIONS
from kendra.models import Role

START = "<!-- who-can-see: made by `python manage.py who_can_see`; checked by a test -->"
END = "<!-- /who-can-see -->"

COLUMNS = [
    (Role.COUNSELOR, "counselor"),
    (Role.PEER_LEADER, "peer leader"),
    (Role.MENTOR, "mentor"),
    (Role.ALUMNI_COORDINATOR, "alumni coordinator"),
    (Role.FAMILY_MEMBER, "family member"),
    (Role.CENTRE_ADMIN, "centre admin"),
]

# (kind of data, the permission that decides it)
ROWS = [
    ("Residents' records (admission, discharge, contact)", "residents.view"),
    ("Clinical notes (individual and group)", "notes.view"),
    ("Groups and sessions", "groups.view"),
    ("Attendance", "attendance.view"),
    ("Logging attendance and mood", "attendance.log"),
    ("Signing and locking a session", "sessions.sign"),
    ("Co-signing a session", "sessions.cosign"),
    ("Mentor pairings and contact logs", "pairings.view"),
    ("Check-ins (mood, craving) and personal links", "checkins.view"),
    ("Early-warning alerts", "alerts.handle"),
    ("Reminder plans (when someone is asked)", "reminders.manage"),
    ("Relapse-prevention plans (read)", "recovery_plans.view"),
    ("Relapse-prevention plans (write, with the resident)", "recovery_plans.write"),
    ("Alumni, visits, follow-ups", "alumni.view"),
    ("Published success stories", "stories.read"),
    ("Family groups and meetings (staff side)", "families.manage"),
    ("On-duty rota", "rota.manage"),
    ("Monthly reports", "reports.view"),
    ("Audit log", "audit.view"),
    ("Staff, roles and centre settings", "centre.admin"),
    ("Erasing a discharged person (two admins)", "residents.erase"),
]

# Where a role sees only part of what the permission covers (kendra/access.py says how).
PARTLY = {
    ("pairings.view", Role.MENTOR): "own mentees",
    ("alerts.handle", Role.MENTOR): "own mentees",
    ("groups.view", Role.PEER_LEADER): "co-led groups",
    ("attendance.view", Role.PEER_LEADER): "co-led groups",
    ("attendance.log", Role.PEER_LEADER): "circles and activities they lead",
    ("sessions.sign", Role.PEER_LEADER): "circles and activities they lead",
    ("recovery_plans.view", Role.MENTOR): "own mentees",
    ("recovery_plans.write", Role.MENTOR): "own mentees",
}


def cell(perm, role):
    if (perm, role) in PARTLY:
        return PARTLY[(perm, role)]
    return "yes" if role in PERMISSIONS[perm] else "–"


def table():
    lines = [
        "| kind of data | " + " | ".join(label for _, label in COLUMNS) + " |",
        "|---" * (len(COLUMNS) + 1) + "|",
    ]
    for kind, perm in ROWS:
        lines.append(f"| {kind} | " + " | ".join(cell(perm, role) for role, _ in COLUMNS) + " |")
    return "\n".join(lines)


def readme_copy(text):
    """The table between the markers in the README's text, or None."""
    if START not in text or END not in text:
        return None
    return text.split(START, 1)[1].split(END, 1)[0].strip()
