"""The formal PDF documents of annual plan catalogs, rendered with WeasyPrint.

``filing_form_pdf`` is one department's filing form (备案表); ``consolidated_catalog_pdf``
is the year's consolidated catalog with the two municipal catalogs (重大行政决策,
征求党外人士意见). Both read through the selectors, so a document costs a fixed number of
queries whatever the number of items, and both render Django templates, so user-entered
text is escaped like on any page.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.city import city_name
from core.pdf import (
    chinese_date,
    chinese_datetime,
    chinese_month_span,
    chinese_numeral,
    deferred_full_collections,
    render_pdf,
)

from .models import AnnualPlan, PlanItem
from .selectors import consolidated_items, plans_public, plans_with_items


@dataclass(frozen=True)
class ItemRow:
    """One catalog item as a table row shows it."""

    number: int
    title: str
    kind: str
    forms: str
    period: str
    office: str
    is_major_decision: bool
    seeks_non_party_opinions: bool
    department: str = ""

    @classmethod
    def of(cls, item: PlanItem, number: int, department: str = "") -> "ItemRow":
        return cls(
            number=number,
            title=item.title,
            kind=item.get_kind_display(),
            forms="、".join(item.form_labels),
            period=chinese_month_span(item.planned_start, item.planned_end),
            office=item.responsible_office,
            is_major_decision=item.is_major_decision,
            seeks_non_party_opinions=item.seeks_non_party_opinions,
            department=department,
        )


@dataclass(frozen=True)
class DepartmentSection:
    """One department's part of the consolidated catalog: its items, or why it has none."""

    heading: str
    rows: list[ItemRow]
    empty_reason: str = ""


def _generated_on(now: datetime.datetime | None) -> str:
    return chinese_date(now or timezone.now())


def _filing_title(plan: AnnualPlan) -> str:
    return _("%(department)s%(year)d年度政府协商计划目录备案表") % {
        "department": plan.department.name,
        "year": plan.year,
    }


def _lateness(plan: AnnualPlan) -> str:
    if plan.first_submitted_at is None:
        return _("尚未报送")
    return _("是（逾期报送）") if plan.is_late else _("否")


def filing_form_context(plan: AnnualPlan, *, now: datetime.datetime | None = None) -> dict:
    items = list(plan.items.all())
    submitted = chinese_datetime(plan.submitted_at)
    first_submitted = chinese_datetime(plan.first_submitted_at)
    return {
        "title": _filing_title(plan),
        "generated_on": _generated_on(now),
        "plan": plan,
        "rows": [ItemRow.of(item, number) for number, item in enumerate(items, start=1)],
        "submitted_at": submitted,
        "first_submitted_at": first_submitted if first_submitted != submitted else "",
        "lateness": _lateness(plan),
        "reviewed_by": plan.reviewed_by.display_name if plan.reviewed_by else "",
        "reviewed_at": chinese_datetime(plan.reviewed_at),
        "signed_off_by": plan.signed_off_by.display_name if plan.signed_off_by else "",
        "signed_off_at": chinese_datetime(plan.signed_off_at),
        "version": (_("第%(number)d版") % {"number": plan.version}) if plan.version else "",
    }


def filing_form_pdf(plan: AnnualPlan, *, now: datetime.datetime | None = None) -> bytes:
    """The filing form (备案表) of one department's catalog, as a PDF.

    The plan is read again through ``plans_with_items`` so the form shows the stored state
    in two queries, whatever the caller had loaded.
    """
    with deferred_full_collections():
        plan = plans_with_items().get(pk=plan.pk)
        return render_pdf("annual_plans/pdf/filing_form.html", filing_form_context(plan, now=now))


def consolidated_context(*, year: int, now: datetime.datetime | None = None) -> dict:
    sections = []
    item_count = 0
    for number, plan in enumerate(plans_public(year=year), start=1):
        items = list(plan.items.all())
        item_count += len(items)
        sections.append(
            DepartmentSection(
                heading=_("（%(number)s）%(department)s")
                % {"number": chinese_numeral(number), "department": plan.department.name},
                rows=[ItemRow.of(item, n) for n, item in enumerate(items, start=1)],
                empty_reason=plan.empty_reason,
            )
        )

    def municipal(**flag: bool) -> list[ItemRow]:
        return [
            ItemRow.of(item, n, department=item.plan.department.name)
            for n, item in enumerate(consolidated_items(year=year, **flag), start=1)
        ]

    major = municipal(major_decisions=True)
    non_party = municipal(non_party=True)
    return {
        "title": _("%(city)s%(year)d年度政府协商计划目录") % {"city": city_name(), "year": year},
        "generated_on": _generated_on(now),
        "year": year,
        "sections": sections,
        "item_count": item_count,
        "major_count": len(major),
        "non_party_count": len(non_party),
        "municipal_catalogs": [
            {"heading": _("二、重大行政决策事项目录"), "rows": major},
            {"heading": _("三、征求党外人士意见事项目录"), "rows": non_party},
        ],
    }


def consolidated_catalog_pdf(*, year: int, now: datetime.datetime | None = None) -> bytes:
    """The year's consolidated catalog of published plans, with the two municipal catalogs.

    Four queries: the published plans with their departments and people, their items, and
    the two flagged item lists.
    """
    with deferred_full_collections():
        context = consolidated_context(year=year, now=now)
        return render_pdf("annual_plans/pdf/consolidated.html", context)
