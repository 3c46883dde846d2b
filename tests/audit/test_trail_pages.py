"""The 审计管理员 reads, searches and exports the trail; nobody else does, and the role is
held alone. The pages that show or serve people's personal data are the ones listed."""

import csv
import io

import pytest
from django.urls import reverse

from accounts import services as accounts
from accounts.roles import Role
from audit import personal, services
from audit.models import Kind, Outcome
from tests.factories import AuditorFactory, ReviewerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_auditor_searches_and_exports_the_trail(client):
    services.record(Kind.LOGIN, username="zhangsan", summary="登录成功")
    services.record(
        Kind.LOGIN_FAILED, outcome=Outcome.FAILURE, username="lisi", summary="登录失败：lisi"
    )
    auditor = AuditorFactory()
    client.force_login(auditor)
    page = client.get(reverse("audit:list"))
    text = page.content.decode()
    assert page.status_code == 200 and "zhangsan" in text and "lisi" in text
    only_failures = client.get(reverse("audit:list"), {"outcome": "failure"}).content.decode()
    assert "lisi" in only_failures and "zhangsan" not in only_failures
    bad = client.get(reverse("audit:list"), {"since": "2026-12-31", "until": "2026-01-01"})
    assert bad.status_code == 422 and "结束日期不能早于开始日期" in bad.content.decode()

    export = client.get(reverse("audit:export"), {"username": "lisi"})
    assert export["Content-Type"].startswith("text/csv")
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body)))
    assert table[0][:3] == ["序号", "时间", "事件类型"]
    assert [row[4] for row in table[1:]] == ["lisi"]
    assert table[1][2] == "登录失败" and table[1][3] == "失败"


def test_nobody_else_reads_it():
    office = ReviewerFactory()
    superuser = UserFactory(is_superuser=True)
    assert not office.has_perm("audit.view_trail")
    assert AuditorFactory().has_perm("audit.view_trail")
    assert superuser.has_perm("audit.view_trail")  # break-glass only (see docs/SECURITY.md)


def test_the_audit_administrator_holds_no_other_role():
    user = UserFactory()
    with pytest.raises(accounts.AccountError, match="三员分立"):
        accounts.user_set_roles(
            user=user, roles=[Role.AUDIT_ADMINISTRATOR, Role.SYSTEM_ADMINISTRATOR]
        )


def test_the_pages_with_personal_data_are_the_listed_ones():
    assert set(personal.CONTACT_VIEWS) == {
        "calls.views_staff.staff_detail",
        "calls.views_staff.submission_screen",
        "proposals.views.department.proposal_detail",
        "participation.views.registrations.registration_list",
        "participation.views.participants.participant_list",
        "participation.views.comments.staff_period",
        "participation.views.invitations.invitation_list",
    }
    assert set(personal.DOWNLOAD_VIEWS) == {
        "calls.views_staff.submission_file",
        "proposals.views.department.attachment_download",
    }


def test_the_auditor_lands_on_the_trail(client):
    client.force_login(AuditorFactory())
    response = client.get(reverse("workbench"))
    assert response.status_code == 302 and response.url == reverse("audit:list")
    assert "安全审计" in client.get(reverse("audit:list")).content.decode()
