# Resumable uploads move to tus 1.0: uploads are named by a token, not by the photo's SHA-256.

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def drop_unfinished_uploads(apps, schema_editor):
    # Uploads of the old protocol cannot be resumed by a tus client: the phone starts again.
    apps.get_model("inspections", "PhotoUpload").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0010_resumable_photo_uploads"),
    ]

    operations = [
        migrations.RunPython(drop_unfinished_uploads, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="photoupload",
            name="photo_upload_one_per_content",
        ),
        migrations.AddField(
            model_name="photoupload",
            name="token",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="photoupload",
            name="metadata",
            field=models.JSONField(blank=True, default=dict, help_text="Decoded Upload-Metadata."),
        ),
        migrations.AddField(
            model_name="photoupload",
            name="blob",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="uploads",
                to="inspections.photoblob",
            ),
        ),
        migrations.AddField(
            model_name="photoupload",
            name="completed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="photoupload",
            name="expires_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="photoupload",
            name="sha256",
            field=models.CharField(
                blank=True,
                help_text="Declared in Upload-Metadata (checked at the end); the actual hash once complete.",
                max_length=64,
            ),
        ),
        migrations.AlterField(
            model_name="photoupload",
            name="size",
            field=models.PositiveIntegerField(help_text="Upload-Length: total length in bytes."),
        ),
        migrations.AlterField(
            model_name="photoupload",
            name="received",
            field=models.PositiveIntegerField(default=0, help_text="Upload-Offset."),
        ),
        migrations.AlterField(
            model_name="photoupload",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddIndex(
            model_name="photoupload",
            index=models.Index(fields=["user", "sha256"], name="photo_upload_user_sha"),
        ),
    ]
