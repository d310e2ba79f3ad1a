"""The legal catalogue: documents, provisions (verbatim text), versioned requirements, parameters."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Confidence(models.TextChoices):
    VERIFIED = "verified", _("Đã xác minh")
    SECONDARY = "secondary", _("Nguồn thứ cấp")
    UNCONFIRMED = "unconfirmed", _("Chưa xác nhận")


class LegalDocument(models.Model):
    class Kind(models.TextChoices):
        LAW = "law", _("Luật")
        DECREE = "decree", _("Nghị định")
        CIRCULAR = "circular", _("Thông tư")
        RESOLUTION = "resolution", _("Nghị quyết")
        STANDARD = "standard", _("Tiêu chuẩn")

    code = models.CharField(_("số hiệu"), max_length=64, unique=True)
    kind = models.CharField(_("loại văn bản"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("tên văn bản"), max_length=500)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_on = models.DateField(_("ngày hiệu lực"), null=True, blank=True)
    # A source whose text is not confirmed against the gazette stays "pending": it may be cited
    # by a draft, and the admin lists it until an administrator confirms it.
    confidence = models.CharField(
        _("độ tin cậy"),
        max_length=16,
        choices=Confidence.choices,
        default=Confidence.VERIFIED,
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"


class Provision(models.Model):
    """Article / clause / point of a document, with its verbatim Vietnamese text."""

    document = models.ForeignKey(LegalDocument, on_delete=models.CASCADE, related_name="provisions")
    article = models.PositiveSmallIntegerField(_("điều"))
    clause = models.PositiveSmallIntegerField(_("khoản"), null=True, blank=True)
    point = models.CharField(_("điểm"), max_length=2, blank=True)
    heading = models.CharField(_("tên điều"), max_length=500, blank=True)
    text_vi = models.TextField(_("nội dung"))
    confidence = models.CharField(
        max_length=16, choices=Confidence.choices, default=Confidence.VERIFIED
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("điều khoản")
        verbose_name_plural = _("điều khoản")
        ordering = ["document", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "article", "clause", "point"], name="provision_unique_ref"
            ),
        ]

    def __str__(self) -> str:
        return self.label_vi

    @property
    def label_vi(self) -> str:
        from inspections.legal.citations import citation_label

        return citation_label(self.document.code, self.article, self.clause, self.point, "vi")


class CatalogueVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đã ban hành")

    label = models.CharField(_("phiên bản"), max_length=32, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The law as in force from this date: obligations for a date and inspections held on it use
    # the published version with the latest effective date not after it.
    effective_on = models.DateField(_("ngày áp dụng"), null=True, blank=True, db_index=True)
    legal_basis = models.ManyToManyField(
        LegalDocument,
        blank=True,
        related_name="catalogue_versions",
        verbose_name=_("căn cứ pháp lý"),
    )
    # Requirements an amendment removed from the base version, with the repealing provisions
    # ({code: [citation, ...]}): the change notice cites them for an obligation that ends.
    repealed = models.JSONField(_("yêu cầu bị bãi bỏ"), default=dict, blank=True)

    class Meta:
        verbose_name = _("phiên bản danh mục")
        verbose_name_plural = _("phiên bản danh mục")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Nghiêm trọng")
    MAJOR = "major", _("Quan trọng")
    MINOR = "minor", _("Nhẹ")


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("Đạt / Không đạt")
    YES_NO_NA = "yes_no_na", _("Đạt / Không đạt / Không áp dụng")
    NUMBER = "number", _("Số đo")
    TEXT = "text", _("Ghi chú")


class Requirement(models.Model):
    version = models.ForeignKey(
        CatalogueVersion, on_delete=models.CASCADE, related_name="requirements"
    )
    code = models.CharField(_("mã"), max_length=64)
    title_vi = models.CharField(_("tiêu đề"), max_length=500)
    title_en = models.CharField(_("tiêu đề (tiếng Anh)"), max_length=500, blank=True)
    question_vi = models.TextField(_("câu hỏi kiểm tra"))
    question_en = models.TextField(_("câu hỏi kiểm tra (tiếng Anh)"), blank=True)
    premises_kinds = models.JSONField(_("áp dụng cho loại"), default=list)
    applicability = models.JSONField(_("điều kiện áp dụng"), default=dict, blank=True)
    evidence = models.JSONField(_("chứng cứ cần có"), default=list, blank=True)
    severity = models.CharField(
        _("mức độ"), max_length=16, choices=Severity.choices, default=Severity.MAJOR
    )
    answer_type = models.CharField(
        max_length=16, choices=AnswerType.choices, default=AnswerType.YES_NO_NA
    )
    required = models.BooleanField(_("bắt buộc trả lời"), default=True)
    deadline_rule = models.JSONField(_("quy tắc thời hạn"), null=True, blank=True)
    advice = models.BooleanField(
        _("chỉ khuyến khích"),
        default=False,
        help_text=_("Khuyến nghị, không phải nghĩa vụ (ví dụ nhà ở ngoài khu vực Điều 20.5)."),
    )
    decree_points = models.JSONField(
        _("điểm khoản 1 Điều 13 Nghị định 105"),
        default=list,
        blank=True,
        help_text=_("Nội dung kiểm tra (điểm a–p khoản 1 Điều 13 Nghị định 105/2025/NĐ-CP)."),
    )
    order = models.PositiveIntegerField(default=0)
    # The amending provisions that changed or added this requirement in its version
    # ([{document, article, clause, point, text_vi, confidence}]); cited in change notices.
    amended_by = models.JSONField(_("sửa đổi bởi"), default=list, blank=True)
    provisions = models.ManyToManyField(Provision, through="Citation", related_name="requirements")

    class Meta:
        verbose_name = _("yêu cầu")
        verbose_name_plural = _("yêu cầu")
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="requirement_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title_vi}"


class Citation(models.Model):
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="citations")
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="citations")
    confidence = models.CharField(
        max_length=16, choices=Confidence.choices, default=Confidence.VERIFIED
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("trích dẫn")
        verbose_name_plural = _("trích dẫn")
        ordering = ["requirement", "order"]


class DecreeParameter(models.Model):
    """A decree-derived number or list (threshold, frequency, milestone) with source and confidence."""

    version = models.ForeignKey(
        CatalogueVersion, on_delete=models.CASCADE, related_name="parameters"
    )
    key = models.CharField(_("khóa"), max_length=128)
    value = models.JSONField(_("giá trị"))
    description = models.TextField(_("mô tả"), blank=True)
    source = models.CharField(_("nguồn"), max_length=500)
    confidence = models.CharField(max_length=16, choices=Confidence.choices)
    note = models.TextField(blank=True)
    amended_by = models.JSONField(_("sửa đổi bởi"), default=list, blank=True)

    class Meta:
        verbose_name = _("tham số nghị định")
        verbose_name_plural = _("tham số nghị định")
        ordering = ["version", "key"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="parameter_unique_key")
        ]

    def __str__(self) -> str:
        return self.key
