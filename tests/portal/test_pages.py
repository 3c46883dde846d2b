import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import (
    TEST_PASSWORD,
    AdministratorFactory,
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLE_FACTORIES = {
    "staff": StaffFactory,
    "leader": LeaderFactory,
    "reviewer": ReviewerFactory,
    "administrator": AdministratorFactory,
    "no_role": UserFactory,
}


def test_home_is_public_and_chinese(client):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "青岛市政府协商工作平台" in text
    assert '<html lang="zh-hans">' in text
    for section in ("年度计划目录", "协商事项", "正在征求意见", "协商活动"):
        assert section in text


def test_city_name_comes_from_settings(client, settings):
    settings.PORTAL_CITY_NAME = "烟台市"
    assert "烟台市政府协商工作平台" in client.get("/").content.decode()


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_healthz_answers_without_a_known_host(client):
    response = client.get("/healthz/", HTTP_HOST="10.0.0.5")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_anonymous_workbench_redirects_to_login(client):
    response = client.get(reverse("workbench"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 200), ("leader", 200), ("reviewer", 200), ("administrator", 200), ("no_role", 403)],
)
def test_workbench_access_by_role(client, who, status):
    user = ROLE_FACTORIES[who]()
    client.force_login(user)
    response = client.get(reverse("workbench"))
    assert response.status_code == status
    if status == 200:
        assert "工作台" in response.content.decode()
    else:
        assert "无权访问" in response.content.decode()


def test_workbench_shows_an_empty_state_when_nothing_waits(client):
    client.force_login(ReviewerFactory())
    text = client.get(reverse("workbench")).content.decode()
    assert "暂无待办事项" in text
    assert "暂无待审核的目录" in text


def test_staff_without_the_catalog_in_preparation_is_asked_to_start_it(client):
    from matters.catalog_year import catalog_year_in_preparation

    year = catalog_year_in_preparation()  # issue 21, item 8: not simply this year
    client.force_login(StaffFactory())
    text = client.get(reverse("workbench")).content.decode()
    assert f"新建{year}年度计划目录" in text
    assert f"报送截止时间：{year}年3月31日 23:59" in text


def test_administrator_workbench_lists_staff_without_a_department(client, roles):
    orphan = UserFactory(full_name="孤立账户")
    orphan.groups.add(roles[Role.DEPARTMENT_STAFF.value])
    department = DepartmentFactory()
    stranded = StaffFactory(department=department, full_name="撤销局经办人")
    department.is_active = False
    department.save()

    client.force_login(AdministratorFactory())
    text = client.get(reverse("workbench")).content.decode()
    assert "待分配部门的账户" in text
    assert "孤立账户" in text and "未指定所属部门" in text
    assert stranded.full_name in text and "所属部门已停用" in text


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("staff", False),
        ("leader", False),
        ("reviewer", True),
        ("administrator", True),
        ("no_role", False),
    ],
)
def test_admin_access_by_role(client, who, allowed):
    client.force_login(ROLE_FACTORIES[who]())
    response = client.get(reverse("admin:index"))
    if allowed:
        assert response.status_code == 200
        assert "青岛市政府协商工作平台 · 管理后台" in response.content.decode()
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    ("who", "allowed"), [("reviewer", True), ("staff", False), ("leader", False)]
)
def test_admin_login_form_follows_the_role_rules(client, who, allowed):
    user = ROLE_FACTORIES[who]()
    response = client.post(
        reverse("admin:login"),
        {"username": user.username, "password": TEST_PASSWORD, "next": reverse("admin:index")},
    )
    if allowed:
        assert response.status_code == 302
        assert client.get(reverse("admin:index")).status_code == 200
    else:
        assert response.status_code == 200
        assert "无权进入管理后台" in response.content.decode()


def test_reviewer_sees_departments_but_cannot_change_them(client):
    client.force_login(ReviewerFactory())
    assert client.get(reverse("admin:accounts_department_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_department_add")).status_code == 403


def test_login_page_logs_a_user_in_and_shows_chinese_errors(client):
    user = StaffFactory()
    bad = client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})
    assert bad.status_code == 200
    assert "用户名或密码不正确" in bad.content.decode()

    good = client.post(
        reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD}
    )
    assert good.status_code == 302
    assert good.url == reverse("workbench")


def test_logout_is_a_post(client):
    client.force_login(StaffFactory())
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("workbench")).status_code == 302


def test_password_change_enforces_twelve_characters(client):
    user = StaffFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "Short-1", "new_password2": "Short-1"},
    )
    assert response.status_code == 200
    assert "12" in response.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "A-much-longer-pass-2026",
            "new_password2": "A-much-longer-pass-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("A-much-longer-pass-2026")


def test_english_is_available_through_the_language_switch(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = client.get("/").content.decode()
    assert '<html lang="en">' in text
    assert "Government Consultation Platform" in text


def test_an_english_browser_still_gets_chinese_until_the_visitor_switches(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_staff_workbench_lists_unpublished_and_overdue_matters(client):
    import datetime

    from matters import services
    from tests.factories import make_matter

    staff = StaffFactory()
    overdue = make_matter(by=staff, title="逾期的事项", stage_due_on=datetime.date(2026, 1, 31))
    services.matter_publish(matter=overdue, by=staff)
    make_matter(by=staff, title="未公开的事项")
    done = make_matter(by=staff, title="已办结的事项")
    services.matter_publish(matter=done, by=staff)

    client.force_login(staff)
    text = client.get(reverse("workbench")).content.decode()
    assert "本部门待办的协商事项" in text
    assert "逾期的事项" in text and "已超过计划完成日期 2026年1月31日" in text
    assert "未公开的事项" in text and "尚未向社会公开" in text
    assert "已办结的事项" not in text


def test_staff_workbench_lists_comment_periods_closing_soon_or_awaiting_their_report(client):
    import datetime

    from django.utils import timezone

    from tests.factories import make_matter, make_period

    staff = StaffFactory()
    matter = make_matter(by=staff)
    from matters import services as matter_services

    matter_services.matter_publish(matter=matter, by=staff)
    now = timezone.now()
    make_period(
        matter=matter,
        by=staff,
        title="即将截止的征求意见",
        starts_at=now - datetime.timedelta(days=27),
        ends_at=now + datetime.timedelta(days=3),
    )
    make_period(
        matter=matter,
        by=staff,
        title="已截止待公开的征求意见",
        starts_at=now - datetime.timedelta(days=60),
        ends_at=now - datetime.timedelta(days=20),
    )
    make_period(
        matter=matter,
        by=staff,
        title="还早的征求意见",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=40),
    )
    client.force_login(staff)
    text = client.get(reverse("workbench")).content.decode()
    assert "本部门的征求意见" in text
    assert "即将截止的征求意见" in text and "征求意见将于" in text
    assert "已截止待公开的征求意见" in text and "意见采纳情况尚未公开" in text
    assert "还早的征求意见" not in text
