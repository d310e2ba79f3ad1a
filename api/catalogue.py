"""Legal catalogue and obligations API: requirements, versions, a premises' obligations, preview."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspections import access
from inspections.inputs import parse_ascii_int
from inspections.models import CatalogueVersion, Requirement
from inspections.rules.facts import FACT_DEFAULTS, FactsError
from inspections.rules.labels import PREMISES_KINDS
from inspections.selectors.catalogue import (
    citation_dict,
    current_version,
    parameters_of,
    requirement_due_date,
    requirements_of,
    version_by_label,
    versions,
)
from inspections.selectors.obligations import (
    NoPublishedCatalogue,
    evaluate_facts,
    obligations_for,
)

from .errors import ApiError
from .fields import SaneDateField
from .schema import error_responses


def _no_catalogue() -> ApiError:
    return ApiError(
        "no_published_catalogue",
        _("Chưa có phiên bản danh mục nào được ban hành."),
        status_code=503,
    )


class RequirementSerializer(serializers.ModelSerializer):
    citations = serializers.SerializerMethodField()
    due_date = serializers.SerializerMethodField()

    class Meta:
        model = Requirement
        fields = [
            "id",
            "code",
            "title_vi",
            "title_en",
            "question_vi",
            "question_en",
            "premises_kinds",
            "applicability",
            "evidence",
            "severity",
            "answer_type",
            "required",
            "advice",
            "deadline_rule",
            "due_date",
            "citations",
            "decree_points",
        ]

    def get_citations(self, obj: Requirement) -> list[dict[str, Any]]:
        return [citation_dict(c) for c in obj.citations.all()]

    def get_due_date(self, obj: Requirement) -> str | None:
        due = requirement_due_date(obj, self.context["params"])
        return due.isoformat() if due else None


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CatalogueVersion
        fields = [
            "id",
            "label",
            "status",
            "notes",
            "published_at",
            "created_at",
            "based_on",
            "effective_on",
        ]


@extend_schema_view(
    get=extend_schema(
        tags=["catalogue"],
        summary="Requirements of a catalogue version with the verbatim text of their citations",
        parameters=[
            OpenApiParameter("premises_kind", str, enum=list(PREMISES_KINDS)),
            OpenApiParameter("article", int, description="Law article cited"),
            OpenApiParameter("version", str, description="Version label (default: current)"),
        ],
        responses={200: RequirementSerializer(many=True), **error_responses(400, 401, 404)},
    )
)
class RequirementListApi(generics.ListAPIView):
    serializer_class = RequirementSerializer

    def _version(self) -> CatalogueVersion:
        if not hasattr(self, "_catalogue_version"):
            label = self.request.query_params.get("version")
            version = version_by_label(label) if label else current_version()
            if version is None:
                if label:
                    raise ApiError(
                        "not_found", _("Không có phiên bản danh mục này."), status_code=404
                    )
                raise _no_catalogue()
            self._catalogue_version = version
        return self._catalogue_version

    def get_queryset(self) -> QuerySet[Requirement]:
        if getattr(self, "swagger_fake_view", False):  # schema generation, no request data
            return Requirement.objects.none()
        params = self.request.query_params
        kind = params.get("premises_kind") or None
        if kind and kind not in PREMISES_KINDS:
            raise ApiError(
                "invalid",
                _("Loại đối tượng không hợp lệ."),
                fields={"premises_kind": [f"one of {', '.join(PREMISES_KINDS)}"]},
            )
        article = params.get("article") or None
        if article is not None and parse_ascii_int(article) is None:
            raise ApiError("invalid", _("Số điều không hợp lệ."), fields={"article": ["integer"]})
        return requirements_of(
            self._version(),
            premises_kind=kind,
            article=parse_ascii_int(article) if article else None,
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        context["params"] = parameters_of(self._version())
        return context


@extend_schema_view(
    get=extend_schema(
        tags=["catalogue"],
        summary="Catalogue versions (published and drafts)",
        responses={200: VersionSerializer(many=True), **error_responses(401)},
    )
)
class CatalogueVersionListApi(generics.ListAPIView):
    serializer_class = VersionSerializer

    def get_queryset(self) -> QuerySet[CatalogueVersion]:
        return versions()


class ObligationsQuerySerializer(serializers.Serializer):
    on = SaneDateField(required=False, help_text="Evaluate on this date (default today)")


class PreviewInputSerializer(serializers.Serializer):
    on = SaneDateField(required=False)
    facts = serializers.DictField(
        required=False, help_text="Premises facts; may also be given at the top level."
    )


def _parse_on(value: Any) -> date | None:
    serializer = ObligationsQuerySerializer(data={"on": value} if value else {})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data.get("on")


@extend_schema(
    tags=["obligations"],
    summary="Obligations of one premises: status, due date, verbatim citations, reason",
    parameters=[OpenApiParameter("on", date, description="Evaluation date (default: today)")],
    responses={200: dict, **error_responses(400, 401, 404, 503)},
)
class PremisesObligationsApi(APIView):
    def get(self, request: Request, pk: int) -> Response:
        premises = access.access_premises(request.user, pk)
        on = _parse_on(request.query_params.get("on"))
        try:
            view = obligations_for(premises, on=on)
        except NoPublishedCatalogue:
            raise _no_catalogue() from None
        return Response({"premises": premises.pk, **view.as_dict()})


@extend_schema(
    tags=["obligations"],
    summary="What would apply to these premises facts (no premises is stored)",
    request=PreviewInputSerializer,
    responses={200: dict, **error_responses(400, 401, 503)},
)
class ObligationPreviewApi(APIView):
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        facts = data.get("facts", data)
        if not isinstance(facts, dict):
            raise ApiError(
                "invalid", _("Dữ kiện phải là một đối tượng JSON."), fields={"facts": ["object"]}
            )
        unknown = sorted(set(facts) - set(FACT_DEFAULTS) - {"on", "facts"})
        if unknown:
            raise ApiError(
                "invalid",
                _("Có trường dữ kiện không được hỗ trợ."),
                fields={name: ["unknown fact"] for name in unknown},
            )
        kind = facts.get("kind")
        if kind not in PREMISES_KINDS:
            raise ApiError(
                "invalid",
                _("Thiếu hoặc sai loại đối tượng."),
                fields={"kind": [f"one of {', '.join(PREMISES_KINDS)}"]},
            )
        on = _parse_on(data.get("on"))
        try:
            view = evaluate_facts({k: v for k, v in facts.items() if k != "on"}, on=on)
        except FactsError as exc:
            raise ApiError(
                "invalid",
                _("Dữ kiện không hợp lệ."),
                fields={k: [v] for k, v in exc.fields.items()},
            ) from None
        except NoPublishedCatalogue:
            raise _no_catalogue() from None
        return Response(view.as_dict())
