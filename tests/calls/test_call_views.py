"""The call's pages as their users meet them: the office drafts and publishes a call, a
citizen proposes without an account and is shown the receipt once, staff type in a paper
proposal and screen each, the result goes out, and the citizen looks theirs up; another
department sees only what was passed to it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from calls import services
from calls.models import Call, Submission
from tests.factories import DepartmentFactory, ReviewerFactory, StaffFactory, make_plan

pytestmark = pytest.mark.django_db


def page(client, url, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def office():
    return ReviewerFactory()


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_call_from_draft_to_result(client, office):
    now = timezone.now()
    client.force_login(office)
    assert "新建公开征集" in page(client, reverse("calls:staff_list"))
    refused = client.post(reverse("calls:create"), {"kind": "topics", "title": ""})
    assert refused.status_code == 422 and "请填写征集标题。" in refused.content.decode()
    response = client.post(
        reverse("calls:create"),
        {
            "kind": "topics",
            "title": "2027年度政府协商议题公开征集",
            "year": now.year + 1,
            "scope": "全市经济社会发展中的重大事项。",
            "guidance": "请写明议题名称、理由和建议。",
            "starts_at": local(now - datetime.timedelta(hours=1)),
            "ends_at": local(now + datetime.timedelta(days=20)),
        },
    )
    call = Call.objects.get()
    assert response.url == reverse("calls:staff_detail", args=[call.pk])
    # Not public before it is published.
    client.logout()
    assert client.get(reverse("calls:detail", args=[call.pk])).status_code == 404
    client.force_login(office)
    client.post(reverse("calls:publish", args=[call.pk]))
    client.logout()

    # A citizen proposes; the spam trap stores nothing.
    listing = page(client, reverse("calls:list"))
    assert call.title in listing and "正在征集" in listing
    detail = page(client, reverse("calls:detail", args=[call.pk]))
    assert "提出建议" in detail
    bad = client.post(reverse("calls:detail", args=[call.pk]), {"title": "", "reasons": ""})
    assert "请填写建议题目。" in bad.content.decode()
    client.post(
        reverse("calls:detail", args=[call.pk]),
        {"title": "机器人", "reasons": "广告", "website": "http://spam.example"},
    )
    assert not Submission.objects.exists()
    response = client.post(
        reverse("calls:detail", args=[call.pk]),
        {
            "title": "关于老旧小区加装电梯的议题",
            "reasons": "老年人上下楼困难，加装电梯协调难。",
            "measures": "简化审批流程，加大财政补贴。",
            "author_name": "张先生",
            "contact": "13900000000",
        },
    )
    assert response.url == reverse("calls:thanks", args=[call.pk])
    submission = Submission.objects.get()
    thanks = page(client, response.url)
    assert submission.receipt in thanks
    assert submission.receipt not in page(client, response.url)  # shown once
    assert "张先生" not in page(client, reverse("calls:detail", args=[call.pk]))

    # Staff screen it into a catalog item of next year, after the call has closed.
    department = DepartmentFactory(name="青岛市住房和城乡建设局", short_name="市住建局")
    plan = make_plan(
        department=department, by=StaffFactory(department=department), year=now.year + 1
    )
    item = plan.items.get()
    client.force_login(office)
    register = page(client, reverse("calls:staff_detail", args=[call.pk]))
    assert submission.title in register and "13900000000" in register
    screen_url = reverse("calls:screen", args=[submission.pk])
    assert item.title in page(client, screen_url)
    refused = client.post(screen_url, {"outcome": "adopted"})
    assert refused.status_code == 422 and "纳入的目录事项或协商事项" in refused.content.decode()
    client.post(screen_url, {"outcome": "adopted", "plan_item": item.pk})
    submission.refresh_from_db()
    assert submission.plan_item == item
    Call.objects.filter(pk=call.pk).update(ends_at=now - datetime.timedelta(minutes=1))
    client.post(reverse("calls:results", args=[call.pk]), {"summary": "共收到1条，采纳1条。"})
    call.refresh_from_db()
    assert call.results_published_at is not None

    # The citizen looks it up by the receipt.
    client.logout()
    result = page(client, reverse("calls:detail", args=[call.pk]), receipt=submission.receipt)
    assert "遴选结果" in result and "共收到1条，采纳1条。" in result
    assert f"纳入青岛市住房和城乡建设局{now.year + 1}年度计划目录：{item.title}" in result
    missing = page(client, reverse("calls:detail", args=[call.pk]), receipt="ZJ-2222-3333")
    assert "没有找到该回执编号的建议" in missing


def test_a_department_sees_only_what_was_passed_to_it(client, office):
    now = timezone.now()
    call = services.call_create(
        by=office,
        department=office.department,
        kind="legislation",
        title="2027年度立法项目建议征集",
        year=now.year + 1,
        scope="地方性法规。",
        guidance="写明必要性。",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=1),
    )
    services.call_publish(call=call, by=office)
    passed, kept = (
        services.submission_submit(call=call, title=title, reasons="理由")
        for title in ("关于制定物业管理条例的建议", "关于制定烟花爆竹燃放规定的建议")
    )
    housing = DepartmentFactory(name="青岛市住房和城乡建设局")
    services.submission_screen(
        submission=passed, by=office, outcome="transferred", transferred_to=housing
    )
    staff = StaffFactory(department=housing)
    other = StaffFactory(department=DepartmentFactory())
    client.force_login(other)
    assert client.get(reverse("calls:staff_detail", args=[call.pk])).status_code == 404
    assert client.get(reverse("calls:screen", args=[passed.pk])).status_code == 404
    client.force_login(staff)
    register = page(client, reverse("calls:staff_detail", args=[call.pk]))
    assert passed.title in register and kept.title not in register
    assert client.get(reverse("calls:screen", args=[kept.pk])).status_code == 404
    form = page(client, reverse("calls:screen", args=[passed.pk]))
    assert "转交单位" not in form and "合并到" not in form
    assert client.get(reverse("calls:edit", args=[call.pk])).status_code == 403
    client.post(
        reverse("calls:screen", args=[passed.pk]),
        {"outcome": "rejected", "note": "已有相关法规。"},
    )
    passed.refresh_from_db()
    assert passed.outcome == "rejected" and passed.transferred_to == housing


def test_the_api_lists_published_calls_with_their_results(client, office):
    now = timezone.now()
    call = services.call_create(
        by=office,
        department=office.department,
        kind="topics",
        title="2027年度政府协商议题公开征集",
        year=now.year + 1,
        scope="范围。",
        guidance="说明。",
        starts_at=now - datetime.timedelta(days=10),
        ends_at=now + datetime.timedelta(days=1),
    )
    draft = services.call_create(
        by=office,
        department=office.department,
        kind="legislation",
        title="未发布的征集",
        year=now.year + 1,
        scope="范围。",
        guidance="说明。",
        starts_at=now,
        ends_at=now + datetime.timedelta(days=1),
    )
    services.call_publish(call=call, by=office, now=now - datetime.timedelta(days=11))
    proposal = services.submission_submit(
        call=call,
        title="关于加装电梯的议题",
        reasons="理由。",
        author_name="张先生",
        contact="13900000000",
        now=now - datetime.timedelta(days=5),
    )
    data = client.get(reverse("api:v1:call-list")).json()
    assert [row["title"] for row in data["results"]] == [call.title]
    row = data["results"][0]
    assert row["url"].endswith(reverse("calls:detail", args=[call.pk]))
    assert (row["status"], row["proposal_count"], row["result"]) == ("open", 1, None)
    assert client.get(reverse("api:v1:call-detail", args=[draft.pk])).status_code == 404

    Call.objects.filter(pk=call.pk).update(ends_at=now - datetime.timedelta(minutes=1))
    department = DepartmentFactory(name="青岛市住房和城乡建设局")
    item = make_plan(department=department, year=now.year + 1).items.get()
    services.submission_screen(submission=proposal, by=office, outcome="adopted", plan_item=item)
    services.results_publish(call=call, by=office, summary="采纳1条。")
    row = client.get(reverse("api:v1:call-detail", args=[call.pk])).json()
    assert row["status"] == "results"
    assert row["result"]["counts"] == {
        "total": 1,
        "adopted": 1,
        "merged": 0,
        "rejected": 0,
        "transferred": 0,
    }
    assert row["result"]["adopted"] == [
        {
            "title": "关于加装电梯的议题",
            "catalog_item": {
                "department": department.name,
                "year": now.year + 1,
                "title": item.title,
            },
            "matter": None,
        }
    ]
    text = str(row)
    assert "张先生" not in text and "13900000000" not in text
    assert client.get(reverse("api:v1:call-list"), {"status": "open"}).json()["count"] == 0


def test_the_api_list_reads_every_result_in_a_fixed_number_of_queries(client, office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()

    def closed_call_with_result(n: int) -> None:
        call = services.call_create(
            by=office,
            department=office.department,
            kind="topics",
            title=f"征集{n}",
            year=now.year + 1,
            scope="范围。",
            guidance="说明。",
            starts_at=now - datetime.timedelta(days=10),
            ends_at=now + datetime.timedelta(days=1),
        )
        services.call_publish(call=call, by=office, now=now - datetime.timedelta(days=11))
        for title in ("甲", "乙"):
            proposal = services.submission_submit(call=call, title=title, reasons="理由。")
            services.submission_screen(
                submission=proposal, by=office, outcome="rejected", note="不属于协商范围。"
            )
        Call.objects.filter(pk=call.pk).update(ends_at=now - datetime.timedelta(minutes=1))
        services.results_publish(call=call, by=office, summary="已遴选。")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = client.get(reverse("api:v1:call-list")).json()["results"]
        assert all(row["result"]["counts"]["rejected"] == 2 for row in rows)
        return len(captured)

    closed_call_with_result(1)
    few = queries()
    for n in range(2, 6):
        closed_call_with_result(n)
    assert queries() == few
