"""Portal pages for facility heads and managers, and the public verification page."""

from django.urls import path

from . import unsubscribe, verify
from .views import (
    auth,
    dossier,
    head,
    inspections,
    lawchanges,
    manager,
    notification_log,
    plan,
    preferences,
    scheduling,
    summaries,
)

app_name = "portal"

urlpatterns = [
    # Authentication
    path("login/", auth.PortalLoginView.as_view(), name="login"),
    path("logout/", auth.PortalLogoutView.as_view(), name="logout"),
    path("password-reset/", auth.PortalPasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth.PortalPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth.PortalPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth.PortalPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Facility heads (and anyone who may see the premises)
    path("", head.home, name="home"),
    path("premises/<int:pk>/", head.premises_detail, name="premises_detail"),
    path("premises/<int:pk>/inspections/", head.premises_inspections, name="premises_inspections"),
    path("premises/<int:pk>/facts/", head.premises_facts, name="premises_facts"),
    path("premises/<int:pk>/certificates/add/", head.certificate_add, name="certificate_add"),
    path(
        "premises/<int:pk>/certificates/<int:cert_pk>/remove/",
        head.certificate_remove,
        name="certificate_remove",
    ),
    path(
        "premises/<int:pk>/self-inspection/",
        inspections.self_inspection_start,
        name="self_inspection_start",
    ),
    # Fire-safety dossier (Decree 105 Art. 4) and the head's forms PC01/PC04
    path("premises/<int:pk>/dossier/", dossier.dossier, name="dossier"),
    path("premises/<int:pk>/dossier/upload/", dossier.dossier_upload, name="dossier_upload"),
    path("premises/<int:pk>/pc01/", dossier.pc01_make, name="pc01_make"),
    path("premises/<int:pk>/pc04/", dossier.pc04_start, name="pc04_start"),
    path("dossier/<int:doc_pk>/", dossier.dossier_download, name="dossier_download"),
    path("dossier/<int:doc_pk>/delete/", dossier.dossier_delete, name="dossier_delete"),
    path("forms/<int:form_pk>/pdf/", dossier.form_download, name="form_download"),
    path("forms/<int:form_pk>/pc04/", dossier.pc04_edit, name="pc04_edit"),
    path("manage/reports/", dossier.received_reports, name="received_reports"),
    path("findings/", head.findings, name="findings"),
    path("law-changes/", lawchanges.law_changes, name="law_changes"),
    path("findings/<int:pk>/", head.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/remediated/", head.finding_remediated, name="finding_remediated"),
    path("findings/<int:pk>/verify/", head.finding_verify, name="finding_verify"),
    path("evidence/<int:pk>/", head.evidence_download, name="evidence_download"),
    path("reports/<int:pk>/pdf/", head.report_download, name="report_download"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/checklist/", inspections.self_inspection, name="self_inspection"),
    path(
        "inspections/<int:pk>/checklist/answer/",
        inspections.self_inspection_answer,
        name="self_inspection_answer",
    ),
    # Managers
    path("manage/", manager.dashboard, name="dashboard"),
    path("manage/premises/", manager.premises_list, name="premises_list"),
    path("manage/premises/map.json", manager.premises_map, name="premises_map"),
    path("manage/planning/", manager.planning, name="planning"),
    path(
        "manage/planning/<int:premises_pk>/new/",
        scheduling.inspection_create,
        name="inspection_create",
    ),
    path("manage/plan/", plan.plan_page, name="yearly_plan"),
    path("manage/plan/<int:year>.<str:ext>", plan.plan_export, name="yearly_plan_export"),
    path("manage/inspections/<int:pk>/notice/", plan.inspection_notice, name="inspection_notice"),
    path("manage/inspections/", scheduling.inspections, name="inspections"),
    path(
        "manage/inspections/<int:pk>/assign/",
        scheduling.inspection_assign,
        name="inspection_assign",
    ),
    path("manage/notifications/", notification_log.notifications, name="notifications"),
    path(
        "manage/summaries/<int:pk>.<str:ext>",
        summaries.summary_file,
        name="summary_file",
    ),
    # Public verification of signed records
    path("verify/", verify.verify_upload_page, name="verify_upload"),
    path("verify/<str:code>/", verify.verify_code, name="verify"),
    # The logged-in user's own reminder preferences (e-mails link here as "settings")
    path(
        "notifications/preferences/",
        preferences.notification_preferences,
        name="notification_preferences",
    ),
    # One-click unsubscribe from a reminder e-mail
    path("unsubscribe/<str:token>/", unsubscribe.unsubscribe_view, name="unsubscribe"),
]
