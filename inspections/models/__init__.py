"""Domain models, one module per aggregate."""

from .catalogue import (
    AnswerType,
    CatalogueVersion,
    Citation,
    Confidence,
    DecreeParameter,
    LegalDocument,
    Provision,
    Requirement,
    Severity,
)
from .inspections import (
    Answer,
    ChecklistTemplate,
    Finding,
    FindingEvidence,
    Inspection,
    InspectionItem,
    Photo,
    PhotoBlob,
    Signature,
    SyncTombstone,
)
from .obligations import Obligation, ObligationStatus
from .premises import (
    AlarmDeviceState,
    HazardClass,
    Premises,
    PremisesChange,
    PremisesKind,
    TrainingCertificate,
)
from .reports import Report

__all__ = [
    "AlarmDeviceState",
    "Answer",
    "AnswerType",
    "CatalogueVersion",
    "ChecklistTemplate",
    "Citation",
    "Confidence",
    "DecreeParameter",
    "Finding",
    "FindingEvidence",
    "HazardClass",
    "Inspection",
    "InspectionItem",
    "LegalDocument",
    "Obligation",
    "ObligationStatus",
    "Photo",
    "PhotoBlob",
    "Premises",
    "PremisesChange",
    "PremisesKind",
    "Provision",
    "Report",
    "Requirement",
    "Severity",
    "Signature",
    "SyncTombstone",
    "TrainingCertificate",
]
