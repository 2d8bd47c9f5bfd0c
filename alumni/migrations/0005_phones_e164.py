"""Stored phone numbers of alumni in E.164
(kendra/migrations/_phones.py: unreadable numbers are listed and left, never fatal)."""

from django.db import migrations

from kendra.migrations._phones import forwards

SPECS = [("alumni", "AlumniProfile", ["phone"], False)]


class Migration(migrations.Migration):
    dependencies = [("alumni", "0004_fill_stay")]

    operations = [migrations.RunPython(forwards(SPECS), migrations.RunPython.noop)]
