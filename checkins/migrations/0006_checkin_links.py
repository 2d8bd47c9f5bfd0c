"""Personal check-in links stored hashed (issue 19).

Each plan's plain token becomes a CheckinLink holding only its sha256, with no expiry, so
a link already sent keeps opening the page until it is revoked (discharge, "Make a new
link"). The check-in reminders already written to the outbox lose their plain link: the
link in their text becomes the placeholder the send step fills with a fresh link
(kendra/notify/fill.py), so a row still queued is sent with a working one.
"""

import hashlib
import re

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

# A check-in link in a stored message: the whole address, up to its ?day=… if any.
LINK = re.compile(r"[^\s\"'<>]*/c/[A-Za-z0-9_\-]{6,}/(?:\?day=[0-9-]{10})?")
PLACEHOLDER = "{link}"


def hash_tokens(apps, schema_editor):
    ReminderPlan = apps.get_model("checkins", "ReminderPlan")
    CheckinLink = apps.get_model("checkins", "CheckinLink")
    links = [
        CheckinLink(
            plan_id=pk,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            created_at=created_at,
        )
        for pk, token, created_at in ReminderPlan.objects.values_list("pk", "token", "created_at")
        .order_by("pk")
        .iterator(chunk_size=2000)
    ]
    CheckinLink.objects.bulk_create(links, batch_size=2000)


def scrub_outbox(apps, schema_editor):
    """Check-in reminders in the outbox keep no plain link (body, html, link field)."""
    Notification = apps.get_model("notify", "Notification")
    rows = Notification.objects.filter(kind="checkin").only("body", "body_html", "link")
    changed = []
    for n in rows.iterator(chunk_size=2000):
        new = [LINK.sub(PLACEHOLDER, v) for v in (n.body, n.body_html)]
        if new != [n.body, n.body_html] or n.link:
            n.body, n.body_html, n.link = new[0], new[1], ""
            changed.append(n)
        if len(changed) >= 2000:
            Notification.objects.bulk_update(changed, ["body", "body_html", "link"])
            changed = []
    Notification.objects.bulk_update(changed, ["body", "body_html", "link"])


class Migration(migrations.Migration):
    dependencies = [
        ("checkins", "0005_alert_timeline"),
        ("notify", "0002_delivery"),
    ]

    operations = [
        migrations.CreateModel(
            name="CheckinLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField(blank=True, null=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links",
                        to="checkins.reminderplan",
                    ),
                ),
            ],
            options={
                "verbose_name": "check-in link",
                "verbose_name_plural": "check-in links",
                "indexes": [
                    models.Index(
                        fields=["plan", "revoked_at"], name="checkins_ch_plan_id_380574_idx"
                    )
                ],
            },
        ),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
        migrations.RunPython(scrub_outbox, migrations.RunPython.noop),
        migrations.RemoveField(model_name="reminderplan", name="token"),
    ]
