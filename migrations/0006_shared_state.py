from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_session_generation')]

    initial = False

    operations = [
        ops.CreateModel(
            name='EvidenceFile',
            fields=[
                ('sha256', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('media_type', fields.CharField(max_length=64)),
                ('size', fields.IntField()),
                ('content', fields.BinaryField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'evidence_files', 'app': 'models', 'pk_attr': 'sha256', 'table_description': 'An evidence file, stored once per content (its SHA-256) however many claims name it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SigningKeyRecord',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ring', fields.CharField(max_length=16)),
                ('kid', fields.CharField(max_length=40)),
                ('public_key', fields.BinaryField()),
                ('sealed', fields.BinaryField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'signing_keys', 'app': 'models', 'unique_together': (('ring', 'kid'),), 'pk_attr': 'id', 'table_description': 'A signing key of one ring, its private half sealed with the key-encryption key.'},
            bases=['Model'],
        ),
    ]
