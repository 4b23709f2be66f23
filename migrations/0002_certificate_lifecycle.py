from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Certificate',
            name='ended_on',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='Certificate',
            name='status_reason',
            field=fields.TextField(default='', unique=False),
        ),
        ops.AddField(
            model_name='Officer',
            name='chain_head',
            field=fields.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64),
        ),
        ops.AddField(
            model_name='Officer',
            name='chain_seq',
            field=fields.IntField(default=0),
        ),
    ]
