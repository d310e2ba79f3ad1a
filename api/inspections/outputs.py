"""Replies of the inspections API writes: the stored object and the new inspection version."""

from __future__ import annotations

from rest_framework import serializers

from ..inspections_output import AnswerOutput, FindingOutput, PhotoOutput, SignatureOutput


class AnswersBatchResultOutput(serializers.Serializer):
    client_uuid = serializers.UUIDField()
    status = serializers.ChoiceField(choices=["created", "updated", "unchanged", "conflict"])
    detail = serializers.CharField()
    answer = AnswerOutput(allow_null=True, help_text="What the server now stores.")

    class Meta:
        ref_name = "AnswersBatchResultOutput"


class AnswersBatchOutput(serializers.Serializer):
    inspection_version = serializers.IntegerField()
    results = AnswersBatchResultOutput(many=True)

    class Meta:
        ref_name = "AnswersBatchOutput"


class PhotoUploadOutput(PhotoOutput):
    inspection_version = serializers.IntegerField(source="inspection.version")

    class Meta(PhotoOutput.Meta):
        ref_name = "PhotoUploadOutput"
        fields = [*PhotoOutput.Meta.fields, "inspection_version"]


class FindingCreateOutput(FindingOutput):
    inspection_version = serializers.IntegerField(source="inspection.version")

    class Meta(FindingOutput.Meta):
        ref_name = "FindingCreateOutput"
        fields = [*FindingOutput.Meta.fields, "inspection_version"]


class SignatureCreateOutput(SignatureOutput):
    inspection_version = serializers.IntegerField(source="inspection.version")

    class Meta(SignatureOutput.Meta):
        ref_name = "SignatureCreateOutput"
        fields = [*SignatureOutput.Meta.fields, "inspection_version"]
