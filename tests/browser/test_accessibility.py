"""Accessibility (WCAG 2.1 AA, the reference for GB/T 37668) of the public pages and the
staff filing and disposition pages, checked in a real browser.

axe-core (pinned in tests/browser/axe/package-lock.json, installed by scripts/ensure-axe.sh)
is injected into each page by Playwright and run for the WCAG 2.0/2.1 A and AA rules and a
few structure rules (headings, landmarks); every page must also say its language in
<html lang> and point aria-describedby and label ``for`` only at ids that exist. A test
collects the problems of all its pages and fails listing each rule, its impact and the
elements at fault. The keyboard tests fill and submit the opinion form and the annual
plan filing form with the keyboard alone, checking the skip link and that focus is
visible wherever Tab lands.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from annual_plans import services as plan_services
from annual_plans.models import AnnualPlan
from matters import services as matter_services
from participation.models import Opinion
from participation.services import comments as comment_services
from participation.services import feedback as feedback_services
from tests.browser.conftest import login
from tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    StaffFactory,
    make_activity,
    make_matter,
    make_period,
    make_plan,
    make_published_draft,
)
from tests.proposals.public_support import Desk

# live_server needs committed rows; serialized_rollback puts back the role groups and
# policy areas that the data migrations created and each transactional flush removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/__axe-core__/axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe files these under "best-practice", not a WCAG tag, but they are how a screen reader
# user finds their way (WCAG 1.3.1, 2.4.1, 2.4.6): headings in order, one h1, one main,
# all content in landmarks.
STRUCTURE_RULES = [
    "heading-order",
    "page-has-heading-one",
    "landmark-one-main",
    "landmark-no-duplicate-main",
    "landmark-unique",
    "region",
]
DAY = datetime.timedelta(days=1)

TITLE = "《青岛市养老服务条例（草案）》"
PERIOD_TITLE = "《青岛市养老服务条例（草案）》公开征求意见"
HEARING_TITLE = "居家养老服务收费标准听证会"
OPINION = "建议在第十二条中明确社区养老服务设施的最低配建面积标准。"


# --------------------------------------------------------------------------- axe-core


def _axe_violations(page: Page, *, structure: bool = True) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, and with
    ``structure`` those of ``STRUCTURE_RULES`` too.

    The portal's Content-Security-Policy allows scripts from its own origin only, so
    ``add_script_tag(path=...)``, which inlines the file, is refused; instead the page loads
    axe from a same-origin URL that Playwright answers with the pinned file (see
    ``_serve_axe``). The policy stays on, so axe sees the page as a visitor does.
    """
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    page.add_script_tag(url=origin + AXE_URL)
    extra = STRUCTURE_RULES if structure else []
    result = page.evaluate(
        """([tags, extra]) => axe.run(document, {
          runOnly: {type: "tag", values: tags},
          rules: Object.fromEntries(extra.map(id => [id, {enabled: true}])),
        })""",
        [WCAG_AA, extra],
    )
    ran = {
        rule["id"]
        for outcome in ("passes", "violations", "inapplicable", "incomplete")
        for rule in result[outcome]
    }
    missing = set(extra) - ran
    assert not missing, f"axe-core did not run {sorted(missing)}"
    return result["violations"]


def _serve_axe(page: Page) -> None:
    """Answer ``AXE_URL`` on any origin with the pinned axe-core, never reaching Django."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make setup` (scripts/ensure-axe.sh) first")
    page.route(
        re.compile(re.escape(AXE_URL) + "$"),
        lambda route: route.fulfill(path=AXE, content_type="text/javascript"),
    )


# A label or description pointing at an id that is not on the page: the help text or the
# error message is never read out. axe-core leaves these as "incomplete", not violations.
DANGLING_REFERENCES = """() => {
  const found = [];
  for (const attr of ["aria-describedby", "aria-labelledby", "aria-errormessage", "for"]) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      if (attr === "for" && el.tagName !== "LABEL") continue;
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) found.push(`${el.tagName.toLowerCase()}#${el.id} ${attr}=${id}`);
      }
    }
  }
  return found;
}"""


def _describe(url: str, violations: list[dict]) -> str:
    lines = [f"{url}:"]
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']}"
            f" ({len(violation['nodes'])} element(s))"
        )
        for node in violation["nodes"][:3]:
            lines.append(f"      {' '.join(map(str, node['target']))}")
            lines.append(f"        {node['html'][:200]}")
            summary = node.get("failureSummary") or ""
            if summary:
                lines.append("        " + summary.replace("\n", " ")[:300])
    return "\n".join(lines)


class AxeAudit:
    """Visits pages and collects every page's violations, so one run reports them all."""

    def __init__(self, page: Page, base_url: str):
        _serve_axe(page)
        self.page = page
        self.base_url = base_url
        self.failures: list[str] = []
        self.checked: list[str] = []

    def check(
        self,
        url: str | None = None,
        *,
        status: int = 200,
        lang: str = "zh-hans",
        ready: str | None = None,
        structure: bool = True,
    ) -> None:
        """Open ``url`` (or stay on the current page), wait for the ``ready`` selector if
        the page draws itself with a script, then run axe and check ``<html lang>``."""
        if url is not None:
            response = self.page.goto(self.base_url + url)
            assert response is not None and response.status == status, (
                f"{url}: HTTP {response and response.status}, expected {status}"
            )
        else:
            # The page may still be arriving (a form just submitted, a redirect): axe on a
            # document whose <html> is parsed but not its <head> finds no title, no main.
            self.page.wait_for_load_state("load")
        if ready is not None:
            expect(self.page.locator(ready).first).to_be_visible()
        where = self.page.url.removeprefix(self.base_url)
        html_lang = self.page.locator("html").get_attribute("lang") or ""
        if html_lang.lower() != lang:
            self.failures.append(f"{where}: <html lang={html_lang!r}>, expected {lang!r}")
        violations = _axe_violations(self.page, structure=structure)
        if violations:
            self.failures.append(_describe(where, violations))
        dangling = self.page.evaluate(DANGLING_REFERENCES)
        if dangling:
            self.failures.append(
                f"{where}: references to ids not on the page (axe only lists them as "
                "'incomplete'; a screen reader reads nothing):\n"
                + "\n".join(f"    {ref}" for ref in dangling)
            )
        self.checked.append(where)

    def assert_clean(self) -> None:
        assert not self.failures, (
            f"axe-core (WCAG 2.1 AA) found problems on {len(self.failures)} of "
            f"{len(self.checked)} pages:\n" + "\n".join(self.failures)
        )


# ------------------------------------------------------------------------------- data


def _civil_affairs():
    return DepartmentFactory(code="mzj", name="青岛市民政局", short_name="市民政局")


def _pdf() -> SimpleUploadedFile:
    import weasyprint

    body = weasyprint.HTML(string="<h1>起草说明</h1>").write_pdf()
    return SimpleUploadedFile("qicao.pdf", body, content_type="application/pdf")


@pytest.fixture
def portal():
    """A published legislative matter with a draft and a document, an open comment period,
    a closed one with its feedback report published, a hearing open for registration and a
    published annual plan catalog; plus a draft catalog with items for the filing pages."""
    staff = StaffFactory(department=_civil_affairs())
    now = timezone.now()

    matter = make_matter(by=staff, kind="legislative", title=TITLE)
    draft = make_published_draft(
        matter=matter,
        by=staff,
        title=TITLE,
        text="第一条 为了规范养老服务，保障老年人合法权益，制定本条例。",
        change_note="征求意见稿。",
    )
    matter_services.document_attach(
        matter=matter, by=staff, upload=_pdf(), title="起草说明", category="explanation"
    )
    matter = matter_services.matter_publish(matter=matter, by=staff)

    open_period = make_period(
        matter=matter, draft=draft, title=PERIOD_TITLE, starts_at=now - DAY, ends_at=now + 35 * DAY
    )
    shown = comment_services.opinion_submit(
        period=open_period, content=OPINION, article="第十二条", author_name="李华"
    )
    comment_services.opinion_submit(period=open_period, content="建议增加社区食堂。")
    comment_services.opinions_moderate(
        period=open_period, by=staff, opinion_ids=[shown.pk], moderation="shown"
    )

    closed_period = _closed_period_with_report(staff)

    hearing = make_activity(
        matter=matter,
        by=staff,
        kind="hearing",
        title=HEARING_TITLE,
        status="notice_published",
        starts_in=datetime.timedelta(days=30),
        capacity=20,
        accepts_registrations=True,
        registration_closes_at=now + 20 * DAY,
    )

    published_plan = make_plan(department=staff.department, by=staff, items=3, status="published")
    draft_plan = make_plan(department=staff.department, by=staff, year=2027, items=3)
    desk = Desk(staff.department, staff=staff)
    return {
        "proposal_replied": desk.replied(title="关于加快发展社区养老服务的建议"),
        "proposal_handling": desk.handling(title="关于优化学区划分的提案", kind="proposal"),
        "staff": staff,
        "matter": matter,
        "open_period": open_period,
        "closed_period": closed_period,
        "hearing": hearing,
        "published_plan": published_plan,
        "draft_plan": draft_plan,
    }


def _closed_period_with_report(staff):
    matter = make_matter(by=staff, kind="decision", title="青岛市居家养老服务补贴办法")
    matter = matter_services.matter_publish(matter=matter, by=staff)
    now = timezone.now()
    period = make_period(
        matter=matter,
        title="《青岛市居家养老服务补贴办法》公开征求意见",
        starts_at=now - 37 * DAY,
        ends_at=now - 2 * DAY,
    )
    for n, content in enumerate(["建议扩大补贴范围。", "建议简化申请材料。"]):
        comment_services.opinion_submit(
            period=period, content=content, author_name=f"市民{n + 1}", now=now - 20 * DAY
        )
    comment_services.opinions_dispose(
        period=period,
        by=staff,
        opinion_ids=period.opinions.values_list("pk", flat=True),
        disposition="partly_adopted",
        response="补贴范围已扩大至八十周岁以上失能老人。",
    )
    return feedback_services.feedback_publish(
        period=period, by=staff, summary="共收到意见2条，对合理意见予以吸收。"
    )


# ------------------------------------------------------------------------ axe: pages


def test_public_pages_have_no_wcag_violations(page: Page, live_server, portal):
    audit = AxeAudit(page, live_server.url)
    matter, period, hearing = portal["matter"], portal["open_period"], portal["hearing"]
    audit.check(reverse("home"))
    audit.check(reverse("matters:public_list"))
    audit.check(reverse("matters:public_list") + "?kind=legislative&year=2026")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    # A filter value that is not on offer comes back as an error on the filter form.
    audit.check(reverse("matters:public_list") + "?year=1800")
    expect(page.locator(".filter-form .error")).not_to_have_count(0)
    audit.check(reverse("matters:public_detail", args=[matter.pk]))
    audit.check(reverse("matters:draft_detail", args=[matter.pk, 1]))
    audit.check(reverse("participation:open_comment_periods"))
    audit.check(reverse("participation:comment_period", args=[period.pk]))
    # Sent empty, the opinion form comes back with its error messages.
    page.get_by_role("button", name="提交意见").click()
    expect(page.get_by_text("请填写意见内容。")).to_be_visible()
    audit.check()
    # A closed period with its feedback report published.
    audit.check(reverse("participation:comment_period", args=[portal["closed_period"].pk]))
    expect(page.locator("section.feedback-report")).to_be_visible()
    audit.check(reverse("annual_plans:public_list"))
    audit.check(reverse("annual_plans:public_year", args=[2026]))
    audit.check(reverse("annual_plans:public_detail", args=[portal["published_plan"].pk]))
    audit.check(reverse("participation:activity_list"))
    audit.check(reverse("participation:activity_detail", args=[hearing.pk]))
    audit.check(reverse("participation:registration_create", args=[hearing.pk]))
    page.get_by_role("button", name="提交报名").click()
    expect(page.locator(".has-error").first).to_be_visible()
    audit.check()
    audit.check(reverse("search:results") + "?q=养老")
    expect(page.get_by_role("link", name=TITLE).first).to_be_visible()
    audit.check(reverse("proposals:public_list"))
    audit.check(reverse("proposals:public_list") + "?reply_class=A&q=养老")
    expect(page.get_by_role("link", name="关于加快发展社区养老服务的建议")).to_be_visible()
    audit.check(reverse("proposals:public_list") + "?year=1800")  # an error on the form
    expect(page.locator(".filter-form .error")).not_to_have_count(0)
    audit.check(reverse("proposals:public_detail", args=[portal["proposal_replied"].pk]))
    audit.check(reverse("proposals:public_detail", args=[portal["proposal_handling"].pk]))
    audit.check(reverse("accounts:login"))
    audit.check("/no-such-page/", status=404)
    audit.assert_clean()


def test_staff_filing_and_disposition_pages_have_no_wcag_violations(
    page: Page, live_server, portal
):
    audit = AxeAudit(page, live_server.url)
    login(page, live_server, portal["staff"].username, TEST_PASSWORD)
    audit.check(reverse("workbench"))
    audit.check(reverse("annual_plans:staff_list"))
    audit.check(reverse("annual_plans:edit", args=[portal["draft_plan"].pk]))
    expect(page.locator("fieldset.item-fieldset")).to_have_count(4)  # 3 items, 1 blank row
    # Saved with an item left without a title: the page comes back with its errors.
    first_item = page.get_by_role("group", name="事项 1")
    first_item.get_by_label("事项名称").fill("")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(first_item.get_by_text("请填写事项名称。")).to_be_visible()
    audit.check()
    audit.check(reverse("annual_plans:staff_detail", args=[portal["draft_plan"].pk]))
    audit.check(reverse("annual_plans:staff_detail", args=[portal["published_plan"].pk]))
    audit.check(reverse("matters:edit", args=[portal["matter"].pk]))
    audit.check(reverse("participation:staff_period", args=[portal["open_period"].pk]))
    # Ticked and answered "not adopted" without the reasons: refused with a message.
    bulk = page.get_by_role("group", name="对勾选的意见")
    page.get_by_role("checkbox", name=re.compile(r"^选择第\d+号意见$")).first.check()
    bulk.get_by_role("combobox").select_option(label="未采纳")
    bulk.get_by_role("button", name="记录处理结果").click()
    expect(page.get_by_text("处理结果为“未采纳”的，须填写答复和理由。")).to_be_visible()
    audit.check()
    audit.check(reverse("participation:opinion_record", args=[portal["open_period"].pk]))
    audit.check(reverse("participation:staff_period", args=[portal["closed_period"].pk]))
    audit.check(reverse("participation:feedback_edit", args=[portal["closed_period"].pk]))
    audit.assert_clean()


def test_english_pages_have_no_wcag_violations_and_say_they_are_english(
    page: Page, live_server, portal
):
    audit = AxeAudit(page, live_server.url)
    page.goto(live_server.url + reverse("matters:public_list"))
    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    audit.check(lang="en")
    audit.check(reverse("participation:comment_period", args=[portal["open_period"].pk]), lang="en")
    audit.assert_clean()


def test_api_docs_page_has_no_wcag_violations(page: Page, live_server):
    audit = AxeAudit(page, live_server.url)
    # Swagger UI draws the page with a script: audit it once the operations are listed.
    # Its headings and landmarks are its own (an h1, then h3s, and its own <main>), so
    # only the WCAG rules apply here. Deep links are off in the settings: Swagger UI puts
    # them inside each operation's toggle button (axe: nested-interactive).
    audit.check(reverse("api:docs"), ready=".swagger-ui .opblock-summary", structure=False)
    audit.assert_clean()


def test_the_audit_reports_a_violation_and_a_dangling_reference(page: Page, live_server):
    """The checks above can fail: an image without a text alternative and a field
    described by an id that is not on the page are both reported."""
    audit = AxeAudit(page, live_server.url)
    page.goto(live_server.url + reverse("accounts:login"))
    page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.append(Object.assign(document.createElement("img"), {src: "/static/x.png"}));
          document.querySelector("input[name=username]")
            .setAttribute("aria-describedby", "no-such-help");
        }"""
    )
    audit.check()
    with pytest.raises(AssertionError) as failure:
        audit.assert_clean()
    assert "image-alt" in str(failure.value)
    assert "aria-describedby=no-such-help" in str(failure.value)


# ------------------------------------------------------------------------------ keyboard

# The computed styles that can make focus visible.
FOCUS_STYLE = """el => {
  const style = getComputedStyle(el);
  return [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow].join(" ");
}"""
# Identifies the focused element in failure messages and the walks below.
FOCUSED = """() => {
  const el = document.activeElement;
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name") || "",
    type: el.getAttribute("type") || "", text: (el.innerText || el.value || "").trim().slice(0, 30),
  };
}"""


class KeyboardUser:
    """Moves through a page with the keyboard only, checking that every element it
    lands on shows a focus indicator that it does not show when not focused."""

    def __init__(self, page: Page):
        self.page = page
        self.unmarked: list[str] = []

    def focused(self) -> dict:
        return self.page.evaluate(FOCUSED)

    def press(self, key: str) -> dict:
        """Press Tab or Shift+Tab and check the focus indicator where focus landed."""
        before = self.page.evaluate_handle("document.activeElement")
        self.page.keyboard.press(key)
        after = self.page.evaluate_handle("document.activeElement")
        if not self.page.evaluate("([a, b]) => a === b", [before, after]):
            self._check_focus_visible(after)
        return self.focused()

    def _check_focus_visible(self, element) -> None:
        focused_style = element.evaluate(FOCUS_STYLE)
        # The same element's style without focus: blur it, read, focus it again.
        unfocused_style = element.evaluate(
            f"el => {{ el.blur(); const style = ({FOCUS_STYLE})(el); el.focus(); return style; }}"
        )
        if focused_style == unfocused_style:
            self.unmarked.append(f"{self.focused()}: {focused_style}")

    def tab_to(self, selector: str, *, limit: int = 80) -> dict:
        """Press Tab until the element matching ``selector`` has focus."""
        for _ in range(limit):
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return self.focused()
            self.press("Tab")
        pytest.fail(f"{selector} not reached with {limit} presses of Tab")

    def assert_focus_always_visible(self) -> None:
        assert not self.unmarked, "focus not visible on:\n" + "\n".join(self.unmarked)


def _skip_to_main(page: Page, keys: KeyboardUser) -> None:
    """On a page just opened, the first Tab lands on the skip link, which then shows,
    and Enter moves focus to <main>."""
    focused = keys.press("Tab")
    assert focused["tag"] == "a", focused
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("跳到正文")
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_opinion_form_works_with_the_keyboard_alone(page: Page, live_server, portal):
    period = portal["open_period"]
    page.goto(live_server.url + reverse("participation:comment_period", args=[period.pk]))
    keys = KeyboardUser(page)
    _skip_to_main(page, keys)

    # From <main>, Tab reaches the form's fields in reading order, one press each, and
    # never the hidden honeypot; Shift+Tab goes back.
    keys.tab_to("textarea[name=content]")
    page.keyboard.type("建议明确社区食堂的运营补贴标准。")
    assert keys.press("Tab")["name"] == "article"
    page.keyboard.type("第二十条")
    assert keys.press("Shift+Tab")["name"] == "content"
    assert keys.press("Tab")["name"] == "article"
    assert keys.press("Tab")["name"] == "author_name"
    page.keyboard.type("王芳")
    assert keys.press("Tab")["name"] == "contact"
    page.keyboard.type("wangfang@example.com")
    # The privacy notice's link to the full privacy page, then the button.
    assert keys.press("Tab")["text"] == "隐私政策全文"
    submit = keys.press("Tab")
    assert (submit["tag"], submit["text"]) == ("button", "提交意见"), submit
    page.keyboard.press("Enter")

    expect(page).to_have_url(
        live_server.url + reverse("participation:comment_thanks", args=[period.pk])
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("感谢您提出意见")
    opinion = Opinion.objects.get(content="建议明确社区食堂的运营补贴标准。")
    assert (opinion.article, opinion.author_name) == ("第二十条", "王芳")
    assert opinion.contact == "wangfang@example.com"
    keys.assert_focus_always_visible()


def test_annual_plan_filing_form_works_with_the_keyboard_alone(page: Page, live_server):
    staff = StaffFactory(department=_civil_affairs())
    year = timezone.localdate().year
    plan = plan_services.plan_start(department=staff.department, year=year, by=staff)
    login(page, live_server, staff.username, TEST_PASSWORD)
    page.goto(live_server.url + reverse("annual_plans:edit", args=[plan.pk]))
    keys = KeyboardUser(page)
    _skip_to_main(page, keys)

    # Every field of the form, in the order Tab reaches it, and what the keyboard does there.
    typed = {
        "contact_person": "王丽",
        "contact_phone": "0532-85911234",
        "items-0-title": "社区养老服务设施布局规划",
        "items-0-responsible_office": "养老服务处",
    }
    # A date field's parts (year, month, day) come in the browser's locale order; on an
    # empty part ArrowUp gives this year, January or the 1st, ArrowDown this year,
    # December or the 31st, so one press per part gives 1 January / 31 December whatever
    # that order is.
    dates = {
        "items-0-planned_start": ("ArrowUp", datetime.date(year, 1, 1)),
        "items-0-planned_end": ("ArrowDown", datetime.date(year, 12, 31)),
    }
    ticked = {"items-0-consultation_forms": "public_participation", "items-0-is_major_decision": ""}
    # Every visible control of the form; a checkbox with its value (one box per choice).
    expected = set(
        page.locator("form.plan-form").evaluate(
            """form => [...form.querySelectorAll("input:not([type=hidden]), select, textarea")]
                .map(el => el.type === "checkbox" ? `${el.name}=${el.value}` : el.name)"""
        )
    )
    reached = set()
    keys.tab_to("form.plan-form input:not([type=hidden]), form.plan-form select")
    for _ in range(120):
        focused = keys.focused()
        name, kind = focused["name"], focused["type"]
        if focused["tag"] == "button":
            break
        key = f"{name}={page.evaluate('() => document.activeElement.value')}"
        reached.add(key if kind == "checkbox" else name)
        if name in typed:
            page.keyboard.type(typed[name])
        elif name in dates:
            arrow = dates[name][0]
            for part in range(3):
                if part:
                    page.keyboard.press("ArrowRight")
                page.keyboard.press(arrow)
        elif name == "items-0-kind":
            page.keyboard.press("ArrowDown")
        elif kind == "checkbox" and (
            name in ticked
            and ticked[name] in ("", page.evaluate("() => document.activeElement.value"))
        ):
            page.keyboard.press("Space")
        keys.press("Tab")
    assert keys.focused()["text"] == "保存"
    assert reached == expected, f"not reached by Tab: {sorted(expected - reached)}"
    for name, (_arrow, day) in dates.items():
        expect(page.locator(f"[name={name}]")).to_have_value(day.isoformat())
    kind = page.locator("[name=items-0-kind]").input_value()
    assert kind, "ArrowDown chose no kind"
    page.keyboard.press("Enter")

    # The form posts to its own address, so the skip link's #main stays on the URL.
    detail = live_server.url + reverse("annual_plans:staff_detail", args=[plan.pk])
    expect(page).to_have_url(re.compile(re.escape(detail) + "(#main)?$"))
    expect(page.locator("main > ul.messages")).to_have_text("目录已保存为草稿。")
    plan = AnnualPlan.objects.get(pk=plan.pk)
    assert (plan.contact_person, plan.contact_phone) == ("王丽", "0532-85911234")
    item = plan.items.get()
    assert item.title == "社区养老服务设施布局规划"
    assert item.kind == kind
    assert list(item.forms) == ["public_participation"]
    assert (item.planned_start, item.planned_end) == (
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
    )
    assert item.responsible_office == "养老服务处"
    assert item.is_major_decision is True
    keys.assert_focus_always_visible()


def test_the_keyboard_check_notices_focus_that_is_not_shown(page: Page, live_server):
    """The focus check above can fail: with the focus styles taken away, the fields the
    keyboard reaches are reported."""
    page.goto(live_server.url + reverse("accounts:login"))
    # A constructed style sheet: the Content-Security-Policy refuses a <style> element.
    page.evaluate(
        """() => {
          const sheet = new CSSStyleSheet();
          sheet.replaceSync("*:focus, *:focus-visible { outline: none !important; box-shadow: none !important; }");
          document.adoptedStyleSheets = [sheet];
        }"""
    )
    keys = KeyboardUser(page)
    keys.tab_to("input[name=username]")
    keys.press("Tab")
    with pytest.raises(AssertionError) as failure:
        keys.assert_focus_always_visible()
    assert "'name': 'password'" in str(failure.value)
