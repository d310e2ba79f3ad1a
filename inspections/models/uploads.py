"""Resumable photo uploads: a photo sent in chunks over a connection that keeps dropping.

The phone names the upload by the photo's SHA-256, so after a lost response it asks how much
the server has and goes on from there. Chunks live in the database (not on one web server's
disk) until the last one arrives; then the bytes become an ordinary ``PhotoBlob`` and the
chunks are deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .inspections import Inspection


class PhotoUpload(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photo_uploads"
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="photo_uploads"
    )
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(help_text="Declared total length in bytes.")
    received = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "sha256"], name="photo_upload_one_per_content")
        ]

    def __str__(self) -> str:
        return f"{self.sha256[:12]}… {self.received}/{self.size}"


class PhotoUploadChunk(models.Model):
    upload = models.ForeignKey(PhotoUpload, on_delete=models.CASCADE, related_name="chunks")
    offset = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["offset"]
        constraints = [
            models.UniqueConstraint(fields=["upload", "offset"], name="photo_chunk_one_per_offset")
        ]
