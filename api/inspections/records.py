"""What inspectors record on site: answer batches, photos, findings, verifications, signatures."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspections import access
from inspections.services import inspections as services
from inspections.services import remediation

from ..errors import ApiError
from ..fast_input import validated
from ..inspections_output import FindingOutput
from ..renderers import FragmentJSONRenderer
from ..requests import current_user
from ..schema import ErrorSerializer, error_responses
from ..sync_output import answer_row
from . import examples, inputs, outputs
from .base import CONFLICT, TAG, UploadApi, created_response


class AnswersBatchApi(APIView):
    # DRF's JSON written by orjson (the same bytes): 200 results encoded in a fifth of the time.
    renderer_classes = [FragmentJSONRenderer]
    Input = inputs.AnswersBatchInput
    Output = outputs.AnswersBatchOutput

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
        examples=examples.ANSWERS_BATCH,
    )
    def put(self, request: Request, pk: int) -> Response:
        # The serializer's rules compiled into one pass; the serializer itself words any error.
        data = validated(self.Input, request.data)
        # The service reads the inspection once, locked, with the user's permissions.
        inspection, results = services.record_answers(
            user=current_user(request),
            inspection=pk,
            version=data["version"],
            answers=[services.AnswerInput(**a) for a in data["answers"]],
        )
        # The sync's row builder (AnswerOutput's shape, tested equal): a serializer walking 200
        # answers was a third of the batch's CPU time.
        tz = timezone.get_current_timezone()
        return Response(
            {
                "inspection_version": inspection.version,
                "results": [
                    {
                        "client_uuid": str(r.client_uuid),
                        "status": r.status,
                        "detail": r.detail,
                        "answer": answer_row(r.answer, tz) if r.answer else None,
                    }
                    for r in results
                ],
            }
        )


class PhotoUploadApi(UploadApi):
    parser_classes = [MultiPartParser, FormParser]

    Input = inputs.PhotoUploadInput
    Output = outputs.PhotoUploadOutput

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
        user = current_user(request)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        inspection = access.access_inspection(user, pk, write=True)
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
            user=user,
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
        return created_response(self.Output(photo).data, created)


class FindingCreateApi(APIView):
    Input = inputs.FindingCreateInput
    Output = outputs.FindingCreateOutput

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
        examples=examples.FINDING_CREATE,
    )
    def post(self, request: Request, pk: int) -> Response:
        user = current_user(request)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        inspection = access.access_inspection(user, pk, write=True)
        finding, created = services.raise_finding(
            user=user,
            inspection=inspection,
            client_uuid=v["client_uuid"],
            item_id=v.get("item"),
            requirement_id=v.get("requirement"),
            description=v["description"],
            severity=v["severity"],
            remediation_deadline=v.get("remediation_deadline"),
        )
        finding.inspection.refresh_from_db(fields=["version"])
        return created_response(self.Output(finding).data, created)


class FindingVerificationApi(APIView):
    """The authority confirms a remediation the premises reported, or sends it back."""

    Input = inputs.FindingVerificationInput

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
        user = current_user(request)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        finding = get_object_or_404(
            access.findings_visible_to(user).select_related("inspection", "premises"),
            pk=pk,
        )
        finding = remediation.verify_remediation(
            user=user,
            finding=finding,
            accepted=data.validated_data["accepted"],
            note=data.validated_data["note"],
        )
        return Response(FindingOutput(finding).data)


class SignatureCreateApi(UploadApi):
    parser_classes = [MultiPartParser, FormParser]

    Input = inputs.SignatureCreateInput
    Output = outputs.SignatureCreateOutput

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
        user = current_user(request)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        inspection = access.access_inspection(user, pk, write=True)
        if v["image"].size > settings.SIGNATURE_MAX_BYTES:
            raise ApiError("signature_too_large", "Ảnh chữ ký quá lớn.", status_code=413)
        signature, created = services.add_signature(
            user=user,
            inspection=inspection,
            client_uuid=v["client_uuid"],
            role=v["role"],
            signer_name=v["signer_name"],
            position=v["position"],
            signed_at=v.get("signed_at"),
            image=v["image"].read(),
        )
        signature.inspection.refresh_from_db(fields=["version"])
        return created_response(self.Output(signature).data, created)
