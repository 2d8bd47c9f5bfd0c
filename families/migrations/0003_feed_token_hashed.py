"""Calendar feed tokens stored hashed (issue 19): each plain token is replaced by its
sha256 in place, so a calendar a phone already subscribed to keeps updating."""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    CalendarFeed = apps.get_model("families", "CalendarFeed")
    feeds = list(CalendarFeed.objects.only("pk", "token"))
    for feed in feeds:
        feed.token_hash = hashlib.sha256(feed.token.encode()).hexdigest()
    CalendarFeed.objects.bulk_update(feeds, ["token_hash"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("families", "0002_visiting_hours")]

    operations = [
        migrations.AddField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="calendarfeed", name="token"),
        migrations.AlterField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
    ]
