"""The 督办 pages as their users meet them: the office issues an order from a matter's
page, the department finds it on its workbench, its staff draft the report and its leader
signs it, the office returns it and then accepts it; the list, its filters and the
dashboard's block and export sheet."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from oversight.models import Order
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_matter,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    department = DepartmentFactory(name="青岛市交通运输局", short_name="市交通运输局", code="jtj")
    return {
        "office": ReviewerFactory(),
        "staff": StaffFactory(department=department),
        "leader": LeaderFactory(department=department),
        "other": StaffFactory(department=DepartmentFactory(name="青岛市民政局", code="mzj")),
    }


def page(client, url, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_whole_round_through_the_pages(client, people):
    office, staff, leader = people["office"], people["staff"], people["leader"]
    matter = make_matter(by=staff, title="关于优化公交线网的协商事项")
    due = timezone.localdate() + datetime.timedelta(days=14)

    # The office finds the link on the matter's page and issues the order.
    client.force_login(office)
    matter_page = page(client, reverse("matters:staff_detail", args=[matter.pk]))
    create = f"{reverse('oversight:create')}?about=matter&amp;target={matter.pk}"
    assert create in matter_page
    url = f"{reverse('oversight:create')}?about=matter&target={matter.pk}"
    form = page(client, url)
    assert "关于督促推进“关于优化公交线网的协商事项”的通知" in form
    refused = client.post(url, {"title": "督办", "requirement": "", "due_date": ""})
    assert refused.status_code == 422
    assert "请写明督办事项及要求。" in refused.content.decode()
    response = client.post(
        url,
        {
            "title": "关于督促推进公交线网优化协商的通知",
            "requirement": "请于时限前启动公开征求意见并报送进展。",
            "due_date": due.isoformat(),
        },
    )
    order = Order.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "oversight:detail", args=[order.pk]
    )
    assert order.reference in page(client, reverse("matters:staff_detail", args=[matter.pk]))

    # The department sees it on its workbench; another department does not see it at all.
    client.force_login(people["other"])
    assert client.get(reverse("oversight:detail", args=[order.pk])).status_code == 404
    assert order.title not in page(client, reverse("oversight:list"))
    client.force_login(staff)
    workbench = page(client, reverse("workbench"))
    assert "督办事项" in workbench and order.title in workbench and "待起草办理情况" in workbench
    detail = page(client, reverse("oversight:detail", args=[order.pk]))
    assert "起草办理情况" in detail and "签发并报送办公厅" not in detail
    client.post(reverse("oversight:answer", args=[order.pk]), {"body": "已完成线网方案初稿。"})
    # Staff cannot sign.
    assert client.post(reverse("oversight:sign", args=[order.pk])).status_code == 403

    client.force_login(leader)
    assert "办理情况已起草，待您签发" in page(client, reverse("workbench"))
    client.post(reverse("oversight:sign", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == Order.Status.ANSWERED

    # The office returns it with a reason, then accepts the second round.
    client.force_login(office)
    assert order.title in page(client, reverse("workbench"))
    detail = page(client, reverse("oversight:detail", args=[order.pk]))
    assert "已完成线网方案初稿。" in detail and "审核办理情况" in detail
    client.post(reverse("oversight:decide", args=[order.pk]), {"decision": "return", "note": ""})
    order.refresh_from_db()
    assert order.status == Order.Status.ANSWERED  # refused: no reason
    client.post(
        reverse("oversight:decide", args=[order.pk]),
        {"decision": "return", "note": "请写明征求意见的时间安排。"},
    )
    order.refresh_from_db()
    assert order.status == Order.Status.RETURNED and order.round == 2
    client.force_login(staff)
    assert "办理情况被退回，请重新办理" in page(client, reverse("workbench"))
    client.post(reverse("oversight:answer", args=[order.pk]), {"body": "12月15日起征求意见。"})
    client.force_login(leader)
    client.post(reverse("oversight:sign", args=[order.pk]))
    client.force_login(office)
    client.post(
        reverse("oversight:decide", args=[order.pk]), {"decision": "accept", "note": "同意。"}
    )
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED
    detail = page(client, reverse("oversight:detail", args=[order.pk]))
    assert "请写明征求意见的时间安排。" in detail and "12月15日起征求意见。" in detail
    assert "审核办理情况" not in detail and "催办" not in detail


def test_the_list_filters_and_the_dashboard(client, people):
    from oversight import services

    office, staff = people["office"], people["staff"]
    due = timezone.localdate() + datetime.timedelta(days=14)
    for title in ("第一件", "第二件"):
        services.order_issue(
            target=services.target_of("matter", make_matter(by=staff, title=title).pk),
            requirement="请办理。",
            due_date=due,
            by=office,
        )
    first = Order.objects.get(matter__title="第一件")
    services.order_urge(order=first, note="请加快。", by=office)
    client.force_login(office)
    listing = page(client, reverse("oversight:list"))
    assert "共 2 件" in listing
    listing = page(
        client, reverse("oversight:list"), status="issued", department=staff.department_id
    )
    assert "共 2 件" in listing
    assert "共 0 件" in page(client, reverse("oversight:list"), status="accepted")
    assert "没有符合条件的督办通知" in page(client, reverse("oversight:list"), overdue="on")
    year = timezone.localdate().year
    board = page(client, reverse("dashboard"), year=year)
    assert f"{year}年度督办情况" in board and "市交通运输局" in board
    workbook = load_workbook(
        BytesIO(client.get(reverse("dashboard_export"), {"year": year}).content)
    )
    rows = list(workbook["督办"].iter_rows(values_only=True))
    assert rows[0][0] == "承办单位"
    assert rows[1] == ("青岛市交通运输局", 2, 2, 0, 0, 0, 1)
    # A member of the department sees the list of its own orders.
    client.force_login(staff)
    assert "共 2 件" in page(client, reverse("oversight:list"))
    client.force_login(people["other"])
    assert "暂无督办通知" in page(client, reverse("oversight:list"))


def test_an_object_that_cannot_be_ordered_goes_back_to_the_list(client, people):
    client.force_login(people["office"])
    response = client.get(
        reverse("oversight:create"), {"about": "matter", "target": "999999"}, follow=True
    )
    assert "没有这个协商事项。" in response.content.decode()
