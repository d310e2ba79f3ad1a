"""Offline sync for the mobile app: everything an inspector needs, changed since a cursor."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from inspections.selectors.sync import InvalidCursor, SyncCursor, sync_page

from .errors import ApiError
from .inspections_output import PremisesOutput
from .renderers import FragmentJSONRenderer
from .schema import error_responses
from .sync_output import (
    CitationIndex,
    SyncCitationOutput,
    SyncInspectionOutput,
    SyncTemplateOutput,
    inspection_rows,
    template_row,
)


class TombstoneOutput(serializers.Serializer):
    inspection = serializers.IntegerField(source="inspection_id_value")
    client_uuid = serializers.UUIDField(source="inspection_uuid")
    reason = serializers.CharField()
    at = serializers.DateTimeField(source="created_at")

    class Meta:
        ref_name = "SyncTombstone"


class SyncApi(APIView):
    # Items and answers arrive already encoded (see ``sync_output``).
    renderer_classes = [FragmentJSONRenderer]
    throttle_classes = [UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "sync"

    class Input(serializers.Serializer):
        cursor = serializers.CharField(
            required=False,
            allow_blank=True,
            help_text="`next_cursor` of the previous page; omit for a first (full) sync.",
        )
        page_size = serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=settings.SYNC_MAX_PAGE_SIZE,
            help_text="Inspections per page.",
        )

        class Meta:
            ref_name = "SyncInput"

    class Output(serializers.Serializer):
        full = serializers.BooleanField(help_text="True on a first sync: replace local data.")
        has_more = serializers.BooleanField(help_text="Call again with `next_cursor` at once.")
        next_cursor = serializers.CharField()
        inspections = SyncInspectionOutput(many=True)
        premises = PremisesOutput(many=True)
        templates = SyncTemplateOutput(many=True)
        citations = serializers.DictField(
            child=SyncCitationOutput(),
            help_text="Each law citation of this page once, by key (items refer to keys).",
        )
        tombstones = TombstoneOutput(many=True)

        class Meta:
            ref_name = "SyncOutput"

    @extend_schema(
        tags=["sync"],
        operation_id="sync",
        summary="Everything needed offline, changed since the cursor",
        description=(
            "Assigned inspections (items with frozen citations, answers, findings, photo "
            "metadata, signatures), their premises with obligations, checklist templates, the "
            "law citations of the page (once each, by key), and "
            "tombstones of inspections the caller no longer has (unassigned, cancelled). "
            "Page until `has_more` is false, then keep `next_cursor` for the next sync. "
            "Objects may be sent again: apply them as upserts by id."
        ),
        parameters=[Input],
        responses={200: Output, **error_responses(400, 401, 429, 503)},
        examples=[
            OpenApiExample(
                "Nothing changed",
                response_only=True,
                value={
                    "full": False,
                    "has_more": False,
                    "next_cursor": "eyJpIjpbbnVsbCwwXSwicCI6bnVsbCwieCI6MH0",
                    "inspections": [],
                    "premises": [],
                    "templates": [],
                    "citations": {},
                    "tombstones": [
                        {
                            "inspection": 41,
                            "client_uuid": "0b7f6a52-3c1d-4d43-9d9e-5b1d6f2e8c01",
                            "reason": "unassigned",
                            "at": "2026-11-23T09:00:00Z",
                        }
                    ],
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        params = self.Input(data=request.query_params)
        params.is_valid(raise_exception=True)
        cursor = None
        if text := params.validated_data.get("cursor"):
            try:
                cursor = SyncCursor.decode(text)
            except InvalidCursor:
                raise ApiError(
                    "invalid_cursor",
                    "Cursor không hợp lệ; hãy đồng bộ lại từ đầu.",
                    fields={"cursor": ["Không hợp lệ."]},
                ) from None
        page = sync_page(
            request.user,
            cursor,
            params.validated_data.get("page_size") or settings.SYNC_PAGE_SIZE,
        )
        index = CitationIndex()
        inspections = inspection_rows(page.inspections, index)
        templates = [template_row(t, index) for t in page.templates]
        return Response(
            {
                "full": page.full,
                "has_more": page.has_more,
                "next_cursor": page.cursor.encode(),
                "inspections": inspections,
                "premises": PremisesOutput(page.premises, many=True).data,
                "templates": templates,
                "citations": index.by_key,
                "tombstones": TombstoneOutput(page.tombstones, many=True).data,
            }
        )
