"""Helpers shared by the API tests: callers, the error shape, and quick bulk data."""

import datetime
import json
from zoneinfo import ZoneInfo

from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Department
from annual_plans.models import AnnualPlan, PlanItem
from matters.models import Matter, PolicyArea
from matters.procedures import procedure_for
from matters.services import matter_publish
from participation.models import Activity
from tests.factories import StaffFactory, make_matter

SHANGHAI = ZoneInfo("Asia/Shanghai")



def at(year, month, day, hour=0, minute=0, second=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def token_for(user) -> dict:
    """Request headers that authenticate as ``user`` with a fresh API token."""
    token = Token.objects.create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


def published_matter(**kwargs) -> Matter:
    matter = make_matter(**kwargs)
    return matter_publish(matter=matter, by=matter.created_by)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def text_of(response) -> str:
    """Everything a client receives, JSON decoded, for "never appears" checks."""
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    raw = response.content.decode("utf-8")
    if response["Content-Type"].startswith("application/json"):
        return raw + json.dumps(response.json(), ensure_ascii=False)
    return raw


def assert_error(response, status: int, *, field: str | None = None) -> dict:
    """The one error shape: ``{"error": {"status", "code", "message", "fields"?}}``."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    if field is not None:
        assert field in error["fields"], error
        assert all(isinstance(message, str) and message for message in error["fields"][field])
    return error


def set_modified(matter, when: datetime.datetime) -> None:
    """Put the matter's ``modified`` time at ``when`` (the services always write "now")."""
    Matter.objects.filter(pk=matter.pk).update(updated_at=when)


# --- bulk rows for paging and query-count tests ---------------------------------------
# make_matter and make_plan go through the services and take a while each; these write
# valid rows of the same shape in a few statements.


def bulk_matters(n: int, *, by=None, year: int = 2026, published: bool = True) -> list[Matter]:
    by = by or StaffFactory()
    department = by.department
    now = timezone.now()
    first_stage = procedure_for("decision").stages[0].code
    matters = Matter.objects.bulk_create(
        Matter(
            reference=f"{year}-{department.code.upper()}-B{i:04d}",
            title=f"批量协商事项{i}",
            kind="decision",
            department=department,
            year=year,
            summary="就社区公共服务设施布局开展协商。",
            planned_start=datetime.date(year, 3, 1),
            planned_end=datetime.date(year, 12, 31),
            stage=first_stage,
            stage_entered_at=now,
            is_published=published,
            published_at=now if published else None,
            created_by=by,
        )
        for i in range(n)
    )
    areas = list(PolicyArea.objects.order_by("pk")[:2])
    Matter.policy_areas.through.objects.bulk_create(
        Matter.policy_areas.through(matter_id=matter.pk, policyarea_id=area.pk)
        for matter in matters
        for area in areas
    )
    return matters


def bulk_published_plans(n: int, *, items: int = 2, year: int = 2026) -> list[AnnualPlan]:
    """``n`` published catalogs of ``n`` new departments, ``items`` items each."""
    by = StaffFactory()
    departments = Department.objects.bulk_create(
        Department(
            code=f"bulk{i}",
            name=f"青岛市批量测试局{i}",
            short_name=f"批量局{i}",
            kind=Department.Kind.MUNICIPAL_DEPARTMENT,
            sort_order=i,
        )
        for i in range(n)
    )
    now = timezone.now()
    plans = AnnualPlan.objects.bulk_create(
        AnnualPlan(
            department=department,
            year=year,
            status=AnnualPlan.Status.PUBLISHED,
            first_submitted_at=now,
            submitted_at=now,
            reviewed_at=now,
            published_at=now,
            version=1,
            created_by=by,
        )
        for department in departments
    )
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=plan,
            order=k + 1,
            title=f"目录事项{plan.pk}-{k + 1}",
            kind="decision",
            forms=["public_participation"],
            planned_start=datetime.date(year, 4, 1),
            planned_end=datetime.date(year, 9, 30),
            responsible_office="法制科",
        )
        for plan in plans
        for k in range(items)
    )
    return plans


def bulk_public_activities(n: int, *, matter: Matter) -> list[Activity]:
    """``n`` public activities with their notice published, on a published matter."""
    start = timezone.now() + datetime.timedelta(days=30)
    return Activity.objects.bulk_create(
        Activity(
            matter=matter,
            kind=Activity.Kind.SYMPOSIUM,
            title=f"座谈会{i}",
            starts_at=start + datetime.timedelta(hours=i),
            ends_at=start + datetime.timedelta(hours=i + 1),
            place="市政府会议室",
            status=Activity.Status.NOTICE_PUBLISHED,
            notice_published_at=timezone.now(),
            created_by=matter.created_by,
        )
        for i in range(n)
    )
