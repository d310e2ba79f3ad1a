"""The API's one error shape: service refusals mapped by api.errors for every view."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIRequestFactory

from api.errors import exception_handler
from inspections.models import Inspection
from inspections.services import inspections as services
from inspections.services.errors import Conflict, Forbidden, Invalid
from tests import inspection_factories as inf


def _context(user) -> dict:
    request = APIRequestFactory().post("/api/v1/anything/")
    request.user = user
    return {"request": request, "view": None}


@pytest.fixture
def inspection(manager, authority, inspector, premises) -> Inspection:
    inf.make_catalogue(2)
    inspection, _ = services.create_inspection(
        user=manager,
        premises=premises,
        authority=authority,
        kind=Inspection.Kind.PERIODIC,
        scheduled_for=inf.device_time().date(),
        inspectors=[inspector],
    )
    return inspection


@pytest.mark.parametrize(
    ("error", "status"),
    [(Invalid, 400), (Forbidden, 403), (Conflict, 409)],
)
def test_service_refusal_has_the_error_shape(db, inspector, error, status):
    exc = error("some_code", "Lời giải thích", fields={"kind": ["Sai loại."]})
    response = exception_handler(exc, _context(inspector))
    assert response.status_code == status
    assert response.data == {
        "code": "some_code",
        "detail": "Lời giải thích",
        "fields": {"kind": ["Sai loại."]},
    }


def test_conflict_carries_the_stored_object_the_caller_may_see(inspection, inspector):
    exc = Conflict("stale_version", "Đã có thay đổi.", current=inspection)
    response = exception_handler(exc, _context(inspector))
    assert response.status_code == 409
    assert response.data["current"]["id"] == inspection.pk
    assert response.data["current"]["version"] == inspection.version


def test_conflict_hides_a_stored_object_the_caller_may_not_see(inspection, other_inspector):
    exc = Conflict("stale_version", "Đã có thay đổi.", current=inspection)
    response = exception_handler(exc, _context(other_inspector))
    assert response.status_code == 404
    assert response.data["code"] == "not_found"
    assert "current" not in response.data


def test_operation_descriptions_hold_no_internal_docstrings():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    leaked = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "error shape" in operation.get("description", "")
    ]
    assert leaked == []
