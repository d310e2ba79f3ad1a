"""Inspections and what is recorded during them: items, answers, photos, signatures.

Findings and their remediation evidence: ``findings.py``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspections.inputs import validate_sane_date


class ChecklistTemplate(models.Model):
    """The checklist of one catalogue version for one premises kind (items as a frozen snapshot)."""

    version = models.ForeignKey(
        "inspections.CatalogueVersion", on_delete=models.PROTECT, related_name="templates"
    )
    premises_kind = models.CharField(max_length=32)
    items = models.JSONField(default=list)
    generated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("mẫu kiểm tra")
        verbose_name_plural = _("mẫu kiểm tra")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "premises_kind"], name="template_unique_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.premises_kind}"


class Inspection(models.Model):
    class Kind(models.TextChoices):
        SELF = "self", _("Tự kiểm tra")
        PERIODIC = "periodic", _("Kiểm tra định kỳ")
        UNANNOUNCED = "unannounced", _("Kiểm tra đột xuất")
        REINSPECTION = "reinspection", _("Kiểm tra lại")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Đã lên lịch")
        IN_PROGRESS = "in_progress", _("Đang kiểm tra")
        SUBMITTED = "submitted", _("Đã nộp")
        SIGNED = "signed", _("Đã ký biên bản")
        CANCELLED = "cancelled", _("Đã hủy")

    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("số biên bản"), max_length=64, blank=True)
    premises = models.ForeignKey(
        "inspections.Premises", on_delete=models.PROTECT, related_name="inspections"
    )
    authority = models.ForeignKey(
        "accounts.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=Kind.choices)
    state = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=State.choices,
        default=State.SCHEDULED,
        db_index=True,
    )
    catalogue_version = models.ForeignKey(
        "inspections.CatalogueVersion", on_delete=models.PROTECT, related_name="inspections"
    )
    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="assigned_inspections", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reinspections"
    )
    scheduled_for = models.DateField(
        _("ngày dự kiến"), null=True, blank=True, db_index=True, validators=[validate_sane_date]
    )
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    ended_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    recommendations = models.TextField(_("kiến nghị"), blank=True)
    representative_name = models.CharField(_("đại diện cơ sở"), max_length=200, blank=True)
    representative_position = models.CharField(_("chức vụ đại diện"), max_length=200, blank=True)
    # Form PC03: what the inspected party's representative said, and why they would not sign
    # (Decree 105 Art. 14.3.d: a refusal to sign is recorded with its reason).
    representative_comments = models.TextField(_("ý kiến của đại diện cơ sở"), blank=True)
    representative_refusal_reason = models.TextField(_("lý do không ký biên bản"), blank=True)
    copies = models.PositiveSmallIntegerField(_("số bản"), null=True, blank=True)
    cap_override_reason = models.TextField(
        _("lý do vượt giới hạn 1 lần/năm"),
        blank=True,
        help_text=_(
            "Nghị quyết 198/2025/QH15 Điều 4: chỉ kiểm tra quá một lần/năm khi có dấu hiệu vi phạm rõ ràng."
        ),
    )
    cap_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người quyết định vượt giới hạn"),
    )
    unannounced_reason = models.TextField(
        _("lý do kiểm tra đột xuất"),
        blank=True,
        help_text=_("Nghị định 105/2025 Điều 14 khoản 5: kiểm tra đột xuất phải nêu rõ lý do."),
    )
    joint_authority = models.ForeignKey(
        "accounts.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="joint_inspections",
        verbose_name=_("cơ quan cùng kiểm tra"),
        help_text=_(
            "Cơ sở Phụ lục II: công an và cơ quan quản lý xây dựng kiểm tra chung một lần "
            "(Nghị quyết 198/2025/QH15 Điều 4)."
        ),
    )
    notice_sent_at = models.DateTimeField(_("đã gửi thông báo kiểm tra lúc"), null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)
    submission_hash = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Optimistic concurrency: bumped on every change."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    # The state machine, in one place: services refuse any other move.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        State.SCHEDULED: (State.IN_PROGRESS, State.CANCELLED),
        State.IN_PROGRESS: (State.SUBMITTED, State.CANCELLED),
        State.SUBMITTED: (State.SIGNED,),
        State.SIGNED: (),
        State.CANCELLED: (),
    }

    class Meta:
        verbose_name = _("đợt kiểm tra")
        verbose_name_plural = _("đợt kiểm tra")
        ordering = ["-scheduled_for", "-id"]
        indexes = [
            models.Index(fields=["premises", "state"], name="inspection_premises_state_idx"),
            # The sync endpoint pages inspections by (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="inspection_sync_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.premises} · {self.scheduled_for or ''}"

    def can_move_to(self, state: str) -> bool:
        return state in self.TRANSITIONS.get(self.state, ())

    @property
    def is_open_for_work(self) -> bool:
        """Answers, photos, findings and signatures are accepted only while in progress."""
        return self.state == self.State.IN_PROGRESS


class InspectionItem(models.Model):
    """One checklist question frozen into an inspection (text and citations as they were)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="items")
    requirement = models.ForeignKey(
        "inspections.Requirement", on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(max_length=64)
    order = models.PositiveIntegerField(default=0)
    title_vi = models.CharField(max_length=500)
    title_en = models.CharField(max_length=500, blank=True)
    question_vi = models.TextField()
    question_en = models.TextField(blank=True)
    citations = models.JSONField(default=list)
    answer_type = models.CharField(max_length=16)
    required = models.BooleanField(default=True)
    severity = models.CharField(max_length=16)
    evidence = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["inspection", "order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "code"], name="item_unique_code")
        ]

    def __str__(self) -> str:
        return self.code


class Answer(models.Model):
    class Value(models.TextChoices):
        COMPLIANT = "compliant", _("Đạt")
        NON_COMPLIANT = "non_compliant", _("Không đạt")
        NOT_APPLICABLE = "not_applicable", _("Không áp dụng")

    client_uuid = models.UUIDField(unique=True)
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(InspectionItem, on_delete=models.CASCADE, related_name="answers")
    value = models.CharField(max_length=32, choices=Value.choices, blank=True)
    number_value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    note = models.TextField(blank=True)
    answered_at = models.DateTimeField(help_text="Device time of the answer.")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["inspection", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="answer_one_per_item")
        ]


def photo_blob_path(instance: PhotoBlob, filename: str) -> str:
    ext = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(
        instance.content_type, "bin"
    )
    return f"photos/{instance.sha256[:2]}/{instance.sha256}.{ext}"


def photo_print_path(instance: PhotoBlob, filename: str) -> str:
    return f"photos/{instance.sha256[:2]}/{instance.sha256}.print.jpg"


class PhotoBlob(models.Model):
    """Photo bytes stored once per content (SHA-256)."""

    sha256 = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to=photo_blob_path, max_length=255)
    # The photo upright at the size the record prints it, made once at upload so that no
    # record render decodes and scales the phone's full-size picture again.
    print_file = models.FileField(upload_to=photo_print_path, max_length=255, blank=True)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)


class Photo(models.Model):
    client_uuid = models.UUIDField(unique=True)
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    blob = models.ForeignKey(PhotoBlob, on_delete=models.PROTECT, related_name="photos")
    # The item is what the device knows when it takes a photo; the answer may not be synced yet.
    item = models.ForeignKey(
        InspectionItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    finding = models.ForeignKey(
        "inspections.Finding",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
    )
    caption = models.CharField(max_length=500, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "taken_at", "id"]


class Signature(models.Model):
    class Role(models.TextChoices):
        INSPECTOR = "inspector", _("Cán bộ kiểm tra")
        REPRESENTATIVE = "representative", _("Đại diện cơ sở")
        FACILITY_HEAD = "facility_head", _("Người đứng đầu cơ sở")

    client_uuid = models.UUIDField(unique=True)
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(max_length=16, choices=Role.choices)
    signer_name = models.CharField(max_length=200)
    position = models.CharField(max_length=200, blank=True)
    image = models.FileField(upload_to="signatures/%Y/%m/", max_length=255)
    sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "role"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "role"], name="signature_one_per_role")
        ]


class SyncTombstone(models.Model):
    """An inspection a user lost access to (unassigned, cancelled, left the authority or no longer
    heads the premises): sync tells the device to drop it.

    Deleted again when the user is re-assigned, so a tombstone never outlives the access it ends.
    """

    class Reason(models.TextChoices):
        UNASSIGNED = "unassigned", _("Không còn được phân công")
        CANCELLED = "cancelled", _("Đợt kiểm tra đã hủy")
        REVOKED = "revoked", _("Không còn quyền truy cập")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sync_tombstones"
    )
    inspection_id_value = models.BigIntegerField()
    inspection_uuid = models.UUIDField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "inspection_id_value"], name="tombstone_one_per_user_inspection"
            )
        ]
