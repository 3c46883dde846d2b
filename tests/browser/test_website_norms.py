"""The government-website norms in a real browser (issue 27): the elder-friendly mode
(长者模式) of the MIIT norm — one click from every page, remembered without an account,
applied before the page paints, the page itself unchanged and served from the page
cache — and accessibility in both modes and both languages: axe-core, one h1 per page,
keyboard-only journeys, and reflow at 320 CSS px (400 % zoom) without sideways scrolling.
"""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from core.content_cache import PAGE_NEUTRAL_COOKIES, page_lookup
from participation.models import Opinion, Registration
from tests.browser.conftest import login
from tests.browser.test_accessibility import (
    AxeAudit,
    KeyboardUser,
    _skip_to_main,
    portal,  # noqa: F401 - the fixture below uses it
)
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ELDER_KEY = "portal-elder-mode"


@pytest.fixture
def world(portal):  # noqa: F811 - the fixture imported above
    """One of every public object (test_accessibility's world)."""
    return portal


# Records the class of <html> when <body> first appears: what the first paint shows.
CLASS_AT_FIRST_PAINT = """
new MutationObserver((records, observer) => {
  if (document.body) {
    window.__classAtBody = document.documentElement.className;
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def _public_urls(world) -> list[str]:
    return [
        reverse("home"),
        reverse("matters:public_list"),
        reverse("matters:public_detail", args=[world["matter"].pk]),
        reverse("matters:draft_detail", args=[world["matter"].pk, 1]),
        reverse("participation:open_comment_periods"),
        reverse("participation:comment_period", args=[world["open_period"].pk]),
        reverse("participation:comment_period", args=[world["closed_period"].pk]),
        reverse("annual_plans:public_year", args=[2026]),
        reverse("annual_plans:public_detail", args=[world["published_plan"].pk]),
        reverse("annual_plans:consolidated", args=[2026, "major-decisions"]),
        reverse("participation:activity_list"),
        reverse("participation:activity_detail", args=[world["hearing"].pk]),
        reverse("participation:registration_create", args=[world["hearing"].pk]),
        reverse("search:results") + "?q=养老",
        reverse("proposals:public_list"),
        reverse("proposals:public_detail", args=[world["proposal_replied"].pk]),
        reverse("opendata:index"),
        reverse("portal:sitemap_page"),
        reverse("portal:privacy"),
        reverse("portal:help"),
        reverse("portal:accessibility"),
        reverse("accounts:login"),
    ]


def _elder(page: Page, base_url: str) -> None:
    """Switch the mode on as a visitor does: one click on the header's button."""
    page.goto(base_url + reverse("home"))
    page.locator(".site-tools").get_by_role("button", name="长者模式").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\belder\b"))


def _one_h1(page: Page) -> str | None:
    count = page.locator("h1").count()
    return None if count == 1 else f"{page.url}: {count} h1 elements"


# ------------------------------------------------------------------ the mode itself


def test_elder_mode_is_one_click_away_and_survives_navigation(page: Page, live_server, world):
    page.add_init_script(CLASS_AT_FIRST_PAINT)
    page.goto(live_server.url + reverse("matters:public_list"))
    html = page.locator("html")
    expect(html).not_to_have_class(re.compile(r"\belder\b"))
    # In the header and the footer of every page.
    header_button = page.locator(".site-tools").get_by_role("button", name="长者模式")
    expect(header_button).to_be_visible()
    expect(page.locator(".site-footer").get_by_role("button", name="长者模式")).to_be_visible()
    header_button.click()
    expect(html).to_have_class(re.compile(r"\belder\b"))
    # The same button now leaves the mode; the keyboard stays on it.
    leave = page.locator(".site-tools").get_by_role("button", name="退出长者模式")
    expect(leave).to_be_focused()
    assert page.evaluate(f"localStorage.getItem('{ELDER_KEY}')") == "on"

    # Following links keeps the mode, applied before the body is painted.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="协商活动").click()
    expect(page).to_have_url(live_server.url + reverse("participation:activity_list"))
    assert "elder" in page.evaluate("window.__classAtBody").split()
    page.goto(live_server.url + reverse("matters:public_detail", args=[world["matter"].pk]))
    assert "elder" in page.evaluate("window.__classAtBody").split()
    # A new tab of the same browser too; no account, no cookie the server sees.
    other = page.context.new_page()
    other.goto(live_server.url + reverse("home"))
    expect(other.locator("html")).to_have_class(re.compile(r"\belder\b"))
    # (A page with a form sets the CSRF cookie, which the page cache ignores.)
    assert {cookie["name"] for cookie in page.context.cookies()} <= PAGE_NEUTRAL_COOKIES

    # And back, with the keyboard.
    leave = page.locator(".site-tools").get_by_role("button", name="退出长者模式")
    leave.focus()
    page.keyboard.press("Enter")
    expect(html).not_to_have_class(re.compile(r"\belder\b"))
    assert page.evaluate(f"localStorage.getItem('{ELDER_KEY}')") is None
    page.reload()
    assert "elder" not in page.evaluate("window.__classAtBody").split()


def test_a_link_may_choose_the_mode_and_the_address_loses_the_choice(
    page: Page, live_server, world
):
    page.add_init_script(CLASS_AT_FIRST_PAINT)
    url = reverse("matters:public_list")
    page.goto(live_server.url + url + "?kind=legislative&elder=1")
    assert "elder" in page.evaluate("window.__classAtBody").split()
    expect(page).to_have_url(live_server.url + url + "?kind=legislative")
    page.goto(live_server.url + reverse("home"))
    expect(page.locator("html")).to_have_class(re.compile(r"\belder\b"))
    page.goto(live_server.url + url + "?elder=0")
    expect(page.locator("html")).not_to_have_class(re.compile(r"\belder\b"))
    expect(page).to_have_url(live_server.url + url)
    assert page.evaluate(f"localStorage.getItem('{ELDER_KEY}')") is None


def test_elder_mode_pages_are_the_cached_pages_everyone_gets(
    browser: Browser, page: Page, live_server, world
):
    """The mode changes nothing the server sends: the same bytes as for a visitor in the
    standard mode, and the page is kept in and served from the public page cache."""
    # A page without a form: a form's CSRF token keeps a page out of the cache.
    url = reverse("annual_plans:public_detail", args=[world["published_plan"].pk])
    standard = page.goto(live_server.url + url).body()
    request = RequestFactory().get(url)
    _generation, cached = page_lookup(request, "zh-hans")
    assert cached is not None, "the page was not kept in the page cache"

    elder_context = browser.new_context(locale="zh-CN")
    try:
        elder_page = elder_context.new_page()
        _elder(elder_page, live_server.url)
        elder = elder_page.goto(live_server.url + url)
        assert elder.body() == standard == cached.content
        expect(elder_page.locator("html")).to_have_class(re.compile(r"\belder\b"))
        # The request a visitor in the mode sends is one the page cache answers.
        sent = elder.request.all_headers().get("cookie", "")
        assert ELDER_KEY not in sent
    finally:
        elder_context.close()


# Elements whose text must be at least 18 px in the mode (MIIT: body text ≥ 18 px).
SMALLEST_TEXT = """() => {
  let smallest = [1000, ""];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el.checkVisibility() || el.closest(".visually-hidden, .skip-link")) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < smallest[0]) smallest = [size, el.tagName + "." + el.className + ": " + node.textContent.trim().slice(0, 20)];
  }
  return smallest;
}"""
# Hit targets smaller than 44 x 44 CSS px: buttons, fields, and links that stand alone
# (navigation, pagination, tabs, list titles); a link inside a sentence is exempt (WCAG 2.5.5).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    "button, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea,"
    + " nav a, .pagination a, .year-nav a, .search-tabs a, .matter-item h2 a, .matter-item h3 a, .card h3 a")]
  .filter(el => el.checkVisibility())
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, rect]) => rect.width < 44 || rect.height < 44)
  .map(([el, rect]) => `${el.tagName} ${(el.innerText || el.name || "").trim().slice(0, 20)} ${Math.round(rect.width)}x${Math.round(rect.height)}`)
"""
LINE_HEIGHTS = """() => [...document.querySelectorAll("main p, main li, main dd, main td")]
  .filter(el => el.checkVisibility() && el.innerText.trim())
  .map(el => { const s = getComputedStyle(el); return [el.tagName, parseFloat(s.lineHeight) / parseFloat(s.fontSize)]; })
  .filter(([tag, ratio]) => !(ratio >= 1.5))
"""


@pytest.mark.parametrize("width", [1366, 390])
def test_elder_mode_meets_the_elder_friendly_design_norm(page: Page, live_server, world, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + reverse("home"))
    standard_nav = page.locator(".main-nav li").filter(has=page.locator(":visible")).count()
    standard_body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    _elder(page, live_server.url)
    problems = []
    for url in _public_urls(world):
        page.goto(live_server.url + url)
        smallest, where = page.evaluate(SMALLEST_TEXT)
        if smallest < 18:
            problems.append(f"{url}: text of {smallest}px ({where})")
        body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        h1 = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
        if not (body >= 18 and h1 > body):
            problems.append(f"{url}: body {body}px, h1 {h1}px")
        small = page.evaluate(SMALL_TARGETS)
        if small:
            problems.append(f"{url}: hit targets under 44x44: {small}")
        tight = page.evaluate(LINE_HEIGHTS)
        if tight:
            problems.append(f"{url}: line height under 1.5: {tight[:3]}")
    assert not problems, "\n".join(problems)
    assert standard_body < 18  # the standard mode is the smaller one

    # Simpler navigation: fewer items than the standard mode's.
    page.goto(live_server.url + reverse("home"))
    elder_nav = page.locator(".main-nav li").filter(has=page.locator(":visible")).count()
    assert 0 < elder_nav < standard_nav
    # No dense tables: a catalog's items are stacked cards at every width, each value
    # under its column's name, and the state of a stage is said in words.
    page.goto(
        live_server.url + reverse("annual_plans:public_detail", args=[world["published_plan"].pk])
    )
    row = page.locator("table.stack tbody tr").first
    assert row.evaluate("el => getComputedStyle(el).display") == "block"
    expect(page.locator("table.stack thead")).to_have_css("position", "absolute")
    label = row.locator("td").nth(1).evaluate("el => getComputedStyle(el, '::before').content")
    assert label == '"事项名称"'
    page.goto(live_server.url + reverse("matters:public_detail", args=[world["matter"].pk]))
    expect(page.locator(".timeline-current .timeline-state")).to_have_text("进行中")


# -------------------------------------------------------------------------- axe-core


def test_public_pages_have_no_wcag_violations_in_elder_mode(page: Page, live_server, world):
    _elder(page, live_server.url)
    audit = AxeAudit(page, live_server.url)
    headings = []
    for url in _public_urls(world):
        audit.check(url)
        headings.append(_one_h1(page))
    # Sent empty, the opinion form comes back with its errors, in the mode too.
    page.goto(
        live_server.url + reverse("participation:comment_period", args=[world["open_period"].pk])
    )
    page.get_by_role("button", name="提交意见").click()
    expect(page.get_by_text("请填写意见内容。")).to_be_visible()
    audit.check()
    audit.check("/no-such-page/", status=404)
    audit.assert_clean()
    assert not [problem for problem in headings if problem]


def test_english_pages_have_no_wcag_violations_in_both_modes(page: Page, live_server, world):
    page.goto(live_server.url + reverse("home"))
    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    audit = AxeAudit(page, live_server.url)
    urls = _public_urls(world)
    for url in urls:
        audit.check(url, lang="en")
    page.locator(".site-tools").get_by_role("button", name="Elder-friendly mode").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\belder\b"))
    for url in urls:
        audit.check(url, lang="en")
    audit.assert_clean()


def test_staff_pages_have_no_wcag_violations_in_elder_mode(page: Page, live_server, world):
    _elder(page, live_server.url)
    login(page, live_server, world["staff"].username, TEST_PASSWORD)
    audit = AxeAudit(page, live_server.url)
    audit.check(reverse("workbench"))
    audit.check(reverse("annual_plans:staff_list"))
    audit.check(reverse("annual_plans:edit", args=[world["draft_plan"].pk]))
    audit.check(reverse("matters:staff_detail", args=[world["matter"].pk]))
    audit.check(reverse("participation:staff_period", args=[world["open_period"].pk]))
    audit.assert_clean()


# -------------------------------------------------------------------------- keyboard


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_comment_with_the_keyboard_alone(page: Page, live_server, world, elder):
    if elder:
        _elder(page, live_server.url)
    period = world["open_period"]
    page.goto(live_server.url + reverse("participation:comment_period", args=[period.pk]))
    keys = KeyboardUser(page)
    _skip_to_main(page, keys)
    keys.tab_to("textarea[name=content]")
    page.keyboard.type("建议增设老年助餐点。")
    keys.tab_to("input[name=author_name]")
    page.keyboard.type("赵敏")
    submit = keys.tab_to("main button[type=submit]")
    assert submit["text"] == "提交意见", submit
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("感谢您提出意见")
    assert Opinion.objects.filter(content="建议增设老年助餐点。", author_name="赵敏").exists()
    assert ("elder" in page.locator("html").get_attribute("class").split()) is elder
    keys.assert_focus_always_visible()


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_hearing_registration_with_the_keyboard_alone(page: Page, live_server, world, elder):
    if elder:
        _elder(page, live_server.url)
    hearing = world["hearing"]
    page.goto(live_server.url + reverse("participation:activity_detail", args=[hearing.pk]))
    keys = KeyboardUser(page)
    _skip_to_main(page, keys)
    keys.tab_to("main a[href$='/register/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(
        live_server.url + reverse("participation:registration_create", args=[hearing.pk])
    )
    keys = KeyboardUser(page)
    _skip_to_main(page, keys)
    keys.tab_to("input[name=name]")
    page.keyboard.type("钱伟")
    assert keys.press("Tab")["name"] == "phone"
    page.keyboard.type("13812345678")
    assert keys.press("Tab")["name"] == "email"
    # Into the radio group: the arrow keys choose; Space ticks the focused one.
    keys.tab_to("input[name=position]")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # 支持 -> 反对
    keys.tab_to("textarea[name=statement]")
    page.keyboard.type("收费标准应与服务质量挂钩。")
    submit = keys.tab_to("main button[type=submit]")
    assert submit["text"] == "提交报名", submit
    page.keyboard.press("Enter")
    expect(page.locator("ul.messages")).to_contain_text("报名成功")
    registration = Registration.objects.get(activity=hearing, name="钱伟")
    assert (registration.phone, registration.position) == ("13812345678", "oppose")
    keys.assert_focus_always_visible()


# ---------------------------------------------------------------------------- reflow


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_pages_reflow_at_320_px_without_sideways_scrolling(page: Page, live_server, world, elder):
    """320 CSS px is a 1280 px window at 400 % zoom (WCAG 1.4.10)."""
    if elder:
        _elder(page, live_server.url)
    page.set_viewport_size({"width": 320, "height": 800})
    wide = []
    for url in _public_urls(world):
        page.goto(live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            culprit = page.evaluate(
                """() => [...document.querySelectorAll("body *")]
                  .filter(el => el.getBoundingClientRect().right > 321)
                  .map(el => el.tagName + "." + el.className).slice(-3)"""
            )
            wide.append(f"{url}: {width}px wide ({culprit})")
    assert not wide, "\n".join(wide)


# ------------------------------------------------------------------------ form errors


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_a_form_error_is_linked_to_its_field_and_announced(page: Page, live_server, world, elder):
    """Sent back with an error, the page puts the keyboard on the first field in error: a
    screen reader reads its label, that it is invalid, and the message tied to it."""
    if elder:
        _elder(page, live_server.url)
    hearing = world["hearing"]
    page.goto(live_server.url + reverse("participation:registration_create", args=[hearing.pk]))
    page.get_by_role("button", name="提交报名").click()
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("name", "name")
    expect(focused).to_have_attribute("aria-invalid", "true")
    described = focused.get_attribute("aria-describedby").split()
    messages = " ".join(page.locator(f"[id='{ref}']").inner_text() for ref in described)
    assert messages == "该字段是必填项。", messages
    expect(page.get_by_role("textbox", name="姓名")).to_have_accessible_description(
        re.compile(re.escape(page.locator(f"[id='{described[-1]}']").inner_text()))
    )
