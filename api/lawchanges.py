"""Changes in the law API: what catalogue versions coming into force changed for my premises."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspections import access
from inspections.selectors import lawchanges as selectors

from .pagination import StandardPagination
from .schema import error_responses


def _lang(request: Request) -> str:
    return "en" if getattr(request, "LANGUAGE_CODE", "vi") == "en" else "vi"


@extend_schema(
    tags=["obligations"],
    summary="Changes in the law: per premises (heads and authority members), per obligation "
    "for managers, and versions published ahead of their effective date",
    parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
    responses={200: dict, **error_responses(401)},
)
class LawChangesApi(APIView):
    def get(self, request: Request) -> Response:
        user = request.user
        lang = _lang(request)
        paginator = StandardPagination()
        rows = paginator.paginate_queryset(
            selectors.premises_law_changes(access.premises_visible_to(user)), request, view=self
        )
        body = paginator.get_paginated_response(
            [selectors.premises_change_view(r).as_dict(lang) for r in rows]
        ).data
        body["upcoming"] = selectors.upcoming(timezone.localdate())
        body["summaries"] = [
            s.as_dict() for s in selectors.jurisdiction_summaries(access.premises_managed_by(user))
        ]
        return Response(body)
