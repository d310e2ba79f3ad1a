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
from .lawchanges import LawChange, PremisesLawChange
from .notifications import (
    Channel,
    ComplianceSnapshot,
    Delivery,
    Notification,
    NotificationKind,
    NotificationPreference,
    WebhookEndpoint,
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
from .uploads import PhotoUpload, PhotoUploadChunk

__all__ = [
    "AlarmDeviceState",
    "Answer",
    "AnswerType",
    "CatalogueVersion",
    "Channel",
    "ChecklistTemplate",
    "Citation",
    "ComplianceSnapshot",
    "Confidence",
    "DecreeParameter",
    "Delivery",
    "Finding",
    "FindingEvidence",
    "HazardClass",
    "Inspection",
    "InspectionItem",
    "LawChange",
    "LegalDocument",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "Obligation",
    "ObligationStatus",
    "Photo",
    "PhotoBlob",
    "PhotoUpload",
    "PhotoUploadChunk",
    "Premises",
    "PremisesChange",
    "PremisesKind",
    "PremisesLawChange",
    "Provision",
    "Report",
    "Requirement",
    "Severity",
    "Signature",
    "SyncTombstone",
    "TrainingCertificate",
    "WebhookEndpoint",
]
