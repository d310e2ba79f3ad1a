"""Resumable photo uploads (tus 1.0): a photo sent in pieces over a connection that keeps dropping.

An upload is named by a random token (its tus URL), belongs to one user and one inspection, and
keeps its bytes in the database (not on one web server's disk) until the last byte arrives;
then the bytes are checked and become an ordinary ``PhotoBlob``, the pieces are deleted, and the
row stays until it expires as the record that this user sent those bytes (which is what lets
them attach the blob by its SHA-256 without sending it again).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from .inspections import Inspection, PhotoBlob


class PhotoUpload(models.Model):
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photo_uploads"
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="photo_uploads"
    )
    sha256 = models.CharField(
        max_length=64,
        blank=True,
        help_text="Declared in Upload-Metadata (checked at the end); the actual hash once complete.",
    )
    metadata = models.JSONField(default=dict, blank=True, help_text="Decoded Upload-Metadata.")
    size = models.PositiveIntegerField(help_text="Upload-Length: total length in bytes.")
    received = models.PositiveIntegerField(default=0, help_text="Upload-Offset.")
    blob = models.ForeignKey(
        PhotoBlob, on_delete=models.CASCADE, null=True, blank=True, related_name="uploads"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    # Read by the nightly purge (inspections.tasks.purge_stale_photo_uploads).
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["user", "sha256"], name="photo_upload_user_sha")]

    def __str__(self) -> str:
        return f"{self.token} {self.received}/{self.size}"

    @property
    def is_complete(self) -> bool:
        return self.blob_id is not None


class PhotoUploadChunk(models.Model):
    upload = models.ForeignKey(PhotoUpload, on_delete=models.CASCADE, related_name="chunks")
    offset = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["offset"]
        constraints = [
            models.UniqueConstraint(fields=["upload", "offset"], name="photo_chunk_one_per_offset")
        ]
