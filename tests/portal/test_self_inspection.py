"""A facility head runs a self-inspection in the browser: same checklist, signed, PC02 queued."""

from __future__ import annotations

import base64
import io

from django.urls import reverse
from PIL import Image

from inspections.models import Answer, Inspection, Report


def signature_data_url() -> str:
    buf = io.BytesIO()
    Image.new("RGBA", (120, 40), (255, 255, 255, 0)).save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def test_self_inspection_answer_sign_submit(client, head, premises, catalogue):
    client.force_login(head)
    response = client.post(reverse("portal:self_inspection_start", args=[premises.pk]))
    inspection = Inspection.objects.get(premises=premises, kind=Inspection.Kind.SELF)
    assert response.url == reverse("portal:self_inspection", args=[inspection.pk])
    items = list(inspection.items.order_by("order"))
    assert items, "the checklist is frozen from the catalogue"
    page = client.get(response.url).content.decode()
    assert items[0].question_vi in page

    data = {"version": inspection.version, "action": "save"}
    for item in items:
        if item.answer_type == "number":
            data[f"x-{item.pk}"] = "3"
        elif item.answer_type == "text":
            data[f"n-{item.pk}"] = "Ghi chú"
        else:
            data[f"v-{item.pk}"] = "compliant"
    assert client.post(response.url, data).status_code == 302
    assert Answer.objects.filter(inspection=inspection).count() == len(items)

    # Saving again without changes sends nothing and keeps the answers.
    inspection.refresh_from_db()
    assert client.post(response.url, {**data, "version": inspection.version}).status_code == 302

    inspection.refresh_from_db()
    submit = {
        **data,
        "version": inspection.version,
        "action": "submit",
        "signer_name": "Lê Thị Chủ",
        "signature": signature_data_url(),
    }
    done = client.post(response.url, submit)
    assert done.url == reverse("portal:inspection_detail", args=[inspection.pk])
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.SUBMITTED
    report = Report.objects.get(inspection=inspection)
    assert report.form == Report.Form.PC02


def test_submit_without_signature_is_refused(client, head, premises, catalogue):
    client.force_login(head)
    client.post(reverse("portal:self_inspection_start", args=[premises.pk]))
    inspection = Inspection.objects.get(premises=premises, kind=Inspection.Kind.SELF)
    url = reverse("portal:self_inspection", args=[inspection.pk])
    response = client.post(url, {"version": inspection.version, "action": "submit"}, follow=True)
    assert "Hãy ký vào ô chữ ký" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.IN_PROGRESS


def test_manager_cannot_self_inspect_for_the_head(client, manager, premises, catalogue):
    client.force_login(manager)
    response = client.post(reverse("portal:self_inspection_start", args=[premises.pk]))
    assert response.status_code == 403
    assert not Inspection.objects.filter(premises=premises).exists()


def test_keyboard_users_sign_with_their_typed_name(client, head, premises, catalogue):
    from inspections.models import Signature

    client.force_login(head)
    client.post(reverse("portal:self_inspection_start", args=[premises.pk]))
    inspection = Inspection.objects.get(premises=premises, kind=Inspection.Kind.SELF)
    url = reverse("portal:self_inspection", args=[inspection.pk])
    data = {"version": inspection.version, "action": "save"}
    for item in inspection.items.all():
        key = {"number": "x", "text": "n"}.get(item.answer_type, "v")
        data[f"{key}-{item.pk}"] = {"x": "1", "n": "ok", "v": "compliant"}[key]
    client.post(url, data)
    inspection.refresh_from_db()
    data.update(
        version=inspection.version,
        action="submit",
        signer_name="Lê Thị Chủ",
        typed_signature="1",
    )
    client.post(url, data)
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.SUBMITTED
    assert Signature.objects.get(inspection=inspection).signer_name == "Lê Thị Chủ"
