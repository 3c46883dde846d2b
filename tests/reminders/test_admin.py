import pytest
from django.urls import reverse

from reminders.models import Reminder
from tests.factories import DepartmentFactory, ReviewerFactory, StaffFactory

from .conftest import at

pytestmark = pytest.mark.django_db


def test_general_office_reads_the_outbox_and_cannot_change_it(client, run_scan):
    StaffFactory(department=DepartmentFactory(), username="wangli")
    run_scan(at(2026, 3, 28))
    reviewer = ReviewerFactory()
    client.force_login(reviewer)
    response = client.get(reverse("admin:reminders_reminder_changelist"), {"status": "sent"})
    assert response.status_code == 200
    assert "wangli@example.gov.cn" in response.content.decode()
    row = Reminder.objects.get()
    response = client.get(reverse("admin:reminders_reminder_change", args=[row.pk]))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert client.get(reverse("admin:reminders_reminder_add")).status_code == 403


def test_department_staff_cannot_see_the_outbox(client):
    staff = StaffFactory()
    client.force_login(staff)
    response = client.get(reverse("admin:reminders_reminder_changelist"))
    assert response.status_code == 302
