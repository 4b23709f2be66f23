import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from service.domain.hours import LedgerSource

# The change feed of the data exchange: a trigger per table notes every write in
# exchange_changes, in the writing transaction (see service/store/models/exchange.py).
# Officers' chain-head updates change none of the watched columns and note nothing.
OFFICER_COLUMNS = ("name", "id_number", "birth_date", "gender", "agency_id", "employment_type",
                   "post", "in_post")
CERTIFICATE_COLUMNS = ("number", "legacy", "status", "issuing_agency_id", "enforcement_area",
                       "enforcement_categories", "valid_from", "valid_until", "suspended_until",
                       "ended_on", "last_review_year")
NOTES = {  # table: (kind, entity, officer, year)
    "officers": ("officer", "NEW.id", "NEW.id", "NULL"),
    "certificates": ("certificate", "NEW.id", "NEW.officer_id", "NULL"),
    "hour_ledger": ("hours", "NEW.officer_id", "NEW.officer_id", "NEW.year"),
}
WATCHED = {"officers": OFFICER_COLUMNS, "certificates": CERTIFICATE_COLUMNS}
INSERT = "INSERT INTO exchange_changes (kind, entity_id, officer_id, year, xid) VALUES "
BACKFILL = [  # what exists already is the feed's first page
    INSERT[:-8] + "SELECT 'officer', id, id, NULL, 0 FROM officers ORDER BY id",
    INSERT[:-8] + "SELECT 'certificate', id, officer_id, NULL, 0 FROM certificates ORDER BY id",
    INSERT[:-8] + "SELECT DISTINCT 'hours', officer_id, officer_id, year, 0 FROM hour_ledger",
]


def _changed(columns, distinct):
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns)


def _sqlite():
    for table, (kind, entity, officer, year) in NOTES.items():
        note = f"BEGIN {INSERT}('{kind}', {entity}, {officer}, {year}, 0); END"
        yield f"CREATE TRIGGER exchange_{table}_insert AFTER INSERT ON {table} {note}"
        if table in WATCHED:
            when = _changed(WATCHED[table], "IS NOT")
            yield f"CREATE TRIGGER exchange_{table}_update AFTER UPDATE ON {table} WHEN {when} {note}"


def _postgres():
    xid = "pg_current_xact_id()::text::bigint"
    branches = " ".join(
        f"{'IF' if n == 0 else 'ELSIF'} TG_TABLE_NAME = '{table}' THEN "
        f"{INSERT}('{kind}', {entity}, {officer}, {year}, {xid});"
        for n, (table, (kind, entity, officer, year)) in enumerate(NOTES.items())
    )
    yield (
        "CREATE OR REPLACE FUNCTION exchange_note() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {branches} END IF; RETURN NULL; END $$"
    )
    run = "EXECUTE FUNCTION exchange_note()"
    for table in NOTES:
        yield f"CREATE TRIGGER exchange_{table}_insert AFTER INSERT ON {table} FOR EACH ROW {run}"
        if table in WATCHED:
            when = _changed(WATCHED[table], "IS DISTINCT FROM")
            yield (f"CREATE TRIGGER exchange_{table}_update AFTER UPDATE ON {table} "
                   f"FOR EACH ROW WHEN ({when}) {run}")


def sql_instead(operation, *, sqlite=(), postgres=()):
    """`operation`'s change of the model state, with these statements for the database.

    Tortoise's SQLite editor rebuilds a table for an altered column and loses its indexes
    and unique constraints on the way, and adds a NOT NULL column without a default, which
    fails on a table with rows: the statements here do what is needed, in place.
    """

    async def forward(app_label, old_state, new_state, state_editor=None):
        if state_editor is None:
            return
        client = state_editor.client
        for statement in sqlite if client.capabilities.dialect == "sqlite" else postgres:
            await client.execute_query(statement)

    operation.database_forward = forward
    return operation


def add_column(operation, table, column, sql_type, default):
    add = f'ALTER TABLE "{table}" ADD COLUMN "{column}" {sql_type} NOT NULL DEFAULT {default}'
    return sql_instead(operation, sqlite=[add], postgres=[add])


async def create_triggers(apps, schema_editor):
    client = schema_editor.client
    for statement in BACKFILL:
        await client.execute_query(statement)
    made = _sqlite() if client.capabilities.dialect == "sqlite" else _postgres()
    for statement in made:
        await client.execute_query(statement)


async def drop_triggers(apps, schema_editor):
    client = schema_editor.client
    for table in NOTES:
        for event in ("insert", "update"):
            on = "" if client.capabilities.dialect == "sqlite" else f" ON {table}"
            await client.execute_query(f"DROP TRIGGER IF EXISTS exchange_{table}_{event}{on}")
    if client.capabilities.dialect != "sqlite":
        await client.execute_query("DROP FUNCTION IF EXISTS exchange_note()")

class Migration(migrations.Migration):
    dependencies = [('models', '0006_shared_state')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ApiKey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=50)),
                ('key_hash', fields.CharField(unique=True, max_length=64)),
                ('hint', fields.CharField(max_length=12)),
                ('region', fields.ForeignKeyField('models.Region', source_field='region_id', db_constraint=True, to_field='code', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('scopes', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'api_keys', 'app': 'models', 'pk_attr': 'id', 'table_description': "The key of a machine client. Only its SHA-256 is kept: the key is shown once, at creation."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ExchangeChange',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=16)),
                ('entity_id', fields.IntField()),
                ('officer_id', fields.IntField()),
                ('year', fields.SmallIntField(null=True)),
                ('xid', fields.BigIntField(default=0)),
            ],
            options={'table': 'exchange_changes', 'app': 'models', 'indexes': [Index(fields=['xid', 'id'])], 'pk_attr': 'id', 'table_description': "A write noted by a trigger: to an officer, a certificate or the hours of an officer."},
            bases=['Model'],
        ),
        sql_instead(ops.AlterField(
            model_name='Certificate',
            name='number',
            field=fields.CharField(null=True, unique=True, max_length=32),
        ), postgres=['ALTER TABLE "certificates" ALTER COLUMN "number" TYPE VARCHAR(32)']),
        add_column(ops.AddField(
            model_name='Certificate',
            name='legacy',
            field=fields.BooleanField(default=False),
        ), "certificates", "legacy", "BOOL", "FALSE"),
        add_column(ops.AddField(
            model_name='Exam',
            name='source_file',
            field=fields.CharField(default='', max_length=64),
        ), "exams", "source_file", "VARCHAR(64)", "''"),
        sql_instead(ops.AlterField(
            model_name='HourEntry',
            name='source',
            field=fields.CharEnumField(description='ATTENDANCE: attendance\nEXTERNAL: external\nADJUSTMENT: adjustment\nIMPORT: import', enum_type=LedgerSource, max_length=16),
        )),  # a new member: the column's type is unchanged
        add_column(ops.AddField(
            model_name='HourEntry',
            name='provider',
            field=fields.CharField(default='', max_length=200),
        ), "hour_ledger", "provider", "VARCHAR(200)", "''"),
        add_column(ops.AddField(
            model_name='HourEntry',
            name='source_file',
            field=fields.CharField(default='', max_length=64),
        ), "hour_ledger", "source_file", "VARCHAR(64)", "''"),
        ops.RunPython(create_triggers, drop_triggers),
    ]
