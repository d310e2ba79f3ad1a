"""Output shapes of inspections and what is recorded in them (shared by inspections and sync)."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from typing import Any

from django.urls import reverse
from rest_framework import serializers

from inspections.models import (
    Answer,
    Finding,
    Inspection,
    InspectionItem,
    Obligation,
    Photo,
    Premises,
    Signature,
)


class ItemOutput(serializers.ModelSerializer):
    class Meta:
        model = InspectionItem
        fields = [
            "id",
            "code",
            "order",
            "requirement",
            "title_vi",
            "title_en",
            "question_vi",
            "question_en",
            "citations",
            "answer_type",
            "required",
            "severity",
            "evidence",
        ]


class AnswerOutput(serializers.ModelSerializer):
    class Meta:
        model = Answer
        fields = [
            "client_uuid",
            "item",
            "value",
            "number_value",
            "note",
            "answered_at",
            "answered_by",
            "updated_at",
        ]


class PhotoOutput(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="blob.sha256")
    content_type = serializers.CharField(source="blob.content_type")
    size = serializers.IntegerField(source="blob.size")
    width = serializers.IntegerField(source="blob.width")
    height = serializers.IntegerField(source="blob.height")
    url = serializers.SerializerMethodField()
    answer = serializers.UUIDField(source="answer.client_uuid", allow_null=True, default=None)
    finding = serializers.UUIDField(source="finding.client_uuid", allow_null=True, default=None)

    class Meta:
        model = Photo
        fields = [
            "client_uuid",
            "item",
            "answer",
            "finding",
            "sha256",
            "content_type",
            "size",
            "width",
            "height",
            "caption",
            "taken_at",
            "latitude",
            "longitude",
            "url",
            "created_at",
        ]

    def get_url(self, obj: Photo) -> str:
        # The file only through its access-checked view: stored paths are never public.
        return reverse(
            "api:inspection-photo-file",
            kwargs={"pk": obj.inspection_id, "client_uuid": obj.client_uuid},
        )


class FindingOutput(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = [
            "id",
            "client_uuid",
            "item",
            "requirement",
            "description",
            "severity",
            "remediation_deadline",
            "status",
            "remediated_at",
            "remediation_note",
            "verified_at",
            "verification_note",
            "closed_at",
            "created_at",
            "updated_at",
        ]


class SignatureOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Signature
        fields = ["client_uuid", "role", "signer_name", "position", "sha256", "signed_at", "url"]

    def get_url(self, obj: Signature) -> str:
        return reverse(
            "api:inspection-signature-file",
            kwargs={"pk": obj.inspection_id, "client_uuid": obj.client_uuid},
        )


class InspectionOutput(serializers.ModelSerializer):
    premises_name = serializers.CharField(source="premises.name")
    catalogue_version = serializers.CharField(source="catalogue_version.label")
    inspectors = serializers.SerializerMethodField()
    refusal_reason = serializers.CharField(source="representative_refusal_reason")

    class Meta:
        model = Inspection
        fields = [
            "id",
            "client_uuid",
            "number",
            "premises",
            "premises_name",
            "authority",
            "kind",
            "state",
            "scheduled_for",
            "started_at",
            "ended_at",
            "submitted_at",
            "place",
            "recommendations",
            "representative_name",
            "representative_position",
            "unannounced_reason",
            "cap_override_reason",
            "joint_authority",
            "representative_comments",
            "refusal_reason",
            "copies",
            "catalogue_version",
            "template",
            "inspectors",
            "version",
            "updated_at",
        ]

    def get_inspectors(self, obj: Inspection) -> list[int]:
        return sorted(u.pk for u in obj.inspectors.all())


class InspectionDetailOutput(InspectionOutput):
    items = ItemOutput(many=True)
    answers = AnswerOutput(many=True)
    photos = PhotoOutput(many=True)
    findings = FindingOutput(many=True)
    signatures = SignatureOutput(many=True)

    class Meta(InspectionOutput.Meta):
        fields = [
            *InspectionOutput.Meta.fields,
            "items",
            "answers",
            "photos",
            "findings",
            "signatures",
        ]


class ObligationOutput(serializers.ModelSerializer):
    requirement_code = serializers.CharField(source="requirement.code")
    title_vi = serializers.CharField(source="requirement.title_vi")

    class Meta:
        model = Obligation
        fields = [
            "requirement",
            "requirement_code",
            "title_vi",
            "status",
            "due_on",
            "reason_vi",
            "reason_en",
            "computed_at",
        ]


class PremisesOutput(serializers.ModelSerializer):
    full_address = serializers.CharField()
    obligations = ObligationOutput(many=True)

    class Meta:
        model = Premises
        fields = [
            "id",
            "kind",
            "name",
            "address_line",
            "full_address",
            "province_code",
            "ward_code",
            "occupancy_category",
            "floors",
            "height_m",
            "floor_area_m2",
            "volume_m3",
            "business_area_m2",
            "beds",
            "capacity",
            "hazard_class",
            "alarm_device_state",
            "contact_phone",
            "updated_at",
            "obligations",
        ]


def serialize_current(obj: Any) -> Any:
    """The stored object a 409 carries, so the device can reconcile."""
    shapes = {
        Inspection: InspectionOutput,
        Answer: AnswerOutput,
        Photo: PhotoOutput,
        Finding: FindingOutput,
        Signature: SignatureOutput,
    }
    for model, shape in shapes.items():
        if isinstance(obj, model):
            return shape(obj).data
    if is_dataclass(obj):  # e.g. where a resumable upload stands
        return asdict(obj)
    return None
