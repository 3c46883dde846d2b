"""A department consults in writing in a real browser (书面征求意见).

From the matter's staff page the 市交通局's staff write a letter within the matter's open
comment round and send it to three departments, two NPC deputies and a democratic party.
The 市财政局 answers as a body (its staff draft, its leader signs), one deputy answers by
the personal link of the e-mail; after the deadline day the rest are deemed to have no
opinion. The letter's tracking, the public matter page, the round's feedback report and
the matter's procedure steps then say so. Only the departments, accounts, registry
entries, matter and comment round are made here, and time passes by calling the closing
task with a later ``now``; everything else goes through the pages.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.dates import day_end
from matters import services as matter_services
from matters.models import ProcedureStep
from matters.procedures import StepType
from participation.models import CommentPeriod, Opinion
from participation.selectors.comments import opinions_public
from participation.services import comments as comment_services
from participation.services import feedback as feedback_services
from reminders.models import Reminder
from solicitations.models import Addressee, Solicitation
from solicitations.services.letters import close_due_solicitations
from tests.browser.conftest import login
from tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    LeaderFactory,
    StaffFactory,
    make_matter,
    make_participant,
    make_period,
    make_published_draft,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DAY = datetime.timedelta(days=1)
MATTER = "青岛市城市公共交通条例（草案）"
PERIOD = "《青岛市城市公共交通条例（草案）》公开征求意见"
REFERENCE = "青交函〔2026〕12号"
BODY = "现将《青岛市城市公共交通条例（草案）》征求意见稿送上，请研究提出书面意见。"
DEPARTMENTS = ("青岛市财政局", "青岛市自然资源和规划局", "青岛市公安局")
DEPUTIES = ("刘建国", "陈晓红")
PARTY = "民革青岛市委会"
FINANCE_OPINION = "建议明确公交运营补贴的绩效考核办法，补贴资金与服务质量挂钩。"
DEPUTY_OPINION = "建议在第二十条中增加老年人、残疾人免费乘车的具体条件。"
LINK = re.compile(r"https?://\S+/solicitations/answer/[\w-]+/")


def _message(page: Page):
    return page.locator("main > ul.messages")


def _logout(page: Page) -> None:
    page.get_by_role("button", name="退出", exact=True).click()
    expect(page.get_by_role("link", name="工作人员登录")).to_be_visible()


def _row(scope, name: str):
    """The table row whose row header is ``name``."""
    return scope.get_by_role("row").filter(has=scope.page.get_by_role("rowheader", name=name))


def _cells(row) -> list[str]:
    return [text.strip() for text in row.get_by_role("cell").all_inner_texts()]


def test_a_letter_goes_out_is_answered_deemed_and_reported(page: Page, live_server, mailoutbox):
    # ---------------------------------------------------------------- the starting data
    transport = DepartmentFactory(code="jtj", name="青岛市交通运输局", short_name="市交通局")
    staff = StaffFactory(username="jtj_staff", department=transport, full_name="王丽")
    finance, *_others = (
        DepartmentFactory(code=code, name=name, short_name=name.replace("青岛", ""))
        for code, name in zip(("czj", "zrzyj", "gaj"), DEPARTMENTS, strict=True)
    )
    StaffFactory(username="czj_staff", department=finance, full_name="赵敏")
    LeaderFactory(username="czj_leader", department=finance, full_name="孙立新")
    deputies = [
        make_participant(
            by=staff,
            name=name,
            category="npc_deputy",
            affiliation="市人大代表",
            email=f"deputy{n}@example.cn",
        )
        for n, name in enumerate(DEPUTIES, start=1)
    ]
    make_participant(
        by=staff,
        name=PARTY,
        category="democratic_party",
        affiliation="",
        email="mingequ@example.cn",
        is_organisation=True,
    )
    make_participant(by=staff, name="周专家", category="expert")  # not addressed

    matter = make_matter(by=staff, kind="legislative", title=MATTER)
    draft = make_published_draft(
        matter=matter,
        by=staff,
        title=MATTER,
        text="第二十条 老年人、残疾人等按照规定享受免费乘车或者优惠乘车。",
    )
    matter = matter_services.matter_publish(matter=matter, by=staff)
    now = timezone.now()
    period = make_period(
        matter=matter, by=staff, draft=draft, title=PERIOD, starts_at=now - 28 * DAY, days=30
    )
    deadline = timezone.localdate() + 3 * DAY

    # ---------------------------------------------- 1. the letter is written and sent
    login(page, live_server, "jtj_staff", TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('matters:staff_detail', args=[matter.pk])}")
    section = page.get_by_role("region", name="书面征求意见")
    expect(section).to_contain_text("本事项尚未书面征求意见")
    section.get_by_role("link", name="新建征求意见函").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("书面征求意见")
    expect(page.get_by_label(re.compile(r"^所属征求意见"))).to_have_value(str(period.pk))
    expect(page.get_by_label(re.compile(r"^函件标题"))).to_have_value(
        f"关于征求《{MATTER}》意见的函"
    )
    page.get_by_label(re.compile(r"^文号")).fill(REFERENCE)
    page.get_by_label(re.compile(r"^函件正文")).fill(BODY)
    page.get_by_label(re.compile(r"^反馈截止日期")).fill(deadline.isoformat())
    page.get_by_label(re.compile(r"^联系人")).fill("王丽")
    page.get_by_label(re.compile(r"^联系电话")).fill("0532-85912345")
    page.get_by_label(re.compile(r"^逾期未反馈的视为无意见")).check()
    page.get_by_role("button", name="保存并选择征求意见对象").click()
    expect(_message(page)).to_contain_text("征求意见函已保存，请选择征求意见对象。")
    solicitation = Solicitation.objects.get()
    letter_url = live_server.url + reverse(
        "solicitations:solicitation_detail", args=[solicitation.pk]
    )
    expect(page).to_have_url(letter_url)
    expect(page.get_by_text("尚未选择征求意见对象。")).to_be_visible()

    page.get_by_role("link", name="选择征求意见对象").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("选择征求意见对象")
    departments = page.get_by_label(re.compile(r"^部门和区市政府"))
    expect(departments.locator("option", has_text="青岛市交通运输局")).to_have_count(0)
    departments.select_option(label=list(DEPARTMENTS))
    page.get_by_label(re.compile(r"^参与主体库中的单位和个人")).select_option(
        label=[*(f"{name}（市人大代表）" for name in DEPUTIES), PARTY]
    )
    expect(page.get_by_role("radio", name="主送")).to_be_checked()
    page.get_by_role("button", name="添加").click()
    expect(_message(page)).to_contain_text("已添加6个征求意见对象。")
    addressees = page.get_by_role("table", name="征求意见对象")
    expect(addressees.get_by_role("row")).to_have_count(7)  # the header and six
    expect(_row(addressees, "青岛市财政局")).to_contain_text("市政府部门和单位")
    expect(_row(addressees, DEPUTIES[0])).to_contain_text("人大代表")
    expect(_row(addressees, PARTY)).to_contain_text("民主党派")
    expect(addressees).not_to_contain_text("周专家")

    page.get_by_role("button", name="发出征求意见函").click()
    expect(_message(page)).to_contain_text("征求意见函已发出")
    expect(page.locator(".title-row")).to_contain_text("征求中")
    expect(page.get_by_role("button", name="发出征求意见函")).to_have_count(0)
    solicitation.refresh_from_db()
    assert solicitation.status == Solicitation.Status.SENT
    assert (solicitation.reference_number, solicitation.deadline) == (REFERENCE, deadline)
    assert solicitation.deemed_no_opinion
    assert (solicitation.period_id, solicitation.draft_id) == (period.pk, draft.pk)

    # Each registry entry with an e-mail got a personal link; each body's staff the
    # answer page. Sent at once here (eager tasks), so the outbox no longer keeps the link.
    letters = Reminder.objects.filter(kind="solicitation_letter")
    assert not letters.exclude(secret="").exists()
    recipients = {mail.to[0]: mail for mail in mailoutbox}
    assert {"deputy1@example.cn", "deputy2@example.cn", "mingequ@example.cn"} <= set(recipients)
    assert {"czj_staff@example.gov.cn", "czj_leader@example.gov.cn"} <= set(recipients)
    deputy_mail = recipients["deputy1@example.cn"]
    assert REFERENCE in deputy_mail.body
    assert "逾期未反馈的，视为无意见。" in deputy_mail.body
    base = settings.PORTAL_BASE_URL.rstrip("/")
    deputy_link, other_link = (
        live_server.url + LINK.search(recipients[to].body).group(0).removeprefix(base)
        for to in ("deputy1@example.cn", "deputy2@example.cn")
    )
    assert deputy_link != other_link
    finance_answer = Addressee.objects.get(solicitation=solicitation, department=finance)
    answer_path = reverse("solicitations:answer", args=[solicitation.pk, finance_answer.pk])
    assert answer_path in recipients["czj_staff@example.gov.cn"].body
    _logout(page)

    # ------------------------------ 2. the 市财政局 drafts its answer, its leader signs
    login(page, live_server, "czj_staff", TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('workbench')}")
    waiting = page.get_by_role("region", name="待反馈的征求意见函")
    expect(waiting).to_contain_text("待起草反馈意见")
    waiting.get_by_role("link", name=re.compile(re.escape(solicitation.title))).click()
    expect(page).to_have_url(live_server.url + answer_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("青岛市财政局的反馈意见")
    expect(page.locator("dl.facts")).to_contain_text(REFERENCE)
    page.get_by_role("radio", name="有意见").check()
    page.locator("#id_items-0-article").fill("第三十二条")
    page.locator("#id_items-0-content").fill(FINANCE_OPINION)
    page.get_by_role("button", name="保存反馈意见").click()
    expect(_message(page)).to_contain_text("反馈意见已保存，请单位负责人签发。")
    prepared = page.get_by_role("region", name="待签发的反馈意见")
    expect(prepared).to_contain_text("第三十二条")
    expect(prepared).to_contain_text(FINANCE_OPINION)
    expect(prepared).to_contain_text("起草完成后，请本单位负责人登录平台签发。")
    expect(page.get_by_role("button", name="签发反馈意见")).to_have_count(0)  # staff don't
    finance_answer.refresh_from_db()
    assert finance_answer.status == Addressee.Status.OUTSTANDING
    assert not Opinion.objects.exists()  # nothing in the register before it is signed
    _logout(page)

    login(page, live_server, "czj_leader", TEST_PASSWORD)
    page.goto(letter_url)
    mine = page.get_by_role("region", name="本单位反馈")
    expect(mine).to_contain_text("青岛市财政局：未反馈")
    mine.get_by_role("link", name="起草和签发反馈意见").click()
    expect(page).to_have_url(live_server.url + answer_path)
    expect(page.get_by_role("region", name="待签发的反馈意见")).to_contain_text(FINANCE_OPINION)
    page.get_by_role("button", name="签发反馈意见").click()
    expect(_message(page)).to_contain_text("反馈意见已签发，青岛市交通运输局已收到。")
    signed = page.get_by_role("region", name="已签发的反馈意见")
    expect(signed).to_contain_text(FINANCE_OPINION)
    expect(page.locator("dl.facts")).to_contain_text("孙立新")
    expect(page.get_by_role("button", name="保存反馈意见")).to_have_count(0)
    finance_answer.refresh_from_db()
    assert finance_answer.status == Addressee.Status.ANSWERED
    assert (finance_answer.answer, finance_answer.via) == ("opinions", "body")
    assert (finance_answer.signer_name, finance_answer.prepared_by.username) == (
        "孙立新",
        "czj_staff",
    )
    assert not finance_answer.is_late
    finance_opinion = Opinion.objects.get(written_answer__addressee=finance_answer)
    assert (finance_opinion.channel, finance_opinion.period_id) == ("written", period.pk)
    assert (finance_opinion.article, finance_opinion.content) == ("第三十二条", FINANCE_OPINION)
    _logout(page)

    # ------------------------------------- 3. a deputy answers by the personal link
    page.goto(deputy_link)
    expect(page.get_by_role("heading", level=1)).to_have_text(solicitation.title)
    expect(page.get_by_text(f"{DEPUTIES[0]}：青岛市交通运输局书面征求您的意见。")).to_be_visible()
    expect(page.get_by_role("region", name="征求意见稿")).to_contain_text("第二十条")
    page.get_by_role("radio", name="有意见").check()
    page.locator("#id_items-0-article").fill("第二十条")
    page.locator("#id_items-0-content").fill(DEPUTY_OPINION)
    expect(page.get_by_label(re.compile(r"^签名"))).to_have_value(DEPUTIES[0])
    page.get_by_role("button", name="提交反馈意见").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("反馈已收到")
    expect(page.locator("main")).to_contain_text("青岛市交通运输局已收到您对")
    deputy_answer = Addressee.objects.get(solicitation=solicitation, participant=deputies[0])
    assert deputy_answer.status == Addressee.Status.ANSWERED
    assert (deputy_answer.via, deputy_answer.signer_name) == ("link", DEPUTIES[0])
    deputy_opinion = Opinion.objects.get(written_answer__addressee=deputy_answer)
    assert (deputy_opinion.article, deputy_opinion.content) == ("第二十条", DEPUTY_OPINION)
    # Never in the public list of opinions (it names who answered); nothing to moderate.
    assert not opinions_public(period=deputy_opinion.period).filter(pk=deputy_opinion.pk).exists()
    # The link answers once.
    response = page.goto(deputy_link)
    assert response is not None and response.status == 404

    # ------------------------------------------------------ 4. the deadline passes
    solicitation.refresh_from_db()
    assert solicitation.status == Solicitation.Status.SENT  # four still to answer
    after_deadline = day_end(deadline) + datetime.timedelta(hours=1)
    assert close_due_solicitations(now=day_end(deadline) - datetime.timedelta(minutes=1)) == 0
    assert close_due_solicitations(now=after_deadline) == 1
    solicitation.refresh_from_db()
    assert solicitation.status == Solicitation.Status.CLOSED
    statuses = dict(solicitation.addressees.values_list("name", "status"))
    assert statuses == {
        "青岛市财政局": "answered",
        "青岛市自然资源和规划局": "deemed",
        "青岛市公安局": "deemed",
        DEPUTIES[0]: "answered",
        DEPUTIES[1]: "deemed",
        PARTY: "deemed",
    }
    # The second deputy's link still opens: a late answer is still taken.
    response = page.goto(other_link)
    assert response is not None and response.status == 200
    expect(page.get_by_role("button", name="提交反馈意见")).to_be_visible()

    # --------------------------------------------- 5. what staff and the public see
    login(page, live_server, "jtj_staff", TEST_PASSWORD)
    page.goto(letter_url)
    expect(page.locator(".title-row")).to_contain_text("已结束")
    expect(page.locator("dl.facts")).to_contain_text("已记入本事项的“书面征求意见”步骤")
    tracking = page.get_by_role("table", name="反馈情况")
    # 类别 | 主送 已反馈 其中有意见 其中无意见 视为无意见 逾期未反馈 未反馈 逾期反馈
    expect(_row(tracking, "市政府部门和单位")).to_be_visible()
    assert _cells(_row(tracking, "市政府部门和单位")) == ["3", "1", "1", "0", "2", "0", "0", "0"]
    assert _cells(_row(tracking, "人大代表")) == ["2", "1", "1", "0", "1", "0", "0", "0"]
    assert _cells(_row(tracking, "民主党派")) == ["1", "0", "0", "0", "1", "0", "0", "0"]
    assert _cells(_row(tracking, "合计")) == ["6", "2", "2", "0", "4", "0", "0", "0"]
    addressees = page.get_by_role("table", name="征求意见对象")
    expect(_row(addressees, "青岛市公安局")).to_contain_text("视为无意见")
    expect(_row(addressees, DEPUTIES[0])).to_contain_text(DEPUTY_OPINION)
    expect(_row(addressees, "青岛市财政局")).to_contain_text("孙立新签署")

    # The matter's staff page: the letter with its counts, and the steps on the record.
    page.goto(f"{live_server.url}{reverse('matters:staff_detail', args=[matter.pk])}")
    expect(page.get_by_role("region", name="书面征求意见")).to_contain_text(
        "主送6个，已反馈2个，视为无意见4个"
    )
    expect(page.get_by_role("cell", name="书面征求意见", exact=True)).to_have_count(1)
    expect(page.get_by_role("cell", name="征求党外人士意见", exact=True)).to_have_count(0)
    steps = set(ProcedureStep.objects.filter(matter=matter).values_list("step_type", flat=True))
    assert StepType.WRITTEN_SOLICITATION in steps
    # The democratic party was deemed to have no opinion: that is not 征求党外人士意见.
    assert StepType.NON_PARTY_CONSULTATION not in steps
    assert solicitation.non_party_step_id is None
    _logout(page)

    # The public matter page: counts by category, the bodies' names, no person's name.
    page.goto(f"{live_server.url}{reverse('matters:public_detail', args=[matter.pk])}")
    written = page.locator("section.panel", has=page.get_by_role("table", name="书面征求意见"))
    expect(written).to_contain_text(
        "以书面形式征求意见1次，主送6个单位和个人，2个已反馈，4个逾期视为无意见。"
    )
    for name in DEPARTMENTS:
        expect(written).to_contain_text(name)
    expect(_row(written, "人大代表")).to_be_visible()
    main = page.locator("main")
    for name in DEPUTIES:
        expect(main).not_to_contain_text(name)

    # The round's feedback report: the written opinions disposed and published. The
    # round's end moves into the past rather than the test waiting two days.
    CommentPeriod.objects.filter(pk=period.pk).update(
        ends_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    period.refresh_from_db()
    comment_services.opinions_dispose(
        period=period,
        by=staff,
        opinion_ids=[finance_opinion.pk],
        disposition=Opinion.Disposition.ADOPTED,
    )
    comment_services.opinions_dispose(
        period=period,
        by=staff,
        opinion_ids=[deputy_opinion.pk],
        disposition=Opinion.Disposition.PARTLY_ADOPTED,
        response="第二十条已增加残疾人免费乘车的条件，老年人的条件由市政府另行规定。",
    )
    feedback_services.feedback_publish(
        period=period, by=staff, summary="共收到书面意见2条，已采纳1条、部分采纳1条。"
    )
    page.goto(f"{live_server.url}{reverse('participation:comment_period', args=[period.pk])}")
    report = page.locator("section.feedback-report")
    expect(report).to_contain_text("共收到书面意见2条")
    by_category = report.get_by_role("table", name="书面征求意见的意见（按征求意见对象类别）")
    # 征求意见对象类别 | 意见数 采纳 部分采纳 未采纳 不属于本事项
    expect(_row(by_category, "市政府部门和单位")).to_be_visible()
    assert _cells(_row(by_category, "市政府部门和单位")) == ["1", "1", "0", "0", "0"]
    assert _cells(_row(by_category, "人大代表")) == ["1", "0", "1", "0", "0"]
    expect(_row(by_category, "民主党派")).to_have_count(0)
    expect(report).to_contain_text(DEPUTY_OPINION)
    for name in DEPUTIES:
        expect(page.locator("main")).not_to_contain_text(name)
