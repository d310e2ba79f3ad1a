"""Fire-safety training certificates of the people of a premises (Law Art. 45)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from inspections.inputs import validate_sane_date


class TrainingDuty(models.TextChoices):
    """Why the holder must be trained (Law Art. 45.1 points c, d, đ, e, g)."""

    HEAD = "head", _("Người đứng đầu cơ sở")
    TEAM_MEMBER = "team_member", _("Thành viên Đội PCCC và CNCH")
    ASSIGNED = "assigned", _("Người được phân công nhiệm vụ PCCC, kiểm tra PCCC")
    HAZARDOUS_WORK = "hazardous_work", _("Người làm việc trong môi trường nguy hiểm cháy, nổ")
    CREW = "crew", _("Người điều khiển, người làm việc trên phương tiện")


class TrainingKind(models.TextChoices):
    FULL = "full", _("Huấn luyện nghiệp vụ (chu kỳ 5 năm)")
    REFRESHER = "refresher", _("Bồi dưỡng bổ sung hằng năm")


class TrainingCertificate(models.Model):
    """A fire-safety training certificate of one person for one duty (Art. 45.1, Decree 105
    Art. 29.4): full training every 5 years, a refresher every year."""

    premises = models.ForeignKey(
        "inspections.Premises", on_delete=models.CASCADE, related_name="training_certificates"
    )
    holder_name = models.CharField(_("người được cấp"), max_length=200)
    role = models.CharField(_("chức danh"), max_length=120, blank=True)
    duty = models.CharField(
        _("đối tượng huấn luyện"),
        max_length=16,
        choices=TrainingDuty.choices,
        default=TrainingDuty.HEAD,
    )
    training_kind = models.CharField(
        _("loại"), max_length=16, choices=TrainingKind.choices, default=TrainingKind.FULL
    )
    number = models.CharField(_("số chứng nhận"), max_length=64, blank=True)
    issued_on = models.DateField(
        _("ngày cấp"), null=True, blank=True, validators=[validate_sane_date]
    )
    expires_on = models.DateField(
        _("ngày hết hạn"), null=True, blank=True, db_index=True, validators=[validate_sane_date]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chứng nhận huấn luyện")
        verbose_name_plural = _("chứng nhận huấn luyện")
        ordering = ["expires_on", "id"]

    def __str__(self) -> str:
        return f"{self.holder_name} ({self.number})"
