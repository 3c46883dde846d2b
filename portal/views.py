"""Pages composed from several apps: the public home and the staff workbench."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views import defaults
from django.views.decorators.http import require_safe

from accounts import selectors as account_selectors
from accounts.rules import is_department_member, is_general_office, is_system_administrator
from annual_plans import selectors as plan_selectors
from annual_plans.deadlines import deadline_for
from annual_plans.rules import own_plans
from audit.selectors import sign_in_notice
from core.content_cache import public_page
from core.json_errors import is_api_request, json_not_found, json_server_error
from core.workdays import years_to_load
from matters import selectors as matter_selectors
from matters.catalog_year import catalog_year_in_preparation
from oversight.selectors import orders_for_department, orders_to_decide
from participation.rules import managed_activities, managed_opinions
from participation.selectors import comments as comment_selectors
from participation.selectors import invitations as invitation_selectors
from proposals import selectors as proposal_selectors
from solicitations.rules import letters_awaiting_answer
from supervision.dashboard import build_dashboard
from supervision.execution import execution_block

from .workbench import Panel


@require_safe
@public_page
def home(request):
    return render(request, "home.html")


@login_required
def workbench(request):
    user = request.user
    if not user.has_perm("accounts.access_workbench"):
        if user.has_perm("audit.view_trail"):
            return redirect("audit:list")  # the audit administrator's one page
        if user.has_perm("accounts.manage_security"):
            return redirect("accounts:security")  # the security administrator's
        raise PermissionDenied
    panels = []
    now = timezone.now()
    today = timezone.localdate(now)
    summary = None
    if is_department_member(user):
        summary = build_dashboard(year=today.year, now=now, department=user.department)
        catalog_year = catalog_year_in_preparation(today)
        plan = own_plans(user).filter(year=catalog_year).first()
        panels.append(
            Panel.for_own_plan(
                plan,
                year=catalog_year,
                deadline=timezone.localtime(deadline_for(catalog_year)),
            )
        )
        panels.append(
            Panel.for_comment_periods(
                comment_selectors.periods_needing_department(
                    department_id=user.department_id, now=now
                )[:20],
                now=now,
            )
        )
        panels.append(
            Panel.for_public_input(
                comment_selectors.opinions_waiting_by_period(opinions=managed_opinions(user))[:20],
                invitation_selectors.activities_with_registrations_to_decide(
                    activities=managed_activities(user)
                )[:20],
                now=now,
            )
        )
        # A leader's sign-off, any year: the rule decides, plan by plan.
        to_sign = [
            plan
            for plan in plan_selectors.plans_awaiting_sign_off(own_plans(user))[:5]
            if user.has_perm("annual_plans.sign_off_plan", plan)
        ]
        if to_sign:
            panels.insert(0, Panel.for_sign_off(to_sign))
        letters = list(letters_awaiting_answer(user)[:20])
        if letters:
            panels.insert(
                0,
                Panel.for_letters(
                    letters, can_sign=user.has_perm("solicitations.sign_answer", letters[0])
                ),
            )
        panels.append(
            Panel.for_matters(
                matter_selectors.matters_awaiting_action(user=user, today=today)[:20],
                today=today,
            )
        )
        panels.append(
            Panel.for_proposals(
                proposal_selectors.workbench_counts(user, today=today),
                list_url=reverse("proposals:staff_list"),
            )
        )
        panels.append(
            Panel.for_execution(
                execution_block(year=today.year, today=today, department_id=user.department_id)
            )
        )
        orders = list(orders_for_department(user.department_id)[:20])
        if orders:
            panels.insert(
                0,
                Panel.for_orders(
                    orders,
                    can_sign=user.has_perm("oversight.sign_answer", orders[0]),
                    today=today,
                ),
            )
    if is_general_office(user):
        panels.append(
            Panel.for_review(
                plan_selectors.plans_awaiting_review()[:50],
                plan_selectors.amendments_awaiting_review()[:50],
            )
        )
        panels.append(
            Panel.for_proposals(
                proposal_selectors.workbench_counts(user, today=today),
                list_url=reverse("proposals:office_list"),
                office=True,
            )
        )
        panels.append(Panel.for_orders_to_decide(orders_to_decide()[:20]))
    if is_system_administrator(user):
        panels.append(
            Panel.for_users_without_department(account_selectors.users_without_department())
        )
    # Counting working days (the sign-for window of suggestions and proposals) stops at a
    # year whose holiday schedule is not loaded: those who can see to it are told ahead.
    calendar_years = (
        years_to_load(today) if (is_general_office(user) or is_system_administrator(user)) else []
    )
    return render(
        request,
        "workbench.html",
        {
            "panels": panels,
            "has_items": any(panel.items for panel in panels),
            "summary": summary,
            "summary_line": summary.lines[0] if summary else None,
            "calendar_years": calendar_years,
            "sign_in_notice": sign_in_notice(user),
        },
    )


def page_not_found(request, exception):
    """The API's clients get its JSON error shape; people get the portal's page."""
    if is_api_request(request):
        return json_not_found(request)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api_request(request):
        return json_server_error(request)
    return defaults.server_error(request)


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, downloads)."""
    return redirect(static("img/favicon.png"), permanent=True)
