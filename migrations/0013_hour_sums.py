from importlib import import_module

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

# An agency's months follow the officers it has now: every write to the ledger moves the
# month of its officer's agency, and an officer's move to another agency moves the
# officer's months with it (officers with entries are never deleted: the ledger
# restricts it). `officer-cert audit verify` checks them against the ledger.
#
# The officers' totals of migration 0012 (a row per officer, year and category) become a
# row per officer and year with a column per category: the dashboard and the reports
# read a third of the rows and sum none of them.
#
# On PostgreSQL the triggers become statement-level, for both the officers' years and
# the agencies' months: one grouped upsert per statement instead of one per row (a bulk
# load or a session's credits), its rows locked in key order, so that two transactions
# crediting the same officers do not lock them in opposite orders.
TOTALS_0012 = import_module("migrations.0012_hour_totals")
MONTH = {
    "sqlite": "CAST(strftime('%m', {o}.occurred_on) AS INTEGER)",
    "postgres": "CAST(EXTRACT(MONTH FROM {o}.occurred_on) AS SMALLINT)",
}
CATEGORIES = ("public_law", "professional", "political")  # HourCategory, as of this migration
ON_YEARS = ("ON CONFLICT (officer_id, year) DO UPDATE SET "
            + ", ".join(f"{c} = hour_years.{c} + excluded.{c}" for c in CATEGORIES)
            + ", entries = hour_years.entries + excluded.entries")
ON_MONTHS = ("ON CONFLICT (agency_id, year, month) DO UPDATE SET "
             "tenths = hour_months.tenths + excluded.tenths, "
             "entries = hour_months.entries + excluded.entries")
INTO_MONTHS = "INSERT INTO hour_months (agency_id, year, month, tenths, entries) "


def months_of(rows: str, dialect: str, sign: str = "") -> str:
    """The upsert adding (or, with sign "-", taking) the ledger rows of `rows` to the months
    of their officers' agencies."""
    return (INTO_MONTHS + f"SELECT o.agency_id, r.year, {MONTH[dialect].format(o='r')}, "
            f"{sign}SUM(r.tenths), {sign}COUNT(*) FROM {rows} r "
            "JOIN officers o ON o.id = r.officer_id WHERE true "
            f"GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 {ON_MONTHS};")


def years_of(rows: str, sign: str = "") -> str:
    """The upsert adding (or taking) the ledger rows of `rows` to their officers' years."""
    sums = ", ".join(f"{sign}SUM(CASE WHEN category = '{c}' THEN tenths ELSE 0 END)"
                     for c in CATEGORIES)
    return (f"INSERT INTO hour_years (officer_id, year, {', '.join(CATEGORIES)}, entries) "
            f"SELECT officer_id, year, {sums}, {sign}COUNT(*) FROM {rows} "
            f"WHERE true GROUP BY 1, 2 ORDER BY 1, 2 {ON_YEARS};")


def row_of(record: str) -> str:
    """A SQLite trigger's OLD or NEW as a one-row table."""
    return (f"(SELECT {record}.officer_id AS officer_id, {record}.year AS year, "
            f"{record}.category AS category, {record}.occurred_on AS occurred_on, "
            f"{record}.tenths AS tenths)")


def move(dialect: str) -> str:
    """An officer's entries, taken from the agency it left and added to the one it joined."""
    month = MONTH[dialect].format(o="hour_ledger")
    return " ".join(
        INTO_MONTHS + f"SELECT {agency}, year, {month}, {sign}SUM(tenths), {sign}COUNT(*) "
        "FROM hour_ledger WHERE officer_id = NEW.id "
        f"GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 {ON_MONTHS};"
        for agency, sign in (("OLD.agency_id", "-"), ("NEW.agency_id", ""))
    )


SQLITE = [
    *TOTALS_0012.DROP_SQLITE,
    "CREATE TRIGGER hour_sums_insert AFTER INSERT ON hour_ledger BEGIN "
    f"{years_of(row_of('NEW'))} {months_of(row_of('NEW'), 'sqlite')} END",
    "CREATE TRIGGER hour_sums_delete AFTER DELETE ON hour_ledger BEGIN "
    f"{years_of(row_of('OLD'), '-')} {months_of(row_of('OLD'), 'sqlite', '-')} END",
    "CREATE TRIGGER hour_sums_update AFTER UPDATE ON hour_ledger BEGIN "
    f"{years_of(row_of('OLD'), '-')} {months_of(row_of('OLD'), 'sqlite', '-')} "
    f"{years_of(row_of('NEW'))} {months_of(row_of('NEW'), 'sqlite')} END",
    "CREATE TRIGGER hour_months_move AFTER UPDATE OF agency_id ON officers "
    f"WHEN OLD.agency_id IS NOT NEW.agency_id BEGIN {move('sqlite')} END",
]
POSTGRES = [
    *TOTALS_0012.DROP_POSTGRES,
    "CREATE FUNCTION hour_sums_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP <> 'INSERT' THEN "
    f"{years_of('old_rows', '-')} {months_of('old_rows', 'postgres', '-')} END IF; "
    "IF TG_OP <> 'DELETE' THEN "
    f"{years_of('new_rows')} {months_of('new_rows', 'postgres')} END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER hour_sums_insert AFTER INSERT ON hour_ledger "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hour_sums_note()",
    "CREATE TRIGGER hour_sums_delete AFTER DELETE ON hour_ledger "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hour_sums_note()",
    "CREATE TRIGGER hour_sums_update AFTER UPDATE ON hour_ledger "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION hour_sums_note()",
    "CREATE FUNCTION hour_months_move() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"{move('postgres')} RETURN NULL; END $$",
    "CREATE TRIGGER hour_months_move AFTER UPDATE OF agency_id ON officers FOR EACH ROW "
    "WHEN (OLD.agency_id IS DISTINCT FROM NEW.agency_id) EXECUTE FUNCTION hour_months_move()",
]
DROP_SQLITE = [f"DROP TRIGGER IF EXISTS hour_sums_{op}" for op in ("insert", "delete", "update")]
DROP_SQLITE.append("DROP TRIGGER IF EXISTS hour_months_move")
DROP_POSTGRES = [
    "DROP TRIGGER IF EXISTS hour_months_move ON officers",
    "DROP FUNCTION IF EXISTS hour_months_move()",
    *(f"DROP TRIGGER IF EXISTS hour_sums_{op} ON hour_ledger"
      for op in ("insert", "delete", "update")),
    "DROP FUNCTION IF EXISTS hour_sums_note()",
]


async def create_triggers(apps, schema_editor):
    client = schema_editor.client
    dialect = "sqlite" if client.capabilities.dialect == "sqlite" else "postgres"
    backfill = [years_of("hour_ledger"), months_of("hour_ledger", dialect)]
    for statement in [*backfill, *(SQLITE if dialect == "sqlite" else POSTGRES)]:
        await client.execute_query(statement)


async def drop_triggers(apps, schema_editor):
    """Back to migration 0012: its totals, filled again from the ledger, and its triggers."""
    client = schema_editor.client
    sqlite = client.capabilities.dialect == "sqlite"
    for statement in DROP_SQLITE if sqlite else DROP_POSTGRES:
        await client.execute_query(statement)
    await TOTALS_0012.create_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [('models', '0012_hour_totals')]

    initial = False

    operations = [
        ops.CreateModel(
            name='HourMonth',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('agency', fields.ForeignKeyField('models.Agency', source_field='agency_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('year', fields.SmallIntField()),
                ('month', fields.SmallIntField()),
                ('tenths', fields.IntField(default=0)),
                ('entries', fields.IntField(default=0)),
            ],
            options={'table': 'hour_months', 'app': 'models', 'unique_together': (('agency', 'year', 'month'),), 'pk_attr': 'id', 'table_description': 'The hours the officers of an agency earned in a month: the sum of their entries.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HourYear',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('officer', fields.ForeignKeyField('models.Officer', source_field='officer_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('year', fields.SmallIntField()),
                ('public_law', fields.IntField(default=0)),
                ('professional', fields.IntField(default=0)),
                ('political', fields.IntField(default=0)),
                ('entries', fields.IntField(default=0)),
            ],
            options={'table': 'hour_years', 'app': 'models', 'unique_together': (('officer', 'year'),), 'indexes': [Index(fields=['year', 'officer_id'])], 'pk_attr': 'id', 'table_description': 'The hours of an officer in a year, per category: the sums of the ledger entries.'},
            bases=['Model'],
        ),
        ops.RunPython(create_triggers, drop_triggers),
        ops.DeleteModel(name='HourTotal'),
    ]
