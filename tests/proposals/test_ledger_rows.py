"""The proposals' ledger rows name departments by code, as every ledger row does, so the
general office's ledger page shows their names (it failed on the ids they once held)."""

import pytest
from django.urls import reverse

from matters.models import LedgerEntry
from tests.factories import DepartmentFactory

from .public_support import Desk

pytestmark = pytest.mark.django_db


def test_assignment_and_countersignature_rows_show_department_names_on_the_ledger(client):
    desk = Desk()
    co = DepartmentFactory(name="青岛市财政局", code="czj")
    desk.replied(co=[(co, "assisting")])

    assigned = LedgerEntry.objects.get(action="proposal_assigned")
    assert assigned.after["department"] == "mzj"
    assert assigned.after["co_departments"] == ["czj"]
    client.force_login(desk.office)
    response = client.get(reverse("matters:ledger"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "青岛市民政局" in html and "青岛市财政局" in html
