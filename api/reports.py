"""Signed records: status and download for those who may see the inspection; public verification."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from config.private_files import serve_private_file
from inspections import access
from inspections.models import Inspection, Report
from inspections.selectors.reports import report_of, verification_url
from inspections.services import reports as report_service

from .errors import ApiError
from .schema import error_responses

TAG = ["reports"]


class ReportOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Report.Status.choices)
    form = serializers.ChoiceField(choices=Report.Form.choices)
    failure_reason = serializers.CharField(allow_blank=True)
    verification_code = serializers.CharField()
    verification_url = serializers.CharField()
    sha256 = serializers.CharField(allow_blank=True)
    signer = serializers.CharField(allow_blank=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    download_url = serializers.CharField(allow_null=True)


def _report_of(user, pk: int) -> tuple[Inspection, Report]:
    inspection = access.access_inspection(user, pk)
    report = report_of(inspection)
    if report is None:
        if inspection.state not in report_service.REPORTABLE_STATES:
            raise ApiError(
                "report_not_available",
                _("Đợt kiểm tra chưa được nộp nên chưa có biên bản."),
                status_code=404,
            )
        # Submitted but the row is missing (lost message): show it as pending and queue it.
        report = report_service.queue_report(inspection)
    return inspection, report


class ReportStatusApi(APIView):
    @extend_schema(
        tags=TAG,
        operation_id="inspections_report",
        summary="Status of the signed record of an inspection",
        description=(
            "`pending` while it is rendered and signed, `ready` with a `download_url`, or "
            "`failed` with `failure_reason` (retried automatically)."
        ),
        responses={200: ReportOutput, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        inspection, report = _report_of(request.user, pk)
        ready = report.status == Report.Status.READY
        return Response(
            ReportOutput(
                {
                    "status": report.status,
                    "form": report.form,
                    "failure_reason": (
                        report.failure_reason if report.status == Report.Status.FAILED else ""
                    ),
                    "verification_code": report.verification_code,
                    "verification_url": verification_url(report.verification_code),
                    "sha256": report.sha256 if ready else "",
                    "signer": report.signer if ready else "",
                    "signed_at": report.signed_at if ready else None,
                    "download_url": (
                        request.build_absolute_uri(
                            reverse("api:inspection-report-pdf", kwargs={"pk": inspection.pk})
                        )
                        if ready
                        else None
                    ),
                }
            ).data
        )


class ReportPdfApi(APIView):
    @extend_schema(
        tags=TAG,
        operation_id="inspections_report_pdf",
        summary="Download the signed record (PDF)",
        description=(
            "The official signed record in Vietnamese. `?lang=en` gives an English translation: "
            "unsigned, marked on every page as not the record, rendered once and kept. With S3 "
            "storage the answer is a 302 to a pre-signed URL valid for a minute."
        ),
        parameters=[OpenApiParameter("lang", str, enum=["vi", "en"], required=False)],
        responses={
            (200, "application/pdf"): bytes,
            302: None,
            **error_responses(401, 404, 409),
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        _inspection, report = _report_of(request.user, pk)
        if report.status != Report.Status.READY or not report.file:
            raise ApiError(
                "report_not_ready",
                _("Biên bản đang được tạo, vui lòng thử lại sau."),
                status_code=409,
                extra={"status": report.status},
            )
        if request.query_params.get("lang") == "en":
            return serve_private_file(
                request,
                report_service.english_copy(report),
                download_name=f"bien-ban-{report.verification_code}-en-translation-unsigned.pdf",
                content_type="application/pdf",
            )
        response = serve_private_file(
            request,
            report.file,
            download_name=f"bien-ban-{report.verification_code}.pdf",
            content_type="application/pdf",
        )
        response["X-Content-SHA256"] = report.sha256
        return response


class VerifyApi(APIView):
    """Anyone may ask whether a PDF is an unaltered record of this system; nothing else leaks."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "verify"

    @extend_schema(
        tags=TAG,
        operation_id="verify_record",
        summary="Verify an inspection record PDF",
        description=(
            "`valid`: signed by this system, intact, and a record it issued (then the public "
            "verification page is given); `altered`: carries this system's signature but was "
            "changed after signing; `untrusted`: a record it issued, unaltered, whose signing "
            "certificate cannot be trusted today; `unknown`: anything else. `signature` says "
            "what the file's signature proves: signer and organisation, the signing time proven "
            "by a timestamp, the PAdES level and until when its archival timestamp holds."
        ),
        request={
            "multipart/form-data": inline_serializer(
                "VerifyUpload", {"file": serializers.FileField()}
            )
        },
        responses={
            200: inline_serializer(
                "VerifyResult",
                {
                    "result": serializers.ChoiceField(
                        choices=["valid", "altered", "untrusted", "unknown"]
                    ),
                    "verification_url": serializers.CharField(required=False),
                    "signature": inline_serializer(
                        "VerifySignature",
                        {
                            "signer": serializers.CharField(),
                            "organisation": serializers.CharField(),
                            "proven_signing_time": serializers.CharField(
                                help_text="Signing time proven by a timestamp ('' if none)."
                            ),
                            "unaltered": serializers.BooleanField(),
                            "trusted": serializers.BooleanField(),
                            "level": serializers.CharField(help_text="B-B, B-T, B-LT or B-LTA"),
                            "long_term": serializers.BooleanField(),
                            "archive_valid_until": serializers.CharField(),
                            "problem": serializers.CharField(),
                        },
                        required=False,
                    ),
                },
            ),
            **error_responses(400, 429),
        },
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise ApiError(
                "invalid",
                _("Dữ liệu gửi lên không hợp lệ."),
                fields={"file": [str(_("Hãy chọn tệp PDF của biên bản."))]},
            )
        if upload.size > settings.RECORD_CHECK_MAX_BYTES:
            mb = settings.RECORD_CHECK_MAX_BYTES // (1024 * 1024)
            raise ApiError(
                "invalid",
                _("Dữ liệu gửi lên không hợp lệ."),
                fields={"file": [str(_("Tệp quá lớn (tối đa %(mb)d MB).") % {"mb": mb})]},
            )
        verdict = report_service.verify_upload(upload.read())
        body: dict = {"result": verdict.verdict}
        if verdict.report is not None:
            body["verification_url"] = verification_url(verdict.report.verification_code)
        if verdict.check is not None:
            # What the uploaded file's own signature says: nothing the uploader does not hold.
            check = verdict.check
            body["signature"] = {
                "signer": check.signer,
                "organisation": check.organisation,
                "proven_signing_time": check.proven_time,
                "unaltered": check.intact and check.covers_whole_file,
                "trusted": check.trusted,
                "level": check.level,
                "long_term": check.long_term,
                "archive_valid_until": check.archive_valid_until,
                "problem": check.problem,
            }
        return Response(body)
