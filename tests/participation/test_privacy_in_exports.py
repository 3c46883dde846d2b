"""Personal contact data never leaves the staff pages: not into the ledger, nor its export."""

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from participation.services import comments, invitations
from tests.factories import (
    ReviewerFactory,
    make_activity,
    make_participant,
    make_period,
)

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
EMAIL = "zhang.private@example.cn"
CONTACT = "青岛市市南区香港中路某号 13700001111"


def test_contact_details_are_in_no_ledger_row_and_no_export(
    client, django_capture_on_commit_callbacks
):
    participant = make_participant(name="张私密", phone=PHONE, email=EMAIL)
    activity = make_activity(status="notice_published")
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitations_send(
            activity=activity,
            by=activity.created_by,
            reply_deadline=activity.starts_at - timezone.timedelta(days=1),
            participants=[participant],
        )
    period = make_period()
    comments.opinion_submit(period=period, content="建议增加社区养老床位。", contact=CONTACT)

    client.force_login(ReviewerFactory())
    response = client.get(reverse("matters:ledger_export"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(BytesIO(response.content))
    cells = " ".join(
        str(value) for row in workbook.active.iter_rows(values_only=True) for value in row
    )
    assert "发出邀请" in cells  # the rows are there ...
    for private in (PHONE, EMAIL, CONTACT):  # ... the contact details are not
        assert private not in cells

    page = client.get(reverse("matters:ledger")).content.decode()
    for private in (PHONE, EMAIL, CONTACT):
        assert private not in page
