"""Stored phone numbers of family members and invitations in E.164
(kendra/migrations/_phones.py: unreadable numbers are listed and left, never fatal)."""

from django.db import migrations

from kendra.migrations._phones import forwards

SPECS = [
    ("families", "FamilyMember", ["phone"], False),
    ("families", "Invitation", ["phone"], False),
]


class Migration(migrations.Migration):
    dependencies = [("families", "0003_feed_token_hashed")]

    operations = [migrations.RunPython(forwards(SPECS), migrations.RunPython.noop)]
