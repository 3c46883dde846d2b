"""What every public form without an account shares: the optional contact kept from the
public, a honeypot, and the flow of a submission (the per-address limit, the honeypot's
silent answer, the receipt shown once on the next page)."""

from collections.abc import Callable

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from core.exceptions import TransitionError

from .ratelimit import Verdict


class PublicForm(forms.Form):
    """``website`` is a honeypot: people leave it empty (it is hidden from them)."""

    contact = forms.CharField(
        label=_("联系方式（选填，不公开）"),
        max_length=100,
        required=False,
        help_text=_("电话或电子邮箱，仅供工作人员与您联系，不会公开显示。"),
    )
    website = forms.CharField(
        label=_("请勿填写此项（用于识别自动程序）"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    @property
    def submitted(self) -> dict:
        """What the person typed, without the honeypot."""
        return {key: value for key, value in self.cleaned_data.items() if key != "website"}


def public_submit(
    request,
    form: PublicForm,
    *,
    verdict: Verdict,
    flooded: str,
    page: Callable[..., HttpResponse],
    submit: Callable[[PublicForm], str],
    spam_receipt: Callable[[], str],
    session_key: str,
    thanks: str,
    **thanks_kwargs,
) -> HttpResponse:
    """The answer to a public form's POST.

    Past the per-address limit, the page says so (``flooded`` with ``%(minutes)d``) with a
    429 and keeps what was typed; an invalid form shows its errors; the honeypot gets the
    same thanks page as a person, with a receipt that exists nowhere; otherwise ``submit``
    stores it and returns its receipt, shown once on the thanks page (never in the
    address). ``page(form=…, status=…)`` renders the form's page."""
    if not verdict.allowed:
        form.is_valid()
        form.add_error(None, flooded % {"minutes": verdict.retry_minutes})
        response = page(form=form, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    if not form.is_valid():
        return page(form=form)
    if form.is_spam:
        request.session[session_key] = spam_receipt()
        return redirect(thanks, **thanks_kwargs)
    try:
        receipt = submit(form)
    except TransitionError as error:
        form.add_error(None, str(error))
        return page(form=form)
    request.session[session_key] = receipt
    return redirect(thanks, **thanks_kwargs)
