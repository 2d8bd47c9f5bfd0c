"""The migrations that hash the tokens (checkins 0006, families 0003), run on rows made at
the old schema: links already sent keep opening their page, and the outbox keeps no
plain link."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from checkins.models import CheckinLink
from families import actions as family_actions

from ..factories import ResidentFactory

OLD = [("checkins", "0005_alert_timeline"), ("families", "0002_visiting_hours")]
NEW = [("checkins", "0006_checkin_links"), ("families", "0003_feed_token_hashed")]
TOKEN = "old-plain-token-of-the-link-0123456789"
FEED = "old-plain-token-of-the-feed-0123456789"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([*targets, ("notify", "0002_delivery")]).apps


@pytest.mark.django_db(transaction=True)
def test_old_plain_tokens_still_open_their_pages_after_the_migration(client, centre, family_user):
    resident = ResidentFactory(centre=centre, phone="+919812340000")
    try:
        old = migrate(OLD)
        plan = old.get_model("checkins", "ReminderPlan").objects.create(
            resident_id=resident.pk, centre_id=centre.pk, token=TOKEN
        )
        old.get_model("families", "CalendarFeed").objects.create(user_id=family_user.pk, token=FEED)
        link = f"https://kendra.example.in/checkins/c/{TOKEN}/?day=2026-11-22"
        row = old.get_model("notify", "Notification").objects.create(
            recipient_resident_id=resident.pk,
            channel="sms",
            address=resident.phone,
            kind="checkin",
            slot="checkin-2026-11-22T09:00",
            dedupe_key="r1:sms:checkin:x",
            body=f"Namaste. How are you feeling today? Answer in three taps: {link}",
            body_html=f'<p><a href="{link}">Answer in three taps</a></p>',
            link=link,
        )
        migrate(NEW)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    [stored] = CheckinLink.objects.filter(plan_id=plan.pk)
    assert stored.token_hash == CheckinLink.hash(TOKEN) and stored.expires_at is None
    assert client.get(reverse("checkins:answer", args=[TOKEN])).status_code == 200
    assert family_actions.find_feed(FEED).user == family_user
    from kendra.notify.models import Notification

    row = Notification.objects.get(pk=row.pk)
    assert TOKEN not in row.body + row.body_html + row.link
    assert row.body.endswith("Answer in three taps: {link}")
    assert 'href="{link}"' in row.body_html and row.link == ""
