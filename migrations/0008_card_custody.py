from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0007_adoption')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Certificate',
            name='card_returned_on',
            field=fields.DateField(null=True),
        ),
    ]
