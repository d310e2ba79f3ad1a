"""Who may see and change which premises, inspection, finding and report.

The one permission module: every API view, portal page and task asks here. Objects a user may
not see are reported as missing (404) so their existence does not leak; objects a user may see
but not change raise PermissionDenied (403).

Rules:
- superusers see everything;
- a member of an authority (any role) sees the premises in its jurisdiction (province, and its
  wards unless the ward list is empty);
- inspectors see and work on the inspections of their authority they are assigned to;
  managers and authority admins see and manage all inspections of their authority, and see
  the joint inspections another authority leads with theirs;
- a facility head sees the premises they head, their inspections, findings and reports, and
  runs self-inspections of those premises only;
- who may be assigned to inspect for an authority: its active inspectors and managers
  (``INSPECTING_ROLES``; an authority admin keeps accounts, not checklists);
- which authorities cover a province and ward: ``authorities_covering`` (``Authority.covers``
  is the single-row rule, ``jurisdiction_q`` its SQL form);
- a conflict or replay reply (a client UUID sent again, a 409 carrying the stored object) shows
  the stored object only to who may see it: ``access_stored`` answers 404 otherwise, so a UUID
  learnt elsewhere neither reveals another tenant's object nor confirms that it exists.
"""

from __future__ import annotations

from .files import (
    access_evidence,
    access_photo,
    access_report,
    access_signature,
    access_stored,
    access_summary,
    can_view_stored,
    import_jobs_visible_to,
    notifications_visible_to_manager,
)
from .inspections import (
    access_inspection,
    can_manage_inspection,
    can_remediate_finding,
    can_start_inspection,
    can_verify_remediation,
    can_view_inspection,
    can_view_report,
    can_work_on_inspection,
    findings_visible_to,
    inspections_assigned_to,
    inspections_managed_by,
    inspections_visible_to,
    is_assigned,
)
from .memberships import (
    INSPECTING_ROLES,
    MANAGING_ROLES,
    authorities_covering,
    authorities_managed_by,
    authorities_of,
    authorities_visible_to,
    inspectors_of,
    is_facility_head,
    is_inspector,
    is_inspector_only,
    is_manager,
    is_manager_of,
    is_member_of,
    joint_authorities_pickable_by,
    jurisdiction_q,
    memberships_of,
    memberships_visible_to,
    roles_of,
)
from .premises import (
    access_dossier_document,
    access_premises,
    can_edit_dossier,
    can_edit_premises_facts,
    can_manage_forms,
    can_place_premises,
    can_view_premises,
    forms_received_by,
    is_head_of,
    premises_managed_by,
    premises_visible_to,
)
from .users import users_pickable_by

__all__ = [
    "INSPECTING_ROLES",
    "MANAGING_ROLES",
    "access_dossier_document",
    "access_evidence",
    "access_inspection",
    "access_photo",
    "access_premises",
    "access_report",
    "access_signature",
    "access_stored",
    "access_summary",
    "authorities_covering",
    "authorities_managed_by",
    "authorities_of",
    "authorities_visible_to",
    "can_edit_dossier",
    "can_edit_premises_facts",
    "can_manage_forms",
    "can_manage_inspection",
    "can_place_premises",
    "can_remediate_finding",
    "can_start_inspection",
    "can_verify_remediation",
    "can_view_inspection",
    "can_view_premises",
    "can_view_report",
    "can_view_stored",
    "can_work_on_inspection",
    "findings_visible_to",
    "forms_received_by",
    "import_jobs_visible_to",
    "inspections_assigned_to",
    "inspections_managed_by",
    "inspections_visible_to",
    "inspectors_of",
    "is_assigned",
    "is_facility_head",
    "is_head_of",
    "is_inspector",
    "is_inspector_only",
    "is_manager",
    "is_manager_of",
    "is_member_of",
    "joint_authorities_pickable_by",
    "jurisdiction_q",
    "memberships_of",
    "memberships_visible_to",
    "notifications_visible_to_manager",
    "premises_managed_by",
    "premises_visible_to",
    "roles_of",
    "users_pickable_by",
]
