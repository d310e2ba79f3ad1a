import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from inspections.migration_operations import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('inspections', '0024_merge_20261130_2037'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The new indexes first, built without blocking writes; the ones they replace dropped last.
    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name='obligation',
            index=models.Index(fields=['status', 'premises'], name='obligation_status_prem_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='obligation',
            index=models.Index(fields=['requirement', 'premises'], name='obligation_req_premises_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='premises',
            index=models.Index(fields=['province_code', 'name', 'id'], name='premises_province_name_idx'),
        ),
        migrations.AlterField(
            model_name='obligation',
            name='premises',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='obligations', to='inspections.premises'),
        ),
        migrations.AlterField(
            model_name='obligation',
            name='requirement',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='obligations', to='inspections.requirement'),
        ),
        migrations.AlterField(
            model_name='obligation',
            name='status',
            field=models.CharField(choices=[('met', 'Đã đáp ứng'), ('not_met', 'Chưa đáp ứng'), ('unknown', 'Chưa xác định'), ('overdue', 'Quá hạn')], default='unknown', max_length=16),
        ),
    ]
