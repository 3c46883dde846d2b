"""/api/v1/activities/ and /api/v1/departments/."""

import datetime

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Department
from matters.services import matter_withdraw
from tests.factories import (
    DepartmentFactory,
    GeneralOfficeFactory,
    ReviewerFactory,
    StaffFactory,
    make_activity,
    make_matter,
)

from .support import assert_error, at, ids, published_matter, token_for

pytestmark = pytest.mark.django_db

ACTIVITIES = "/api/v1/activities/"
DEPARTMENTS = "/api/v1/departments/"


def day(offset: int = 0) -> datetime.date:
    """A day far enough ahead that activities on it can still be scheduled and announced."""
    return timezone.localdate() + datetime.timedelta(days=100 + offset)


def on(offset: int, hour: int) -> datetime.datetime:
    """``hour`` o'clock, Beijing time, ``offset`` days from ``day()``."""
    d = day(offset)
    return at(d.year, d.month, d.day, hour)


@pytest.fixture
def matter():
    return published_matter(department=DepartmentFactory(code="jtj", name="青岛市交通运输局"))


def test_activity_shows_its_matter_department_times_and_calendar_link(client, matter):
    activity = make_activity(
        matter=matter,
        kind="hearing",
        title="出租汽车运价调整听证会",
        starts_at=on(0, 9),
        status="notice_published",
        capacity=30,
        accepts_registrations=True,
        registration_closes_at=on(-9, 17),
    )
    activity.refresh_from_db()

    (row,) = client.get(ACTIVITIES).json()["results"]

    assert row["id"] == activity.pk
    assert row["title"] == "出租汽车运价调整听证会"
    assert (row["kind"], row["kind_label"]) == ("hearing", "听证会")
    assert (row["status"], row["status_label"]) == ("notice_published", "已发布公告")
    assert row["matter"] == {
        "id": matter.pk,
        "reference": matter.reference,
        "title": matter.title,
        "api_url": f"http://testserver/api/v1/matters/{matter.pk}/",
    }
    assert row["department"] == {
        "id": matter.department_id,
        "code": "jtj",
        "name": "青岛市交通运输局",
    }
    assert parse_datetime(row["starts_at"]) == on(0, 9)
    assert parse_datetime(row["ends_at"]) == on(0, 11)
    assert row["place"] == "青岛市市南区香港中路11号市政府会议室"
    assert row["online_url"] == ""
    assert row["capacity"] == 30
    assert row["accepts_registrations"] is True
    assert parse_datetime(row["registration_closes_at"]) == on(-9, 17)
    assert parse_datetime(row["notice_published_at"]) == activity.notice_published_at
    assert row["minutes_published_at"] is None
    assert parse_datetime(row["modified"]) == activity.updated_at
    assert row["url"] == f"http://testserver/activities/{activity.pk}/"
    assert row["ics_url"] == f"http://testserver/activities/{activity.pk}/calendar.ics"
    calendar = client.get(row["ics_url"].removeprefix("http://testserver"))
    assert calendar.status_code == 200
    assert b"BEGIN:VCALENDAR" in calendar.content


def test_only_public_activities_with_a_published_notice_of_published_matters_are_listed(
    client, matter
):
    when = on(0, 9)
    noticed = make_activity(matter=matter, starts_at=when, status="notice_published")
    minuted = make_activity(
        matter=matter, starts_at=when + datetime.timedelta(days=1), status="minutes_published"
    )
    make_activity(matter=matter, starts_at=when, status="planned")
    make_activity(matter=matter, starts_at=when, status="notice_published", is_public=False)
    unpublished_matter = make_matter()
    make_activity(matter=unpublished_matter, starts_at=when, status="notice_published")
    withdrawn = published_matter()
    make_activity(matter=withdrawn, starts_at=when, status="notice_published")
    matter_withdraw(matter=withdrawn, by=withdrawn.created_by, reason="暂缓推进")

    assert ids(client.get(ACTIVITIES)) == [noticed.pk, minuted.pk]
    hidden = make_activity(matter=matter, starts_at=when, status="planned")
    assert_error(client.get(f"{ACTIVITIES}{hidden.pk}/"), 404)


def test_staff_also_see_their_own_departments_unannounced_activities(client, matter):
    planned = make_activity(matter=matter, starts_at=on(0, 9), status="planned")
    elsewhere = make_activity(starts_at=on(0, 9), status="planned")

    own = token_for(StaffFactory(department=matter.department))
    other = token_for(StaffFactory())

    assert ids(client.get(ACTIVITIES, **own)) == [planned.pk]
    assert client.get(f"{ACTIVITIES}{planned.pk}/", **own).status_code == 200
    assert ids(client.get(ACTIVITIES, **other)) == []
    assert_error(client.get(f"{ACTIVITIES}{planned.pk}/", **other), 404)
    assert sorted(ids(client.get(ACTIVITIES, **token_for(ReviewerFactory())))) == sorted(
        [planned.pk, elsewhere.pk]
    )


def test_activities_are_listed_by_start_time(client, matter):
    late = make_activity(matter=matter, starts_at=on(21, 9), status="notice_published")
    early = make_activity(matter=matter, starts_at=on(-9, 9), status="notice_published")

    assert ids(client.get(ACTIVITIES)) == [early.pk, late.pk]


def test_kind_filter(client, matter):
    hearing = make_activity(
        matter=matter, kind="hearing", starts_at=on(0, 9), status="notice_published"
    )
    symposium = make_activity(matter=matter, starts_at=on(1, 9), status="notice_published")

    assert ids(client.get(ACTIVITIES, {"kind": "hearing"})) == [hearing.pk]
    assert ids(client.get(ACTIVITIES, {"kind": "symposium"})) == [symposium.pk]
    assert_error(client.get(ACTIVITIES, {"kind": "party"}), 400, field="kind")


@pytest.fixture
def three_days(matter):
    """Activities early the day before ``day()``, late on it and early the day after."""
    return [
        make_activity(matter=matter, starts_at=moment, status="notice_published")
        for moment in (on(-1, 8), on(0, 20), on(1, 7))
    ]


def test_from_a_date_starts_at_its_midnight(client, three_days):
    _ninth, tenth, eleventh = three_days

    assert ids(client.get(ACTIVITIES, {"from": str(day())})) == [tenth.pk, eleventh.pk]
    assert ids(client.get(ACTIVITIES, {"from": f"{day()}T21:00:00+08:00"})) == [eleventh.pk]


def test_to_a_date_means_the_whole_day(client, three_days):
    ninth, tenth, _eleventh = three_days

    assert ids(client.get(ACTIVITIES, {"to": str(day())})) == [ninth.pk, tenth.pk]
    assert ids(client.get(ACTIVITIES, {"to": f"{day()}T12:00:00+08:00"})) == [ninth.pk]
    assert ids(client.get(ACTIVITIES, {"from": str(day()), "to": str(day())})) == [tenth.pk]
    # 20:00 on the day in Beijing is 12:00 UTC.
    assert ids(client.get(ACTIVITIES, {"to": f"{day()}T12:00:00Z"})) == [ninth.pk, tenth.pk]


@pytest.mark.parametrize("name", ["from", "to"])
@pytest.mark.parametrize("value", ["next week", "2030-06-31", "2030-06-10T24:30"])
def test_bad_from_or_to_is_refused_naming_it(client, name, value):
    assert_error(client.get(ACTIVITIES, {name: value}), 400, field=name)


def test_matter_filter(client, matter):
    ours = make_activity(matter=matter, starts_at=on(0, 9), status="notice_published")
    other_matter = published_matter()
    make_activity(matter=other_matter, starts_at=on(0, 9), status="notice_published")

    assert ids(client.get(ACTIVITIES, {"matter": str(matter.pk)})) == [ours.pk]
    assert ids(client.get(ACTIVITIES, {"matter": str(2**62)})) == []
    for bad in ("abc", "0", "-1", str(2**63)):
        assert_error(client.get(ACTIVITIES, {"matter": bad}), 400, field="matter")


# --- departments --------------------------------------------------------------------


def test_departments_list_active_departments_with_their_kind(client):
    active = DepartmentFactory(code="sfj", name="青岛市司法局", short_name="市司法局", sort_order=1)
    district = DepartmentFactory(
        code="snq", name="市南区人民政府", kind=Department.Kind.DISTRICT, sort_order=2
    )
    office = GeneralOfficeFactory()
    DepartmentFactory(code="old", is_active=False)

    body = client.get(DEPARTMENTS).json()

    assert sorted(row["code"] for row in body["results"]) == sorted(
        Department.objects.filter(is_active=True).values_list("code", flat=True)
    )
    assert "old" not in {row["code"] for row in body["results"]}
    rows = {row["code"]: row for row in body["results"]}
    assert rows["sfj"] == {
        "id": active.pk,
        "code": "sfj",
        "name": "青岛市司法局",
        "short_name": "市司法局",
        "kind": "municipal_department",
        "kind_label": "市政府部门",
        "files_catalog": True,
        "modified": rows["sfj"]["modified"],
    }
    assert parse_datetime(rows["sfj"]["modified"]) == active.updated_at
    assert rows["snq"]["kind_label"] == "区市政府"
    assert rows[office.code]["files_catalog"] is False
    assert client.get(f"{DEPARTMENTS}{district.pk}/").json()["name"] == "市南区人民政府"


def test_departments_kind_filter(client):
    DepartmentFactory(code="sfj")
    district = DepartmentFactory(code="snq", kind=Department.Kind.DISTRICT)

    assert ids(client.get(DEPARTMENTS, {"kind": "district"})) == [district.pk]
    assert_error(client.get(DEPARTMENTS, {"kind": "ministry"}), 400, field="kind")


def test_inactive_department_is_not_found(client):
    gone = DepartmentFactory(code="old", is_active=False)

    assert_error(client.get(f"{DEPARTMENTS}{gone.pk}/"), 404)
