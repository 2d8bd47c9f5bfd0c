"""The audit trail refuses UPDATE and DELETE in PostgreSQL itself, whoever connects.

One exception keeps deleting a user, a centre or a resident possible: their audit events
point at them with ON DELETE SET NULL (Django runs it as an UPDATE before the DELETE). So
an UPDATE may only set user_id, centre_id or resident_id to NULL, nothing else; and a
deferred check at commit refuses it unless the row it pointed at is really gone. TRUNCATE
(test databases, bench seeding) is not a row change and is not affected. On SQLite the
model's rule stays (AuditEvent.save refuses to save twice).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION kendra_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
        AND NEW.object_type = OLD.object_type AND NEW.object_id = OLD.object_id
        AND NEW.detail = OLD.detail
        AND (NEW.user_id IS NOT DISTINCT FROM OLD.user_id OR NEW.user_id IS NULL)
        AND (NEW.centre_id IS NOT DISTINCT FROM OLD.centre_id OR NEW.centre_id IS NULL)
        AND (NEW.resident_id IS NOT DISTINCT FROM OLD.resident_id OR NEW.resident_id IS NULL)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % of an audit event refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER kendra_auditevent_append_only
    BEFORE UPDATE OR DELETE ON {audit}
    FOR EACH ROW EXECUTE FUNCTION kendra_audit_append_only();

CREATE OR REPLACE FUNCTION kendra_audit_forgets_only_the_deleted() RETURNS trigger AS $$
BEGIN
    IF (OLD.user_id IS NOT NULL AND NEW.user_id IS NULL
            AND EXISTS (SELECT 1 FROM {user} WHERE id = OLD.user_id))
        OR (OLD.centre_id IS NOT NULL AND NEW.centre_id IS NULL
            AND EXISTS (SELECT 1 FROM {centre} WHERE id = OLD.centre_id))
        OR (OLD.resident_id IS NOT NULL AND NEW.resident_id IS NULL
            AND EXISTS (SELECT 1 FROM {resident} WHERE id = OLD.resident_id))
    THEN
        RAISE EXCEPTION 'the audit trail is append-only: who or what an event is about '
            'is forgotten only when it is deleted'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER kendra_auditevent_forgets_only_the_deleted
    AFTER UPDATE ON {audit}
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION kendra_audit_forgets_only_the_deleted();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS kendra_auditevent_forgets_only_the_deleted ON {audit};
DROP TRIGGER IF EXISTS kendra_auditevent_append_only ON {audit};
DROP FUNCTION IF EXISTS kendra_audit_forgets_only_the_deleted();
DROP FUNCTION IF EXISTS kendra_audit_append_only();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        audit = apps.get_model("kendra", "AuditEvent")._meta
        quote = schema_editor.quote_name
        schema_editor.execute(
            sql.format(
                audit=quote(audit.db_table),
                user=quote(audit.get_field("user").related_model._meta.db_table),
                centre=quote(audit.get_field("centre").related_model._meta.db_table),
                resident=quote(audit.get_field("resident").related_model._meta.db_table),
            ),
            params=None,  # the SQL holds a literal % (RAISE's placeholder)
        )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("kendra", "0004_centre_help_settings"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
