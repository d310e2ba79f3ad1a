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
from .imports import PremisesImport
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
from .signing import AuthoritySigner, ReportRevision
from .uploads import PhotoUpload, PhotoUploadChunk

__all__ = [
    "AuthoritySigner",
    "ReportRevision",
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
    "PremisesImport",
    "PremisesKind",
    "Provision",
    "Report",
    "Requirement",
    "Severity",
    "Signature",
    "SyncTombstone",
    "TrainingCertificate",
    "WebhookEndpoint",
]
