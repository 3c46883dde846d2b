"""Every staff page and action against every role, including the refusals."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from matters import services
from matters.models import Matter
from tests.factories import (
    AdministratorFactory,
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_matter,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "lead_staff", "lead_leader", "other_staff", "co_staff", "reviewer", "admin"]


@pytest.fixture
def world():
    lead = DepartmentFactory(code="lead", name="青岛市牵头局", short_name="牵头局")
    other = DepartmentFactory(code="other", name="青岛市其他局", short_name="其他局")
    co = DepartmentFactory(code="co", name="青岛市协办局", short_name="协办局")
    people = {
        "anonymous": AnonymousUser(),
        "lead_staff": StaffFactory(department=lead),
        "lead_leader": LeaderFactory(department=lead),
        "other_staff": StaffFactory(department=other),
        "co_staff": StaffFactory(department=co),
        "reviewer": ReviewerFactory(),
        "admin": AdministratorFactory(),
    }
    matter = make_matter(department=lead, by=people["lead_staff"], kind="decision")
    matter.co_departments.add(co)
    services.step_record(
        matter=matter,
        by=people["lead_staff"],
        step_type="public_participation",
        occurred_on=matter.planned_start,
        responsible_person="张三",
        summary="网上征求意见",
    )
    draft = services.draft_add(
        matter=matter, by=people["lead_staff"], title="草案", text="第一条", change_note="初稿"
    )
    return {"people": people, "matter": matter, "draft": draft}


def _login(client, user):
    if user.is_authenticated:
        client.force_login(user)


# page name -> (method, expected status per role for an unpublished matter)
READ = {"anonymous": 302, "lead_staff": 200, "lead_leader": 200, "other_staff": 403,
        "co_staff": 200, "reviewer": 200, "admin": 200}  # fmt: skip
CHANGE_GET = {"anonymous": 302, "lead_staff": 200, "lead_leader": 200, "other_staff": 403,
              "co_staff": 403, "reviewer": 403, "admin": 403}  # fmt: skip
CHANGE_POST = {"anonymous": 302, "lead_staff": 302, "lead_leader": 302, "other_staff": 403,
               "co_staff": 403, "reviewer": 403, "admin": 403}  # fmt: skip


def _pages(world):
    pk = world["matter"].pk
    return {
        "staff_detail": ("get", reverse("matters:staff_detail", args=[pk]), READ),
        "edit": ("get", reverse("matters:edit", args=[pk]), CHANGE_GET),
        "step_add": ("get", reverse("matters:step_add", args=[pk]), CHANGE_GET),
        "return_stage": ("get", reverse("matters:return_stage", args=[pk]), CHANGE_POST),
        "withdraw": ("get", reverse("matters:withdraw", args=[pk]), CHANGE_GET),
        "document_add": ("get", reverse("matters:document_add", args=[pk]), CHANGE_GET),
        "draft_add": ("get", reverse("matters:draft_add", args=[pk]), CHANGE_GET),
        "advance": ("post", reverse("matters:advance", args=[pk]), CHANGE_POST),
        "publish": ("post", reverse("matters:publish", args=[pk]), CHANGE_POST),
        "draft_publish": (
            "post",
            reverse("matters:draft_publish", args=[world["draft"].pk]),
            CHANGE_POST,
        ),
    }


PAGE_NAMES = [
    "staff_detail", "edit", "step_add", "return_stage", "withdraw",
    "document_add", "draft_add", "advance", "publish", "draft_publish",
]  # fmt: skip


@pytest.mark.parametrize("page", PAGE_NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_staff_page_access_by_role(client, world, page, role):
    method, url, expected = _pages(world)[page]
    _login(client, world["people"][role])
    response = getattr(client, method)(url)
    assert response.status_code == expected[role], (page, role)
    if role == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("lead_staff", 200), ("other_staff", 200), ("reviewer", 200),
     ("admin", 200)],
)  # fmt: skip
def test_staff_list_access_by_role(client, world, role, status):
    _login(client, world["people"][role])
    assert client.get(reverse("matters:staff_list")).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("lead_staff", 200), ("lead_leader", 200), ("reviewer", 403),
     ("admin", 403)],
)  # fmt: skip
def test_create_page_access_by_role(client, world, role, status):
    _login(client, world["people"][role])
    assert client.get(reverse("matters:create")).status_code == status


def test_staff_list_shows_only_own_and_co_organised_matters(client, world):
    other = world["people"]["other_staff"]
    mine = make_matter(department=other.department, by=other, title="其他局自己的事项")
    client.force_login(other)
    text = client.get(reverse("matters:staff_list")).content.decode()
    assert mine.title in text
    assert world["matter"].title not in text

    client.force_login(world["people"]["co_staff"])
    assert world["matter"].title in client.get(reverse("matters:staff_list")).content.decode()

    client.force_login(world["people"]["reviewer"])
    text = client.get(reverse("matters:staff_list")).content.decode()
    assert mine.title in text and world["matter"].title in text


def test_other_department_can_read_a_published_matter_but_change_nothing(client, world):
    matter = world["matter"]
    services.matter_publish(matter=matter, by=world["people"]["lead_staff"])
    client.force_login(world["people"]["other_staff"])
    staff_page = client.get(reverse("matters:staff_detail", args=[matter.pk]))
    assert staff_page.status_code == 302
    assert staff_page.url == reverse("matters:public_detail", args=[matter.pk])
    detail = client.get(staff_page.url)
    assert detail.status_code == 200
    assert reverse("matters:edit", args=[matter.pk]) not in detail.content.decode()
    assert client.post(reverse("matters:advance", args=[matter.pk])).status_code == 403
    post = client.post(reverse("matters:edit", args=[matter.pk]), {"title": "篡改", "summary": "x"})
    assert post.status_code == 403
    assert Matter.objects.get(pk=matter.pk).title == matter.title


# --- issue 21, item 9: the staff matter page offers only what its reader may open ----------


@pytest.mark.parametrize("role", ["lead_staff", "lead_leader", "co_staff", "reviewer", "admin"])
@pytest.mark.parametrize("published", [False, True])
def test_every_link_on_the_staff_matter_page_opens_for_its_reader(
    client, world, role, published
):
    import re

    matter = world["matter"]
    if published:
        services.matter_publish(matter=matter, by=world["people"]["lead_staff"])
    _login(client, world["people"][role])
    page = client.get(reverse("matters:staff_detail", args=[matter.pk]))
    assert page.status_code == 200
    links = set(re.findall(r'href="(/[^"#]*)"', page.content.decode()))
    links = {link.replace("&amp;", "&") for link in links if not link.startswith("/static/")}
    assert links
    refused = {link: client.get(link).status_code for link in links}
    refused = {link: status for link, status in refused.items() if status in (403, 404)}
    assert refused == {}


def test_a_co_department_sees_no_participation_buttons_of_the_lead_department(client, world):
    _login(client, world["people"]["co_staff"])
    page = client.get(reverse("matters:staff_detail", args=[world["matter"].pk]))
    text = page.content.decode()
    assert reverse("participation:activity_staff_list", args=[world["matter"].pk]) not in text
    assert "协商参与" not in text
