"""Reads of the fire-safety dossier: the 14 items of Art. 4.1 with their documents and gaps."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from inspections import access
from inspections.models import DossierDocument, DossierItem, Premises
from inspections.rules.forms import AUTHORITY_ITEMS, ITEM_ORDER, item_status


@dataclass(frozen=True)
class DossierEntry:
    item: str
    label: str
    status: str  # present / missing / conditional / if_any
    documents: tuple[DossierDocument, ...]
    kept_by: tuple[str, ...]  # authority kinds that keep this item too (Art. 4.3)
    retained: bool  # Art. 4.4 minimum retention applies


def documents_of(premises: Premises) -> QuerySet[DossierDocument]:
    return (
        DossierDocument.objects.filter(premises=premises, deleted_at=None)
        .select_related("report", "form_document", "uploaded_by")
        .order_by("item", "-made_on", "-id")
    )


def dossier_of(premises: Premises) -> list[DossierEntry]:
    """Every item a–o in the decree's order, with its documents (newest first) and status."""
    by_item: dict[str, list[DossierDocument]] = {}
    for document in documents_of(premises):
        by_item.setdefault(document.item, []).append(document)
    labels = dict(DossierItem.choices)
    entries = []
    for item in ITEM_ORDER:
        docs = tuple(by_item.get(item, ()))
        entries.append(
            DossierEntry(
                item=item,
                label=str(labels[item]),
                status=item_status(item, has_documents=bool(docs)),
                documents=docs,
                kept_by=tuple(kind for kind, items in AUTHORITY_ITEMS.items() if item in items),
                retained=bool(docs) and docs[0].retained_until is not None,
            )
        )
    return entries


def authority_kinds_of(user: User, premises: Premises) -> list[str]:
    """The kinds of the user's authorities that manage this premises (their Art. 4.3 items)."""
    mine = access.authorities_of(user)
    covering = access.authorities_covering(premises.province_code, premises.ward_code, among=mine)
    return sorted({a.kind for a in covering})


def document_for(user: User, pk: int) -> DossierDocument | None:
    """A dossier document the user may see (None: missing or invisible)."""
    try:
        return access.access_dossier_document(user, pk)
    except Http404:
        return None


def stored_file(document: DossierDocument):
    """The file behind a document: uploaded, or the signed PDF of a generated form."""
    if document.report_id:
        return document.report.file
    if document.form_document_id:
        return document.form_document.file
    return document.file
