"""What the inspections API accepts: one serializer per request body or query string."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from inspections.models import Answer, Inspection, Severity, Signature

from ..fields import SaneDateField, SaneDateTimeField

# Ids are 64-bit in the database: a larger number is a validation error, not a crash.
ID_MAX = 2**63 - 1


class InspectionFilterInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=Inspection.State.choices, required=False)
    kind = serializers.ChoiceField(choices=Inspection.Kind.choices, required=False)
    premises = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)

    class Meta:
        ref_name = "InspectionListFilterInput"


class InspectionCreateInput(serializers.Serializer):
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


class StartUnplannedInput(serializers.Serializer):
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


class StartInput(serializers.Serializer):
    started_at = SaneDateTimeField(required=False, help_text="Device time.")

    class Meta:
        ref_name = "InspectionStartInput"


class CancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)

    class Meta:
        ref_name = "InspectionCancelInput"


class AssignInput(serializers.Serializer):
    inspectors = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX)
    )

    class Meta:
        ref_name = "InspectionAssignInput"


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


class AnswersBatchInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="The inspection version the device last saw."
    )
    # Spelled out (what many=True builds) so the list limits are typed.
    answers: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=AnswerRowInput(), min_length=1, max_length=500
    )

    class Meta:
        ref_name = "AnswersBatchInput"


class PhotoUploadInput(serializers.Serializer):
    client_uuid = serializers.UUIDField()
    sha256 = serializers.RegexField(r"^[0-9a-fA-F]{64}$", help_text="SHA-256 of the file bytes.")
    file = serializers.FileField(
        required=False,
        help_text=(
            "JPEG, PNG or WebP; checked by content. May be left out when the server already "
            "has these bytes (same sha256): a resend then costs no upload."
        ),
    )
    item = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=ID_MAX)
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
    caption = serializers.CharField(required=False, default="", allow_blank=True, max_length=500)

    class Meta:
        ref_name = "PhotoUploadInput"


class FindingCreateInput(serializers.Serializer):
    client_uuid = serializers.UUIDField()
    item = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=ID_MAX)
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


class FindingVerificationInput(serializers.Serializer):
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


class SignatureCreateInput(serializers.Serializer):
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


class SubmitInput(serializers.Serializer):
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
