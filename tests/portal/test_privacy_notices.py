"""Every public form that collects personal data says what it collects, why, how long it
is kept and who sees it, and links to the privacy page (个人信息保护法, issue 27 item 4).

The forms are found, not listed: every page of the access matrix that an anonymous
visitor may open is fetched, and every form on it with a field for a name, a phone, an
e-mail or a contact must carry the notice with the retention period from the settings.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from .test_access_matrix import (  # the world and its URLs
    EXPECTATIONS,
    _kwargs,
    world,  # noqa: F401 - the module-scoped fixture
)
from .test_markup import NOT_PAGES

PERSONAL_FIELDS = {"name", "author_name", "phone", "email", "contact"}
FORM = re.compile(r"<form\b.*?</form>", re.S)
FIELD_NAME = re.compile(r'<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"')


@pytest.mark.django_db
def test_every_public_form_collecting_personal_data_carries_the_privacy_notice(
    world,  # noqa: F811 - the fixture
    settings,
):
    settings.PORTAL_OPINION_CONTACT_RETENTION_DAYS = 200
    settings.PORTAL_REGISTRATION_RETENTION_DAYS = 90
    client = Client()
    found, missing = [], []
    for key, (method, answers) in EXPECTATIONS.items():
        name = key.split("@")[0]
        if method != "GET" or answers.split()[0] != "200" or name in NOT_PAGES:
            continue
        if name.startswith(("api:", "portal:")):
            continue
        url = reverse(name, kwargs=_kwargs(world).get(key, {}))
        html = client.get(url).content.decode()
        for form in FORM.findall(html):
            fields = set(FIELD_NAME.findall(form)) - {"csrfmiddlewaretoken"}
            personal = fields & PERSONAL_FIELDS
            if not personal:
                continue
            found.append((url, frozenset(fields)))
            notice = 'class="notice privacy-notice"' in form
            linked = f'<a href="{reverse("portal:privacy")}">' in form
            stated = re.search(r"保存(200|90)天后删除", form)
            if not (notice and linked and stated):
                missing.append(f"{url}: form with {sorted(personal)}")
    assert not missing, "forms without the privacy notice:\n" + "\n".join(missing)
    # The walk reached the two public forms that collect personal data.
    kinds = {("contact" in fields, "phone" in fields) for _url, fields in found}
    assert (True, False) in kinds, "no opinion form found"
    assert (False, True) in kinds, "no hearing registration form found"


@pytest.mark.django_db
def test_the_privacy_page_states_the_retention_periods(client, settings):
    settings.PORTAL_OPINION_CONTACT_RETENTION_DAYS = 200
    settings.PORTAL_REGISTRATION_RETENTION_DAYS = 90
    html = client.get(reverse("portal:privacy")).content.decode()
    assert "意见的联系方式在征求意见截止后保存200天，期满后删除。" in html
    assert "听证报名的姓名、联系电话和电子邮箱在活动举行后保存90天，期满后删除。" in html
    assert "<h1>隐私政策</h1>" in html
