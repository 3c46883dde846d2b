"""The links from each dashboard figure to the list it counts (see ``dashboard``)."""

from django import template

from .. import dashboard

register = template.Library()


@register.simple_tag
def matters_url(year, department="", kind="", stage="", overdue=False, missing_step=False):
    return dashboard.matters_url(
        year,
        department=department,
        kind=kind,
        stage=stage,
        overdue=overdue,
        missing_step=missing_step,
    )


@register.simple_tag
def periods_url(year, department="", report_overdue=False, channel="", disposition="", month=""):
    return dashboard.periods_url(
        year,
        department=department,
        report_overdue=report_overdue,
        channel=channel,
        disposition=disposition,
        month=month,
    )


@register.simple_tag
def plan_admin_url(row, year):
    return dashboard.plan_admin_url(row, year=year)
