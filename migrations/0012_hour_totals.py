from tortoise import migrations
from tortoise.migrations import operations as ops
from service.domain.hours import HourCategory
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

# Every write to the ledger moves its totals, in the writing transaction, whoever writes
# (the service, an import, a bulk load): the reports read the totals, `audit verify`
# checks them against the ledger. The ledger is append-only; a delete or an update is
# followed all the same.
UPSERT = ("INSERT INTO hour_totals (officer_id, year, category, tenths, entries) "
          "VALUES ({o}.officer_id, {o}.year, {o}.category, {sign}{o}.tenths, {sign}1) "
          "ON CONFLICT (officer_id, year, category) DO UPDATE SET "
          "tenths = hour_totals.tenths + excluded.tenths, "
          "entries = hour_totals.entries + excluded.entries;")
ADD, TAKE = UPSERT.format(o="NEW", sign=""), UPSERT.format(o="OLD", sign="-")
BACKFILL = ("INSERT INTO hour_totals (officer_id, year, category, tenths, entries) "
            "SELECT officer_id, year, category, SUM(tenths), COUNT(*) FROM hour_ledger "
            "GROUP BY officer_id, year, category")
SQLITE = [
    f"CREATE TRIGGER hour_totals_insert AFTER INSERT ON hour_ledger BEGIN {ADD} END",
    f"CREATE TRIGGER hour_totals_delete AFTER DELETE ON hour_ledger BEGIN {TAKE} END",
    f"CREATE TRIGGER hour_totals_update AFTER UPDATE ON hour_ledger BEGIN {TAKE} {ADD} END",
]
POSTGRES = [
    "CREATE OR REPLACE FUNCTION hour_totals_note() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN IF TG_OP <> 'INSERT' THEN {TAKE} END IF; "
    f"IF TG_OP <> 'DELETE' THEN {ADD} END IF; RETURN NULL; END $$",
    "CREATE TRIGGER hour_totals_note AFTER INSERT OR UPDATE OR DELETE ON hour_ledger "
    "FOR EACH ROW EXECUTE FUNCTION hour_totals_note()",
]
DROP_SQLITE = [f"DROP TRIGGER IF EXISTS hour_totals_{op}" for op in ("insert", "delete", "update")]
DROP_POSTGRES = ["DROP TRIGGER IF EXISTS hour_totals_note ON hour_ledger",
                 "DROP FUNCTION IF EXISTS hour_totals_note()"]


async def create_triggers(apps, schema_editor):
    client = schema_editor.client
    sqlite = client.capabilities.dialect == "sqlite"
    for statement in [BACKFILL, *(SQLITE if sqlite else POSTGRES)]:
        await client.execute_query(statement)


async def drop_triggers(apps, schema_editor):
    client = schema_editor.client
    sqlite = client.capabilities.dialect == "sqlite"
    for statement in DROP_SQLITE if sqlite else DROP_POSTGRES:
        await client.execute_query(statement)


class Migration(migrations.Migration):
    dependencies = [('models', '0011_notifications_offline_checkin')]

    initial = False

    operations = [
        ops.CreateModel(
            name='HourTotal',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('officer', fields.ForeignKeyField('models.Officer', source_field='officer_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('year', fields.SmallIntField()),
                ('category', fields.CharEnumField(description='PUBLIC_LAW: public_law\nPROFESSIONAL: professional\nPOLITICAL: political', enum_type=HourCategory, max_length=16)),
                ('tenths', fields.IntField(default=0)),
                ('entries', fields.IntField(default=0)),
            ],
            options={'table': 'hour_totals', 'app': 'models', 'unique_together': (('officer', 'year', 'category'),), 'indexes': [Index(fields=['year', 'officer_id'])], 'pk_attr': 'id', 'table_description': 'The hours of an officer in a year and category: the sum of the ledger entries.'},
            bases=['Model'],
        ),
        ops.RunPython(create_triggers, drop_triggers),
    ]
