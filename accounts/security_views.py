"""The security administrator's page (安全管理, ``accounts.manage_security``): the sign-in
policy in force, and every account's sign-in state with its actions (``accounts.security``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.permissions import require_perm

from . import policy, security
from .forms import SecurityPolicyForm
from .models import User
from .roles import Role

PAGE_SIZE = 50


@never_cache
@login_required
@require_safe
def overview(request):
    require_perm(request, "accounts.manage_security")
    query = request.GET.get("q", "").strip()[:100]
    locked_only = request.GET.get("locked") == "1"
    page = Paginator(security.accounts(query=query, locked_only=locked_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for account in page.object_list:  # from the prefetched groups: no query per row
        names = {group.name for group in account.groups.all()}
        account.role_labels = [role.label for role in Role if role.value in names]
    return render(
        request,
        "accounts/security.html",
        {
            "policy": security.policy(),
            "page": page,
            "q": query,
            "locked_only": locked_only,
            # The pagination's links keep the search.
            "query": urlencode(
                {
                    key: value
                    for key, value in (("q", query), ("locked", "1" if locked_only else ""))
                    if value
                }
            ),
            "self_pk": request.user.pk,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def policy_edit(request):
    """The security administrator sets the password and session rules."""
    require_perm(request, "accounts.manage_security")
    form = SecurityPolicyForm(request.POST or None, initial=policy.overrides())
    if request.method == "POST" and form.is_valid():
        changed = policy.change(values=form.cleaned_data, by=request.user, request=request)
        if changed:
            messages.success(request, _("登录安全策略已修改，即时生效。"))
        else:
            messages.info(request, _("登录安全策略没有变化。"))
        return redirect("accounts:security")
    return render(
        request,
        "accounts/security_policy.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def account_action(request, pk: int):
    require_perm(request, "accounts.manage_security")
    user = get_object_or_404(User, pk=pk)
    try:
        done = security.act(request=request, user=user, action=request.POST.get("action", ""))
    except security.SecurityActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    # Back to the list as it was (its search and page), from the form's hidden fields.
    kept = {key: request.POST[key] for key in ("q", "locked", "page") if request.POST.get(key)}
    url = reverse("accounts:security")
    return redirect(f"{url}?{urlencode(kept)}" if kept else url)
