"""Stored phone numbers of alumni in E.164
(kendra/phones_migration.py: unreadable numbers are listed and left, never fatal)."""

from django.db import migrations

from kendra.phones_migration import forwards

SPECS = [("alumni", "AlumniProfile", ["phone"], False)]


class Migration(migrations.Migration):
    dependencies = [("alumni", "0004_fill_stay")]

    operations = [migrations.RunPython(forwards(SPECS), migrations.RunPython.noop)]
