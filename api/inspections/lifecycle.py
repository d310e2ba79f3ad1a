"""Inspection lifecycle views: list, schedule, start, detail, cancel, assign, submit."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Authority
from inspections import access
from inspections.selectors.inspections import inspection_detail, inspection_list
from inspections.services import inspections as services

from ..inspections_output import (
    InspectionDetailOutput,
    InspectionOutput,
)
from ..pagination import StandardPagination
from ..requests import current_user
from ..schema import error_responses
from . import examples, inputs
from .base import CONFLICT, TAG, created_response


class InspectionListApi(APIView):
    FilterInput = inputs.InspectionFilterInput
    CreateInput = inputs.InspectionCreateInput

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
            current_user(request),
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
        examples=examples.SCHEDULE,
    )
    def post(self, request: Request) -> Response:
        user = current_user(request)
        data = self.CreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        premises = access.access_premises(user, v["premises"])
        authority = get_object_or_404(Authority, pk=v["authority"])
        joint = None
        if v.get("joint_authority"):
            joint = get_object_or_404(Authority, pk=v["joint_authority"])
        inspection, created = services.create_inspection(
            user=user,
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
        return created_response(
            InspectionDetailOutput(inspection_detail(user, inspection.pk)).data, created
        )


class InspectionStartUnplannedApi(APIView):
    Input = inputs.StartUnplannedInput

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
        examples=examples.START_UNPLANNED,
    )
    def post(self, request: Request) -> Response:
        user = current_user(request)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        premises = access.access_premises(user, v["premises"])
        authority = None
        if v.get("authority"):
            authority = get_object_or_404(Authority, pk=v["authority"])
        inspection, created = services.start_unplanned_inspection(
            user=user,
            premises=premises,
            client_uuid=v["client_uuid"],
            kind=v["kind"],
            authority=authority,
            started_at=v.get("started_at"),
            place=v["place"],
            cap_override_reason=v["cap_override_reason"],
            unannounced_reason=v["unannounced_reason"],
        )
        return created_response(
            InspectionDetailOutput(inspection_detail(user, inspection.pk)).data, created
        )


class InspectionDetailApi(APIView):
    @extend_schema(
        tags=TAG,
        operation_id="inspections_detail",
        summary="One inspection with items, answers, photos, findings and signatures",
        responses={200: InspectionDetailOutput, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(InspectionDetailOutput(inspection_detail(current_user(request), pk)).data)


class InspectionStartApi(APIView):
    Input = inputs.StartInput

    @extend_schema(
        tags=TAG,
        operation_id="inspections_start",
        summary="Start a scheduled inspection (starting again is a success)",
        request=Input,
        responses={200: InspectionOutput, **error_responses(400, 401, 403, 404), **CONFLICT},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = current_user(request)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        inspection = access.access_inspection(user, pk, write=True)
        inspection, _ = services.start_inspection(
            user=user,
            inspection=inspection,
            started_at=data.validated_data.get("started_at"),
        )
        return Response(InspectionOutput(inspection).data)


class InspectionCancelApi(APIView):
    Input = inputs.CancelInput

    @extend_schema(
        tags=TAG,
        operation_id="inspections_cancel",
        summary="Cancel an inspection (managers)",
        request=Input,
        responses={200: InspectionOutput, **error_responses(400, 401, 403, 404), **CONFLICT},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = current_user(request)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        inspection = access.access_inspection(user, pk)
        inspection = services.cancel_inspection(
            user=user, inspection=inspection, reason=data.validated_data["reason"]
        )
        return Response(InspectionOutput(inspection).data)


class InspectionAssignApi(APIView):
    Input = inputs.AssignInput

    @extend_schema(
        tags=TAG,
        operation_id="inspections_assign",
        summary="Replace the assigned inspectors (managers)",
        request=Input,
        responses={200: InspectionOutput, **error_responses(400, 401, 403, 404)},
    )
    def put(self, request: Request, pk: int) -> Response:
        user = current_user(request)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        inspection = access.access_inspection(user, pk)
        inspection = services.assign_inspectors(
            user=user, inspection=inspection, inspectors=data.validated_data["inspectors"]
        )
        return Response(InspectionOutput(inspection).data)


class InspectionSubmitApi(APIView):
    Input = inputs.SubmitInput

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
        examples=examples.SUBMIT,
    )
    def post(self, request: Request, pk: int) -> Response:
        user = current_user(request)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        inspection = access.access_inspection(user, pk, write=True)
        inspection, _ = services.submit_inspection(
            user=user,
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
