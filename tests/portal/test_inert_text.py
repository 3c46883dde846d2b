"""Text that people type is shown as text everywhere: pages, the admin, e-mails, PDFs and
spreadsheets. Markup stays escaped (never a live tag) and spreadsheet formulas stay text.

One world carries the hostile strings in every field a person types: a matter title and a
disposition answer by staff, an opinion and its author's name by the public, a hearing
registration, a participant's name on an invitation.
"""

import datetime
import io

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from matters.services import matter_publish
from participation.models import Opinion, Registration
from participation.services import invitations
from participation.services.comments import opinions_dispose, opinions_moderate
from participation.services.feedback import feedback_publish
from tests.factories import (
    AdministratorFactory,
    ReviewerFactory,
    make_activity,
    make_matter,
    make_participant,
    make_period,
)

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script>'
IMG = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example","点我")'
LIVE = [SCRIPT, IMG, "<img src=x", "onerror=alert(1)>"]
ESCAPED = "&lt;script&gt;alert("


def assert_inert(html: str, where: str) -> None:
    for tag in LIVE:
        assert tag not in html, f"{where}: {tag!r} is live markup"
    assert ESCAPED in html, f"{where}: the typed text is not shown (escaped) at all"


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    matter = make_matter(title=f"城市更新{SCRIPT}协商事项", summary=f"摘要{IMG}")
    staff = matter.created_by
    matter = matter_publish(matter=matter, by=staff)
    period = make_period(
        matter=matter,
        starts_at=timezone.now() - datetime.timedelta(days=40),
        days=30,
        title=f"征求意见{SCRIPT}",
    )
    opinion = Opinion.objects.create(
        period=period,
        matter=matter,
        channel="online",
        content=f"{FORMULA}{SCRIPT}{IMG}",
        article=f"第一条{IMG}",
        author_name=f"张三{SCRIPT}",
        contact="13900001111",
        received_on=timezone.localdate(),
    )
    opinions_moderate(period=period, by=staff, opinion_ids=[opinion.pk], moderation="shown")
    opinions_dispose(
        period=period,
        by=staff,
        opinion_ids=[opinion.pk],
        disposition="not_adopted",
        response=f"答复{SCRIPT}",
    )
    period = feedback_publish(period=period, by=staff, summary=f"说明{SCRIPT}{FORMULA}")
    activity = make_activity(matter=matter, by=staff, status="notice_published")
    Registration.objects.create(
        activity=activity,
        name=f"李四{SCRIPT}",
        phone="13800002222",
        position=Registration.Position.SUPPORT,
        statement=f"{FORMULA}{IMG}",
    )
    participant = make_participant(by=staff, name=f"王五{SCRIPT}", email="wangwu@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitations_send(
            activity=activity,
            by=staff,
            reply_deadline=activity.starts_at - datetime.timedelta(days=1),
            participants=[participant],
        )
    return {"matter": matter, "period": period, "opinion": opinion, "activity": activity}


def test_public_pages_show_typed_text_as_text(client, world):
    matter, period = world["matter"], world["period"]
    pages = {
        "matter page": reverse("matters:public_detail", args=[matter.pk]),
        "matter list": reverse("matters:public_list"),
        "comment period": reverse("participation:comment_period", args=[period.pk]),
        "search": reverse("search:results") + "?q=城市更新",
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, where
        assert_inert(response.content.decode(), where)


def test_staff_pages_show_typed_text_as_text(client, world):
    staff = world["matter"].created_by
    client.force_login(staff)
    pages = {
        "staff matter": reverse("matters:staff_detail", args=[world["matter"].pk]),
        "staff period": reverse("participation:staff_period", args=[world["period"].pk]),
        "registrations": reverse(
            "participation:registration_list", args=[world["activity"].pk]
        ),
        "invitations": reverse("participation:invitation_list", args=[world["activity"].pk]),
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, where
        assert_inert(response.content.decode(), where)


def test_the_ledger_shows_typed_text_as_text(client, world):
    client.force_login(ReviewerFactory())

    response = client.get(reverse("matters:ledger"))

    assert response.status_code == 200
    assert_inert(response.content.decode(), "ledger")


def test_the_admin_shows_typed_text_as_text(client, world):
    client.force_login(AdministratorFactory())
    opinion = world["opinion"]
    pages = {
        "opinion list": reverse("admin:participation_opinion_changelist"),
        "opinion": reverse("admin:participation_opinion_change", args=[opinion.pk]),
        "matter list": reverse("admin:matters_matter_changelist"),
        "registrations": reverse("admin:participation_registration_changelist"),
        "ledger": reverse("admin:matters_ledgerentry_changelist"),
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, where
        assert_inert(response.content.decode(), where)


def test_e_mails_carry_typed_text_as_text(world):
    [message] = [m for m in mail.outbox if "wangwu@example.cn" in m.to]
    html = next(body for body, kind in message.alternatives if kind == "text/html")
    assert_inert(html, "invitation e-mail (HTML)")
    assert SCRIPT in message.body  # plain text shows exactly what was typed


def test_the_feedback_report_pdf_prints_typed_text_as_text(client, world):
    response = client.get(reverse("participation:feedback_pdf", args=[world["period"].pk]))

    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = text.replace("\n", "").replace(" ", "")
    # Printed literally: had it been parsed as HTML the tags would have vanished.
    assert 'alert("xss")' in compact and "<script>" in compact


def sheet_cells(content: bytes):
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


@pytest.mark.parametrize(
    ("url_name", "user_factory"),
    [("matters:ledger_export", ReviewerFactory), ("dashboard_export", ReviewerFactory)],
)
def test_spreadsheet_exports_keep_formulas_as_text(client, world, url_name, user_factory):
    # A staff-typed title that a spreadsheet would run.
    from matters.models import Matter

    Matter.objects.filter(pk=world["matter"].pk).update(title=f"{FORMULA}城市更新")
    make_matter(title=f"{FORMULA}城市更新二", by=world["matter"].created_by)
    client.force_login(user_factory())

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    cells = list(sheet_cells(response.content))
    assert cells
    assert all(cell.data_type != "f" for cell in cells)
    runnable = [cell for cell in cells if str(cell.value).startswith(("=", "+", "-", "@"))]
    # Shown as typed (no apostrophe in the text), stored as text, quote-prefixed.
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in runnable)
    assert not [cell for cell in cells if str(cell.value).startswith("'=")]
    if url_name == "matters:ledger_export":
        assert any(cell.value.startswith(f"{FORMULA}城市更新") for cell in runnable)


def test_the_api_csv_keeps_formulas_as_text(client, world):
    from matters.models import Matter

    Matter.objects.filter(pk=world["matter"].pk).update(title=f"{FORMULA}城市更新")

    response = client.get("/api/v1/matters/?format=csv")

    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ',=HYPERLINK' not in text and '"=HYPERLINK' not in text
