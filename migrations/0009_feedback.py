from tortoise import migrations
from tortoise.migrations import operations as ops
from service.domain.feedback import FeedbackKind, FeedbackStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0008_card_custody')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Feedback',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('reference', fields.CharField(null=True, unique=True, max_length=20)),
                ('certificate', fields.ForeignKeyField('models.Certificate', source_field='certificate_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('officer', fields.ForeignKeyField('models.Officer', source_field='officer_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='COMPLAINT: complaint\nPRAISE: praise', enum_type=FeedbackKind, max_length=16)),
                ('text', fields.TextField(unique=False)),
                ('contact', fields.CharField(null=True, max_length=100)),
                ('status', fields.CharEnumField(default=FeedbackStatus.OPEN, description='OPEN: open\nRESOLVED: resolved', enum_type=FeedbackStatus, max_length=16)),
                ('outcome', fields.CharField(null=True, max_length=200)),
                ('note', fields.TextField(default='', unique=False)),
                ('resolved_by', fields.ForeignKeyField('models.Account', source_field='resolved_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'feedback', 'app': 'models', 'indexes': [Index(fields=['certificate_id', 'created_at']), Index(fields=['status', 'created_at'])], 'pk_attr': 'id', 'table_description': 'A complaint or praise about the holder of a certificate (投诉/表扬).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FeedbackForm',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('number', fields.CharField(max_length=32)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'feedback_forms', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A form token handed to the public: good for 30 minutes and for one submission.'},
            bases=['Model'],
        ),
    ]
