"""Stored phone numbers of residents, people's profiles and centres in E.164
(kendra/migrations/_phones.py: unreadable numbers are listed and left, never fatal)."""

from django.db import migrations

from kendra.migrations._phones import forwards

SPECS = [
    ("kendra", "Resident", ["phone"], False),
    ("kendra", "Profile", ["phone"], False),
    ("kendra", "Centre", ["phone", "emergency_phone"], True),
]


class Migration(migrations.Migration):
    dependencies = [("kendra", "0008_centre_retention_months_erasurerequest")]

    operations = [migrations.RunPython(forwards(SPECS), migrations.RunPython.noop)]
