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
from .dossier import DossierDocument, DossierItem, FormDocument
from .findings import Finding, FindingEvidence
from .imports import PremisesImport
from .inspections import (
    Answer,
    ChecklistTemplate,
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
    DigestLog,
    Notification,
    NotificationKind,
    NotificationPreference,
    WebhookEndpoint,
)
from .obligations import Obligation, ObligationStatus
from .planning import CalendarOverride
from .premises import Premises, PremisesChange, SearchWord
from .premises_choices import (
    AlarmDeviceState,
    FishingPortClass,
    HazardClass,
    HeritageRank,
    PremisesKind,
    WorksGrade,
)
from .reports import Report
from .rollups import NO_DAY, RollupCell, RollupShare
from .signing import AuthoritySigner, ReportRevision
from .training import TrainingCertificate, TrainingDuty, TrainingKind
from .uploads import PhotoUpload, PhotoUploadChunk

__all__ = [
    "NO_DAY",
    "RollupCell",
    "RollupShare",
    "DigestLog",
    "SearchWord",
    "AuthoritySigner",
    "ReportRevision",
    "AlarmDeviceState",
    "FishingPortClass",
    "Answer",
    "AnswerType",
    "CalendarOverride",
    "CatalogueVersion",
    "Channel",
    "ChecklistTemplate",
    "Citation",
    "ComplianceSnapshot",
    "Confidence",
    "DecreeParameter",
    "Delivery",
    "DossierDocument",
    "DossierItem",
    "Finding",
    "FindingEvidence",
    "FormDocument",
    "HazardClass",
    "HeritageRank",
    "WorksGrade",
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
    "PremisesImport",
    "PremisesKind",
    "PremisesLawChange",
    "Provision",
    "Report",
    "Requirement",
    "Severity",
    "Signature",
    "SyncTombstone",
    "TrainingCertificate",
    "TrainingDuty",
    "TrainingKind",
    "WebhookEndpoint",
]
