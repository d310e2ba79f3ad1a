"""The fire-safety dossier (hồ sơ PCCC, Decree 105 Art. 4) and the forms generated for it."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .reports import new_verification_code

# Decree 105 Art. 4.4: items g, h, i, l and n are kept at least 5 years from the year they were
# made or issued. Read as "through 31 December of the fifth year after that year" (the longer
# reading: a document made in 2024 is kept until the end of 2029).
RETAINED_ITEMS = frozenset({"g", "h", "i", "l", "n"})
RETENTION_YEARS = 5


class DossierItem(models.TextChoices):
    """The documents of Art. 4.1, by the decree's own letters."""

    A = "a", _("Phiếu thông tin của cơ sở (Mẫu số PC01)")
    B = "b", _("Nội quy phòng cháy, chữa cháy, cứu nạn, cứu hộ")
    C = "c", _("Văn bản thẩm duyệt, thẩm định thiết kế, chấp thuận kết quả nghiệm thu về PCCC")
    D = "d", _("Quyết định thành lập Đội PCCC và CNCH cơ sở, thông báo kết quả huấn luyện")
    DD = "đ", _("Phương án chữa cháy, cứu nạn, cứu hộ của cơ sở (Mẫu số PC06)")
    E = "e", _("Sổ theo dõi phương tiện phòng cháy, chữa cháy, cứu nạn, cứu hộ")
    G = "g", _("Biên bản tự kiểm tra về phòng cháy, chữa cháy (Mẫu số PC02)")
    H = "h", _("Báo cáo kết quả thực hiện công tác PCCC và CNCH (Mẫu số PC04)")
    I = "i", _("Giấy chứng nhận bảo hiểm cháy, nổ bắt buộc")  # noqa: E741 - the decree's letter
    K = "k", _("Bản vẽ hoàn công hệ thống, hạng mục liên quan đến PCCC")
    L = "l", _("Thông báo kết quả xác minh, giải quyết vụ cháy của cơ quan Công an")
    M = "m", _("Biên bản kiểm tra về phòng cháy, chữa cháy của cơ quan quản lý (Mẫu số PC03)")
    N = "n", _("Biên bản vi phạm hành chính, quyết định xử phạt, tạm đình chỉ, đình chỉ, kiến nghị")
    O = "o", _("Văn bản phân công người thực hiện kiểm tra về PCCC tại cơ sở")  # noqa: E741


def retained_until(item: str, made_on: date) -> date | None:
    """Last day a document of this item must be kept; None when the decree sets no minimum."""
    if item not in RETAINED_ITEMS:
        return None
    return date(made_on.year + RETENTION_YEARS, 12, 31)


class FormDocument(models.Model):
    """A form the system fills for the head: PC01 information sheet, PC04 half-year report.

    A PC04 starts as a draft generated from what the system knows, the head edits it, then
    sends it: the worker renders and signs it (like a record) and the managing authority sees
    it in its portal.
    """

    class Form(models.TextChoices):
        PC01 = "pc01", _("Phiếu thông tin của cơ sở (PC01)")
        PC04 = "pc04", _("Báo cáo kết quả thực hiện công tác PCCC (PC04)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PENDING = "pending", _("Đang ký")
        READY = "ready", _("Đã ký")
        FAILED = "failed", _("Lỗi")

    premises = models.ForeignKey(
        "inspections.Premises", on_delete=models.PROTECT, related_name="form_documents"
    )
    form = models.CharField(max_length=8, choices=Form.choices)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # PC04: the half-year reported on (ends 15 June or 15 December, Art. 14.2).
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    # What the form prints: generated, then edited by the head while a draft.
    content = models.JSONField(default=dict, blank=True)
    # Which edition of the form applies (PC01: Decree 105 until 14 Sept 2026, Decree 347 after).
    edition = models.CharField(max_length=32, blank=True)
    recipient = models.ForeignKey(
        "accounts.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_forms",
    )
    language = models.CharField(max_length=2, default="vi")
    verification_code = models.CharField(max_length=16, unique=True, default=new_verification_code)
    file = models.FileField(upload_to="forms/%Y/%m/", max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    signer = models.CharField(max_length=500, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("biểu mẫu")
        verbose_name_plural = _("biểu mẫu")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["premises", "period_end"],
                condition=models.Q(form="pc04"),
                name="form_one_pc04_per_half_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} — {self.premises_id} ({self.get_status_display()})"


class DossierDocument(models.Model):
    """One document of a premises' dossier: uploaded by the head or generated by the system."""

    class Origin(models.TextChoices):
        UPLOADED = "uploaded", _("Tải lên")
        GENERATED = "generated", _("Hệ thống tạo")

    premises = models.ForeignKey(
        "inspections.Premises", on_delete=models.PROTECT, related_name="dossier_documents"
    )
    item = models.CharField(_("mục (Điều 4.1)"), max_length=2, choices=DossierItem.choices)
    title = models.CharField(_("tên tài liệu"), max_length=255)
    made_on = models.DateField(_("ngày lập, ban hành"))
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.UPLOADED)
    file = models.FileField(upload_to="dossier/%Y/%m/", max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    report = models.OneToOneField(
        "inspections.Report",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossier_document",
    )
    form_document = models.OneToOneField(
        FormDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossier_document",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Removed by the head: hidden at once, the file purged later (never while retained).
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("tài liệu hồ sơ PCCC")
        verbose_name_plural = _("hồ sơ PCCC")
        ordering = ["premises", "item", "-made_on", "-id"]
        indexes = [
            models.Index(fields=["premises", "item"], name="dossier_premises_item_idx"),
            models.Index(fields=["item", "made_on"], name="dossier_retention_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.item}) {self.title}"

    @property
    def retained_until(self) -> date | None:
        return retained_until(self.item, self.made_on)

    def is_retained_on(self, day: date) -> bool:
        until = self.retained_until
        return until is not None and day <= until
