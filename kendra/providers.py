"""Answers one app gives the others, without either importing the other.

The check-in rules need to know who mentors a resident (mentors app), who is the
counselor on duty (rota app) and how often a resident came to group sessions (groups
app); the outbox's screening needs a resident's check-in plan (checkins app). Each of
those apps registers its answer in its AppConfig.ready():

    from kendra import providers
    providers.active_mentor.register(active_mentor)

Asked before anything is registered (the app not installed), a provider gives its
default: nobody, nothing, no plan, so a rule that needs the answer is simply skipped.
"""

from django.db.models import Value


class Provider:
    """One question with at most one answering function; `default` until one registers."""

    def __init__(self, name, default):
        self.name = name
        self.default = default
        self.func = None

    def register(self, func):
        self.func = func
        return func

    def __call__(self, *args, **kwargs):
        return (self.func or self.default)(*args, **kwargs)

    def __repr__(self):
        return f"<Provider {self.name}: {getattr(self.func, '__qualname__', None)}>"


# mentors: the user account of the resident's active mentor, or None.
active_mentor = Provider("active_mentor", lambda resident: None)
# mentors: ids of the residents `user` mentors now.
mentee_ids = Provider("mentee_ids", lambda user: [])
# rota: the counselor(s) on duty at the centre at `when` (None: now).
on_duty = Provider("on_duty", lambda centre_id, when=None: [])
# groups: {resident_id: (attended, counted)} over [since, until), or None without attendance.
attendance_rates = Provider("attendance_rates", lambda resident_ids, since, until: None)
# checkins: {resident_id: plan} for those residents who have a reminder plan, each plan's
# resident loaded; a plan has `paused`, and the two questions below are asked about it.
reminder_plans = Provider("reminder_plans", lambda resident_ids: {})
# checkins: when the plan's quiet hours end, if `now` is inside them; else None.
quiet_until = Provider("quiet_until", lambda plan, now: None)
# checkins: the plan sends nothing more on `day` (check-ins after discharge are over).
plan_over = Provider("plan_over", lambda plan, day: False)
# recovery: the relapse-prevention plan the resident carries, as lists ({"triggers",
# "warning_signs", "what_helps", "reasons", "people": [{"name", "phone", "who"}]}), or
# None; shown on the personal check-in link, after a help press and a strong craving.
recovery_plan = Provider("recovery_plan", lambda resident: None)
# recovery: a boolean expression, true for a resident (`ref`, an OuterRef to a resident's
# pk) who has a discharge plan (their relapse-prevention plan); the home page lists
# residents preparing to leave without one.
has_discharge_plan = Provider("has_discharge_plan", lambda ref: Value(False))
