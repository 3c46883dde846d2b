import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.models import Department, User
from accounts.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # each test seeds the whole demo


def _snapshot():
    return {
        "departments": sorted(Department.objects.values_list("code", "name", "kind", "is_active")),
        "users": sorted(
            User.objects.values_list("username", "department__code", "is_staff", "password")
        ),
        "memberships": sorted(
            User.groups.through.objects.values_list("user__username", "group__name")
        ),
    }


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first


def test_seed_demo_has_qingdaos_real_bodies_and_every_role(capsys):
    call_command("seed_demo")
    names = set(Department.objects.values_list("short_name", flat=True))
    for district in (
        "市南区",
        "市北区",
        "李沧区",
        "崂山区",
        "城阳区",
        "即墨区",
        "黄岛区",
        "胶州市",
        "平度市",
        "莱西市",
    ):
        assert district in names
    assert "西海岸新区管委" in names
    assert Department.objects.filter(kind=Department.Kind.MUNICIPAL_DEPARTMENT).count() >= 20
    assert Department.objects.filter(kind=Department.Kind.GENERAL_OFFICE).count() == 1
    for role in Role:
        assert Group.objects.get(name=role.value).user_set.exists(), role


def test_seed_demo_prints_working_logins(capsys, client):
    from accounts.demo import DEMO_PASSWORD

    call_command("seed_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "bgt_wangli" in out
    response = client.post(
        "/accounts/login/", {"username": "bgt_wangli", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_seed_demo_repairs_a_changed_demo_account(capsys):
    from accounts.demo import DEMO_PASSWORD

    call_command("seed_demo")
    user = User.objects.get(username="sfj_zhangwei")
    user.set_password("someone-changed-it-2026")
    user.save()
    user.groups.clear()
    call_command("seed_demo")
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
    assert user.roles == [Role.DEPARTMENT_STAFF]
