"""The mixed run: a morning in a few centres. Each virtual user is a person of one role
(bench/targets.py mix_users) and follows that role's journey again and again, no think
time; writes (a counselor saving marks, a resident answering a check-in link) come
between the reads of the same centres.

JOURNEYS: role -> (weight, steps); a step is (name, method, path key, kind, expect),
the path key naming a path of the user's context. kind: None (a plain request), "answer"
(post a check-in answer), "save" (GET the log, then post its form back with one
individual note new: a save that writes; two requests, the GET named "session_log").
No Django here: locustfile.py and the tests read it.
"""

import math

ANSWER = {"mood": "3", "craving": "1", "note": ""}

JOURNEYS = {
    # Counselors log the morning's sessions and look at their residents.
    "counselor": (
        5,
        [
            ("counselor_home", "GET", "home", None, 200),
            ("session_log", "GET", "session_log", None, 200),
            ("session_log_post_change", "POST", "own_log", "save", 302),
            ("group_detail", "GET", "group_detail", None, 200),
            ("resident_detail", "GET", "resident_detail", None, 200),
            ("counselor_home", "GET", "home", None, 200),
        ],
    ),
    # Residents answer their check-in link (the morning SMS).
    "resident": (
        4,
        [
            ("checkin_link", "GET", "checkin_link", None, 200),
            ("checkin_link_post", "POST", "checkin_link", "answer", 200),
        ],
    ),
    # Family members open the week's schedule; their calendar app fetches the feed.
    "family": (
        3,
        [
            ("family_schedule", "GET", "schedule", None, 200),
            ("calendar_feed", "GET", "feed", None, 200),
        ],
    ),
    "peer_leader": (
        2,
        [
            ("peer_leader_home", "GET", "home", None, 200),
            ("peer_leader_queue", "GET", "queue", None, 200),
            ("mentor_suggestions", "GET", "suggestions", None, 200),
        ],
    ),
    "mentor": (
        1,
        [
            ("mentor_home", "GET", "home", None, 200),
            ("my_mentees", "GET", "mentees", None, 200),
        ],
    ),
    "alumni_coordinator": (
        1,
        [
            ("coordinator_home", "GET", "home", None, 200),
            ("alumni_directory", "GET", "directory", None, 200),
        ],
    ),
}


def people_needed(users):
    """{role: how many contexts} for `users` virtual users spread by weight (locust gives
    each role its share, rounded; one more of each leaves room for the rounding)."""
    total = sum(weight for weight, _steps in JOURNEYS.values())
    return {role: math.ceil(users * w / total) + 1 for role, (w, _s) in JOURNEYS.items()}


def class_name(role):
    """The locust user class of a role (locustfile.py): "peer_leader" -> PeerLeaderUser."""
    return role.title().replace("_", "") + "User"


def steps(role, context):
    """[(name, method, path, kind, expect)] of one turn of the role's journey."""
    return [
        (name, method, context[key], kind, expect)
        for name, method, key, kind, expect in JOURNEYS[role][1]
    ]
