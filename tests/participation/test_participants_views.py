import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matters.models import LedgerEntry
from participation.events import Action
from participation.models import Participant
from tests.factories import (
    AdministratorFactory,
    ReviewerFactory,
    StaffFactory,
    UserFactory,
    make_participant,
)

pytestmark = pytest.mark.django_db

PAGES = ["participant_list", "participant_create", "participant_import"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(f"participation:{name}"))
    assert response.status_code == 302
    assert "/login" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_user_without_role_is_refused(client, name):
    client.force_login(UserFactory())
    assert client.get(reverse(f"participation:{name}")).status_code == 403


@pytest.mark.parametrize("factory", [StaffFactory, ReviewerFactory])
@pytest.mark.parametrize("name", PAGES)
def test_department_staff_and_general_office_use_the_registry(client, factory, name):
    client.force_login(factory())
    assert client.get(reverse(f"participation:{name}")).status_code == 200


def test_edit_page_permissions(client):
    participant = make_participant()
    url = reverse("participation:participant_edit", args=[participant.pk])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    # The department that keeps the entry and the general office edit it ...
    client.force_login(StaffFactory(department=participant.created_by.department))
    assert client.get(url).status_code == 200
    client.force_login(ReviewerFactory())
    assert client.get(url).status_code == 200
    # ... another department uses it as it is.
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 403


def test_another_department_cannot_redirect_the_invitations_of_an_entry(client):
    participant = make_participant(name="陈静", email="chenjing@example.cn")
    client.force_login(StaffFactory())
    url = reverse("participation:participant_edit", args=[participant.pk])
    response = client.post(
        url,
        {"name": "陈静", "category": "expert", "affiliation": "青岛大学",
         "email": "attacker@example.cn", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 403
    participant.refresh_from_db()
    assert participant.email == "chenjing@example.cn"
    assert not LedgerEntry.objects.filter(action=Action.PARTICIPANT_UPDATED).exists()
    # The list offers no edit link for it, and names who keeps it.
    page = client.get(reverse("participation:participant_list")).content.decode()
    assert url not in page and "由维护部门修改" in page
    assert participant.created_by.department.short_name in page


def test_list_shows_contact_details_to_staff_and_filters(client):
    make_participant(
        name="张伟", category="npc_deputy", affiliation="市南区人大", phone="13800000001"
    )
    make_participant(name="李娜", category="expert", expertise="环境法学", email="lina@example.cn")
    client.force_login(StaffFactory())
    url = reverse("participation:participant_list")
    page = client.get(url).content.decode()
    assert "13800000001" in page and "lina@example.cn" in page
    page = client.get(url, {"category": "expert"}).content.decode()
    assert "李娜" in page and "张伟" not in page
    page = client.get(url, {"q": "环境"}).content.decode()
    assert "李娜" in page and "张伟" not in page
    page = client.get(url, {"q": "市南区"}).content.decode()
    assert "张伟" in page and "李娜" not in page
    page = client.get(url, {"q": "没有这个人"}).content.decode()
    assert "没有符合条件的参与主体" in page


def test_list_is_paged(client):
    staff = StaffFactory()
    for n in range(35):
        make_participant(by=staff, name=f"专家{n:02d}")
    client.force_login(staff)
    response = client.get(reverse("participation:participant_list"))
    assert len(response.context["page"].object_list) == 30
    assert "第 1 页，共 2 页" in response.content.decode()


def test_create_writes_participant_and_ledger_row(client):
    staff = StaffFactory()
    client.force_login(staff)
    response = client.post(
        reverse("participation:participant_create"),
        {"name": "陈静", "category": "cppcc_member", "affiliation": "市政协", "is_active": "on"},
    )
    assert response.status_code == 302
    participant = Participant.objects.get(name="陈静")
    entry = LedgerEntry.objects.get(action=Action.PARTICIPANT_CREATED)
    assert entry.object_id == participant.pk and entry.department_id == staff.department_id


def test_duplicate_create_is_shown_as_form_error_and_keeps_input(client):
    make_participant(name="陈静", affiliation="市政协")
    client.force_login(StaffFactory())
    response = client.post(
        reverse("participation:participant_create"),
        {"name": "陈静", "category": "cppcc_member", "affiliation": "市政协", "expertise": "教育"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "已有“陈静”" in page
    assert 'value="教育"' in page


def test_edit_updates_and_records(client):
    participant = make_participant(name="陈静")
    client.force_login(participant.created_by)
    response = client.post(
        reverse("participation:participant_edit", args=[participant.pk]),
        {"name": "陈静", "category": "expert", "affiliation": "青岛大学", "phone": "123"},
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.phone == "123" and participant.is_active is False
    assert LedgerEntry.objects.filter(action=Action.PARTICIPANT_UPDATED).exists()


def test_administrator_without_department_gets_a_clear_refusal(client):
    client.force_login(AdministratorFactory())
    response = client.post(
        reverse("participation:participant_create"), {"name": "陈静", "category": "expert"}
    )
    assert response.status_code == 200
    assert "未关联部门" in response.content.decode()
    assert not Participant.objects.exists()


def test_import_page_lists_every_bad_row_and_imports_nothing(client):
    client.force_login(StaffFactory())
    data = (
        "\ufeff姓名或名称,类别,单位或所属,专业领域,联系电话,电子邮箱,组织(是/否)\n"
        "张伟,人大代表,市南区人大,,,,否\n"
        ",专家,,,,,\n"
        "赵敏,院士,,,,,\n"
    ).encode()
    response = client.post(
        reverse("participation:participant_import"),
        {"file": SimpleUploadedFile("list.csv", data)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "第 3 行" in page and "第 4 行" in page and "第 2 行" not in page
    assert "未导入任何数据" in page
    assert not Participant.objects.exists()


def test_import_page_imports_a_good_file(client):
    client.force_login(StaffFactory())
    data = "姓名或名称,类别\n张伟,人大代表\n李娜,专家\n".encode()
    response = client.post(
        reverse("participation:participant_import"),
        {"file": SimpleUploadedFile("list.csv", data)},
        follow=True,
    )
    assert "已导入 2 个参与主体" in response.content.decode()
    assert Participant.objects.count() == 2
