"""The matter list writes its rows out by hand for speed (issue 9); the declared
serializer fields stay the contract: both must give the same, field for field."""

import datetime

import pytest
from django.test import RequestFactory

from api.v1 import serializers
from api.v1.visibility import visible_matters
from matters.models import Matter, PolicyArea
from matters.selectors import policy_area_pairs
from participation.selectors.comments import with_open_for_comment
from tests.factories import StaffFactory, make_matter, make_period

from .support import published_matter

pytestmark = pytest.mark.django_db


def both_ways(matters: list[Matter]) -> tuple[list[dict], list[dict]]:
    request = RequestFactory().get("/api/v1/matters/", HTTP_HOST="testserver")
    context = {"request": request}
    ids = [matter.pk for matter in matters]
    queryset = with_open_for_comment(Matter.objects.filter(pk__in=ids)).order_by("pk")
    objects = list(queryset.select_related("department").prefetch_related("policy_areas"))
    rows = list(queryset.values(*serializers.LIST_VALUES))
    areas = policy_area_pairs(matter_ids=ids)
    for row in rows:
        row["policy_area_pairs"] = areas[row["id"]]
    generic = serializers.MatterListSerializer(objects, many=True, context=context).data
    by_hand = serializers.MatterListSerializer(rows, many=True, context=context).data
    return [dict(row) for row in generic], [dict(row) for row in by_hand]


def test_rows_written_by_hand_equal_the_declared_fields():
    staff = StaffFactory()
    open_one = make_period(by=staff).matter
    plain = published_matter(by=staff, kind="legislative", title="《养老服务条例（草案）》")
    plain.policy_areas.set(PolicyArea.objects.order_by("-sort_order")[:3])
    draft = make_matter(by=staff, kind="budget", title="未公开的预算事项")
    Matter.objects.filter(pk=draft.pk).update(stage_due_on=datetime.date(2026, 4, 30))

    generic, by_hand = both_ways([open_one, plain, draft])

    assert by_hand == generic
    assert [row["open_for_comment"] for row in by_hand] == [True, False, False]
    assert by_hand[2]["url"] is None and by_hand[2]["published_at"] is None
    assert by_hand[2]["stage_due_on"] == "2026-04-30"
    assert len(by_hand[1]["policy_areas"]) == 3
    assert by_hand[0]["api_url"] == f"http://testserver/api/v1/matters/{open_one.pk}/"


def test_every_declared_field_is_written():
    matter = published_matter()

    _, by_hand = both_ways([matter])

    assert list(by_hand[0]) == list(serializers.MatterListSerializer().fields)


def test_times_are_written_in_shanghai_time():
    matter = published_matter()
    Matter.objects.filter(pk=matter.pk).update(
        updated_at=datetime.datetime(2026, 3, 31, 16, 0, 0, 500, tzinfo=datetime.UTC)
    )

    generic, by_hand = both_ways([matter])

    assert by_hand[0]["modified"] == "2026-04-01T00:00:00.000500+08:00"
    assert generic[0]["modified"] == by_hand[0]["modified"]


def test_the_list_view_sends_the_rows_written_by_hand(client):
    matter = published_matter(title="社区养老服务设施布局规划")
    visible = with_open_for_comment(visible_matters(None)).filter(pk=matter.pk)

    body = client.get("/api/v1/matters/").json()

    generic, _ = both_ways(list(visible))
    assert body["results"] == generic
