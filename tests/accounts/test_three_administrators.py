"""三员分立 (issue 28 item 1): the system, security and audit administrators are each held
alone; no administrator changes their own roles or makes a superuser; the security
administrator unlocks accounts, revokes tokens, resets authenticators and ends sessions,
each recorded, on other accounts only, and reads no business data."""

import itertools

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.models import UserSession
from accounts.roles import ADMINISTRATOR_ROLES, Role
from audit.models import Kind, SecurityEvent
from tests.factories import (
    TEST_PASSWORD,
    AdministratorFactory,
    AuditorFactory,
    DepartmentFactory,
    GeneralOfficeFactory,
    ReviewerFactory,
    SecurityAdministratorFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def last(kind) -> SecurityEvent:
    return SecurityEvent.objects.filter(kind=kind).order_by("-seq").first()


# ----------------------------------------------------------------------------- role pairs


def _department_for(roles):
    if Role.GENERAL_OFFICE_REVIEWER in roles:
        return GeneralOfficeFactory()
    return DepartmentFactory()


@pytest.mark.parametrize(
    ("first", "second"),
    list(itertools.combinations(Role, 2)),
    ids=lambda role: role.name,
)
def test_role_pairs(first, second):
    """Every pair of roles: any pair with an administrator is refused, by the service and
    by the admin's form; the others are a matter of department (the office's reviewer
    belongs to the office, a department role needs a department)."""
    roles = {first, second}
    department = _department_for(roles)
    user = UserFactory(department=department)
    if roles & set(ADMINISTRATOR_ROLES):
        with pytest.raises(services.AccountError, match="三员分立"):
            services.user_set_roles(user=user, roles=roles)
        assert user.groups.count() == 0
    else:
        try:
            services.user_set_roles(user=user, roles=roles)
        except services.AccountError as error:
            # A business pair refused for its department, never for 三员分立.
            assert "三员分立" not in str(error)
        else:
            assert set(user.roles) == roles


def test_the_admin_form_refuses_two_administrator_roles(client):
    from tests.two_factor_support import sign_in_verified

    target = UserFactory()
    sign_in_verified(client, AdministratorFactory())
    url = reverse("admin:accounts_user_change", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200
    answer = client.post(
        url,
        {
            "username": target.username,
            "full_name": "某人",
            "roles": [Role.SECURITY_ADMINISTRATOR.value, Role.AUDIT_ADMINISTRATOR.value],
            "is_active": "on",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
        },
    )
    assert "三员分立" in answer.content.decode()
    assert target.groups.count() == 0


# ----------------------------------------------------------------------------- self-grant


def test_no_administrator_changes_their_own_roles():
    administrator = AdministratorFactory()
    with pytest.raises(services.AccountError, match="不能修改自己的角色"):
        services.user_set_roles(
            user=administrator, roles=[Role.SECURITY_ADMINISTRATOR], by=administrator
        )
    assert administrator.roles == [Role.SYSTEM_ADMINISTRATOR]
    # Another administrator may.
    services.user_set_roles(
        user=administrator, roles=[Role.SECURITY_ADMINISTRATOR], by=AdministratorFactory()
    )


def test_the_admin_keeps_the_own_roles_and_the_superuser_flag_out_of_reach(client):
    from tests.two_factor_support import sign_in_verified

    administrator = AdministratorFactory()
    sign_in_verified(client, administrator)
    own = client.get(reverse("admin:accounts_user_change", args=[administrator.pk]))
    page = own.content.decode()
    assert "不能修改自己的角色" in page
    assert 'name="is_superuser"' not in page  # read-only: only a superuser makes one
    other = client.get(reverse("admin:accounts_user_change", args=[StaffFactory().pk]))
    assert 'name="is_superuser"' not in other.content.decode()
    client.post(
        reverse("admin:accounts_user_change", args=[administrator.pk]),
        {
            "username": administrator.username,
            "full_name": "改名",
            "roles": [Role.AUDIT_ADMINISTRATOR.value],
            "is_superuser": "on",
            "is_active": "on",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
        },
    )
    administrator.refresh_from_db()
    administrator.__dict__.pop("role_names", None)
    assert administrator.roles == [Role.SYSTEM_ADMINISTRATOR]
    assert not administrator.is_superuser


# ----------------------------------------------------------------------------- security


@pytest.fixture
def security_client():
    from tests.two_factor_support import sign_in_verified

    client = Client()
    user = SecurityAdministratorFactory()
    sign_in_verified(client, user)
    client.user = user
    return client


def act(client, user, action):
    return client.post(
        reverse("accounts:security_action", args=[user.pk]), {"action": action}, follow=True
    )


def test_the_security_administrator_unlocks_a_locked_out_account(security_client):
    clerk = StaffFactory()
    stranger = Client()
    for _ in range(5):
        stranger.post(
            "/accounts/login/",
            {"username": clerk.username, "password": "wrong-password-1"},
            REMOTE_ADDR="10.1.1.1",
        )
    locked = stranger.post(
        "/accounts/login/",
        {"username": clerk.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="10.1.1.1",
    )
    assert locked.status_code == 429
    listed = security_client.get(reverse("accounts:security"), {"locked": "1"})
    assert clerk.username in listed.content.decode()
    page = act(security_client, clerk, "unlock").content.decode()
    assert f"已解除账号“{clerk.username}”的登录锁定" in page
    assert not AccessAttempt.objects.filter(username=clerk.username).exists()
    row = last(Kind.ACCOUNT_UNLOCKED)
    assert (row.actor_id, row.target_id) == (security_client.user.pk, str(clerk.pk))
    signed_in = stranger.post(
        "/accounts/login/",
        {"username": clerk.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="10.1.1.1",
    )
    assert signed_in.status_code == 302


def test_the_security_administrator_revokes_a_token_and_ends_sessions(security_client):
    clerk = StaffFactory()
    services.api_token_create(user=clerk)
    clerk_browser = Client()
    clerk_browser.force_login(clerk)
    assert clerk_browser.get(reverse("workbench")).status_code == 200
    act(security_client, clerk, "revoke_token")
    assert not Token.objects.filter(user=clerk).exists()
    assert last(Kind.TOKEN_REVOKED).actor_id == security_client.user.pk
    page = act(security_client, clerk, "end_sessions").content.decode()
    assert f"已结束账号“{clerk.username}”的1个登录会话" in page
    assert clerk_browser.get(reverse("workbench")).status_code == 302
    assert not UserSession.objects.filter(user=clerk).exists()
    ended = last(Kind.LOGOUT)
    assert (ended.actor_id, ended.detail["reason"]) == (
        security_client.user.pk,
        "ended_by_security",
    )


def test_the_security_administrator_does_not_act_on_their_own_account(security_client):
    services.api_token_create(user=security_client.user)
    page = act(security_client, security_client.user, "revoke_token").content.decode()
    assert "不能对自己的账号执行此操作" in page
    assert Token.objects.filter(user=security_client.user).exists()


def test_the_security_page_lists_accounts_and_the_policy_only(security_client, settings):
    ReviewerFactory(username="office_reader")
    page = security_client.get(reverse("accounts:security"), {"q": "office"}).content.decode()
    assert "office_reader" in page
    assert "PORTAL_SESSION_IDLE_MINUTES" in page and "30分钟" in page
    settings.PORTAL_SESSION_IDLE_MINUTES = 20
    assert "20分钟" in security_client.get(reverse("accounts:security")).content.decode()
    # The workbench sends the security administrator here; business pages refuse them.
    workbench = security_client.get(reverse("workbench"))
    assert workbench["Location"] == reverse("accounts:security")
    for name in ("matters:staff_list", "dashboard", "audit:list"):
        assert security_client.get(reverse(name)).status_code == 403, name


def test_the_security_page_costs_the_same_queries_for_many_accounts(
    security_client, django_assert_max_num_queries
):
    for _ in range(30):
        StaffFactory()
    with django_assert_max_num_queries(12):
        assert security_client.get(reverse("accounts:security")).status_code == 200


def test_nobody_else_opens_the_security_page():
    for user in (StaffFactory(), ReviewerFactory(), AdministratorFactory(), AuditorFactory()):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("accounts:security")).status_code == 403


# ----------------------------------------------------------------------------- policy


def test_the_security_administrator_sets_the_password_and_session_rules(security_client):
    import datetime

    from django.utils import timezone

    from accounts import signin_policy

    url = reverse("accounts:security_policy")
    refused = security_client.post(url, {"session_idle_minutes": "200", "password_history": "0"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "不能大于120" in page and "不能小于1" in page
    security_client.post(url, {"session_idle_minutes": "10", "password_min_length": "16"})
    overview = security_client.get(reverse("accounts:security")).content.decode()
    assert "10分钟" in overview and "安全管理员设定" in overview

    # In force at once: a 12-character password is now too short ...
    clerk = StaffFactory()
    browser = Client()
    browser.force_login(clerk)
    short = browser.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Twelve-chars",
            "new_password2": "Twelve-chars",
        },
    )
    assert "至少需要 16 个字符" in short.content.decode()
    # ... and a session ends after 10 idle minutes.
    later = timezone.now() + datetime.timedelta(minutes=11)
    original = signin_policy.now
    signin_policy.now = lambda: later
    try:
        assert browser.get(reverse("workbench"))["Location"].startswith("/accounts/login/")
    finally:
        signin_policy.now = original

    # Emptied, a value follows the deployment's setting again.
    security_client.post(url, {"password_min_length": "16"})
    assert "30分钟" in security_client.get(reverse("accounts:security")).content.decode()


def test_nobody_else_sets_the_policy():
    for user in (StaffFactory(), ReviewerFactory(), AdministratorFactory(), AuditorFactory()):
        client = Client()
        client.force_login(user)
        answer = client.post(reverse("accounts:security_policy"), {"session_idle_minutes": "5"})
        assert answer.status_code == 403
    from accounts import policy

    assert policy.value("session_idle_minutes") == 30
