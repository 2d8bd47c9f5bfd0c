"""Stored phone numbers of staff invitations in E.164
(kendra/migrations/_phones.py: unreadable numbers are listed and left, never fatal)."""

from django.db import migrations

from kendra.migrations._phones import forwards

SPECS = [("staff", "StaffInvitation", ["phone"], False)]


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_initial")]

    operations = [migrations.RunPython(forwards(SPECS), migrations.RunPython.noop)]
