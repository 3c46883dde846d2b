"""The completed expert argumentations on the public matter page: title, date, form, how
many experts gave opinions, the panel's conclusion and summary — no expert's name, no
individual opinion, no conflict note, and nothing at all of an open argumentation."""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory, make_matter, make_published_matter
from tests.solicitations.support import (
    EXPERTS,
    RECUSAL,
    SUMMARY,
    completed_argumentation,
    open_argumentation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return StaffFactory()


def page(client, matter) -> str:
    response = client.get(reverse("matters:public_detail", args=[matter.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_completed_argumentation_shows_its_outcome_without_names(client, staff):
    matter = make_published_matter("青岛市既有住宅加装电梯管理办法", by=staff)
    completed_argumentation(matter, staff)
    text = page(client, matter)
    assert "《青岛市既有住宅加装电梯管理办法》专家论证" in text
    assert "2026年12月7日" in text
    assert "论证会" in text
    assert "3位专家出具论证意见" in text
    assert "专家组结论：" in text and "修改后同意" in text
    assert SUMMARY in text
    for name, affiliation, _expertise in EXPERTS:
        assert name not in text and affiliation not in text
    assert "必要性意见" not in text and "执行条件意见" not in text
    assert RECUSAL not in text


def test_nothing_of_an_open_argumentation_shows(client, staff):
    matter = make_published_matter("青岛市既有住宅加装电梯管理办法", by=staff)
    open_argumentation(matter, staff, title="尚在进行的专家论证")
    text = page(client, matter)
    assert "尚在进行的专家论证" not in text
    assert 'id="argumentations"' not in text
    assert "专家出具论证意见" not in text


def test_an_unpublished_matter_shows_nothing(client, staff):
    matter = make_matter(by=staff, title="未公开的事项")
    completed_argumentation(matter, staff)
    assert client.get(reverse("matters:public_detail", args=[matter.pk])).status_code == 404
