"""Inspections API for the mobile app: list, detail, schedule, start, record, submit.

Every write carries or creates a client UUID: a retry of the same request is answered with the
stored object (200), a first success with 201. A 409 carries the stored object in ``current``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from accounts.models import Authority
from inspections import access
from inspections.models import Answer, Inspection, Severity, Signature
from inspections.selectors.inspections import inspection_detail, inspection_list
from inspections.services import inspections as services
from inspections.services import remediation

from .errors import ApiError
from .fields import SaneDateField, SaneDateTimeField
from .inspections_output import (
    AnswerOutput,
    FindingOutput,
    InspectionDetailOutput,
    InspectionOutput,
    PhotoOutput,
    SignatureOutput,
)
from .pagination import StandardPagination
from .schema import ErrorSerializer, error_responses

TAG = ["inspections"]
# Ids are 64-bit in the database: a larger number is a validation error, not a crash.
ID_MAX = 2**63 - 1


class ConflictSerializer(ErrorSerializer):
    current = serializers.JSONField(
        required=False, help_text="The stored object, so the device can reconcile."
    )

    class Meta:
        ref_name = "Conflict"


CONFLICT = {409: OpenApiResponse(ConflictSerializer, description="Stored state differs.")}


class UploadApi(APIView):
    throttle_classes = [UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "uploads"


def _created(data: Any, created: bool) -> Response:
    return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# --- List, detail, create -------------------------------------------------------------------


class InspectionListApi(APIView):
    class FilterInput(serializers.Serializer):
        state = serializers.ChoiceField(choices=Inspection.State.choices, required=False)
        kind = serializers.ChoiceField(choices=Inspection.Kind.choices, required=False)
        premises = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)

        class Meta:
            ref_name = "InspectionListFilterInput"

    class CreateInput(serializers.Serializer):
        premises = serializers.IntegerField(min_value=1, max_value=ID_MAX)
        authority = serializers.IntegerField(min_value=1, max_value=ID_MAX)
        kind = serializers.ChoiceField(
            choices=[
                Inspection.Kind.PERIODIC,
                Inspection.Kind.UNANNOUNCED,
                Inspection.Kind.REINSPECTION,
            ]
        )
        scheduled_for = SaneDateField()
        inspectors = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
            required=False,
            default=list,
        )
        client_uuid = serializers.UUIDField(required=False)
        place = serializers.CharField(required=False, default="", allow_blank=True, max_length=255)
        cap_override_reason = serializers.CharField(
            required=False,
            default="",
            allow_blank=True,
            max_length=2000,
            help_text="Past the yearly cap (Resolution 198): the reason; managers only.",
        )
        unannounced_reason = serializers.CharField(
            required=False,
            default="",
            allow_blank=True,
            max_length=2000,
            help_text="Required for an unannounced inspection (Decree 105 Art. 14.5).",
        )
        joint_authority = serializers.IntegerField(
            required=False,
            allow_null=True,
            min_value=1,
            max_value=ID_MAX,
            help_text="Appendix II business: the other authority inspecting jointly.",
        )

        class Meta:
            ref_name = "InspectionListCreateInput"

    @extend_schema(
        tags=TAG,
        operation_id="inspections_list",
        summary="Inspections the caller may see",
        parameters=[FilterInput],
        responses={200: InspectionOutput(many=True), **error_responses(400, 401)},
    )
    def get(self, request: Request) -> Response:
        params = self.FilterInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        qs = inspection_list(
            request.user,
            state=params.validated_data.get("state"),
            kind=params.validated_data.get("kind"),
            premises_id=params.validated_data.get("premises"),
        )
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(InspectionOutput(page, many=True).data)

    @extend_schema(
        tags=TAG,
        operation_id="inspections_schedule",
        summary="Schedule an inspection and assign inspectors (managers)",
        request=CreateInput,
        responses={
            201: InspectionDetailOutput,
            200: OpenApiResponse(InspectionDetailOutput, description="Replay of the same UUID."),
            **error_responses(400, 401, 403, 404),
            **CONFLICT,
        },
        examples=[
            OpenApiExample(
                "Periodic inspection",
                request_only=True,
                value={
                    "premises": 12,
                    "authority": 3,
                    "kind": "periodic",
                    "scheduled_for": "2026-12-01",
                    "inspectors": [7],
                    "client_uuid": "3f1c2b7e-9a51-4c1e-8f7e-2d9c0f6b1a11",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        data = self.CreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        premises = access.access_premises(request.user, v["premises"])
        authority = get_object_or_404(Authority, pk=v["authority"])
        joint = None
        if v.get("joint_authority"):
            joint = get_object_or_404(Authority, pk=v["joint_authority"])
        inspection, created = services.create_inspection(
            user=request.user,
            premises=premises,
            authority=authority,
            kind=v["kind"],
            scheduled_for=v["scheduled_for"],
            # Ids: the service names only ids in its refusals, whoever they belong to.
            inspectors=v["inspectors"],
            client_uuid=v.get("client_uuid"),
            place=v["place"],
            cap_override_reason=v["cap_override_reason"],
            unannounced_reason=v["unannounced_reason"],
            joint_authority=joint,
        )
        return _created(
            InspectionDetailOutput(inspection_detail(request.user, inspection.pk)).data, created
        )


class InspectionStartUnplannedApi(APIView):
    class Input(serializers.Serializer):
        client_uuid = serializers.UUIDField()
        premises = serializers.IntegerField(min_value=1, max_value=ID_MAX)
        kind = serializers.ChoiceField(
            choices=[
                Inspection.Kind.UNANNOUNCED,
                Inspection.Kind.PERIODIC,
                Inspection.Kind.REINSPECTION,
                Inspection.Kind.SELF,
            ]
        )
        authority = serializers.IntegerField(
            required=False,
            allow_null=True,
            min_value=1,
            max_value=ID_MAX,
            help_text="Omit for a self-inspection.",
        )
        started_at = SaneDateTimeField(required=False)
        place = serializers.CharField(required=False, default="", allow_blank=True, max_length=255)
        cap_override_reason = serializers.CharField(
            required=False,
            default="",
            allow_blank=True,
            max_length=2000,
            help_text="Past the yearly cap (Resolution 198): the reason; managers only.",
        )
        unannounced_reason = serializers.CharField(
            required=False,
            default="",
            allow_blank=True,
            max_length=2000,
            help_text="Required for an unannounced inspection (Decree 105 Art. 14.5).",
        )

        class Meta:
            ref_name = "InspectionStartUnplannedInput"

    @extend_schema(
        tags=TAG,
        operation_id="inspections_start_unplanned",
        summary="Start an unplanned inspection on the device (inspectors) or a self-inspection (heads)",
        request=Input,
        responses={
            201: InspectionDetailOutput,
            200: OpenApiResponse(InspectionDetailOutput, description="Replay of the same UUID."),
            **error_responses(400, 401, 403, 404),
            **CONFLICT,
        },
        examples=[
            OpenApiExample(
                "Unannounced",
                request_only=True,
                value={
                    "client_uuid": "0b7f6a52-3c1d-4d43-9d9e-5b1d6f2e8c01",
                    "premises": 12,
                    "kind": "unannounced",
                    "authority": 3,
                    "started_at": "2026-11-23T08:30:00+07:00",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        premises = access.access_premises(request.user, v["premises"])
        authority = None
        if v.get("authority"):
            authority = get_object_or_404(Authority, pk=v["authority"])
        inspection, created = services.start_unplanned_inspection(
            user=request.user,
            premises=premises,
            client_uuid=v["client_uuid"],
            kind=v["kind"],
            authority=authority,
            started_at=v.get("started_at"),
            place=v["place"],
            cap_override_reason=v["cap_override_reason"],
            unannounced_reason=v["unannounced_reason"],
        )
        return _created(
            InspectionDetailOutput(inspection_detail(request.user, inspection.pk)).data, created
        )


class InspectionDetailApi(APIView):
    @extend_schema(
        tags=TAG,
        operation_id="inspections_detail",
        summary="One inspection with items, answers, photos, findings and signatures",
        responses={200: InspectionDetailOutput, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(InspectionDetailOutput(inspection_detail(request.user, pk)).data)


# --- State changes --------------------------------------------------------------------------


class InspectionStartApi(APIView):
    class Input(serializers.Serializer):
        started_at = SaneDateTimeField(required=False, help_text="Device time.")

        class Meta:
            ref_name = "InspectionStartInput"

    @extend_schema(
        tags=TAG,
        operation_id="inspections_start",
        summary="Start a scheduled inspection (starting again is a success)",
        request=Input,
        responses={200: InspectionOutput, **error_responses(400, 401, 403, 404), **CONFLICT},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        inspection = access.access_inspection(request.user, pk, write=True)
        inspection, _ = services.start_inspection(
            user=request.user,
            inspection=inspection,
            started_at=data.validated_data.get("started_at"),
        )
        return Response(InspectionOutput(inspection).data)


class InspectionCancelApi(APIView):
    class Input(serializers.Serializer):
        reason = serializers.CharField(max_length=2000)

        class Meta:
            ref_name = "InspectionCancelInput"

    @extend_schema(
        tags=TAG,
        operation_id="inspections_cancel",
        summary="Cancel an inspection (managers)",
        request=Input,
        responses={200: InspectionOutput, **error_responses(400, 401, 403, 404), **CONFLICT},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        inspection = access.access_inspection(request.user, pk)
        inspection = services.cancel_inspection(
            user=request.user, inspection=inspection, reason=data.validated_data["reason"]
        )
        return Response(InspectionOutput(inspection).data)


class InspectionAssignApi(APIView):
    class Input(serializers.Serializer):
        inspectors = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=ID_MAX)
        )

        class Meta:
            ref_name = "InspectionAssignInput"

    @extend_schema(
        tags=TAG,
        operation_id="inspections_assign",
        summary="Replace the assigned inspectors (managers)",
        request=Input,
        responses={200: InspectionOutput, **error_responses(400, 401, 403, 404)},
    )
    def put(self, request: Request, pk: int) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        inspection = access.access_inspection(request.user, pk)
        inspection = services.assign_inspectors(
            user=request.user, inspection=inspection, inspectors=data.validated_data["inspectors"]
        )
        return Response(InspectionOutput(inspection).data)


# --- Answers --------------------------------------------------------------------------------


class AnswersBatchResultOutput(serializers.Serializer):
    client_uuid = serializers.UUIDField()
    status = serializers.ChoiceField(choices=["created", "updated", "unchanged", "conflict"])
    detail = serializers.CharField()
    answer = AnswerOutput(allow_null=True, help_text="What the server now stores.")

    class Meta:
        ref_name = "AnswersBatchResultOutput"


class AnswerRowInput(serializers.Serializer):
    """One answer of a batch."""

    client_uuid = serializers.UUIDField()
    item = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="InspectionItem id from sync."
    )
    value = serializers.ChoiceField(
        choices=Answer.Value.choices, required=False, default="", allow_blank=True
    )
    number_value = serializers.DecimalField(
        max_digits=14, decimal_places=3, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=settings.NOTE_MAX_CHARS
    )
    answered_at = SaneDateTimeField(help_text="Device time of the answer.")

    class Meta:
        ref_name = "AnswerRowInput"


class AnswersBatchApi(APIView):
    class Input(serializers.Serializer):
        version = serializers.IntegerField(
            min_value=1, max_value=ID_MAX, help_text="The inspection version the device last saw."
        )
        answers = AnswerRowInput(many=True, min_length=1, max_length=500)

        class Meta:
            ref_name = "AnswersBatchInput"

    class Output(serializers.Serializer):
        inspection_version = serializers.IntegerField()
        results = AnswersBatchResultOutput(many=True)

        class Meta:
            ref_name = "AnswersBatchOutput"

    @extend_schema(
        tags=TAG,
        operation_id="inspections_answers_upsert",
        summary="Upsert a batch of answers in one transaction",
        description=(
            "Per answer: `created`, `updated` (newer device time for the same item), `unchanged` "
            "(a retry), `conflict` (UUID reused with other content, or the stored answer is "
            "newer; `answer` is the stored one). A stale `version` refuses the whole batch with "
            "409 and writes nothing."
        ),
        request={"application/json": Input},
        responses={200: Output, **error_responses(400, 401, 403, 404, 429), **CONFLICT},
        examples=[
            OpenApiExample(
                "Two answers",
                request_only=True,
                value={
                    "version": 3,
                    "answers": [
                        {
                            "client_uuid": "5d2c9b0e-1f44-4a8e-b7a1-3e0c2d9f4a10",
                            "item": 101,
                            "value": "compliant",
                            "answered_at": "2026-11-23T09:01:00+07:00",
                        },
                        {
                            "client_uuid": "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d",
                            "item": 102,
                            "value": "non_compliant",
                            "note": "Bình chữa cháy hết hạn kiểm định",
                            "answered_at": "2026-11-23T09:02:00+07:00",
                        },
                    ],
                },
            ),
            OpenApiExample(
                "Result",
                response_only=True,
                value={
                    "inspection_version": 4,
                    "results": [
                        {
                            "client_uuid": "5d2c9b0e-1f44-4a8e-b7a1-3e0c2d9f4a10",
                            "status": "created",
                            "detail": "",
                            "answer": {"item": 101, "value": "compliant"},
                        }
                    ],
                },
            ),
        ],
    )
    def put(self, request: Request, pk: int) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        inspection = access.access_inspection(request.user, pk, write=True)
        inspection, results = services.record_answers(
            user=request.user,
            inspection=inspection,
            version=data.validated_data["version"],
            answers=[services.AnswerInput(**a) for a in data.validated_data["answers"]],
        )
        # One list serializer for the whole batch: a serializer per answer costs ~3 ms each.
        stored = AnswerOutput([r.answer for r in results if r.answer], many=True).data
        shapes = iter(stored)
        return Response(
            {
                "inspection_version": inspection.version,
                "results": [
                    {
                        "client_uuid": str(r.client_uuid),
                        "status": r.status,
                        "detail": r.detail,
                        "answer": next(shapes) if r.answer else None,
                    }
                    for r in results
                ],
            }
        )


# --- Photos, findings, signatures -----------------------------------------------------------


class PhotoUploadApi(UploadApi):
    parser_classes = [MultiPartParser, FormParser]

    class Input(serializers.Serializer):
        client_uuid = serializers.UUIDField()
        sha256 = serializers.RegexField(
            r"^[0-9a-fA-F]{64}$", help_text="SHA-256 of the file bytes."
        )
        file = serializers.FileField(
            required=False,
            help_text=(
                "JPEG, PNG or WebP; checked by content. May be left out when the server already "
                "has these bytes (same sha256): a resend then costs no upload."
            ),
        )
        item = serializers.IntegerField(
            required=False, allow_null=True, min_value=1, max_value=ID_MAX
        )
        finding = serializers.UUIDField(
            required=False, allow_null=True, help_text="Client UUID of the finding."
        )
        taken_at = SaneDateTimeField(required=False, allow_null=True)
        latitude = serializers.DecimalField(
            max_digits=9,
            decimal_places=6,
            min_value=-90,
            max_value=90,
            required=False,
            allow_null=True,
        )
        longitude = serializers.DecimalField(
            max_digits=9,
            decimal_places=6,
            min_value=-180,
            max_value=180,
            required=False,
            allow_null=True,
        )
        caption = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=500
        )

        class Meta:
            ref_name = "PhotoUploadInput"

    class Output(PhotoOutput):
        inspection_version = serializers.IntegerField(source="inspection.version")

        class Meta(PhotoOutput.Meta):
            ref_name = "PhotoUploadOutput"
            fields = [*PhotoOutput.Meta.fields, "inspection_version"]

    @extend_schema(
        tags=TAG,
        operation_id="inspections_photos_upload",
        summary="Upload a photo (stored once per content; a resend is a success)",
        description=(
            "Send `sha256` and the metadata; the file may be left out first — if the server "
            "does not have those bytes yet it answers 400 `file_required` and the phone sends "
            "again with the file. Photos of a finding not yet sent get 409 "
            "`depends_on_missing` (retry later). Limits: `PHOTO_MAX_BYTES` (413) and "
            "`PHOTO_MAX_PIXELS` (400 `image_too_many_pixels`)."
        ),
        request={"multipart/form-data": Input},
        responses={
            201: Output,
            200: OpenApiResponse(Output, description="Replay: the stored photo."),
            413: OpenApiResponse(ErrorSerializer, description="File too large."),
            **error_responses(400, 401, 403, 404, 429),
            **CONFLICT,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        inspection = access.access_inspection(request.user, pk, write=True)
        upload = v.get("file")
        if upload is not None and upload.size > settings.PHOTO_MAX_BYTES:
            # Refuse before reading a huge body into memory.
            raise ApiError(
                "photo_too_large",
                "Ảnh quá lớn.",
                status_code=413,
                fields={"file": ["Tệp quá lớn."]},
            )
        photo, created = services.add_photo(
            user=request.user,
            inspection=inspection,
            client_uuid=v["client_uuid"],
            sha256=v["sha256"],
            data=upload.read() if upload is not None else None,
            item_id=v.get("item"),
            finding_uuid=v.get("finding"),
            taken_at=v.get("taken_at"),
            latitude=v.get("latitude"),
            longitude=v.get("longitude"),
            caption=v["caption"],
        )
        photo.inspection.refresh_from_db(fields=["version"])
        return _created(self.Output(photo).data, created)


class FindingCreateApi(APIView):
    class Input(serializers.Serializer):
        client_uuid = serializers.UUIDField()
        item = serializers.IntegerField(
            required=False, allow_null=True, min_value=1, max_value=ID_MAX
        )
        requirement = serializers.IntegerField(
            required=False, allow_null=True, min_value=1, max_value=ID_MAX
        )
        description = serializers.CharField(max_length=settings.NOTE_MAX_CHARS)
        severity = serializers.ChoiceField(
            choices=Severity.choices, required=False, default="", allow_blank=True
        )
        remediation_deadline = SaneDateField(required=False, allow_null=True)

        class Meta:
            ref_name = "FindingCreateInput"

    class Output(FindingOutput):
        inspection_version = serializers.IntegerField(source="inspection.version")

        class Meta(FindingOutput.Meta):
            ref_name = "FindingCreateOutput"
            fields = [*FindingOutput.Meta.fields, "inspection_version"]

    @extend_schema(
        tags=TAG,
        operation_id="inspections_findings_create",
        summary="Raise a finding (violation) on an item",
        request=Input,
        responses={
            201: Output,
            200: OpenApiResponse(Output, description="Replay: the stored finding."),
            **error_responses(400, 401, 403, 404),
            **CONFLICT,
        },
        examples=[
            OpenApiExample(
                "Expired extinguishers",
                request_only=True,
                value={
                    "client_uuid": "c0ffee00-1111-4222-8333-444455556666",
                    "item": 102,
                    "description": "03 bình chữa cháy hết hạn kiểm định",
                    "severity": "major",
                    "remediation_deadline": "2026-12-23",
                },
            )
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        inspection = access.access_inspection(request.user, pk, write=True)
        finding, created = services.raise_finding(
            user=request.user,
            inspection=inspection,
            client_uuid=v["client_uuid"],
            item_id=v.get("item"),
            requirement_id=v.get("requirement"),
            description=v["description"],
            severity=v["severity"],
            remediation_deadline=v.get("remediation_deadline"),
        )
        finding.inspection.refresh_from_db(fields=["version"])
        return _created(self.Output(finding).data, created)


class FindingVerificationApi(APIView):
    """The authority confirms a remediation the premises reported, or sends it back."""

    class Input(serializers.Serializer):
        accepted = serializers.BooleanField()
        note = serializers.CharField(
            max_length=settings.NOTE_MAX_CHARS,
            required=False,
            default="",
            allow_blank=True,
            help_text="Required when not accepted: what the premises still has to do.",
        )

        class Meta:
            ref_name = "FindingVerificationInput"

    @extend_schema(
        tags=TAG,
        operation_id="findings_verification_create",
        summary="Confirm (close) or send back a remediated finding",
        request=Input,
        responses={
            200: FindingOutput,
            **error_responses(400, 401, 403, 404),
            409: OpenApiResponse(ErrorSerializer, description="The finding is not remediated."),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        finding = get_object_or_404(
            access.findings_visible_to(request.user).select_related("inspection", "premises"),
            pk=pk,
        )
        finding = remediation.verify_remediation(
            user=request.user,
            finding=finding,
            accepted=data.validated_data["accepted"],
            note=data.validated_data["note"],
        )
        return Response(FindingOutput(finding).data)


class SignatureCreateApi(UploadApi):
    parser_classes = [MultiPartParser, FormParser]

    class Input(serializers.Serializer):
        client_uuid = serializers.UUIDField()
        role = serializers.ChoiceField(choices=Signature.Role.choices)
        signer_name = serializers.CharField(max_length=settings.NAME_MAX_CHARS)
        position = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=settings.NAME_MAX_CHARS
        )
        signed_at = SaneDateTimeField(required=False, allow_null=True)
        image = serializers.FileField(help_text="The drawn signature as PNG.")

        class Meta:
            ref_name = "SignatureCreateInput"

    class Output(SignatureOutput):
        inspection_version = serializers.IntegerField(source="inspection.version")

        class Meta(SignatureOutput.Meta):
            ref_name = "SignatureCreateOutput"
            fields = [*SignatureOutput.Meta.fields, "inspection_version"]

    @extend_schema(
        tags=TAG,
        operation_id="inspections_signatures_create",
        summary="Add a drawn signature (PNG), one per role",
        request={"multipart/form-data": Input},
        responses={
            201: Output,
            200: OpenApiResponse(Output, description="Replay: the stored signature."),
            413: OpenApiResponse(ErrorSerializer, description="File too large."),
            **error_responses(400, 401, 403, 404, 429),
            **CONFLICT,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        inspection = access.access_inspection(request.user, pk, write=True)
        if v["image"].size > settings.SIGNATURE_MAX_BYTES:
            raise ApiError("signature_too_large", "Ảnh chữ ký quá lớn.", status_code=413)
        signature, created = services.add_signature(
            user=request.user,
            inspection=inspection,
            client_uuid=v["client_uuid"],
            role=v["role"],
            signer_name=v["signer_name"],
            position=v["position"],
            signed_at=v.get("signed_at"),
            image=v["image"].read(),
        )
        signature.inspection.refresh_from_db(fields=["version"])
        return _created(self.Output(signature).data, created)


# --- Submit ---------------------------------------------------------------------------------


class InspectionSubmitApi(APIView):
    class Input(serializers.Serializer):
        version = serializers.IntegerField(min_value=1, max_value=ID_MAX)
        recommendations = serializers.CharField(
            required=False,
            default="",
            allow_blank=True,
            max_length=settings.RECOMMENDATIONS_MAX_CHARS,
            help_text="Kiến nghị.",
        )
        representative_name = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=settings.NAME_MAX_CHARS
        )
        representative_position = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=settings.NAME_MAX_CHARS
        )
        ended_at = SaneDateTimeField(required=False, allow_null=True)
        # Form PC03 (all optional: older app versions keep working).
        representative_comments = serializers.CharField(
            required=False,
            default="",
            allow_blank=True,
            max_length=20000,
            help_text="Ý kiến trình bày của đại diện đối tượng được kiểm tra (PC03).",
        )
        refusal_reason = serializers.CharField(
            required=False,
            default="",
            allow_blank=True,
            max_length=2000,
            help_text=(
                "Lý do đối tượng được kiểm tra không ký biên bản (Điều 14.3.d Nghị định 105). "
                "When given, the representative's signature is not required."
            ),
        )
        copies = serializers.IntegerField(
            required=False,
            allow_null=True,
            min_value=1,
            max_value=20,
            help_text="Số bản biên bản được lập (mặc định 2).",
        )

        class Meta:
            ref_name = "InspectionSubmitInput"

    @extend_schema(
        tags=TAG,
        operation_id="inspections_submit",
        summary="Submit the inspection and queue the signed record",
        description=(
            "Needs the inspector's and the representative's signatures (self-inspection: the "
            "facility head's) and an answer to every required item; missing ones are listed in "
            "`fields`. The same submission again is a success; a different one, or a stale "
            "`version`, is a 409."
        ),
        request=Input,
        responses={200: InspectionOutput, **error_responses(400, 401, 403, 404), **CONFLICT},
        examples=[
            OpenApiExample(
                "Submit",
                request_only=True,
                value={
                    "version": 9,
                    "recommendations": "Thay thế bình chữa cháy hết hạn trong 30 ngày.",
                    "representative_name": "Nguyễn Văn An",
                    "representative_position": "Giám đốc",
                    "ended_at": "2026-11-23T10:15:00+07:00",
                },
            )
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        inspection = access.access_inspection(request.user, pk, write=True)
        inspection, _ = services.submit_inspection(
            user=request.user,
            inspection=inspection,
            version=v["version"],
            recommendations=v["recommendations"],
            representative_name=v["representative_name"],
            representative_position=v["representative_position"],
            ended_at=v.get("ended_at"),
            representative_comments=v["representative_comments"],
            refusal_reason=v["refusal_reason"],
            copies=v.get("copies"),
        )
        return Response(InspectionOutput(inspection).data)


__all__ = [
    "AnswersBatchApi",
    "FindingCreateApi",
    "InspectionAssignApi",
    "InspectionCancelApi",
    "InspectionDetailApi",
    "InspectionListApi",
    "InspectionStartApi",
    "InspectionStartUnplannedApi",
    "InspectionSubmitApi",
    "PhotoUploadApi",
    "SignatureCreateApi",
]
