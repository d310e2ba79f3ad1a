"""Public verification of signed records: by the code printed on every page, or by upload."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from inspections import access
from inspections.selectors.forms import form_by_code
from inspections.selectors.reports import report_by_code
from inspections.services.reports import verify_upload
from portal import ratelimit


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp PDF của biên bản"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.RECORD_CHECK_MAX_BYTES:
            mb = settings.RECORD_CHECK_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(_("Tệp quá lớn (tối đa %(mb)d MB).") % {"mb": mb})
        return upload


def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """What the QR code opens: the record's identity, or a plain "not found"."""
    report = report_by_code(code)
    if report is None and (form := form_by_code(code)) is not None:
        # PC01 / PC04 signed for a head carry the same footer code.
        return render(request, "verify/form.html", {"form_document": form, "form": UploadForm()})
    status = 200 if report else 404
    # Anyone holding the paper learns only what proves it authentic; the premises, the file's
    # hash and the download are for those the access module lets see the inspection.
    may_open = report is not None and access.can_view_report(request.user, report)
    return render(
        request,
        "verify/record.html",
        {"report": report, "code": code, "form": UploadForm(), "may_open": may_open},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def verify_upload_page(request: HttpRequest) -> HttpResponse:
    verdict = None
    if request.method == "POST":
        wait = ratelimit.retry_after("verify_upload", f"ip:{ratelimit.client_address(request)}")
        if wait is not None:
            return ratelimit.too_many_requests(request, wait)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        verdict = verify_upload(form.cleaned_data["file"].read())
    return render(request, "verify/upload.html", {"form": form, "verdict": verdict})
