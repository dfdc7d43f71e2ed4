"""Full-text search over the segmented tip text: a GIN index on PostgreSQL ('simple'
configuration, matching SearchVector("content_seg", config="simple")), an FTS5 table kept in step
by triggers on SQLite."""

from django.db import migrations

PG_FORWARD = (
    "CREATE INDEX IF NOT EXISTS intake_tip_content_seg_fts ON intake_tip "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(content_seg, '')));"
)
PG_REVERSE = "DROP INDEX IF EXISTS intake_tip_content_seg_fts;"
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE intake_tip_fts USING fts5(content_seg, content='intake_tip', content_rowid='id');",
    """CREATE TRIGGER intake_tip_fts_ai AFTER INSERT ON intake_tip BEGIN
         INSERT INTO intake_tip_fts(rowid, content_seg) VALUES (new.id, new.content_seg);
       END;""",
    """CREATE TRIGGER intake_tip_fts_ad AFTER DELETE ON intake_tip BEGIN
         INSERT INTO intake_tip_fts(intake_tip_fts, rowid, content_seg) VALUES ('delete', old.id, old.content_seg);
       END;""",
    """CREATE TRIGGER intake_tip_fts_au AFTER UPDATE OF content_seg ON intake_tip BEGIN
         INSERT INTO intake_tip_fts(intake_tip_fts, rowid, content_seg) VALUES ('delete', old.id, old.content_seg);
         INSERT INTO intake_tip_fts(rowid, content_seg) VALUES (new.id, new.content_seg);
       END;""",
    "INSERT INTO intake_tip_fts(intake_tip_fts) VALUES ('rebuild');",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS intake_tip_fts_ai;",
    "DROP TRIGGER IF EXISTS intake_tip_fts_ad;",
    "DROP TRIGGER IF EXISTS intake_tip_fts_au;",
    "DROP TABLE IF EXISTS intake_tip_fts;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_initial")]
    operations = [migrations.RunPython(forward, reverse)]
