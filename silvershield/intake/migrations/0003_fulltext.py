"""Full-text search over the segmented tip text: a GIN index on PostgreSQL ('simple'
configuration, matching SearchVector("content_seg", config="simple")), an FTS5 table kept in step
by triggers on SQLite (re-ensured after every migrate, as SQLite drops triggers on table rebuilds)."""

from django.db import migrations

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS intake_tip_fts_ai;",
    "DROP TRIGGER IF EXISTS intake_tip_fts_ad;",
    "DROP TRIGGER IF EXISTS intake_tip_fts_au;",
    "DROP TABLE IF EXISTS intake_tip_fts;",
]


def forward(apps, schema_editor):
    from silvershield.intake.search import ensure_fulltext

    ensure_fulltext(using=schema_editor.connection.alias, rebuild=True)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS intake_tip_content_seg_fts;")
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_initial")]
    operations = [migrations.RunPython(forward, reverse)]
