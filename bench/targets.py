"""Who the virtual users are and what they open (Django side; run.py and profile.py).

Every virtual user signs in as a person of their own: the i-th user of a role is the
account `c<centre>-<role>-<k>` of the seed, spread over as few centres as hold enough of
them (three counselors a centre: 16 counselors are six centres' counselors). Each user
opens the objects of their own centre (their centre's session of today, their own unsigned
log, a resident of theirs…). Only the tiny dataset has fewer accounts than users; then
accounts repeat (the run says how many were distinct).

    find_pages(users) -> [page]   the per-page runs
    mix_users(users)  -> {role: [context]}   the mixed run's people and their paths

A page: {"name", "method", "expect", "users": [{"login", "path", "data"}]}, data None,
a dict to post, "form" (post the page's own form back) or "vary" (its form with one
individual note new in every request: a save that writes).
"""

import datetime as dt
import math

# Accounts the seed makes per centre (bench/seed_people.py STAFF; families: one per resident
# inside, at least four in every dataset).
PER_CENTRE = {
    "counselor": 3,
    "peer_leader": 3,
    "mentor": 3,
    "alumni_coordinator": 1,
    "centre_admin": 1,
    "family": 4,
}


def accounts(role, n, centres):
    """[(username, centre, k)] of n different people of one role (k: their index in the
    centre, 0-based), centre 1 first."""
    per = PER_CENTRE[role]
    spread = max(1, min(centres, math.ceil(n / per)))
    return [
        (f"c{1 + i % spread}-{role}-{1 + (i // spread) % per}", 1 + i % spread, (i // spread) % per)
        for i in range(n)
    ]


class Centres:
    """The objects of each centre the users open, looked up once per centre."""

    def __init__(self):
        from django.utils import timezone

        from kendra.models import Centre

        self.count = Centre.objects.count()
        self.today, self.now = timezone.localdate(), timezone.now()
        self.memo = {}

    def _once(self, key, compute):
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def today_session(self, c):
        """The latest session that has begun (so it can be logged; a session of today if
        one has), never signed. Late in the UTC evening it is already tomorrow in India and
        no session of the day has begun: then the last begun one of the previous days
        (the seed leaves the last three days unsigned). Only if none has begun at all, the
        first of today (its log opens; a POST is refused)."""
        from groups.models import Session

        def compute():
            open_ = Session.objects.filter(
                centre_id=c, status__in=["planned", "held"], signed_at__isnull=True
            )
            begun = open_.filter(
                start__date__gte=self.today - dt.timedelta(days=3), start__lte=self.now
            )
            return (
                begun.order_by("-start").first()
                or open_.filter(start__date=self.today).order_by("start").first()
            )

        return self._once(("session", c), compute)

    def unsigned_logs(self, c):
        """Session logs of the last days not signed yet (the seed leaves some), circles
        aside (they keep no notes): each counselor saves one of their own."""
        from django.urls import reverse

        from groups.models import Session

        def compute():
            rows = (
                Session.objects.filter(
                    centre_id=c,
                    start__date__gte=self.today - dt.timedelta(days=7),
                    start__lte=self.now,
                    status__in=["planned", "held"],
                    signed_at__isnull=True,
                )
                .exclude(group__kind="circle")
                .order_by("-start")
                .values_list("pk", flat=True)
            )
            return [reverse("groups:session_log", args=[pk]) for pk in rows[:20]]

        return self._once(("logs", c), compute)

    def resident(self, c, k):
        from kendra.models import Resident

        rows = self._once(
            ("residents", c),
            lambda: list(
                Resident.objects.filter(centre_id=c, status="admitted")
                .order_by("pk")
                .values_list("pk", flat=True)[:20]
            ),
        )
        return rows[k % len(rows)]

    def unpaired(self, c, k):
        from django.db.models import Exists, OuterRef

        from kendra.models import Resident
        from mentors.models import Pairing

        rows = self._once(
            ("unpaired", c),
            lambda: list(
                Resident.objects.filter(centre_id=c, status="admitted")
                .filter(
                    ~Exists(Pairing.objects.filter(mentee=OuterRef("pk"), ended_at__isnull=True))
                )
                .order_by("pk")
                .values_list("pk", flat=True)[:20]
            ),
        )
        return rows[k % len(rows)]

    def links(self, n):
        """n check-in links of residents inside, of as few centres as hold them (only hashes
        are stored: the links are made here, as a reminder makes them)."""
        from checkins.models import ReminderPlan

        plans = (
            ReminderPlan.objects.filter(resident__status="admitted")
            .order_by("centre_id", "pk")
            .only("pk")[:n]
        )
        return [plan.new_link() for plan in plans]


def counselor_paths(centres, c, k):
    from django.urls import reverse

    session = centres.today_session(c)
    logs = centres.unsigned_logs(c) or [reverse("groups:session_log", args=[session.pk])]
    return {
        "home": reverse("home"),
        "session_log": reverse("groups:session_log", args=[session.pk]),
        "own_log": logs[k % len(logs)],
        "group_detail": reverse("groups:detail", args=[session.group_id]),
        "resident_detail": reverse("resident_detail", args=[centres.resident(c, k)]),
    }


def find_pages(users):
    """The per-page runs, each with one target per virtual user."""
    import django

    django.setup()
    from django.urls import reverse

    from families.models import CalendarFeed

    centres = Centres()

    def per(role, make):
        return [
            {"login": login, **make(c, k)} for login, c, k in accounts(role, users, centres.count)
        ]

    def counselor(key, data=None):
        return per(
            "counselor", lambda c, k: {"path": counselor_paths(centres, c, k)[key], "data": data}
        )

    def plain(path):
        return lambda c, k: {"path": path, "data": None}

    families = [login for login, _c, _k in accounts("family", users, centres.count)]
    feeds = {  # only hashes are stored: the seed's tokens are known by their pattern
        login: f"bench-feed-{user_id}"
        for login, user_id in CalendarFeed.objects.filter(user__username__in=families).values_list(
            "user__username", "user_id"
        )
    }
    tokens = centres.links(users)
    answer = {"mood": "4", "craving": "2", "note": ""}

    def page(name, method, expect, targets):
        return {"name": name, "method": method, "expect": expect, "users": targets}

    def anonymous(view, items, data=None):
        return [{"login": None, "path": reverse(view, args=[x]), "data": data} for x in items]

    return [
        page("floor", "GET", 200, per("counselor", plain(reverse("bench:floor")))),
        page("counselor_home", "GET", 200, counselor("home")),
        page("session_log", "GET", 200, counselor("session_log")),
        page("session_log_post", "POST", 302, counselor("session_log", "form")),
        page("session_log_post_change", "POST", 302, counselor("own_log", "vary")),
        page("group_detail", "GET", 200, counselor("group_detail")),
        page("resident_detail", "GET", 200, counselor("resident_detail")),
        page("peer_leader_queue", "GET", 200, per("peer_leader", plain(reverse("mentors:queue")))),
        page(
            "mentor_suggestions",
            "GET",
            200,
            per(
                "peer_leader",
                lambda c, k: {
                    "path": reverse("mentors:suggestions", args=[centres.unpaired(c, k)]),
                    "data": None,
                },
            ),
        ),
        page("coordinator_home", "GET", 200, per("alumni_coordinator", plain(reverse("home")))),
        page("family_schedule", "GET", 200, per("family", plain(reverse("families:schedule")))),
        page("calendar_feed", "GET", 200, anonymous("families:feed", [feeds[f] for f in families])),
        page("checkin_link", "GET", 200, anonymous("checkins:answer", tokens)),
        page("checkin_link_post", "POST", 200, anonymous("checkins:answer", tokens, answer)),
        page("monthly_report", "GET", 200, per("centre_admin", plain(reverse("reports:monthly")))),
    ]


def mix_users(counts):
    """{role: [context]} for the mixed run: counts[role] people of each role, each with
    the paths of their journey (bench/mix.py), in the same few centres."""
    import django

    django.setup()
    from django.urls import reverse

    from families.models import CalendarFeed

    centres = Centres()
    out = {}
    for role, n in counts.items():
        if role == "resident":
            out[role] = [
                {"login": None, "checkin_link": reverse("checkins:answer", args=[t])}
                for t in centres.links(n)
            ]
            continue
        people = []
        for login, c, k in accounts(role, n, centres.count):
            ctx = {"login": login, "home": reverse("home")}
            if role == "counselor":
                ctx.update(counselor_paths(centres, c, k))
            elif role == "peer_leader":
                ctx["queue"] = reverse("mentors:queue")
                ctx["suggestions"] = reverse("mentors:suggestions", args=[centres.unpaired(c, k)])
            elif role == "mentor":
                ctx["mentees"] = reverse("mentors:my_mentees")
            elif role == "alumni_coordinator":
                ctx["directory"] = reverse("alumni:directory")
            elif role == "family":
                user_id = CalendarFeed.objects.filter(user__username=login).values_list(
                    "user_id", flat=True
                )
                ctx["schedule"] = reverse("families:schedule")
                ctx["feed"] = reverse("families:feed", args=[f"bench-feed-{user_id[0]}"])
            people.append(ctx)
        out[role] = people
    return out
