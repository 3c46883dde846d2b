from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from .selectors import reminders_for_user


@login_required
def my_reminders(request):
    """The reminders the portal sent (or will send) to the signed-in staff member."""
    if not request.user.has_perm("accounts.access_workbench"):
        raise PermissionDenied
    page = Paginator(reminders_for_user(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "reminders/my_reminders.html", {"page": page, "query": ""})
