"""The workbench lists the public input waiting for its reader (issue 21, item 5): opinions
to moderate and to dispose of per comment period, hearing registrations to decide, and for
a leader the catalog waiting for sign-off; each with its count and a link."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.models import Activity, Opinion, Registration
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_period,
    make_plan,
)

pytestmark = pytest.mark.django_db

PERIOD = "《青岛市养老服务条例（草案）》公开征求意见"


def _opinions(period, *, pending: int, shown_undisposed: int, disposed: int = 0):
    def add(n, **fields):
        for i in range(n):
            Opinion.objects.create(
                period=period,
                matter=period.matter,
                channel="online",
                content=f"意见{i}",
                received_on=timezone.localdate(),
                **fields,
            )

    add(pending)
    add(shown_undisposed, moderation="shown")
    add(disposed, moderation="shown", disposition="adopted", response="已采纳。")


def _hearing(matter, staff, *, closes_in):
    now = timezone.now()
    return Activity.objects.create(
        matter=matter,
        kind=Activity.Kind.HEARING,
        title="养老服务条例立法听证会",
        starts_at=now + datetime.timedelta(days=15),
        ends_at=now + datetime.timedelta(days=15, hours=3),
        place="市民中心",
        accepts_registrations=True,
        registration_closes_at=now + closes_in,
        status=Activity.Status.NOTICE_PUBLISHED,
        notice_published_at=now,
        created_by=staff,
    )


@pytest.fixture
def world():
    mzj = DepartmentFactory(code="mzj", name="青岛市民政局", short_name="市民政局")
    clerk = StaffFactory(department=mzj)
    period = make_period(by=clerk, title=PERIOD)
    _opinions(period, pending=5, shown_undisposed=4, disposed=2)
    hearing = _hearing(period.matter, clerk, closes_in=datetime.timedelta(days=3))
    Registration.objects.create(
        activity=hearing, name="孙丽", phone="13912345678", position="support"
    )
    return {"mzj": mzj, "clerk": clerk, "period": period, "hearing": hearing}


def test_clerk_sees_opinions_and_registrations_waiting_with_counts_and_links(client, world):
    client.force_login(world["clerk"])
    text = client.get(reverse("workbench")).content.decode()
    assert "暂无待办事项" not in text
    register = reverse("participation:staff_period", args=[world["period"].pk])
    assert f'href="{register}?moderation=pending">{PERIOD}：5条意见待审核是否公开显示' in text
    assert f'href="{register}?undisposed=on">{PERIOD}：9条意见待处理（采纳情况）' in text
    registrations = reverse("participation:registration_list", args=[world["hearing"].pk])
    assert f'href="{registrations}">养老服务条例立法听证会' in text
    assert "1人报名，报名将于" in text and "截止，截止后选定听证代表" in text


def test_registrations_after_the_deadline_ask_for_a_choice_and_go_once_chosen(client, world):
    hearing = world["hearing"]
    hearing.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    hearing.save()
    client.force_login(world["clerk"])
    assert "1人报名，待选定听证代表" in client.get(reverse("workbench")).content.decode()
    Registration.objects.update(status=Registration.Status.SELECTED)
    assert "养老服务条例立法听证会" not in client.get(reverse("workbench")).content.decode()


def test_others_do_not_get_the_departments_public_input(client, world):
    other = StaffFactory(department=DepartmentFactory(code="sfj", short_name="市司法局"))
    for user in (other, ReviewerFactory()):
        client.force_login(user)
        text = client.get(reverse("workbench")).content.decode()
        assert PERIOD not in text and "养老服务条例立法听证会" not in text


def test_leader_sees_the_catalog_waiting_for_sign_off_and_staff_do_not(client, world):
    year = timezone.localdate().year + 1
    plan = make_plan(department=world["mzj"], by=world["clerk"], year=year)
    leader = LeaderFactory(department=world["mzj"])
    url = reverse("annual_plans:staff_detail", args=[plan.pk])
    client.force_login(leader)
    text = client.get(reverse("workbench")).content.decode()
    assert "待负责人审签的目录" in text
    assert f'href="{url}">{year}年度计划目录</a> <span class="muted">待您审签' in text
    client.force_login(world["clerk"])
    assert "待负责人审签的目录" not in client.get(reverse("workbench")).content.decode()
    plan.signed_off_by = leader
    plan.save()
    client.force_login(leader)
    assert "待负责人审签的目录" not in client.get(reverse("workbench")).content.decode()
