"""Reads for signed records: what a record shows, and which inspections still lack one."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts import divisions
from accounts.models import Authority
from inspections.legal.citations import citation_label, quote
from inspections.models import Finding, Inspection, InspectionItem, Premises, Report, Requirement
from inspections.pdf.context import (
    CitationRef,
    ContentGroup,
    FindingRow,
    ItemRow,
    PersonRef,
    PhotoRef,
    PremisesInfo,
    RecordContext,
    SignatureMark,
    short_citation_text,
)
from inspections.selectors.content_points import (
    checker_key,
    content_points,
    group_by_points,
    requirement_points,
)
from inspections.selectors.inspections import with_contents


# How long a claimed report may stay in progress before the sweep assumes its worker died.
def claim_timeout() -> timedelta:
    # Longer than the record task's hard time limit (settings.REPORT_CLAIM_TIMEOUT).
    return settings.REPORT_CLAIM_TIMEOUT


# A pending report nobody claimed within this time lost its queue message.
UNCLAIMED_GRACE = timedelta(minutes=2)
MAX_ATTEMPTS = 5


def verification_url(code: str) -> str:
    try:
        path = reverse("portal:verify", kwargs={"code": code})
    except NoReverseMatch:
        path = f"/verify/{code}/"
    return f"{settings.PUBLIC_BASE_URL}{path}"


def _citations(snapshot: list[dict]) -> tuple[CitationRef, ...]:
    refs = []
    for c in snapshot or []:
        if c.get("document") and c.get("article"):
            # The one citation style, and the words that apply (a lead-in clause with its points).
            label = citation_label(c["document"], c["article"], c.get("clause"), c.get("point"))
            text = quote(
                c["document"], c["article"], c.get("clause"), c.get("point"), c.get("text_vi") or ""
            )
        else:
            label, text = c.get("label_vi") or "", c.get("text_vi") or ""
        if not label:
            continue
        refs.append(CitationRef(label=label, text=short_citation_text(text)))
    return tuple(refs)


def _authority_parent(authority: Authority | None) -> str:
    """The governing body printed above the authority's name in an administrative heading."""
    if authority is None:
        return ""
    province = divisions.province_name(authority.province_code)
    if authority.kind == Authority.Kind.COMMUNE_COMMITTEE:
        return f"Ủy ban nhân dân {province}"
    if authority.kind == Authority.Kind.FIRE_POLICE:
        return f"Công an {province}"
    return province


def _photo(photo) -> PhotoRef:
    blob = photo.blob
    # The print-size derivative made at upload; photos stored before it existed are reduced
    # by the render instead.
    stored = blob.print_file if blob.print_file else blob.file
    try:
        path = Path(stored.path)  # local storage: WeasyPrint reads the file itself
        data = None
    except NotImplementedError:  # remote storage (S3): fetch the bytes
        path = None
        with stored.open("rb") as fh:
            data = fh.read()
    return PhotoRef(
        caption=photo.caption,
        taken_at=photo.taken_at,
        data=data,
        path=path,
        content_type="image/jpeg" if blob.print_file else blob.content_type,
        print_ready=bool(blob.print_file),
    )


def _signature(sig) -> SignatureMark:
    with sig.image.open("rb") as fh:
        png = fh.read()
    return SignatureMark(
        role=sig.role, name=sig.signer_name, position=sig.position, png=png, signed_at=sig.signed_at
    )


def record_context_for(
    inspection: Inspection | int,
    *,
    verification_code: str,
    language: str = "vi",
    development_signer: bool = False,
) -> RecordContext:
    """Everything the record prints, read in a constant number of queries."""
    pk = inspection if isinstance(inspection, int) else inspection.pk
    insp = with_contents(Inspection.objects.filter(pk=pk)).get()
    premises = insp.premises
    english = language == "en"
    items, item_by_pk = _item_rows(insp, english=english)
    findings = _finding_rows(insp, item_by_pk)
    groups = _content_groups(insp, items, english=english)
    signatures = tuple(_signature(s) for s in insp.signatures.all())
    return RecordContext(
        form="pc02" if insp.kind == Inspection.Kind.SELF else "pc03",
        language=language,
        authority_name=insp.authority.name if insp.authority else "",
        authority_parent=_authority_parent(insp.authority),
        number=insp.number,
        kind=str(insp.get_kind_display()),
        place=insp.place or premises.full_address,
        started_at=insp.started_at,
        ended_at=insp.ended_at,
        inspectors=_inspectors(insp, signatures),
        premises=_premises_info(premises),
        representative=_representative(insp, signatures),
        items=tuple(items),
        findings=tuple(findings),
        recommendations=insp.recommendations,
        photos=tuple(_photo(p) for p in insp.photos.all()),
        signatures=signatures,
        verification_code=verification_code,
        verification_url=verification_url(verification_code),
        catalogue_version=insp.catalogue_version.label if insp.catalogue_version_id else "",
        development_signer=development_signer,
        issued_in=_place_name(divisions.province_name(premises.province_code)),
        content_groups=_numbered(groups),
        representative_comments=insp.representative_comments,
        refusal_reason=insp.representative_refusal_reason,
        copies=insp.copies or DEFAULT_COPIES,
        earlier_findings=_earlier_findings(insp),
    )


def _item_rows(
    insp: Inspection, *, english: bool
) -> tuple[list[ItemRow], dict[int, InspectionItem]]:
    """The checklist rows with their answers, and the items by id (findings name theirs)."""
    answers = {a.item_id: a for a in insp.answers.all()}
    items = []
    item_by_pk = {}
    for number, item in enumerate(insp.items.all(), start=1):
        answer = answers.get(item.pk)
        item_by_pk[item.pk] = item
        items.append(
            ItemRow(
                number=number,
                code=item.code,
                title=(item.title_en if english and item.title_en else item.title_vi),
                question=(item.question_en if english and item.question_en else item.question_vi),
                result=answer.value if answer else "",
                note=answer.note if answer else "",
                measured=(
                    f"{answer.number_value.normalize():f}"
                    if answer and answer.number_value is not None
                    else ""
                ),
                citations=_citations(item.citations),
            )
        )
    return items, item_by_pk


def _finding_rows(insp: Inspection, item_by_pk: dict[int, InspectionItem]) -> list[FindingRow]:
    findings = []
    for number, finding in enumerate(insp.findings.all(), start=1):
        item = item_by_pk.get(finding.item_id)
        findings.append(
            FindingRow(
                number=number,
                description=finding.description,
                severity=finding.severity,
                deadline=finding.remediation_deadline,
                citations=_citations(item.citations) if item else (),
                item_code=item.code if item else "",
            )
        )
    return findings


def _content_groups(
    insp: Inspection, items: list[ItemRow], *, english: bool
) -> list[tuple[str, str, list[Any]]]:
    """The rows grouped by the Decree 105 Art. 13.1 points the version words (if it does)."""
    spec = content_points(insp.catalogue_version)
    requirements = (
        Requirement.objects.in_bulk([i.requirement_id for i in insp.items.all()]) if spec else {}
    )
    return group_by_points(
        items,
        [requirement_points(requirements.get(i.requirement_id)) for i in insp.items.all()],
        spec=spec,
        checker=checker_key(insp),
        english=english,
    )


def _premises_info(premises: Premises) -> PremisesInfo:
    facts = []
    if premises.floors:
        facts.append(("Số tầng", str(premises.floors)))
    if premises.floor_area_m2:
        facts.append(("Tổng diện tích sàn", f"{premises.floor_area_m2.normalize():f} m²"))
    return PremisesInfo(
        name=premises.name,
        address=premises.full_address,
        kind=str(premises.get_kind_display()),
        occupancy=premises.occupancy_category,
        phone=premises.contact_phone,
        facts=tuple(facts),
    )


def _representative(insp: Inspection, signatures: tuple[SignatureMark, ...]) -> PersonRef:
    """Who represented the premises; a self-inspection without one names the head who signed."""
    representative = PersonRef(insp.representative_name, insp.representative_position)
    if insp.kind == Inspection.Kind.SELF and not representative.name:
        mark = next((s for s in signatures if s.role == "facility_head"), None)
        if mark:
            representative = PersonRef(mark.name, mark.position)
    return representative


def _inspectors(insp: Inspection, signatures: tuple[SignatureMark, ...]) -> tuple[PersonRef, ...]:
    """The team, with the position the inspector gave when signing (PC03 "chức vụ")."""
    signed = {s.name: s.position for s in signatures if s.role == "inspector" and s.position}
    people = []
    for user in sorted(insp.inspectors.all(), key=_pk):
        name = user.full_name or user.email
        people.append(PersonRef(name, signed.get(name, "")))
    return tuple(people)


def _numbered(groups) -> tuple[ContentGroup, ...]:
    """Groups with their items numbered 1, 2, 3… in the order the minutes print them."""
    counter = 0
    result = []
    for point, text, rows in groups:
        numbered = []
        for row in rows:
            counter += 1
            numbered.append(replace(row, number=counter))
        result.append(ContentGroup(point=point, text=text, items=tuple(numbered)))
    return tuple(result)


# PC03: "mỗi bên liên quan giữ 01 bản" — the authority and the inspected party.
DEFAULT_COPIES = 2


def _earlier_findings(insp: Inspection) -> tuple[FindingRow, ...]:
    """What earlier inspections found that was still open when this one started (PC03 (5))."""
    if insp.kind == Inspection.Kind.SELF:
        return ()
    qs = Finding.objects.filter(premises_id=insp.premises_id).exclude(inspection_id=insp.pk)
    if insp.parent_id:
        qs = qs.filter(inspection_id=insp.parent_id)
    else:
        started = insp.started_at or insp.created_at
        qs = (
            qs.filter(created_at__lt=started)
            .exclude(status=Finding.Status.WITHDRAWN)
            .exclude(status=Finding.Status.CLOSED, closed_at__lt=started)
        )
    return tuple(
        FindingRow(
            number=n,
            description=f.description,
            severity=f.severity,
            deadline=f.remediation_deadline,
            status_label=str(f.get_status_display()),
        )
        for n, f in enumerate(qs.order_by("created_at", "pk")[:50], start=1)
    )


def _place_name(province: str) -> str:
    """'Thành phố Hà Nội' → 'Hà Nội', 'Tỉnh Sơn La' → 'Sơn La' (the dateline's place)."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if province.startswith(prefix):
            return province.removeprefix(prefix)
    return province


def _pk(obj) -> int:
    return obj.pk


def inspections_missing_reports(now=None, limit: int = 200) -> QuerySet[Inspection]:
    """Submitted inspections whose record is absent, lost in the queue, stuck, or retryable."""
    now = now or timezone.now()
    lost = Q(
        report__status=Report.Status.PENDING,
        report__claimed_at__isnull=True,
        report__updated_at__lt=now - UNCLAIMED_GRACE,
    )
    stuck = Q(report__status=Report.Status.PENDING, report__claimed_at__lt=now - claim_timeout())
    retryable = Q(
        report__status=Report.Status.FAILED,
        report__attempts__lt=MAX_ATTEMPTS,
        report__updated_at__lt=now - UNCLAIMED_GRACE,
    )
    return (
        Inspection.objects.filter(state=Inspection.State.SUBMITTED)
        .filter(Q(report__isnull=True) | lost | stuck | retryable)
        .order_by("submitted_at", "pk")[:limit]
    )


def report_of(inspection: Inspection) -> Report | None:
    """The inspection's record row, whatever its status (None until the inspection is
    submitted); the one lookup the API, the portal and the commands use."""
    return Report.objects.filter(inspection=inspection).first()


def report_by_code(code: str) -> Report | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 16:
        return None
    return (
        Report.objects.filter(verification_code=code, status=Report.Status.READY)
        .select_related("inspection__premises", "inspection__authority")
        .first()
    )


def report_by_sha256(digest: str) -> Report | None:
    """The ready record whose file has these bytes now, or had them before a long-term upgrade
    (a copy downloaded before the upgrade is still the genuine record)."""
    return (
        Report.objects.filter(status=Report.Status.READY)
        .filter(Q(sha256=digest) | Q(revisions__sha256=digest))
        .select_related("inspection__premises", "inspection__authority")
        .first()
    )
