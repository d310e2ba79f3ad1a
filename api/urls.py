"""API v1 routes. Each area keeps its views in its own module; routes are listed here."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import auth, catalogue, dossier, files, lawchanges, photo_uploads, premises, reports, sync
from . import inspections as insp

app_name = "api"

# Mobile inspections API.
_inspections = [
    path("inspections/", insp.InspectionListApi.as_view(), name="inspections"),
    path(
        "inspections/unplanned/",
        insp.InspectionStartUnplannedApi.as_view(),
        name="inspections-unplanned",
    ),
    path("inspections/<int:pk>/", insp.InspectionDetailApi.as_view(), name="inspection"),
    path("inspections/<int:pk>/start/", insp.InspectionStartApi.as_view(), name="inspection-start"),
    path(
        "inspections/<int:pk>/cancel/", insp.InspectionCancelApi.as_view(), name="inspection-cancel"
    ),
    path(
        "inspections/<int:pk>/inspectors/",
        insp.InspectionAssignApi.as_view(),
        name="inspection-inspectors",
    ),
    path(
        "inspections/<int:pk>/answers/", insp.AnswersBatchApi.as_view(), name="inspection-answers"
    ),
    path("inspections/<int:pk>/photos/", insp.PhotoUploadApi.as_view(), name="inspection-photos"),
    path(
        "inspections/<int:pk>/photo-uploads/",
        photo_uploads.PhotoUploadCreateApi.as_view(),
        name="inspection-photo-uploads",
    ),
    path(
        "inspections/<int:pk>/photo-uploads/<uuid:token>/",
        photo_uploads.PhotoUploadApi.as_view(),
        name="inspection-photo-upload",
    ),
    path(
        "inspections/<int:pk>/findings/",
        insp.FindingCreateApi.as_view(),
        name="inspection-findings",
    ),
    path(
        "inspections/<int:pk>/signatures/",
        insp.SignatureCreateApi.as_view(),
        name="inspection-signatures",
    ),
    path(
        "inspections/<int:pk>/submit/", insp.InspectionSubmitApi.as_view(), name="inspection-submit"
    ),
    path(
        "findings/<int:pk>/verification/",
        insp.FindingVerificationApi.as_view(),
        name="finding-verification",
    ),
    path("sync/", sync.SyncApi.as_view(), name="sync"),
]

# Stored files, each after the access check.
_inspections += [
    path(
        "inspections/<int:pk>/photos/<uuid:client_uuid>/file/",
        files.PhotoFileApi.as_view(),
        name="inspection-photo-file",
    ),
    path(
        "inspections/<int:pk>/signatures/<uuid:client_uuid>/file/",
        files.SignatureFileApi.as_view(),
        name="inspection-signature-file",
    ),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("auth/token/", auth.LoginApi.as_view(), name="auth-token"),
    path("auth/token/refresh/", auth.RefreshApi.as_view(), name="auth-token-refresh"),
    path("auth/token/revoke/", auth.RevokeApi.as_view(), name="auth-token-revoke"),
    path("me/", auth.MeApi.as_view(), name="me"),
    path("premises/", premises.PremisesListApi.as_view(), name="premises-list"),
    path("premises/<int:pk>/", premises.PremisesDetailApi.as_view(), name="premises-detail"),
]

# Legal catalogue and obligations.
urlpatterns += [
    path("requirements/", catalogue.RequirementListApi.as_view(), name="requirements"),
    path(
        "catalogue/versions/",
        catalogue.CatalogueVersionListApi.as_view(),
        name="catalogue-versions",
    ),
    path(
        "premises/<int:pk>/obligations/",
        catalogue.PremisesObligationsApi.as_view(),
        name="premises-obligations",
    ),
    path(
        "obligations/preview/",
        catalogue.ObligationPreviewApi.as_view(),
        name="obligations-preview",
    ),
]

# Changes in the law.
urlpatterns += [path("law-changes/", lawchanges.LawChangesApi.as_view(), name="law-changes")]

# Signed inspection records and public verification.
urlpatterns += [
    path(
        "inspections/<int:pk>/report/", reports.ReportStatusApi.as_view(), name="inspection-report"
    ),
    path(
        "inspections/<int:pk>/report/pdf/",
        reports.ReportPdfApi.as_view(),
        name="inspection-report-pdf",
    ),
    path("verify/", reports.VerifyApi.as_view(), name="verify"),
]
urlpatterns += _inspections

# Fire-safety dossier (Decree 105 Art. 4).
urlpatterns += [
    path("premises/<int:pk>/dossier/", dossier.DossierApi.as_view(), name="premises-dossier"),
    path("dossier/<int:pk>/", dossier.DossierDocumentApi.as_view(), name="dossier-document"),
    path(
        "dossier/<int:pk>/file/",
        dossier.DossierDocumentFileApi.as_view(),
        name="dossier-document-file",
    ),
]
