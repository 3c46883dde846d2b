import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import Department, User
from matters.models import Matter
from participation.models import Invitation
from reminders.models import Reminder

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, Department, Matter, Invitation, Reminder)
    }


def test_bench_reminders_prints_the_table_and_leaves_nothing_behind():
    before = counts()
    out = StringIO()

    call_command("bench_reminders", "--objects", "60", "--runs", "1", stdout=out)

    text = out.getvalue()
    assert "median s" in text and "q/batch" in text
    row = next(line for line in text.splitlines() if line.startswith("scan, "))
    assert re.search(r"\b(PASS|FAIL)\b", row)
    assert "due objects built: 21 departments, 20 matters, 19 invitations" in text
    assert "e-mails sent: 0" in text
    assert counts() == before
    assert not getattr(mail, "outbox", [])
