from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from service.domain.notifications import ChannelKind, MessageStatus, Topic
from service.domain.training import ScanKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0010_training_plans')]

    initial = False

    operations = [
        ops.CreateModel(
            name='NotificationChannel',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('agency', fields.ForeignKeyField('models.Agency', source_field='agency_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('officer', fields.ForeignKeyField('models.Officer', source_field='officer_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='WECOM: wecom\nDINGTALK: dingtalk\nEMAIL: email\nWEBHOOK: webhook', enum_type=ChannelKind, max_length=16)),
                ('target', fields.CharField(max_length=500)),
                ('secret_sealed', fields.BinaryField(null=True)),
                ('blocked_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('claimed_by', fields.CharField(null=True, max_length=64)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'notification_channels', 'app': 'models', 'indexes': [Index(fields=['agency_id']), Index(fields=['officer_id'])], 'pk_attr': 'id', 'table_description': 'Where an agency or an officer is told things: a robot, an address or a webhook.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Delivery',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('channel', fields.ForeignKeyField('models.NotificationChannel', source_field='channel_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('message_ids', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('verdict', fields.CharField(max_length=16)),
                ('detail', fields.CharField(default='', max_length=300)),
                ('worker', fields.CharField(default='', max_length=64)),
            ],
            options={'table': 'notification_deliveries', 'app': 'models', 'indexes': [Index(fields=['channel_id', 'at'])], 'pk_attr': 'id', 'table_description': 'One try at delivering messages (several, when merged) to a channel, and its answer.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OfflineScan',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('session', fields.ForeignKeyField('models.TrainingSession', source_field='session_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('nonce', fields.CharField(max_length=64)),
                ('officer_id', fields.IntField(null=True)),
                ('kind', fields.CharEnumField(description='CHECKIN: checkin\nCHECKOUT: checkout', enum_type=ScanKind, max_length=16)),
                ('scanned_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('device_id', fields.CharField(max_length=100)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('outcome', fields.CharField(max_length=16)),
                ('refusal', fields.CharField(null=True, max_length=64)),
            ],
            options={'table': 'offline_scans', 'app': 'models', 'unique_together': (('session', 'nonce'),), 'pk_attr': 'id', 'table_description': 'A personal check-in code scanned by the organiser, perhaps offline, as uploaded.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=100)),
                ('topic', fields.CharEnumField(description='SUSPENDED: suspended\nREVOKED: revoked\nREVIEW_FAILED: review_failed\nCLAIM_APPROVED: claim_approved\nCLAIM_REJECTED: claim_rejected\nDIGEST: digest\nREMINDER: reminder\nTEST: test', enum_type=Topic, max_length=32)),
                ('channel', fields.ForeignKeyField('models.NotificationChannel', source_field='channel_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('text', fields.TextField(unique=False)),
                ('status', fields.CharEnumField(default=MessageStatus.PENDING, description='PENDING: pending\nSENDING: sending\nSENT: sent\nUNCONFIRMED: unconfirmed\nGIVEN_UP: given_up', enum_type=MessageStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notification_outbox', 'app': 'models', 'indexes': [Index(fields=['status', 'next_attempt_at']), Index(fields=['channel_id', 'status'])], 'pk_attr': 'id', 'table_description': 'One message for one channel, written with the change it reports.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TypedCodeFailure',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('session', fields.ForeignKeyField('models.TrainingSession', source_field='session_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('officer', fields.ForeignKeyField('models.Officer', source_field='officer_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('failures', fields.IntField(default=0)),
            ],
            options={'table': 'typed_code_failures', 'app': 'models', 'unique_together': (('session', 'officer'),), 'pk_attr': 'id', 'table_description': 'Wrong typed check-in codes an officer sent for a session (at most 5 are heard).'},
            bases=['Model'],
        ),
    ]
