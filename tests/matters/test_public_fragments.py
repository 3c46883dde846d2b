"""The part of a public page every visitor is shown alike is kept under the content
generation (core.content_cache.fragment, ``{% publicfragment %}``): served again
without reading the database, to visitors the page cache does not serve, and dropped the
moment anything it shows changes."""

import pytest
from django.conf import settings
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from annual_plans.services import plan_publish
from tests.factories import (
    ReviewerFactory,
    StaffFactory,
    make_plan,
    make_published_matter,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Every request here is one the page cache does not answer."""
    settings.PORTAL_PAGE_CACHE = False
    settings.PORTAL_FRAGMENT_CACHE = True


def get(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_matter_list_is_shown_again_without_reading_the_database(client):
    make_published_matter("社区养老服务设施布局规划")

    first, page = get(client, "/matters/")
    again, kept = get(client, "/matters/")

    assert first >= 4  # filter choices, total, rows, their policy areas
    assert again == 0
    assert kept == page
    assert "社区养老服务设施布局规划" in kept


def test_a_change_shows_at_once(client):
    matter = make_published_matter("社区养老服务设施布局规划")
    get(client, "/matters/")

    matter.title = "社区养老服务设施布局专项规划"
    matter.save()

    count, page = get(client, "/matters/")
    assert count > 0
    assert "社区养老服务设施布局专项规划" in page


def test_each_filter_and_page_has_its_own_fragment(client):
    make_published_matter("社区养老服务设施布局规划")
    get(client, "/matters/")

    count, page = get(client, "/matters/?kind=legislative")

    assert count > 0
    assert "社区养老服务设施布局规划" not in page
    assert "没有符合条件的协商事项" in page


def test_each_language_has_its_own_fragment(client):
    make_published_matter("社区养老服务设施布局规划")
    _, chinese = get(client, "/matters/")

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    count, english = get(client, "/matters/")

    assert count > 0
    assert "协商类别" in chinese
    assert "Consultation type" in english


def test_a_signed_in_visitor_is_served_the_kept_fragment(client):
    make_published_matter("社区养老服务设施布局规划")
    staff = StaffFactory()  # before the list is kept: a new department drops it
    get(client, "/matters/")  # anonymous: computes and keeps the list
    client.force_login(staff)
    header, _ = get(client, "/")  # what the visitor's own header costs on any page

    count, page = get(client, "/matters/")

    assert count == header
    assert "社区养老服务设施布局规划" in page
    assert staff.display_name in page  # the header is the visitor's own


def test_the_catalog_year_page_is_kept_and_dropped_on_publication(client):
    first_plan = make_plan(year=2026, status="published")
    get(client, "/catalogs/2026/")
    again, _ = get(client, "/catalogs/2026/")
    assert again == 0
    accepted = make_plan(year=2026, status="accepted")

    plan_publish(plan=accepted, by=ReviewerFactory())

    count, page = get(client, "/catalogs/2026/")
    assert count > 0
    assert first_plan.department.name in page
    assert accepted.department.name in page


def test_with_the_fragment_cache_off_the_list_is_computed_every_time(client, settings):
    settings.PORTAL_FRAGMENT_CACHE = False
    make_published_matter("社区养老服务设施布局规划")
    get(client, "/matters/")

    again, _ = get(client, "/matters/")

    assert again > 0


def test_a_fragment_with_a_form_token_is_never_kept():
    """A CSRF token belongs to one visitor: a fragment holding one is computed anew."""
    template = Template(
        '{% load public_fragments %}{% publicfragment "form" %}'
        '<input name="csrfmiddlewaretoken" value="{{ token }}">{% endpublicfragment %}'
    )
    request = RequestFactory().get("/form/")

    first = template.render(Context({"request": request, "token": "first"}))
    second = template.render(Context({"request": request, "token": "second"}))

    assert 'value="first"' in first
    assert 'value="second"' in second


def test_a_fragment_is_kept_per_name_and_address():
    template = Template(
        "{% load public_fragments %}{% publicfragment name %}{{ n }}{% endpublicfragment %}"
    )

    def show(name, path, n):
        context = Context({"request": RequestFactory().get(path), "n": n, "name": name})
        return template.render(context)

    assert show("a", "/x/", "1") == "1"
    assert show("a", "/x/", "2") == "1"  # kept
    assert show("b", "/x/", "3") == "3"
    assert show("a", "/x/?page=2", "4") == "4"
