"""Per-authority signing keys and the earlier revisions of long-term signed records."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuthoritySigner(models.Model):
    """Where an authority's own signing key lives; records it inspects are signed with it.

    No secret is stored here: the PIN (PKCS#11) or passphrase (PKCS#12) is read from the named
    environment variable or file on the worker that signs.
    """

    class Backend(models.TextChoices):
        PKCS12 = "pkcs12", _("Tệp PKCS#12")
        PKCS11 = "pkcs11", _("Thiết bị ký số (token/HSM, PKCS#11)")

    authority = models.OneToOneField(
        "accounts.Authority", on_delete=models.CASCADE, related_name="signer"
    )
    backend = models.CharField(_("nơi giữ khóa"), max_length=16, choices=Backend.choices)
    enabled = models.BooleanField(_("đang dùng"), default=True)
    p12_path = models.CharField(_("đường dẫn tệp PKCS#12"), max_length=500, blank=True)
    pkcs11_module = models.CharField(_("thư viện PKCS#11"), max_length=500, blank=True)
    pkcs11_token_label = models.CharField(_("nhãn token"), max_length=100, blank=True)
    pkcs11_key_label = models.CharField(_("nhãn khóa"), max_length=100, blank=True)
    pkcs11_cert_label = models.CharField(_("nhãn chứng thư số"), max_length=100, blank=True)
    secret_env = models.CharField(
        _("biến môi trường chứa PIN/mật khẩu"), max_length=100, blank=True
    )
    secret_file = models.CharField(_("tệp chứa PIN/mật khẩu"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("khóa ký số của cơ quan")
        verbose_name_plural = _("khóa ký số của cơ quan")

    def __str__(self) -> str:
        return f"{self.authority} ({self.get_backend_display()})"

    def clean(self) -> None:
        if not (self.secret_env or self.secret_file):
            raise ValidationError(
                _("Cần tên biến môi trường hoặc tệp chứa PIN/mật khẩu (không lưu bí mật ở đây).")
            )
        if self.backend == self.Backend.PKCS12 and not self.p12_path:
            raise ValidationError({"p12_path": _("Cần đường dẫn tệp PKCS#12.")})
        if self.backend == self.Backend.PKCS11:
            missing = {
                name: _("Bắt buộc với PKCS#11.")
                for name in ("pkcs11_module", "pkcs11_token_label", "pkcs11_key_label")
                if not getattr(self, name)
            }
            if missing:
                raise ValidationError(missing)


class ReportRevision(models.Model):
    """A file a record had before a long-term upgrade or timestamp renewal replaced it.

    Copies handed out earlier stay genuine records: /verify/ recognises their hash too.
    """

    report = models.ForeignKey(
        "inspections.Report", on_delete=models.CASCADE, related_name="revisions"
    )
    sha256 = models.CharField(max_length=64, db_index=True)
    level = models.CharField(max_length=8, blank=True)
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản trước của biên bản")
        verbose_name_plural = _("phiên bản trước của biên bản")
        constraints = [
            models.UniqueConstraint(fields=["report", "sha256"], name="report_revision_once")
        ]
