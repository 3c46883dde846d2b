"""Every kind of security audit row, made by the real action that causes it: through the
login pages, the password page, the account services, the API token page, the pages that
show or serve people's personal data, the admin, a refused request, the trail's own export
and its purge. The test enumerates ``Kind``: a new kind without a test here fails it."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts
from accounts.roles import Role
from audit import services
from audit.models import Kind, Outcome, SecurityEvent
from calls import services as calls
from tests.factories import (
    MINIMAL_PDF,
    TEST_PASSWORD,
    AdministratorFactory,
    AuditorFactory,
    DepartmentFactory,
    ReviewerFactory,
    StaffFactory,
    make_call,
)

pytestmark = pytest.mark.django_db

ADDRESS = "10.9.8.7"


def rows(kind) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind).order_by("seq"))


def sign_in(client, user, password=TEST_PASSWORD):
    return client.post(
        "/accounts/login/",
        {"username": user.username, "password": password},
        REMOTE_ADDR=ADDRESS,
    )


def test_sign_in_failures_lockout_and_sign_out(client):
    user = StaffFactory()
    sign_in(client, user, "wrong-password-1")
    failed = rows(Kind.LOGIN_FAILED)[-1]
    assert (failed.username, failed.address, failed.outcome) == (
        user.username,
        ADDRESS,
        Outcome.FAILURE,
    )
    assert "wrong-password" not in str(failed.detail) + failed.summary
    assert sign_in(client, user).status_code == 302
    login = rows(Kind.LOGIN)[-1]
    assert (login.actor_id, login.username, login.address) == (user.pk, user.username, ADDRESS)
    client.post("/accounts/logout/", REMOTE_ADDR=ADDRESS)
    assert rows(Kind.LOGOUT)[-1].actor_id == user.pk
    for _ in range(5):
        sign_in(client, user, "wrong-password-1")
    locked = rows(Kind.LOCKED_OUT)
    assert locked and locked[-1].username == user.username and locked[-1].address == ADDRESS


def test_password_and_account_changes(client):
    user = StaffFactory()
    client.force_login(user)
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Another-password-2027",
            "new_password2": "Another-password-2027",
        },
        REMOTE_ADDR=ADDRESS,
    )
    changed = rows(Kind.PASSWORD_CHANGED)[-1]
    assert changed.target_id == str(user.pk) and changed.detail == {"by_self": True}
    assert changed.actor_id == user.pk and changed.address == ADDRESS
    # The hash of the password is never in the trail.
    user.refresh_from_db()
    assert user.password not in str(changed.detail) + changed.summary

    other = DepartmentFactory()
    user.department = other
    user.save()
    moved = rows(Kind.ACCOUNT_CHANGED)[-1]
    assert moved.detail["department_id"][1] == other.pk
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])  # every sign-in does this: not a change
    assert rows(Kind.ACCOUNT_CHANGED)[-1] == moved


def test_role_changes_and_tokens(client):
    administrator = AdministratorFactory()
    user = StaffFactory()
    accounts.user_set_roles(user=user, roles=[Role.DEPARTMENT_LEADER], by=administrator)
    summaries = [row.summary for row in rows(Kind.ROLES_CHANGED)]
    assert any("增加角色：部门负责人" in text for text in summaries)
    assert any("去除角色：部门经办人" in text for text in summaries)

    client.force_login(user)
    client.post(reverse("accounts:api_token"), {"action": "create"}, REMOTE_ADDR=ADDRESS)
    issued = rows(Kind.TOKEN_ISSUED)[-1]
    assert issued.actor_id == user.pk and issued.target_id == str(user.pk)
    client.post(reverse("accounts:api_token"), {"action": "revoke"}, REMOTE_ADDR=ADDRESS)
    assert rows(Kind.TOKEN_REVOKED)[-1].target_id == str(user.pk)


def test_reads_and_downloads_of_personal_data(client):
    office = ReviewerFactory()
    call = make_call(by=office)
    proposal = calls.submission_submit(
        call=call,
        title="题目",
        reasons="理由",
        contact="13900000000",
        files=[SimpleUploadedFile("说明.pdf", MINIMAL_PDF)],
    )
    client.force_login(office)
    client.get(reverse("calls:staff_detail", args=[call.pk]), REMOTE_ADDR=ADDRESS)
    viewed = rows(Kind.CONTACT_VIEWED)[-1]
    assert viewed.actor_id == office.pk and viewed.target_type == "calls:staff_detail"
    assert viewed.target_id == str(call.pk) and "公开征集建议人" in viewed.summary
    file_url = reverse("calls:submission_file", args=[proposal.pk, proposal.files.get().pk])
    client.get(file_url, REMOTE_ADDR=ADDRESS)
    downloaded = rows(Kind.PERSONAL_DATA_EXPORTED)[-1]
    assert downloaded.path == file_url and "公开征集建议附件" in downloaded.summary


def test_the_archive_export_is_recorded(tmp_path):
    call_command("export_archive", output=tmp_path, stdout=io.StringIO())
    assert "导出全站数据归档" in rows(Kind.PERSONAL_DATA_EXPORTED)[-1].summary


def test_admin_actions_and_refusals(client):
    administrator = AdministratorFactory()
    department = DepartmentFactory()
    client.force_login(administrator)
    url = reverse("admin:accounts_department_change", args=[department.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(name="青岛市改名局", kind=department.kind, sort_order=department.sort_order or 0)
    data = {key: value for key, value in data.items() if not isinstance(value, list | dict)}
    response = client.post(url, data, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302, response.content.decode()[:2000]
    action = rows(Kind.ADMIN_ACTION)[-1]
    assert action.actor_id == administrator.pk and action.target_type == "accounts.department"
    assert action.target_id == str(department.pk) and "青岛市改名局" in action.summary

    # The system administrator may not read the audit trail: refused, and recorded.
    refused = client.get(reverse("audit:list"), REMOTE_ADDR=ADDRESS)
    assert refused.status_code == 403
    denial = rows(Kind.PERMISSION_DENIED)[-1]
    assert (denial.actor_id, denial.path, denial.outcome) == (
        administrator.pk,
        reverse("audit:list"),
        Outcome.FAILURE,
    )
    assert denial.detail == {"view": "audit:list"}


def test_the_trail_export_and_purge_are_themselves_recorded(client):
    auditor = AuditorFactory()
    client.force_login(auditor)
    client.get(reverse("audit:export"), {"kind": "login"}, REMOTE_ADDR=ADDRESS)
    exported = rows(Kind.AUDIT_EXPORTED)[-1]
    assert exported.actor_id == auditor.pk and exported.detail == {"kind": "login"}
    services.record(
        Kind.LOGIN, summary="很久以前", at=timezone.now() - datetime.timedelta(days=400)
    )
    services.purge()
    assert rows(Kind.AUDIT_PURGED)[-1].detail["count"] >= 1


def test_two_factor_changes_and_sign_ins(client, settings):
    """Enrolment, a wrong and a right code at sign-in, new recovery codes, switching off:
    through the holder's pages (accounts/two_factor_views.py)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.two_factor_support import code_for

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = StaffFactory()
    sign_in(client, user)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    client.post(
        reverse("accounts:two_factor_setup"), {"code": code_for(device)}, REMOTE_ADDR=ADDRESS
    )
    enabled = rows(Kind.TWO_FACTOR_ENABLED)[-1]
    assert (enabled.actor_id, enabled.address) == (user.pk, ADDRESS)
    client.post("/accounts/logout/")
    sign_in(client, user)
    client.post(reverse("accounts:two_factor_verify"), {"code": "000000"}, REMOTE_ADDR=ADDRESS)
    failed = rows(Kind.TWO_FACTOR_FAILED)[-1]
    assert (failed.outcome, failed.username) == (Outcome.FAILURE, user.username)
    assert "000000" not in str(failed.detail) + failed.summary
    client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device, steps_ahead=1)})
    assert rows(Kind.TWO_FACTOR_VERIFIED)[-1].outcome == Outcome.SUCCESS
    client.post(reverse("accounts:two_factor_recovery_codes"))
    assert rows(Kind.RECOVERY_CODES_ISSUED)[-1].actor_id == user.pk
    client.post(reverse("accounts:two_factor_disable"))
    assert rows(Kind.TWO_FACTOR_DISABLED)[-1].summary == "停用双因素认证"


def test_an_account_unlocked_by_the_security_administrator(client):
    from tests.factories import SecurityAdministratorFactory

    clerk = StaffFactory()
    for _ in range(5):
        sign_in(client, clerk, "wrong-password-1")
    client.force_login(SecurityAdministratorFactory())
    client.post(
        reverse("accounts:security_action", args=[clerk.pk]),
        {"action": "unlock"},
        REMOTE_ADDR=ADDRESS,
    )
    unlocked = rows(Kind.ACCOUNT_UNLOCKED)[-1]
    assert (unlocked.target_id, unlocked.address) == (str(clerk.pk), ADDRESS)
    assert unlocked.detail["attempts_cleared"] >= 1


def test_the_security_policy_changed_by_the_security_administrator(client):
    from tests.factories import SecurityAdministratorFactory

    security = SecurityAdministratorFactory()
    client.force_login(security)
    client.post(
        reverse("accounts:security_policy"),
        {"session_idle_minutes": "15", "password_history": "8"},
        REMOTE_ADDR=ADDRESS,
    )
    changed = rows(Kind.SECURITY_POLICY_CHANGED)[-1]
    assert (changed.actor_id, changed.address) == (security.pk, ADDRESS)
    assert changed.detail == {"password_history": [5, 8], "session_idle_minutes": [30, 15]}
    assert "无操作自动退出30→15" in changed.summary


def test_every_kind_is_made_by_the_tests_above():
    """Each kind is asserted by name in this file's other tests."""
    import inspect
    import sys

    source = inspect.getsource(sys.modules[__name__])
    body = source.replace(inspect.getsource(test_every_kind_is_made_by_the_tests_above), "")
    missing = [kind.name for kind in Kind if f"Kind.{kind.name}" not in body]
    assert not missing, f"audited event types without a test here: {missing}"


def test_a_flood_of_refusals_is_bounded(client, settings, monkeypatch):
    """Past the limit in a minute, one row says so and the rest are only counted."""
    import types

    from audit import middleware

    settings.PORTAL_AUDIT_REFUSALS_PER_MINUTE = 3
    moment = 1_800_000_000.0  # one fixed minute, whatever the clock says
    monkeypatch.setattr(middleware, "time", types.SimpleNamespace(time=lambda: moment))
    client.force_login(StaffFactory())
    for _ in range(8):
        assert client.get(reverse("audit:list"), REMOTE_ADDR="10.5.5.5").status_code == 403
    refused = rows(Kind.PERMISSION_DENIED)
    assert len(refused) == 4
    assert [row.detail.get("flood", False) for row in refused] == [False, False, False, True]
    assert "超过3次" in refused[-1].summary
    moment += 60  # the next minute is written again
    client.get(reverse("audit:list"), REMOTE_ADDR="10.5.5.5")
    assert len(rows(Kind.PERMISSION_DENIED)) == 5


def test_every_request_of_a_superuser_is_recorded(client):
    """The superuser is for break-glass use: reads are rows too, not only changes."""
    from tests.factories import UserFactory

    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    client.get(reverse("admin:index"), REMOTE_ADDR=ADDRESS)
    row = rows(Kind.SUPERUSER_REQUEST)[-1]
    assert (row.actor_id, row.path, row.address) == (superuser.pk, reverse("admin:index"), ADDRESS)
    assert row.detail == {"status": 200, "view": "admin:index"}
    # Nobody else's requests are.
    client.force_login(StaffFactory())
    client.get(reverse("workbench"))
    assert len(rows(Kind.SUPERUSER_REQUEST)) == 1
