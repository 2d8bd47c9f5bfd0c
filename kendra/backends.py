"""Signing in, and loading the signed-in person with their memberships in one query.

Every page checks roles (kendra/access.py), and the memberships were a query of their own
on every request. ModelBackend.get_user loads the user once per request anyway; this one
adds the active memberships to that query as one joined text ("centre:role,…"), so they
are still read fresh on every request (a revoked role counts at the next click) at no
extra round trip.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Aggregate, CharField, F, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Cast, Concat

from . import access
from .models import Membership


class JoinedText(Aggregate):
    """The texts of a group joined with commas (PostgreSQL string_agg, SQLite group_concat)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _memberships():
    held = Membership.objects.filter(user=OuterRef("pk"), is_active=True).order_by()
    pair = Concat(Cast("centre_id", CharField()), Value(":"), "role", output_field=TextField())
    return Subquery(held.values("user").annotate(joined=JoinedText(pair)).values("joined"))


class MembershipBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            kendra_memberships=_memberships(),
            # The centre chosen in the header's switcher (a join, not another query).
            kendra_centre_shown=F("profile__current_centre_id"),
        )
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        access.remember_roles(user, user.kendra_memberships or "", user.kendra_centre_shown)
        return user
