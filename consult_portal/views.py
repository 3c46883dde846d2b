"""Pages composed from several apps: the public home and the staff workbench."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts import selectors as account_selectors
from accounts.rules import is_department_member, is_system_administrator
from matters import selectors as matter_selectors

from .workbench import Panel


@require_GET
def home(request):
    return render(request, "home.html")


@login_required
def workbench(request):
    user = request.user
    if not user.has_perm("accounts.access_workbench"):
        raise PermissionDenied
    panels = []
    if is_department_member(user):
        panels.append(
            Panel.for_matters(
                matter_selectors.matters_awaiting_action(user=user, today=timezone.localdate())[
                    :20
                ],
                today=timezone.localdate(),
            )
        )
    if is_system_administrator(user):
        panels.append(
            Panel.for_users_without_department(account_selectors.users_without_department())
        )
    return render(
        request,
        "workbench.html",
        {"panels": panels, "has_items": any(panel.items for panel in panels)},
    )
