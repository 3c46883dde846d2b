"""``/sitemap.xml``, ``robots.txt`` and the human site map: every published object and
list page is listed with the time it last changed, nothing unpublished is, the file is a
valid sitemap (one ``<urlset>`` of at most 50,000 addresses, an index past that), and a
kind of public page the sitemap does not know fails the suite."""

import datetime
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from calls import services as call_services
from matters import services as matter_services
from participation.services import feedback as feedback_services
from portal import sitemaps
from tests.factories import (
    StaffFactory,
    make_activity,
    make_matter,
    make_period,
    make_plan,
    make_published_draft,
    make_survey,
)
from tests.proposals.public_support import Desk

from .test_access_matrix import EXPECTATIONS

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
W3C_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")
BASE = "https://xieshang.example.gov.cn"

# Public pages (the access matrix answers 200 to an anonymous visitor) that are not in the
# sitemap, each with the reason. Every other public page must be in a section.
NOT_IN_SITEMAP = {
    "favicon": "an icon",
    "set_language": "a form target",
    "accounts:login": "staff sign-in, disallowed in robots.txt",
    "accounts:oidc_refused": "where a refused unified-identity sign-in ends, under /accounts/",
    "matters:document_download": "files, linked from their matter's page",
    "annual_plans:public_list": "redirects to the newest year's page, which is listed",
    "annual_plans:consolidated_pdf": "a PDF, linked from the year's page",
    "annual_plans:consolidated": "listed per year by the catalog-years section",
    "participation:activity_calendar": "an iCalendar file",
    "participation:registration_create": "a form, linked from the activity",
    "participation:invitation_reply": "a personal link",
    "solicitations:link_answer": "a personal link",
    "calls:link": "a personal link",
    "participation:comment_thanks": "the page after a submission",
    "surveys:thanks": "the page after a submission",
    "calls:thanks": "the page after a submission",
    "surveys:public_results": "linked from the survey's public page and its matter's page",
    "surveys:public_results_pdf": "a PDF, linked from the survey's results page",
    "participation:feedback_pdf": "a PDF, linked from the period's page",
    "proposals:reply_pdf": "a PDF, linked from the item's public page",
    "search:results": "search results, disallowed in robots.txt",
    "opendata:feed": "an Atom feed",
    "opendata:latest": "a file",
    "opendata:download": "a file",
    "portal:sitemap": "the sitemap itself",
    "portal:sitemap_section": "the sitemap itself",
    "portal:robots": "robots.txt",
}


def _read(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 - the portal's own answer


def _urls(root: ET.Element) -> dict[str, str | None]:
    assert root.tag == f"{NS}urlset"
    found = {}
    for url in root.findall(f"{NS}url"):
        loc = url.find(f"{NS}loc").text
        lastmod = url.find(f"{NS}lastmod")
        found[loc] = lastmod.text if lastmod is not None else None
    return found


@pytest.fixture
def world(settings):
    """One of every public object, and beside each one the public must not see."""
    settings.PORTAL_BASE_URL = BASE
    staff = StaffFactory()
    matter = make_matter(by=staff, kind="legislative", title="青岛市养老服务条例")
    draft = make_published_draft(matter=matter, by=staff, title="征求意见稿", text="第一条")
    matter = matter_services.matter_publish(matter=matter, by=staff)
    unpublished = make_matter(by=staff, title="尚未公开的事项")
    withdrawn = matter_services.matter_publish(
        matter=make_matter(by=staff, title="已撤回的事项"), by=staff
    )
    withdrawn = matter_services.matter_withdraw(matter=withdrawn, by=staff, reason="情况变化")
    now = timezone.now()
    period = make_period(matter=matter, draft=draft, starts_at=now - datetime.timedelta(days=40),
                         ends_at=now - datetime.timedelta(days=2))  # fmt: skip
    period = feedback_services.feedback_publish(period=period, by=staff, summary="共收到意见0条。")
    activity = make_activity(matter=matter, by=staff, status="notice_published")
    internal_activity = make_activity(matter=matter, by=staff, status="planned")
    plan = make_plan(department=staff.department, by=staff, items=2, status="published")
    draft_plan = make_plan(department=staff.department, by=staff, year=2027, items=1)
    desk = Desk(staff.department, staff=staff)
    proposal = desk.replied()
    hidden_proposal = desk.handling(is_public=False)
    unassigned_proposal = desk.registered()
    survey = make_survey(by=staff)
    draft_survey = make_survey(by=staff, publish=False)
    call_fields = {
        "by": staff,
        "department": staff.department,
        "kind": "topics",
        "year": 2027,
        "scope": "范围。",
        "guidance": "说明。",
        "starts_at": now - datetime.timedelta(days=1),
        "ends_at": now + datetime.timedelta(days=9),
    }
    call = call_services.call_create(title="2027年度协商议题征集", **call_fields)
    call = call_services.call_publish(call=call, by=staff)
    draft_call = call_services.call_create(title="未发布的征集", **call_fields)
    return {
        "published": [
            reverse("matters:public_detail", args=[matter.pk]),
            reverse("matters:draft_detail", args=[matter.pk, draft.number]),
            reverse("participation:comment_period", args=[period.pk]),
            reverse("participation:activity_detail", args=[activity.pk]),
            reverse("annual_plans:public_detail", args=[plan.pk]),
            reverse("annual_plans:public_year", args=[2026]),
            reverse("annual_plans:consolidated", args=[2026, "major-decisions"]),
            reverse("annual_plans:consolidated", args=[2026, "non-party"]),
            reverse("proposals:public_detail", args=[proposal.pk]),
            reverse("surveys:public_detail", args=[survey.pk]),
            reverse("calls:detail", args=[call.pk]),
        ],
        "lists": [
            reverse("home"),
            reverse("matters:public_list"),
            reverse("participation:open_comment_periods"),
            reverse("participation:activity_list"),
            reverse("proposals:public_list"),
            reverse("surveys:public_list"),
            reverse("calls:list"),
            reverse("opendata:index"),
            reverse("portal:sitemap_page"),
            reverse("portal:privacy"),
            reverse("portal:help"),
            reverse("portal:accessibility"),
        ],
        "hidden": [
            reverse("matters:public_detail", args=[unpublished.pk]),
            reverse("calls:detail", args=[draft_call.pk]),
            reverse("matters:public_detail", args=[withdrawn.pk]),
            reverse("participation:activity_detail", args=[internal_activity.pk]),
            reverse("annual_plans:public_detail", args=[draft_plan.pk]),
            reverse("annual_plans:public_year", args=[2027]),
            reverse("proposals:public_detail", args=[hidden_proposal.pk]),
            reverse("proposals:public_detail", args=[unassigned_proposal.pk]),
            reverse("surveys:public_detail", args=[draft_survey.pk]),
        ],
        "matter": matter,
        "period": period,
    }


def test_sitemap_lists_every_published_object_and_list_page_and_nothing_else(client, world):
    urls = _urls(_read(client, reverse("portal:sitemap")))
    paths = {urlsplit(loc).path for loc in urls}
    for path in world["published"] + world["lists"]:
        assert path in paths, path
    for path in world["hidden"]:
        assert path not in paths, path
    assert len(paths) == len(urls) == len(world["published"]) + len(world["lists"])
    # Absolute, on the address the portal is known by.
    assert all(loc.startswith(BASE + "/") for loc in urls)
    # Every published object says when it last changed, as W3C dates.
    for loc, lastmod in urls.items():
        if urlsplit(loc).path in world["published"]:
            assert lastmod and W3C_DATE.match(lastmod), loc
    matter_loc = BASE + reverse("matters:public_detail", args=[world["matter"].pk])
    assert urls[matter_loc] == timezone.localtime(world["matter"].updated_at).date().isoformat()
    period_loc = BASE + reverse("participation:comment_period", args=[world["period"].pk])
    assert urls[period_loc] == timezone.localdate(world["period"].report_published_at).isoformat()


def test_past_the_limit_the_sitemap_is_an_index_of_files_within_it(client, world, monkeypatch):
    single = set(_urls(_read(client, reverse("portal:sitemap"))))
    monkeypatch.setattr(sitemaps.PortalSitemap, "limit", 3)
    from core.content_cache import bump_generation

    bump_generation()  # the single file above is in the page cache
    index = _read(client, reverse("portal:sitemap"))
    assert index.tag == f"{NS}sitemapindex"
    files = [element.find(f"{NS}loc").text for element in index.findall(f"{NS}sitemap")]
    assert len(files) > 1
    assert all(url.startswith(BASE + "/sitemap-") for url in files), files
    listed = set()
    for url in files:
        parts = urlsplit(url)
        root = _read(client, parts.path + (f"?{parts.query}" if parts.query else ""))
        urls = _urls(root)
        assert 0 < len(urls) <= 3, url
        listed |= set(urls)
    assert listed == single


def test_every_kind_of_public_page_is_in_the_sitemap_or_set_aside_with_a_reason():
    """A new public page (the access matrix makes every URL name one of its rows) must be
    listed by a section of the sitemap, or be named in NOT_IN_SITEMAP with the reason."""
    public = {
        key.split("@")[0]
        for key, (method, answers) in EXPECTATIONS.items()
        if method == "GET" and answers.split()[0] == "200" and not key.startswith("api:")
    }
    covered = {section.url_name for section in sitemaps.SITEMAPS.values()}
    covered |= set(sitemaps.ListPagesSitemap.PAGES)
    covered.add("annual_plans:public_year")
    missing = sorted(public - covered - set(NOT_IN_SITEMAP))
    assert not missing, f"public pages missing from the sitemap: {missing}"


def test_sitemap_is_served_from_the_page_cache(client, world, django_assert_num_queries):
    first = client.get(reverse("portal:sitemap"))
    with django_assert_num_queries(0):
        second = client.get(reverse("portal:sitemap"))
    assert second.content == first.content


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_off_staff_pages(client, settings):
    settings.PORTAL_BASE_URL = BASE
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/staff/", "/workbench/", "/accounts/", "/invitations/", "/search/",
                 "/proposals/rating/"):  # fmt: skip
        assert f"Disallow: {path}" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert "Disallow: /" not in lines  # the public pages stay open


def test_human_site_map_links_every_section_and_year(client, world):
    html = client.get(reverse("portal:sitemap_page")).content.decode()
    assert "<h1>网站地图</h1>" in html
    for url in [
        reverse("annual_plans:public_year", args=[2026]),
        reverse("annual_plans:consolidated", args=[2026, "major-decisions"]),
        reverse("matters:public_list") + "?kind=legislative",
        reverse("participation:open_comment_periods"),
        reverse("participation:activity_list"),
        reverse("opendata:index"),
        reverse("portal:privacy"),
        reverse("portal:accessibility"),
        reverse("portal:sitemap"),
    ]:
        assert f'href="{url}"' in html, url
    # Unpublished years are not offered.
    assert reverse("annual_plans:public_year", args=[2027]) not in html
