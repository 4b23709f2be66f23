"""The event log is the officer's, not only the certificates': `CertificateEvent` becomes
`OfficerEvent` and its table `certificate_events` becomes `officer_events`. The table is
renamed, so rows, ids and hashes stay as they are and every chain still verifies."""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class RenameModelAndTable(ops.TortoiseOperation):
    """A model renamed together with its explicit `Meta.table`. Tortoise 1.1's RenameModel
    keeps an explicit table and trips over the backward relations of the old model, so
    the state is moved as a delete and a create, and the database renames the table."""

    def __init__(self, old: str, old_table: str, new: ops.CreateModel) -> None:
        self.delete = ops.DeleteModel(name=old)
        self.create = new
        self.old_table = old_table
        self.new_table = new.options["table"]

    def describe(self) -> str:
        return f"Rename model {self.delete.name} to {self.create.name} ({self.new_table})"

    def state_forward(self, app_label, state):
        self.delete.state_forward(app_label, state)
        self.create.state_forward(app_label, state)

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor:
            model = new_state.apps.get_model(f"{app_label}.{self.create.name}")
            await state_editor.rename_table(model, self.old_table, self.new_table)

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor:
            model = old_state.apps.get_model(f"{app_label}.{self.delete.name}")
            await state_editor.rename_table(model, self.new_table, self.old_table)


class Migration(migrations.Migration):
    dependencies = [('models', '0003_attendance_device_indexes')]

    initial = False

    operations = [
        RenameModelAndTable(
            'CertificateEvent',
            'certificate_events',
            ops.CreateModel(
                name='OfficerEvent',
                fields=[
                    ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                    ('officer', fields.ForeignKeyField('models.Officer', source_field='officer_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.RESTRICT)),
                    ('certificate', fields.ForeignKeyField('models.Certificate', source_field='certificate_id', null=True, db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.RESTRICT)),
                    ('seq', fields.IntField()),
                    ('action', fields.CharField(max_length=32)),
                    ('actor', fields.ForeignKeyField('models.Account', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                    ('actor_name', fields.CharField(max_length=100)),
                    ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                    ('reason', fields.TextField(default='', unique=False)),
                    ('before', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                    ('after', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                    ('prev_hash', fields.CharField(max_length=64)),
                    ('hash', fields.CharField(unique=True, max_length=64)),
                ],
                options={'table': 'officer_events', 'app': 'models', 'unique_together': (('officer', 'seq'),), 'pk_attr': 'id', 'table_description': 'One change to an officer or their certificates, append-only, hash-chained per officer.'},
                bases=['Model'],
            ),
        ),
    ]
