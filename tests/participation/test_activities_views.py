import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from matters.services import matter_publish
from participation.models import Activity
from tests.factories import (
    DepartmentFactory,
    ReviewerFactory,
    StaffFactory,
    make_activity,
    make_matter,
    make_participant,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def matter(staff):
    matter = make_matter(by=staff)
    matter_publish(matter=matter, by=staff)
    return matter


@pytest.fixture
def activity(matter, staff):
    return make_activity(matter=matter, by=staff, status="notice_published")


def staff_pages(matter, activity):
    return [
        ("get", reverse("participation:activity_staff_list", args=[matter.pk]), "read"),
        ("get", reverse("participation:activity_create", args=[matter.pk]), "manage"),
        ("get", reverse("participation:activity_staff_detail", args=[activity.pk]), "read"),
        ("get", reverse("participation:activity_edit", args=[activity.pk]), "manage"),
        ("get", reverse("participation:activity_minutes", args=[activity.pk]), "manage"),
        ("post", reverse("participation:activity_publish_notice", args=[activity.pk]), "manage"),
        ("post", reverse("participation:activity_mark_held", args=[activity.pk]), "manage"),
    ]


def test_lead_department_staff_may_open_every_staff_page(client, matter, activity, staff):
    client.force_login(StaffFactory(department=staff.department))
    for method, url, _need in staff_pages(matter, activity):
        response = getattr(client, method)(url)
        assert response.status_code in (200, 302), url
        if method == "post":
            assert response["Location"].endswith(
                reverse("participation:activity_staff_detail", args=[activity.pk])
            )


def test_another_department_is_refused_everywhere(client, matter, activity):
    client.force_login(StaffFactory(department=DepartmentFactory()))
    for method, url, _need in staff_pages(matter, activity):
        assert getattr(client, method)(url).status_code == 403, url


def test_general_office_reads_but_does_not_manage(client, matter, activity):
    client.force_login(ReviewerFactory())
    for method, url, need in staff_pages(matter, activity):
        expected = 200 if need == "read" else 403
        assert getattr(client, method)(url).status_code == expected, url
    page = client.get(reverse("participation:activity_staff_detail", args=[activity.pk]))
    assert "登记为已举行" not in page.content.decode()


def test_anonymous_is_sent_to_login_everywhere(client, matter, activity):
    for method, url, _need in staff_pages(matter, activity):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    activity.refresh_from_db()
    assert activity.status == Activity.Status.NOTICE_PUBLISHED


def post_form(client, matter, **overrides):
    start = timezone.localtime() + datetime.timedelta(days=30)
    start = start.replace(hour=9, minute=0, second=0, microsecond=0)
    data = {
        "kind": "hearing",
        "title": "停车收费听证会",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "市政府第一会议室",
        "agenda": "一、陈述方案",
        "is_public": "on",
        "notice_published_at": (start - datetime.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
        "materials_published_at": (start - datetime.timedelta(days=6)).strftime("%Y-%m-%dT%H:%M"),
        **overrides,
    }
    return client.post(reverse("participation:activity_create", args=[matter.pk]), data)


def test_create_refusal_is_a_form_error_and_keeps_input_then_override_succeeds(
    client, matter, staff
):
    client.force_login(staff)
    response = post_form(client, matter)
    assert response.status_code == 200
    page = response.content.decode()
    assert "至少在举行前 10 日" in page
    assert 'value="停车收费听证会"' in page
    assert not Activity.objects.filter(title="停车收费听证会").exists()
    response = post_form(client, matter, override_reason="方案须在年底前实施。")
    assert response.status_code == 302
    created = Activity.objects.get(title="停车收费听证会")
    assert created.schedule_override_reason == "方案须在年底前实施。"
    page = client.get(response["Location"]).content.decode()
    assert "方案须在年底前实施。" in page


def test_publish_notice_and_hold_through_the_pages(client, matter, staff):
    planned = make_activity(matter=matter, by=staff)
    client.force_login(staff)
    client.post(reverse("participation:activity_publish_notice", args=[planned.pk]))
    planned.refresh_from_db()
    assert planned.status == Activity.Status.NOTICE_PUBLISHED
    response = client.post(
        reverse("participation:activity_mark_held", args=[planned.pk]), follow=True
    )
    assert "尚未开始" in response.content.decode()


def test_public_list_shows_only_public_announced_upcoming_activities(client, matter, staff):
    shown = make_activity(matter=matter, by=staff, status="notice_published", title="公开座谈会")
    make_activity(matter=matter, by=staff, status="planned", title="未发布公告的活动")
    make_activity(
        matter=matter, by=staff, status="notice_published", is_public=False, title="内部论证会"
    )
    hidden_matter = make_matter(by=staff)
    make_activity(
        matter=hidden_matter, by=staff, status="notice_published", title="未公开事项的活动"
    )
    past = make_activity(
        matter=matter,
        by=staff,
        status="minutes_published",
        starts_in=-datetime.timedelta(days=3),
        title="往期听证会",
    )
    make_activity(
        matter=matter,
        by=staff,
        status="held",
        starts_in=-datetime.timedelta(days=2),
        title="已举行未公开纪要",
    )
    page = client.get(reverse("participation:activity_list")).content.decode()
    assert shown.title in page and past.title in page
    for hidden in ("未发布公告的活动", "内部论证会", "未公开事项的活动", "已举行未公开纪要"):
        assert hidden not in page


def test_public_list_kind_filter(client, matter, staff):
    make_activity(matter=matter, by=staff, status="notice_published", title="座谈A")
    make_activity(matter=matter, by=staff, kind="hearing", status="notice_published", title="听证B")
    page = client.get(reverse("participation:activity_list"), {"kind": "hearing"})
    assert "听证B" in page.content.decode() and "座谈A" not in page.content.decode()


def test_public_list_empty_state(client, db):
    assert (
        "暂无即将举行的协商活动"
        in client.get(reverse("participation:activity_list")).content.decode()
    )


@pytest.mark.parametrize("count", [3, 20])
def test_public_list_runs_constant_queries(client, matter, staff, count, django_assert_num_queries):
    for n in range(count):
        make_activity(matter=matter, by=staff, status="notice_published", title=f"活动{n}")
        make_activity(
            matter=matter,
            by=staff,
            status="minutes_published",
            starts_in=-datetime.timedelta(days=n + 1),
            title=f"往期{n}",
        )
    with django_assert_num_queries(4):  # count and page of upcoming, and of past ones
        response = client.get(reverse("participation:activity_list"))
    assert response.status_code == 200


def test_public_detail_404_for_hidden_activities_and_redirects_own_staff(client, matter, staff):
    planned = make_activity(matter=matter, by=staff)
    private = make_activity(matter=matter, by=staff, status="notice_published", is_public=False)
    unpublished = make_activity(matter=make_matter(by=staff), by=staff, status="notice_published")
    for hidden in (planned, private, unpublished):
        url = reverse("participation:activity_detail", args=[hidden.pk])
        assert client.get(url).status_code == 404
        assert (
            client.get(reverse("participation:activity_calendar", args=[hidden.pk])).status_code
            == 404
        )
    client.force_login(staff)
    response = client.get(reverse("participation:activity_detail", args=[planned.pk]))
    assert response.status_code == 302


def test_public_detail_shows_time_place_agenda_and_minutes(client, matter, staff):
    held = make_activity(
        matter=matter,
        by=staff,
        status="minutes_published",
        starts_in=-datetime.timedelta(days=1),
        online_url="https://meeting.example.cn/123",
    )
    page = client.get(reverse("participation:activity_detail", args=[held.pk])).content.decode()
    assert held.place in page
    assert "https://meeting.example.cn/123" in page
    assert "介绍政策草案" in page
    assert "与会代表对草案提出了修改意见" in page
    start = timezone.localtime(held.starts_at)
    assert f"{start.year}年{start.month}月{start.day}日" in page


def test_contact_details_never_appear_on_public_pages(client, matter, staff, activity):
    make_participant(by=staff, name="张伟", phone="13912345678", email="zw@example.cn")
    urls = [
        reverse("participation:activity_list"),
        reverse("participation:activity_detail", args=[activity.pk]),
        reverse("participation:activity_calendar", args=[activity.pk]),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert "13912345678" not in body and "zw@example.cn" not in body
        assert staff.email not in body


def test_calendar_parses_with_beijing_times(client, matter, staff, settings):
    settings.PORTAL_BASE_URL = "https://zfxs.qingdao.gov.cn"
    start = datetime.datetime(2031, 5, 20, 14, 30, tzinfo=SHANGHAI)
    activity = make_activity(
        matter=matter,
        by=staff,
        status="notice_published",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        agenda="一、方案说明\n二、自由发言",
    )
    response = client.get(reverse("participation:activity_calendar", args=[activity.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment;")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == start
    assert str(event.decoded("dtstart").tzinfo) == "Asia/Shanghai"
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event.decoded("dtend") == start + datetime.timedelta(hours=2)
    assert str(event["UID"]) == f"activity-{activity.pk}@zfxs.qingdao.gov.cn"
    assert activity.title in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == activity.place
    assert str(event["URL"]) == f"https://zfxs.qingdao.gov.cn/activities/{activity.pk}/"
    assert "自由发言" in str(event["DESCRIPTION"])
    assert calendar.walk("VTIMEZONE")
    again = Calendar.from_ical(
        client.get(reverse("participation:activity_calendar", args=[activity.pk])).content
    )
    assert str(again.walk("VEVENT")[0]["UID"]) == str(event["UID"])


def test_matter_activities_tag_renders_public_activities_only(matter, staff):
    make_activity(matter=matter, by=staff, status="notice_published", title="公开的座谈会")
    make_activity(matter=matter, by=staff, title="尚未公告")
    html = Template("{% load participation_activities %}{% matter_activities matter %}").render(
        Context({"matter": matter})
    )
    assert "公开的座谈会" in html and "尚未公告" not in html
    other = make_matter(by=staff)
    html = Template("{% load participation_activities %}{% matter_activities matter %}").render(
        Context({"matter": other})
    )
    assert "暂无公开的协商活动" in html


def test_general_office_reads_activities_and_participants_in_the_admin(client, activity):
    make_participant(name="张伟")
    client.force_login(ReviewerFactory())
    for url in ("/admin/participation/activity/", "/admin/participation/participant/"):
        response = client.get(url, {"q": "张"} if "participant" in url else {"kind": "symposium"})
        assert response.status_code == 200, url
    page = client.get(f"/admin/participation/activity/{activity.pk}/change/")
    assert page.status_code == 200
    assert activity.title in page.content.decode()


# --- issue 21, item 17: a registration deadline needs registration ---------------------


def test_registration_deadline_without_accepting_registrations_is_refused_on_the_field(
    client, matter, staff
):
    client.force_login(staff)
    start = timezone.localtime() + datetime.timedelta(days=30)
    closes = (start - datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = post_form(
        client, matter, override_reason="方案须在年底前实施。", registration_closes_at=closes
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["registration_closes_at"] == [
        "未勾选“接受公众报名”时不能填写报名截止时间：请勾选“接受公众报名”，或清空报名截止时间。"
    ]
    assert not Activity.objects.filter(title="停车收费听证会").exists()
    response = post_form(
        client,
        matter,
        override_reason="方案须在年底前实施。",
        registration_closes_at=closes,
        accepts_registrations="on",
    )
    assert response.status_code == 302
    assert Activity.objects.get(title="停车收费听证会").accepts_registrations
