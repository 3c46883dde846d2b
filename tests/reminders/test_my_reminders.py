import datetime

import pytest
from django.urls import reverse

from occasions import services as occasion_services
from tests.factories import DepartmentFactory, ReviewerFactory, StaffFactory

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def test_staff_see_the_reminders_sent_to_them_and_nobody_elses(client, mailoutbox):
    mine = StaffFactory(department=DepartmentFactory(name="青岛市甲局"))
    other = StaffFactory(department=DepartmentFactory(name="青岛市乙局"))
    occasion_services.scan(now=datetime.datetime(2026, 3, 28, 9, 0, tzinfo=SHANGHAI))

    client.force_login(mine)
    page = client.get(reverse("reminders:mine"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "2026年度政府协商计划目录报送还有3天截止" in text
    assert text.count("报送还有3天截止") == 1  # only the one addressed to this account
    assert "http://127.0.0.1:8000/staff/plans/" in text

    client.force_login(other)
    assert client.get(reverse("reminders:mine")).content.decode().count("报送还有3天截止") == 1


def test_my_reminders_needs_a_staff_role(client):
    assert client.get(reverse("reminders:mine")).status_code == 302
    client.force_login(ReviewerFactory())
    page = client.get(reverse("reminders:mine"))
    assert page.status_code == 200
    assert "还没有发给您的提醒" in page.content.decode()
