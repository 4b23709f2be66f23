from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_certificate_lifecycle')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Attendance',
            index=Index(fields=['session_id', 'checkin_device_id']),
        ),
        ops.AddIndex(
            model_name='Attendance',
            index=Index(fields=['session_id', 'checkout_device_id']),
        ),
    ]
