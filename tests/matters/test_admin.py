"""The general office's admin for matters and the ledger: read-only, actions via services."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import Role
from matters import services
from matters.models import LedgerEntry, Matter
from tests.factories import AdministratorFactory, ReviewerFactory, StaffFactory, make_matter

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:matters_matter_changelist"
Action = LedgerEntry.Action


@pytest.fixture
def reviewer(client):
    user = ReviewerFactory()
    client.force_login(user)
    return user


def _act(client, action: str, matters: list[Matter], **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [m.pk for m in matters], **extra},
        follow=True,
    )


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_reviewer_sees_the_matter_list_with_its_filters(client, reviewer):
    make_matter(title="青岛市住宅物业服务收费标准调整", kind="decision")
    make_matter(title="《青岛市养老服务条例（草案）》", kind="legislative")
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    text = response.content.decode()
    assert "青岛市住宅物业服务收费标准调整" in text
    assert "《青岛市养老服务条例（草案）》" in text
    filters = text[text.index('id="changelist-filter"') :]
    for title in ("协商类别", "年度", "已公开", "重大行政决策", "争议较大", "部门类别", "牵头部门"):
        assert title in filters
    assert "公开所选事项" in text and "撤回公开所选事项" in text
    assert "启动" in text  # the stage label, not its code


def test_kind_filter_narrows_the_list(client, reviewer):
    make_matter(title="青岛市住宅物业服务收费标准调整", kind="decision")
    make_matter(title="《青岛市养老服务条例（草案）》", kind="legislative")
    text = client.get(reverse(CHANGELIST), {"kind": "legislative"}).content.decode()
    assert "《青岛市养老服务条例（草案）》" in text
    assert "青岛市住宅物业服务收费标准调整" not in text


def test_search_finds_a_matter_by_reference(client, reviewer):
    matter = make_matter(title="中心城区道路停车收费标准调整")
    make_matter(title="青岛市最低工资标准调整")
    text = client.get(reverse(CHANGELIST), {"q": matter.reference}).content.decode()
    assert "中心城区道路停车收费标准调整" in text
    assert "青岛市最低工资标准调整" not in text


def test_a_matter_opens_read_only_with_its_steps_and_ledger(client, reviewer):
    matter = make_matter(title="青岛市最低工资标准调整")
    services.step_record(
        matter=matter,
        by=matter.created_by,
        step_type="public_participation",
        occurred_on=matter.planned_start,
        responsible_person="周杰",
        summary="网上公开征求意见30日",
    )
    url = reverse("admin:matters_matter_change", args=[matter.pk])
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "网上公开征求意见30日" in text
    assert "记录程序步骤" in text  # the ledger inline
    assert 'name="_save"' not in text
    assert 'name="title"' not in text
    response = client.post(url, {"title": "改掉的名称"})
    assert response.status_code == 403
    matter.refresh_from_db()
    assert matter.title == "青岛市最低工资标准调整"


def test_matters_cannot_be_added_or_deleted_in_the_admin(client, reviewer):
    matter = make_matter()
    assert client.get(reverse("admin:matters_matter_add")).status_code == 403
    assert client.get(reverse("admin:matters_matter_delete", args=[matter.pk])).status_code == 403
    assert "delete_selected" not in client.get(reverse(CHANGELIST)).content.decode()


def test_publish_action_publishes_through_the_service(client, reviewer):
    first, second = make_matter(title="事项甲"), make_matter(title="事项乙")
    response = _act(client, "publish_selected", [first, second])
    assert response.status_code == 200
    assert "已公开 2 个事项。" in _messages(response)
    for matter in (first, second):
        matter.refresh_from_db()
        assert matter.is_published
        entry = LedgerEntry.objects.get(matter=matter, action=Action.MATTER_PUBLISHED)
        assert entry.actor == reviewer


def test_publishing_a_published_matter_is_reported_not_repeated(client, reviewer):
    published = make_matter(title="已公开的事项")
    services.matter_publish(matter=published, by=reviewer)
    fresh = make_matter(title="未公开的事项")
    response = _act(client, "publish_selected", [published, fresh])
    messages = _messages(response)
    assert "“已公开的事项”：事项已经公开。" in messages
    assert "已公开 1 个事项。" in messages
    assert LedgerEntry.objects.filter(matter=published, action=Action.MATTER_PUBLISHED).count() == 1
    fresh.refresh_from_db()
    assert fresh.is_published


def test_withdraw_action_needs_a_reason(client, reviewer):
    matter = make_matter()
    services.matter_publish(matter=matter, by=reviewer)
    response = _act(client, "withdraw_selected", [matter], reason="  ")
    assert any("撤回公开必须填写原因" in message for message in _messages(response))
    matter.refresh_from_db()
    assert matter.is_published
    assert not LedgerEntry.objects.filter(matter=matter, action=Action.MATTER_WITHDRAWN).exists()


def test_withdraw_action_withdraws_with_the_reason_in_the_ledger(client, reviewer):
    matter = make_matter()
    services.matter_publish(matter=matter, by=reviewer)
    response = _act(client, "withdraw_selected", [matter], reason="附件有误，更正后重新公开")
    assert "已撤回 1 个事项的公开。" in _messages(response)
    matter.refresh_from_db()
    assert not matter.is_published
    entry = LedgerEntry.objects.get(matter=matter, action=Action.MATTER_WITHDRAWN)
    assert entry.actor == reviewer
    assert entry.after["reason"] == "附件有误，更正后重新公开"


def test_withdrawing_an_unpublished_matter_is_reported(client, reviewer):
    matter = make_matter(title="从未公开的事项")
    response = _act(client, "withdraw_selected", [matter], reason="误操作")
    assert "“从未公开的事项”：事项尚未公开。" in _messages(response)


@pytest.mark.parametrize(
    "url",
    [
        reverse(CHANGELIST),
        reverse("admin:matters_ledgerentry_changelist"),
        reverse("admin:index"),
    ],
)
def test_department_staff_are_sent_away_from_the_admin(client, url):
    client.force_login(StaffFactory())
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_department_staff_cannot_run_the_publish_action(client):
    matter = make_matter()
    client.force_login(matter.created_by)
    response = client.post(
        reverse(CHANGELIST), {"action": "publish_selected", "_selected_action": [matter.pk]}
    )
    assert response.status_code == 302
    matter.refresh_from_db()
    assert not matter.is_published


def test_ledger_admin_lists_entries_read_only(client, reviewer):
    matter = make_matter(title="青岛市最低工资标准调整")
    services.matter_publish(matter=matter, by=reviewer)
    response = client.get(reverse("admin:matters_ledgerentry_changelist"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "向社会公开协商事项“青岛市最低工资标准调整”" in text
    assert "delete_selected" not in text
    entry = LedgerEntry.objects.filter(matter=matter).first()
    assert client.get(reverse("admin:matters_ledgerentry_add")).status_code == 403
    delete_url = reverse("admin:matters_ledgerentry_delete", args=[entry.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    change_url = reverse("admin:matters_ledgerentry_change", args=[entry.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change_url, {"summary": "改写"}).status_code == 403
    assert LedgerEntry.objects.filter(pk=entry.pk, summary=entry.summary).exists()


def test_ledger_admin_filters_by_action(client, reviewer):
    matter = make_matter(title="青岛市最低工资标准调整")
    services.matter_publish(matter=matter, by=reviewer)
    response = client.get(
        reverse("admin:matters_ledgerentry_changelist"), {"action": Action.MATTER_PUBLISHED}
    )
    text = response.content.decode()
    assert "向社会公开协商事项" in text
    assert "创建协商事项" not in text


def test_system_administrator_sees_matters_and_the_ledger(client):
    make_matter(title="青岛市最低工资标准调整")
    client.force_login(AdministratorFactory())
    assert client.get(reverse(CHANGELIST)).status_code == 200
    assert client.get(reverse("admin:matters_ledgerentry_changelist")).status_code == 200
    assert client.get(reverse("admin:matters_policyarea_changelist")).status_code == 200



def test_department_roles_get_no_matters_admin_permissions():
    for role in (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LEADER):
        group = Group.objects.get(name=role.value)
        assert not group.permissions.filter(content_type__app_label="matters").exists()
