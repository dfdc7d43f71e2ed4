"""Database-level protection of the audit trail: UPDATE and DELETE are refused unless an archive
run has flipped the guard row inside its own transaction. Seeds the chain head and the guard."""

from django.db import migrations

from silvershield.core.audit_sql import create_triggers, drop_triggers


def forward(apps, schema_editor):
    create_triggers(schema_editor.execute, schema_editor.connection.vendor)
    apps.get_model("core", "AuditHead").objects.get_or_create(pk=1)
    apps.get_model("core", "AuditGuard").objects.get_or_create(pk=1)


def reverse(apps, schema_editor):
    drop_triggers(schema_editor.execute, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
