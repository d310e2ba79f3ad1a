from django.urls import reverse


def test_pages_render_for_head_and_manager(client, head, manager, premises, finding, report):
    client.force_login(head)
    for url in [
        reverse("portal:home"),
        reverse("portal:premises_detail", args=[premises.pk]),
        reverse("portal:premises_inspections", args=[premises.pk]),
        reverse("portal:premises_facts", args=[premises.pk]),
        reverse("portal:self_inspection_start", args=[premises.pk]),
        reverse("portal:findings"),
        reverse("portal:finding_detail", args=[finding.pk]),
        reverse("portal:inspection_detail", args=[finding.inspection_id]),
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
    client.force_login(manager)
    for url in [
        reverse("portal:dashboard"),
        reverse("portal:premises_list"),
        reverse("portal:planning"),
        reverse("portal:inspections"),
        reverse("portal:notifications"),
        reverse("portal:inspection_create", args=[premises.pk]),
        reverse("portal:inspection_assign", args=[finding.inspection_id]),
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
