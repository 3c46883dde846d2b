"""A citizen answers a survey on a 390-px phone screen with the keyboard only: Tab to each
question, Space and the arrow keys for choices, typing, Enter to go on; across both pages
to the thanks page, without the page scrolling sideways. axe-core checks the form."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from surveys.models import Answer, Response
from surveys.tallies import specs_of
from tests.browser.test_accessibility import AxeAudit
from tests.factories import make_survey

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def tab_to(page: Page, element_id: str, *, limit: int = 120) -> None:
    """Press Tab until the element with ``element_id`` has the focus."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} scrolls sideways at 390 px ({width} px wide)"


def test_a_citizen_answers_with_the_keyboard_on_a_phone(page: Page, live_server):
    survey = make_survey()
    specs = {spec.position: spec for spec in specs_of(survey)}
    single, multiple, school, rating = specs[1], specs[2], specs[3], specs[4]
    matrix, ranking, number = specs[5], specs[6], specs[7]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("surveys:public_detail", args=[survey.pk]))
    no_sideways_scroll(page)
    school_box = page.locator(f"#question-{school.id}")
    expect(school_box).to_be_hidden()  # shown only for 教育

    # Page one.
    tab_to(page, f"id_{single.name}_{single.choices[0].id}")
    page.keyboard.press("Space")
    expect(page.locator(f"#id_{single.name}_{single.choices[0].id}")).to_be_checked()
    tab_to(page, f"id_{multiple.name}_{multiple.choices[0].id}")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(school_box).to_be_visible()
    tab_to(page, f"id_{school.name}")
    page.keyboard.type("青岛二中")
    tab_to(page, f"id_{rating.name}_1")
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.locator(f"#id_{rating.name}_4")).to_be_checked()
    tab_to(page, "survey-next")
    page.keyboard.press("Enter")  # 下一页

    # Page two.
    expect(page.get_by_role("heading", name="第2页，共2页：预算安排")).to_be_visible()
    no_sideways_scroll(page)
    for row in matrix.rows:
        tab_to(page, f"id_{matrix.name}_r{row.id}_{matrix.choices[0].id}")
        page.keyboard.press("Space")
    for place, choice in enumerate(ranking.choices, start=1):
        tab_to(page, f"id_{ranking.name}_o{choice.id}")
        for _ in range(place):
            page.keyboard.press("ArrowDown")
        expect(page.locator(f"#id_{ranking.name}_o{choice.id}")).to_have_value(str(place))
    tab_to(page, f"id_{number.name}")
    page.keyboard.type("1200")
    page.keyboard.press("Enter")  # the form's first button here: 提交答卷

    expect(page.get_by_role("heading", name="感谢您参与问卷调查")).to_be_visible()
    expect(page.get_by_text("答卷编号：第1号。")).to_be_visible()
    no_sideways_scroll(page)
    response = Response.objects.get()
    assert Answer.objects.filter(response=response, question_id=school.id, text="青岛二中").exists()
    assert Answer.objects.filter(response=response, question_id=number.id, number=1200).exists()


def test_the_survey_form_has_no_wcag_violations(page: Page, live_server):
    survey = make_survey(allow_resume=True)
    audit = AxeAudit(page, live_server.url)
    audit.check(reverse("surveys:public_list"))
    audit.check(reverse("surveys:public_detail", args=[survey.pk]))
    page.get_by_role("button", name="下一页").click()  # sent empty: the error summary
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check()
    page.set_viewport_size({"width": 390, "height": 844})
    audit.check()
    audit.assert_clean()
