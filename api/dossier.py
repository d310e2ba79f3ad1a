"""Fire-safety dossier API (Decree 105 Art. 4) for the inspector's app and the head: list, upload,
download, remove (refused while the decree's retention runs)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.private_files import serve_private_file
from inspections import access
from inspections.models import DossierDocument, DossierItem
from inspections.selectors.dossier import authority_kinds_of, document_for, dossier_of, stored_file
from inspections.services import dossier as services

from .errors import ApiError
from .fields import SaneDateField
from .inspections import UploadApi
from .schema import ErrorSerializer, error_responses

TAG = ["dossier"]


class DossierDocumentOutput(serializers.ModelSerializer):
    retained_until = serializers.DateField(read_only=True, allow_null=True)
    verification_code = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DossierDocument
        fields = [
            "id",
            "item",
            "title",
            "made_on",
            "origin",
            "content_type",
            "size",
            "retained_until",
            "verification_code",
            "download_url",
            "created_at",
        ]

    def get_verification_code(self, obj: DossierDocument) -> str:
        if obj.report_id:
            return obj.report.verification_code
        if obj.form_document_id:
            return obj.form_document.verification_code
        return ""

    def get_download_url(self, obj: DossierDocument) -> str:
        return reverse("api:dossier-document-file", kwargs={"pk": obj.pk})


class DossierEntryOutput(serializers.Serializer):
    item = serializers.CharField()
    label = serializers.CharField()
    status = serializers.ChoiceField(choices=["present", "missing", "conditional", "if_any"])
    kept_by = serializers.ListField(child=serializers.CharField())
    kept_by_my_authority = serializers.BooleanField()
    documents = DossierDocumentOutput(many=True)


class DossierApi(UploadApi):
    parser_classes = [MultiPartParser, FormParser]

    class Input(serializers.Serializer):
        item = serializers.ChoiceField(choices=DossierItem.choices)
        title = serializers.CharField(max_length=255)
        made_on = SaneDateField()
        file = serializers.FileField()

        class Meta:
            ref_name = "DossierUploadInput"

    @extend_schema(
        tags=TAG,
        operation_id="premises_dossier_list",
        summary="The premises' fire-safety dossier: items a–o with documents and what is missing",
        responses={200: DossierEntryOutput(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        premises = access.access_premises(request.user, pk)
        mine = set(authority_kinds_of(request.user, premises))
        rows = [
            {
                "item": e.item,
                "label": e.label,
                "status": e.status,
                "kept_by": list(e.kept_by),
                "kept_by_my_authority": bool(mine & set(e.kept_by)),
                "documents": e.documents,
            }
            for e in dossier_of(premises)
        ]
        return Response(DossierEntryOutput(rows, many=True).data)

    @extend_schema(
        tags=TAG,
        operation_id="premises_dossier_upload",
        summary="Add a PDF or a photo of a paper document to an item of the dossier",
        request={"multipart/form-data": Input},
        responses={
            201: DossierDocumentOutput,
            413: OpenApiResponse(ErrorSerializer, description="File too large."),
            **error_responses(400, 401, 403, 404, 429),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        premises = access.access_premises(request.user, pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v["file"].size > settings.DOSSIER_MAX_BYTES:
            raise ApiError("dossier_too_large", "Tệp quá lớn.", status_code=413)
        document = services.upload_dossier_document(
            user=request.user,
            premises=premises,
            item=v["item"],
            title=v["title"],
            made_on=v["made_on"],
            data=v["file"].read(),
            original_name=v["file"].name or "",
        )
        return Response(DossierDocumentOutput(document).data, status=status.HTTP_201_CREATED)


class DossierDocumentApi(APIView):
    @extend_schema(
        tags=TAG,
        operation_id="dossier_document_delete",
        summary="Remove an uploaded document (refused while Decree 105 Art. 4.4 retention runs)",
        responses={204: None, **error_responses(401, 403, 404, 409)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        document = document_for(request.user, pk)
        if document is None:
            raise Http404
        services.delete_dossier_document(user=request.user, document=document)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DossierDocumentFileApi(APIView):
    @extend_schema(
        tags=TAG,
        operation_id="dossier_document_file",
        summary="Download a dossier document (after the access check)",
        responses={(200, "application/octet-stream"): bytes, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        document = document_for(request.user, pk)
        stored = stored_file(document) if document is not None else None
        if not stored:
            raise Http404
        ext = stored.name.rsplit(".", 1)[-1] if "." in stored.name else "bin"
        return serve_private_file(
            request,
            stored,
            download_name=f"ho-so-{document.item}-{document.pk}.{ext}",
            content_type=document.content_type or "application/octet-stream",
        )
