"""Public participation end to end in a real browser: comments, feedback and invitations.

Each journey asserts what the user sees on the page and what the database holds afterwards.
"""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from matters import services as matter_services
from matters.models import LedgerEntry
from participation.events import Action
from participation.models import Invitation, Opinion
from participation.services import comments as comment_services
from participation.services import invitations as invitation_services
from tests.browser.conftest import login
from tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    StaffFactory,
    make_activity,
    make_matter,
    make_participant,
    make_period,
    make_published_draft,
)

# live_server needs committed rows; serialized_rollback puts back the role groups and
# policy areas that the data migrations created and each transactional flush removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "《青岛市养老服务条例（草案）》"
PERIOD_TITLE = "《青岛市养老服务条例（草案）》公开征求意见"
DAY = datetime.timedelta(days=1)


def _civil_affairs():
    return DepartmentFactory(code="mzj", name="青岛市民政局", short_name="市民政局")


def _message(page: Page):
    """The flash messages at the top of the page (a ``role=status`` list)."""
    return page.locator("main > ul.messages")


def _field(page: Page, label: str):
    """The field labelled exactly ``label``, with or without the required marker " *"."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\s*\*?$"))


def _bulk_actions(page: Page):
    """The register's "对勾选的意见" fieldset (the filter form has a 处理结果 field too)."""
    return page.get_by_role("group", name="对勾选的意见")


def _disposition(page: Page):
    """The bulk form's 处理结果 select.

    Not by its label: the filter form's 处理结果 select has the same id (id_disposition), so
    the label ``for`` that id names the filter's select, not this one.
    """
    return _bulk_actions(page).get_by_role("combobox")


def _logout(page: Page) -> None:
    page.get_by_role("button", name="退出", exact=True).click()
    expect(page.get_by_role("link", name="工作人员登录")).to_be_visible()


def _local(moment: datetime.datetime) -> str:
    """``moment`` as the templates print it (``DATETIME_FORMAT`` in Chinese, Beijing time)."""
    with translation.override(settings.LANGUAGE_CODE):
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _legislative_matter(staff):
    """A published legislative matter with a published first draft, through the services."""
    matter = make_matter(by=staff, kind="legislative", title=TITLE)
    draft = make_published_draft(
        matter=matter,
        by=staff,
        title=TITLE,
        text="第一条 为了规范养老服务，保障老年人合法权益，制定本条例。",
        change_note="征求意见稿。",
    )
    return matter_services.matter_publish(matter=matter, by=staff), draft


# ------------------------------------------------------------------------ (a) comment

OPINION = "建议在第十二条中明确社区养老服务设施的最低配建面积标准。"
CONTACT = "13912345678"


def test_public_comments_on_an_open_draft_and_staff_show_it(page: Page, live_server):
    staff = StaffFactory(department=_civil_affairs())
    matter, draft = _legislative_matter(staff)
    now = timezone.now()
    period = make_period(
        matter=matter, draft=draft, title=PERIOD_TITLE, starts_at=now - DAY, ends_at=now + 35 * DAY
    )

    # A visitor finds the period from the home page and comments.
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="正在征求意见").click()
    expect(page.get_by_role("heading", name="正在征求意见", level=1)).to_be_visible()
    page.get_by_role("link", name=PERIOD_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PERIOD_TITLE)
    expect(page.get_by_role("link", name=re.compile("第1稿"))).to_be_visible()
    expect(page.get_by_text("暂无公开显示的意见")).to_be_visible()

    _field(page, "意见内容").fill(OPINION)
    page.get_by_label("涉及条款或章节").fill("第十二条")
    page.get_by_label("署名").fill("李华")
    page.get_by_label("联系方式").fill(CONTACT)
    page.get_by_role("button", name="提交意见").click()

    expect(page).to_have_url(f"{live_server.url}/consultations/{period.pk}/thanks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("感谢您提出意见")
    expect(page.get_by_text(f"您对“{PERIOD_TITLE}”的意见已经提交。")).to_be_visible()
    opinion = Opinion.objects.get()
    assert (opinion.period_id, opinion.matter_id) == (period.pk, matter.pk)
    assert opinion.channel == Opinion.Channel.ONLINE
    assert (opinion.content, opinion.article) == (OPINION, "第十二条")
    assert (opinion.author_name, opinion.contact) == ("李华", CONTACT)
    assert opinion.moderation == Opinion.Moderation.PENDING
    assert opinion.disposition == ""
    assert opinion.client_hash  # a salted hash, never the address
    # The receipt number (issue 21, item 20) is shown to keep.
    expect(page.get_by_role("region", name="意见编号")).to_contain_text(opinion.receipt)

    # Pending: not on the public page yet.
    page.get_by_role("link", name="返回征求意见页面").click()
    expect(page.get_by_text("暂无公开显示的意见")).to_be_visible()
    expect(page.get_by_text(OPINION)).to_have_count(0)

    # The lead department's staff find the register from the matter's staff page.
    login(page, live_server, staff.username, TEST_PASSWORD)
    page.get_by_role("navigation", name="账户").get_by_role("link", name="事项管理").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(f"{live_server.url}/staff/matters/{matter.pk}/")
    page.get_by_role("region", name="协商参与").get_by_role(
        "link", name="征求意见", exact=True
    ).click()
    expect(page.get_by_role("heading", name="征求意见管理")).to_be_visible()
    page.get_by_role("link", name=PERIOD_TITLE).click()
    expect(page).to_have_url(
        live_server.url + reverse("participation:staff_period", args=[period.pk])
    )
    expect(page.get_by_text("共 1 条意见")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=OPINION)
    expect(row).to_contain_text("待审核")
    expect(row).to_contain_text(CONTACT)  # staff see the contact

    page.get_by_label(f"选择第{opinion.pk}号意见").check()
    _bulk_actions(page).get_by_role("button", name="公开显示", exact=True).click()
    expect(_message(page)).to_have_text("已更新1条意见的公开显示。")
    row = page.get_by_role("row").filter(has_text=OPINION)
    expect(row).to_contain_text("公开显示")
    expect(row).not_to_contain_text("待审核")
    opinion.refresh_from_db()
    assert opinion.moderation == Opinion.Moderation.SHOWN
    moderated = LedgerEntry.objects.get(action=Action.OPINIONS_MODERATED)
    assert (moderated.matter_id, moderated.actor_id) == (matter.pk, staff.pk)

    # The public page now shows the opinion and its author, never the contact.
    _logout(page)
    page.goto(live_server.url + reverse("participation:comment_period", args=[period.pk]))
    expect(page.get_by_text("暂无公开显示的意见")).to_have_count(0)
    expect(page.get_by_text(OPINION)).to_be_visible()
    expect(page.get_by_text("李华")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(CONTACT)
    assert CONTACT not in page.content()


# ----------------------------------------------------------------------- (b) feedback

ONLINE_OPINIONS = [
    ("第五条", "建议将居家养老服务补贴范围扩大到全部八十周岁以上老人。"),
    ("第五条", "居家养老服务补贴应覆盖八十周岁以上的失能老人。"),
    ("第九条", "建议明确养老机构消防设施的验收责任部门。"),
]
LETTER = "建议取消养老机构设立许可，改为备案管理。"
PARTLY = "补贴范围已扩大至八十周岁以上失能、半失能老人，其余情形另行研究。"
NOT_ADOPTED = "养老机构设立已实行备案管理，本条例不再另作规定。"
SUMMARY = "本次征求意见共收到意见4条，经认真研究，对合理意见予以吸收。"


@pytest.fixture
def period_with_opinions():
    """A 38-day period in its last day: two online opinions and a letter so far."""
    staff = StaffFactory(department=_civil_affairs())
    matter, draft = _legislative_matter(staff)
    now = timezone.now()
    period = make_period(
        matter=matter,
        draft=draft,
        title=PERIOD_TITLE,
        starts_at=now - 37 * DAY,
        ends_at=now + DAY,
    )
    for n, (article, content) in enumerate(ONLINE_OPINIONS[:-1]):
        comment_services.opinion_submit(
            period=period,
            content=content,
            article=article,
            author_name=f"市民{n + 1}",
            contact=f"1380000000{n}",
            now=now - (30 - n) * DAY,
        )
    comment_services.opinion_record(
        period=period,
        by=staff,
        channel=Opinion.Channel.LETTER,
        received_on=timezone.localdate(now - 10 * DAY),
        content=LETTER,
        author_name="王某",
        contact="青岛市市南区某路1号",
    )
    return staff, matter, period


def test_public_comments_staff_dispose_publish_feedback_and_the_public_reads_it(
    page: Page, live_server, period_with_opinions
):
    staff, matter, period = period_with_opinions
    register_url = live_server.url + reverse("participation:staff_period", args=[period.pk])
    article, content = ONLINE_OPINIONS[-1]

    # On the last day a visitor adds the third online opinion from the period's page.
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="正在征求意见").click()
    page.get_by_role("link", name=PERIOD_TITLE).click()
    _field(page, "意见内容").fill(content)
    page.get_by_label("涉及条款或章节").fill(article)
    page.get_by_label("署名").fill("市民3")
    page.get_by_label("联系方式").fill("13800000002")
    page.get_by_role("button", name="提交意见").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("感谢您提出意见")
    own = Opinion.objects.get(content=content)
    assert (own.channel, own.period_id, own.disposition) == (Opinion.Channel.ONLINE, period.pk, "")

    # The period runs out: its end moves into the past rather than the test waiting a day.
    period.ends_at = timezone.now() - DAY
    period.save(update_fields=["ends_at"])

    login(page, live_server, staff.username, TEST_PASSWORD)
    page.goto(register_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(PERIOD_TITLE)
    expect(page.get_by_text("已结束", exact=True)).to_be_visible()
    expect(page.get_by_text("共 4 条意见")).to_be_visible()

    # Only the online opinions: filter, tick every one shown, answer them together.
    page.get_by_role("search").get_by_label("渠道").select_option(label="网上征求意见")
    page.get_by_role("search").get_by_role("button", name="筛选").click()
    expect(page.get_by_text("共 3 条意见")).to_be_visible()
    boxes = page.get_by_role("checkbox", name=re.compile(r"^选择第\d+号意见$"))
    expect(boxes).to_have_count(3)
    for box in boxes.all():
        box.check()
    _disposition(page).select_option(label="部分采纳")
    _bulk_actions(page).get_by_label("答复和理由").fill(PARTLY)
    _bulk_actions(page).get_by_role("button", name="记录处理结果").click()
    expect(_message(page)).to_have_text("已处理3条意见。")
    expect(page).to_have_url(re.compile(r"channel=online"))
    expect(page.get_by_role("row").filter(has_text="部分采纳")).to_have_count(3)

    # With the letter still undisposed the page says so, and the button is disabled,
    # described by that reason (issue 21, item 16).
    page.get_by_role("link", name="意见采纳情况说明").click()
    expect(page.get_by_role("heading", name="意见采纳情况说明", level=1)).to_be_visible()
    expect(page.get_by_text("还有1条意见尚未处理，全部处理后才能公开。")).to_be_visible()
    publish = page.get_by_role("button", name="公开意见采纳情况")
    expect(publish).to_be_disabled()
    expect(publish).to_have_accessible_description(re.compile("还有1条意见尚未处理"))
    period.refresh_from_db()
    assert period.report_published_at is None

    page.get_by_role("link", name="去处理").click()
    expect(page.get_by_text("共 1 条意见")).to_be_visible()
    letter = Opinion.objects.get(channel=Opinion.Channel.LETTER)
    page.get_by_label(f"选择第{letter.pk}号意见").check()
    _disposition(page).select_option(label="未采纳")
    _bulk_actions(page).get_by_label("答复和理由").fill(NOT_ADOPTED)
    _bulk_actions(page).get_by_role("button", name="记录处理结果").click()
    expect(_message(page)).to_have_text("已处理1条意见。")
    expect(page.get_by_text("没有符合条件的意见。")).to_be_visible()

    page.get_by_role("link", name="意见采纳情况说明").click()
    expect(page.get_by_text("尚未处理")).to_have_count(0)
    expect(page.locator("dl.facts")).to_contain_text("75.0%")
    _field(page, "意见采纳情况说明").fill(SUMMARY)
    publish = page.get_by_role("button", name="公开意见采纳情况")
    expect(publish).to_be_enabled()
    # Publishing is final: without the confirmation tick nothing is published.
    publish.click()
    expect(page.get_by_text("请勾选确认：意见采纳情况说明公开后不能修改。")).to_be_visible()
    expect(_field(page, "意见采纳情况说明")).to_have_value(SUMMARY)
    period.refresh_from_db()
    assert period.report_published_at is None
    page.get_by_label("我已核对以上统计和说明，确认向社会公开（公开后不能修改）").check()
    publish.click()
    expect(_message(page)).to_have_text("意见采纳情况说明已公开。")
    expect(page.get_by_text("已于")).to_contain_text("向社会公开")

    period.refresh_from_db()
    assert period.report_published_at is not None
    assert period.report_summary == SUMMARY
    dispositions = dict(Opinion.objects.values_list("content", "disposition"))
    assert dispositions == {
        **{content: Opinion.Disposition.PARTLY_ADOPTED for _, content in ONLINE_OPINIONS},
        LETTER: Opinion.Disposition.NOT_ADOPTED,
    }
    assert set(Opinion.objects.values_list("disposed_by", flat=True)) == {staff.pk}
    actions = list(
        matter.ledger_entries.filter(object_type="commentperiod")
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        Action.COMMENT_PERIOD_OPENED,
        Action.OPINION_RECORDED,
        Action.OPINIONS_DISPOSED,
        Action.OPINIONS_DISPOSED,
        Action.FEEDBACK_PUBLISHED,
    ]

    # The public reads the report on the matter page and on the period page.
    _logout(page)
    page.goto(live_server.url + reverse("matters:public_detail", args=[matter.pk]))
    comments = page.locator("section.panel").filter(has_text=PERIOD_TITLE)
    expect(comments).to_contain_text("征求意见已结束")
    expect(comments).to_contain_text(SUMMARY)
    expect(comments).to_contain_text("共收到意见4条")
    expect(comments).to_contain_text("部分采纳3条")
    expect(comments).to_contain_text("未采纳1条")
    expect(comments).to_contain_text("采纳率 75.0%")
    comments.get_by_role("link", name="查看意见及答复").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(PERIOD_TITLE)
    report = page.locator("section.feedback-report")
    expect(report.get_by_role("heading", name="意见采纳情况说明")).to_be_visible()
    expect(report).to_contain_text(SUMMARY)
    expect(report).to_contain_text("4条")
    expect(report).to_contain_text("网上征求意见 3；信函 1")
    expect(report).to_contain_text("75.0%")
    expect(report).to_contain_text(PARTLY)
    expect(report).to_contain_text(NOT_ADOPTED)
    expect(report).to_contain_text(LETTER)
    # The visitor finds their own opinion among those partly adopted, with the answer.
    answered = report.locator(".panel").filter(has_text=content)
    expect(answered).to_contain_text("部分采纳")
    expect(answered).to_contain_text(f"[{article}]")
    expect(answered).to_contain_text(PARTLY)
    # The report names no one and shows no contact data.
    for private in ("市民1", "市民3", "王某", "13800000000", "13800000002", "青岛市市南区某路1号"):
        expect(page.locator("main")).not_to_contain_text(private)

    # The visitor finds the answer by the receipt number alone (issue 21, item 20).
    receipt = Opinion.objects.get(content=content).receipt
    report.get_by_role("textbox", name="意见编号").fill(receipt.lower())
    report.get_by_role("button", name="查询").click()
    answer = page.locator("#receipt-answer")
    expect(answer).to_contain_text(f"意见编号 {receipt}")
    expect(answer).to_contain_text("处理结果：部分采纳")
    expect(answer).to_contain_text(PARTLY)

    # The PDF is a download named after the matter's reference.
    with page.expect_download() as info:
        report.get_by_role("link", name="下载PDF").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    assert period.matter.reference in download.suggested_filename
    body = Path(download.path()).read_bytes()
    assert body[:5] == b"%PDF-"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "75.0%" in text
    assert PARTLY in text.replace("\n", "")


# --------------------------------------------------------------------- (c) invitation

ACTIVITY_TITLE = "《青岛市养老服务条例（草案）》立法座谈会"
INVITATION_LINK = re.compile(r"https?://\S+/invitations/[\w-]+/")


def test_invitee_accepts_through_the_e_mail_link_and_staff_see_the_reply(
    page: Page, live_server, mailoutbox
):
    staff = StaffFactory(department=_civil_affairs())
    matter = make_matter(by=staff, kind="legislative", title=TITLE)
    matter = matter_services.matter_publish(matter=matter, by=staff)
    activity = make_activity(
        matter=matter,
        by=staff,
        title=ACTIVITY_TITLE,
        status="notice_published",
        starts_in=datetime.timedelta(days=30),
    )
    expert = make_participant(by=staff, name="赵敏", category="expert", email="zhaomin@example.com")
    # Outside a transaction the service's commit sends the e-mail at once.
    invitation_services.invitations_send(
        activity=activity,
        by=staff,
        reply_deadline=activity.starts_at - 2 * DAY,
        participants=[expert],
    )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["zhaomin@example.com"]
    assert ACTIVITY_TITLE in mail.subject
    link = INVITATION_LINK.search(mail.body).group(0)
    base = settings.PORTAL_BASE_URL.rstrip("/")
    assert link.startswith(f"{base}/invitations/")
    link = live_server.url + link.removeprefix(base)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"邀请您参加“{ACTIVITY_TITLE}”")
    expect(page.get_by_text("赵敏：青岛市民政局诚邀您参加本次协商活动。")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text(_local(activity.starts_at))
    page.get_by_role("radio", name="接受邀请，按时参加").check()
    page.get_by_role("button", name="提交回复").click()

    expect(_message(page)).to_have_text("您的回复已收到，谢谢。回复截止前您仍可修改。")
    expect(page.get_by_text(re.compile(r"您已于 .+ 回复：接受。"))).to_be_visible()
    expect(page.get_by_role("radio", name="接受邀请，按时参加")).to_be_checked()
    invitation = Invitation.objects.get()
    assert (invitation.participant_id, invitation.activity_id) == (expert.pk, activity.pk)
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.replied_at is not None
    replied = LedgerEntry.objects.get(action=Action.INVITATION_REPLIED)
    assert (replied.matter_id, replied.actor_id) == (matter.pk, None)

    # One character changed: the link finds no invitation.
    token = link.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = page.goto(link.replace(token, tampered))
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    expect(page.get_by_text(ACTIVITY_TITLE)).to_have_count(0)

    # The lead department sees the reply on the invitation list.
    login(page, live_server, staff.username, TEST_PASSWORD)
    page.goto(live_server.url + reverse("matters:staff_detail", args=[matter.pk]))
    page.get_by_role("region", name="协商参与").get_by_role("link", name="协商活动").click()
    page.get_by_role("link", name=ACTIVITY_TITLE).click()
    page.get_by_role("link", name="邀请与回复").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"“{ACTIVITY_TITLE}”的邀请")
    row = page.get_by_role("row").filter(has_text="赵敏")
    expect(row).to_contain_text("接受")
    expect(row).to_contain_text("zhaomin@example.com")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("已邀请1")
    expect(facts).to_contain_text("接受1")
    expect(facts).to_contain_text("待回复0")


# ------------------------------------------------- hearing registration (issue 21, item 1)


def test_citizen_goes_from_the_activity_list_to_a_submitted_registration(
    page: Page, live_server
):
    from participation.models import Registration

    staff = StaffFactory(department=_civil_affairs())
    matter, _draft = _legislative_matter(staff)
    closes = timezone.now() + 5 * DAY
    activity = make_activity(
        matter=matter,
        by=staff,
        kind="hearing",
        status="notice_published",
        title="养老服务条例立法听证会",
        capacity=10,
        accepts_registrations=True,
        registration_closes_at=closes,
    )

    page.goto(f"{live_server.url}{reverse('participation:activity_list')}")
    row = page.locator("li.matter-item", has_text="养老服务条例立法听证会")
    expect(row).to_contain_text(f"报名截止时间 {_local(closes)}")
    row.get_by_role("link", name="养老服务条例立法听证会").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("养老服务条例立法听证会")
    page.get_by_role("link", name="我要报名").click()
    expect(page).to_have_url(
        f"{live_server.url}{reverse('participation:registration_create', args=[activity.pk])}"
    )
    _field(page, "姓名").fill("孙丽")
    _field(page, "联系电话").fill("139 1234 5678")
    page.get_by_label("反对").check()
    page.get_by_role("button", name="提交报名").click()
    expect(_message(page)).to_contain_text("报名成功")
    registration = Registration.objects.get(activity=activity)
    assert (registration.name, registration.phone) == ("孙丽", "13912345678")

    # The matter's public page leads there too.
    page.goto(f"{live_server.url}{reverse('matters:public_detail', args=[matter.pk])}")
    expect(page.get_by_role("link", name="我要报名")).to_have_attribute(
        "href", reverse("participation:registration_create", args=[activity.pk])
    )
