"""The site's identity in the header and footer, from settings (政府网站发展指引): what is
set shows, what is empty does not, and the filing numbers link to where they can be
checked unless the portal runs on a network without access to those sites."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

IDENTITY = {
    "PORTAL_SITE_SPONSOR": "烟台市人民政府办公室",
    "PORTAL_SITE_ORGANIZER": "烟台市大数据局",
    "PORTAL_SITE_CODE": "3706000012",
    "PORTAL_ICP_NUMBER": "鲁ICP备05002386号",
    "PORTAL_PSB_NUMBER": "鲁公网安备 37060202000123号",
    "PORTAL_DZJG_URL": "https://bszs.conac.cn/sitename?method=show&id=ABC",
    "PORTAL_DZJG_IMAGE": "img/dzjg.png",
    "PORTAL_CONTACT_PHONE": "0535-6788123",
    "PORTAL_CONTACT_EMAIL": "xieshang@yantai.gov.cn",
}
EMPTY = dict.fromkeys(IDENTITY, "")


def _footer(client, url="/") -> str:
    html = client.get(url).content.decode()
    return html[html.index('<footer class="site-footer">') :]


def _header(client, url="/") -> str:
    html = client.get(url).content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


@pytest.mark.parametrize("url", ["/", "/matters/", "/accounts/login/", "/no-such-page/"])
def test_every_identifier_set_is_in_the_footer(client, settings, url):
    for name, value in IDENTITY.items():
        setattr(settings, name, value)
    footer = _footer(client, url)
    for label, value in [
        ("主办单位", "烟台市人民政府办公室"),
        ("承办单位", "烟台市大数据局"),
        ("网站标识码", "3706000012"),
        ("ICP备案号", "鲁ICP备05002386号"),
        ("公安机关备案号", "鲁公网安备 37060202000123号"),
        ("联系电话", "0535-6788123"),
        ("电子邮箱", "xieshang@yantai.gov.cn"),
    ]:
        assert re.search(f"<dt>{label}</dt><dd>(<a [^>]*>)?{re.escape(value)}", footer), label
    assert '<a href="https://beian.miit.gov.cn/">鲁ICP备05002386号</a>' in footer
    # The police filing site's page for the record, by its digits.
    assert "registerSystemInfo?recordcode=37060202000123" in footer
    assert '<a class="dzjg" href="https://bszs.conac.cn/sitename?method=show&amp;id=ABC">' in footer
    assert '<img src="/static/img/dzjg.png" alt="党政机关网站标识"' in footer
    assert 'href="mailto:xieshang@yantai.gov.cn"' in footer
    assert 'href="tel:0535-6788123"' in footer


def test_empty_identifiers_are_not_shown(client, settings):
    for name, value in EMPTY.items():
        setattr(settings, name, value)
    footer = _footer(client)
    for label in (
        "承办单位",
        "网站标识码",
        "ICP备案号",
        "公安机关备案号",
        "联系电话",
        "电子邮箱",
        "党政机关网站标识",
    ):
        assert label not in footer, label
    # The sponsor defaults to the city's general office.
    assert "<dt>主办单位</dt><dd>青岛市人民政府办公厅</dd>" in footer


def test_filing_numbers_are_plain_text_without_links_to_the_filing_sites(client, settings):
    for name, value in IDENTITY.items():
        setattr(settings, name, value)
    settings.PORTAL_FILING_LINKS = False
    footer = _footer(client)
    assert "<dt>ICP备案号</dt><dd>鲁ICP备05002386号</dd>" in footer
    assert "<dt>公安机关备案号</dt><dd>鲁公网安备 37060202000123号</dd>" in footer
    assert "beian" not in footer


def test_footer_and_header_offer_the_site_map_privacy_help_accessibility_and_elder_mode(client):
    footer = _footer(client)
    for name, label in [
        ("portal:sitemap_page", "网站地图"),
        ("portal:privacy", "隐私政策"),
        ("portal:help", "使用帮助"),
        ("portal:accessibility", "无障碍"),
    ]:
        assert f'<a href="{reverse(name)}">{label}</a>' in footer
    assert footer.count("data-elder-toggle") == 1
    header = _header(client)
    assert f'<a href="{reverse("portal:accessibility")}">无障碍</a>' in header
    assert header.count("data-elder-toggle") == 1
    assert "长者模式" in header


def test_english_pages_name_the_identifiers_in_english(client, settings):
    for name, value in IDENTITY.items():
        setattr(settings, name, value)
    settings.PORTAL_SITE_SPONSOR = ""
    client.cookies["django_language"] = "en"
    footer = _footer(client)
    assert (
        "<dt>Sponsor</dt><dd>General Office of the Qingdao People&#x27;s Government</dd>" in footer
    )
    for label in (
        "Site code",
        "ICP filing number",
        "Public security filing number",
        "Site map",
        "Privacy",
        "Help",
        "Accessibility",
        "Elder-friendly mode",
    ):
        assert label in footer, label


def test_every_page_describes_itself_for_search_engines(client):
    for url in ["/", reverse("portal:privacy"), reverse("matters:public_list")]:
        html = client.get(url).content.decode()
        description = re.search(r'<meta name="description" content="([^"]+)">', html)
        assert description and len(description.group(1)) > 20, url
