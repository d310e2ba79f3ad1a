"""Inspections API for the mobile app: list, detail, schedule, start, record, submit.

Every write carries or creates a client UUID: a retry of the same request is answered with the
stored object (200), a first success with 201. A 409 carries the stored object in ``current``.
Views live in ``lifecycle`` and ``records``; request bodies in ``inputs``, write replies in
``outputs``, OpenAPI examples in ``examples``; what they share in ``base``.
"""

from .base import CONFLICT, TAG, ConflictSerializer, UploadApi
from .lifecycle import (
    InspectionAssignApi,
    InspectionCancelApi,
    InspectionDetailApi,
    InspectionListApi,
    InspectionStartApi,
    InspectionStartUnplannedApi,
    InspectionSubmitApi,
)
from .records import (
    AnswersBatchApi,
    FindingCreateApi,
    FindingVerificationApi,
    PhotoUploadApi,
    SignatureCreateApi,
)

__all__ = [
    "CONFLICT",
    "TAG",
    "AnswersBatchApi",
    "ConflictSerializer",
    "FindingCreateApi",
    "FindingVerificationApi",
    "InspectionAssignApi",
    "InspectionCancelApi",
    "InspectionDetailApi",
    "InspectionListApi",
    "InspectionStartApi",
    "InspectionStartUnplannedApi",
    "InspectionSubmitApi",
    "PhotoUploadApi",
    "SignatureCreateApi",
    "UploadApi",
]
