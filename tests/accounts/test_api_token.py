"""A staff member's own API token: the page that creates, rotates and revokes it."""

import logging
import re

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.factories import ReviewerFactory, StaffFactory, UserFactory, make_matter

pytestmark = pytest.mark.django_db

URL = "/accounts/api-token/"
MATTERS = "/api/v1/matters/"


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def new_key(response) -> str:
    match = re.search(r'id="new-key"[^>]*value="([0-9a-f]{40})"', response.content.decode())
    assert match, "the new key is shown on the page"
    return match[1]


def api_ids(key: str | None) -> tuple[int, list[int]]:
    """Status and matter ids of an API request made with only the token (no session)."""
    headers = {"Authorization": f"Token {key}"} if key else {}
    response = Client().get(MATTERS, headers=headers)
    if response.status_code != 200:
        return response.status_code, []
    return 200, [row["id"] for row in response.json()["results"]]


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_anonymous_post_creates_nothing(client):
    response = client.post(URL, {"action": "create"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Token.objects.exists()


def test_account_without_a_role_is_refused(client):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403


def test_get_never_creates_a_token(staff_client, staff):
    for _ in range(2):
        response = staff_client.get(URL)
        assert response.status_code == 200
    assert not Token.objects.filter(user=staff).exists()
    page = response.content.decode()
    assert "您还没有接口令牌" in page
    assert 'value="create"' in page
    assert "Authorization: Token &lt;令牌&gt;" in page
    assert "本部门尚未公开的协商事项" in page
    assert "no-cache" in response["Cache-Control"]


def test_create_shows_the_key_once(staff_client, staff):
    response = staff_client.post(URL, {"action": "create"})

    assert response.status_code == 200
    key = new_key(response)
    token = Token.objects.get(user=staff)
    assert token.key == key
    assert "请立即复制并妥善保存" in response.content.decode()

    later = staff_client.get(URL).content.decode()
    assert key not in later
    assert f"{key[:6]}…" in later
    assert 'id="new-key"' not in later


def test_created_key_reads_the_departments_unpublished_matter(staff_client, staff):
    draft = make_matter(department=staff.department, title="本部门未公开的事项")
    other = make_matter(title="其他部门未公开的事项")
    assert api_ids(None) == (200, [])

    key = new_key(staff_client.post(URL, {"action": "create"}))

    status, ids = api_ids(key)
    assert status == 200
    assert draft.pk in ids
    assert other.pk not in ids


def test_second_create_does_not_replace_or_reveal_the_key(staff_client, staff):
    key = new_key(staff_client.post(URL, {"action": "create"}))

    response = staff_client.post(URL, {"action": "create"}, follow=True)

    assert Token.objects.get(user=staff).key == key
    page = response.content.decode()
    assert key not in page
    assert "您已有接口令牌" in page


def test_rotate_invalidates_the_old_key(staff_client, staff):
    make_matter(department=staff.department)
    old = new_key(staff_client.post(URL, {"action": "create"}))

    response = staff_client.post(URL, {"action": "rotate"})

    new = new_key(response)
    assert new != old
    assert Token.objects.get(user=staff).key == new
    assert api_ids(old)[0] == 401
    assert api_ids(new)[0] == 200


def test_revoke_deletes_the_token(staff_client, staff):
    key = new_key(staff_client.post(URL, {"action": "create"}))

    response = staff_client.post(URL, {"action": "revoke"}, follow=True)

    assert not Token.objects.filter(user=staff).exists()
    assert "接口令牌已撤销" in response.content.decode()
    assert "您还没有接口令牌" in response.content.decode()
    assert api_ids(key)[0] == 401


def test_unknown_action_changes_nothing(staff_client, staff):
    response = staff_client.post(URL, {"action": "show"}, follow=True)
    assert "无法识别的操作" in response.content.decode()
    assert not Token.objects.exists()


def test_post_without_csrf_token_is_refused(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)

    assert client.post(URL, {"action": "create"}).status_code == 403
    assert not Token.objects.exists()

    page = client.get(URL).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post(URL, {"action": "create", "csrfmiddlewaretoken": csrf})
    assert response.status_code == 200
    assert Token.objects.filter(user=staff).exists()


def test_each_change_is_logged_without_the_key(staff_client, staff, caplog):
    caplog.set_level(logging.INFO, logger="accounts.tokens")

    first = new_key(staff_client.post(URL, {"action": "create"}))
    second = new_key(staff_client.post(URL, {"action": "rotate"}))
    staff_client.post(URL, {"action": "revoke"})

    records = [r for r in caplog.records if r.name == "accounts.tokens"]
    messages = [r.getMessage() for r in records]
    assert [m.split()[2] for m in messages] == ["created", "rotated", "revoked"]
    assert all(staff.username in m for m in messages)
    assert not any(first in m or second in m for m in messages)


def test_general_office_token_reads_every_department(client):
    reviewer = ReviewerFactory()
    draft = make_matter(title="某部门未公开的事项")
    client.force_login(reviewer)

    key = new_key(client.post(URL, {"action": "create"}))

    assert draft.pk in api_ids(key)[1]


def test_workbench_links_to_the_token_page(staff_client):
    assert f'href="{URL}"' in staff_client.get("/workbench/").content.decode()


def test_superuser_manages_tokens_in_the_admin(client, staff):
    Token.objects.create(user=staff)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get("/admin/authtoken/tokenproxy/")

    assert response.status_code == 200
    assert str(staff) in response.content.decode()
