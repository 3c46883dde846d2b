"""The account holder's two-factor pages: its state, setting up an authenticator, the
code asked after the password, new recovery codes and switching it off
(``accounts.two_factor`` holds the rules).

Recovery codes are shown once, in the response to the request that made them, never put
in a message, the session or a redirect; the pages are never cached.
"""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import two_factor
from .forms import TwoFactorCodeForm


def _next_url(request, default: str = "workbench") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    from django.urls import reverse

    return reverse(default)


def _codes_page(request, codes: list[str], *, title: str):
    return render(
        request,
        "accounts/two_factor_codes.html",
        {"codes": codes, "title": title, "next_url": _next_url(request, "accounts:two_factor")},
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def overview(request):
    user = request.user
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": two_factor.authenticator_of(user),
            "required": two_factor.is_required(user),
            "codes_left": two_factor.recovery_codes_left(user),
            "verified": user.is_verified(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request):
    """Bind an authenticator app: scan the QR code (or type the key), then give a code
    from it. Someone already using one replaces it here, after the code of the old one."""
    user = request.user
    if two_factor.has_device(user) and not user.is_verified():
        return redirect("accounts:two_factor_verify")
    device = two_factor.enrolment_device(user)
    form = TwoFactorCodeForm(request.POST or None)
    form.fields["code"].help_text = _("输入身份验证器中本平台当前显示的6位数字。")
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.enrol(request=request, device=device, code=form.cleaned_data["code"])
        except two_factor.TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            messages.success(
                request, _("双因素认证已启用。以后登录时，请输入身份验证器显示的验证码。")
            )
            return _codes_page(request, codes, title=_("请保存您的恢复码"))
    # The QR code as inline SVG (no image request, nothing for the CSP to allow); the key
    # is in it, so the page is never cached (never_cache) and is not sent elsewhere.
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", omitsize=False
    )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(qr_svg),  # noqa: S308 (segno's SVG of our own address)
            "secret": two_factor.secret_text(device),
            "replacing": two_factor.has_device(user),
            "required": two_factor.is_required(user),
            "next_url": request.GET.get("next", ""),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """The second step of the sign-in: a code from the authenticator, or a recovery code."""
    if not two_factor.is_pending(request):
        return redirect(_next_url(request))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            method = two_factor.verify(request=request, code=form.cleaned_data["code"])
        except two_factor.TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            if method == "recovery":
                left = two_factor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _("您使用了一个恢复码，还剩%(count)d个。恢复码用完前请重新生成。")
                    % {"count": left},
                )
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next_url": request.GET.get("next") or request.POST.get("next", "")},
    )


@never_cache
@login_required
@require_POST
def recovery_codes(request):
    try:
        codes = two_factor.recovery_codes_renew(request=request)
    except two_factor.TwoFactorError as error:
        messages.error(request, str(error))
        return redirect("accounts:two_factor")
    messages.success(request, _("已生成新的恢复码，原恢复码已作废。"))
    return _codes_page(request, codes, title=_("新的恢复码"))


@never_cache
@login_required
@require_POST
def disable(request):
    if not request.user.is_verified():
        messages.error(request, _("请先完成双因素认证。"))
        return redirect("accounts:two_factor")
    try:
        two_factor.disable(request=request)
    except two_factor.TwoFactorError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("双因素认证已停用。"))
    return redirect("accounts:two_factor")
