"""The timeline on the public and staff pages says 已完成 only for what is on record
(issue 21, item 6)."""

import re

import pytest
from django.urls import reverse

from matters import services
from tests.factories import make_published_matter

pytestmark = pytest.mark.django_db


def _stage(html: str, label: str) -> str:
    return re.search(
        rf'<li class="timeline-(\w+)"[^>]*>\s*<span class="timeline-label">{label}</span>\s*<span class="timeline-state">([^<]*)<',
        html,
    ).groups()


def test_a_major_decision_moved_on_without_steps_is_not_shown_completed(client):
    matter = make_published_matter(
        "青岛市停车收费标准调整", kind="decision", is_major_decision=True
    )
    by = matter.created_by
    for _ in range(2):
        matter = services.matter_advance_stage(matter=matter, by=by)

    public = client.get(reverse("matters:public_detail", args=[matter.pk])).content.decode()
    assert _stage(public, "启动") == ("done", "已完成")
    assert _stage(public, "公众参与") == ("unrecorded", "无公开记录")

    client.force_login(by)
    staff = client.get(reverse("matters:staff_detail", args=[matter.pk])).content.decode()
    assert _stage(staff, "公众参与") == ("unrecorded", "未记录")
