"""Inviting participants from the registry on a staff page, the same for an activity's
invitations, a survey's panel and a call's invitees: the form's POST and what staff are
told afterwards."""

from collections.abc import Callable, Sequence

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.exceptions import TransitionError


def _names(participants) -> str:
    return "、".join(p.name for p in participants)


def report_invited(request, *, created: int, already: Sequence, without_email: Sequence) -> None:
    """One message per outcome: invited, already invited (not twice), no e-mail address."""
    if created:
        messages.success(
            request,
            _("已邀请%(count)d位参与主体；邀请邮件在后台发送，发送情况见下表。")
            % {"count": created},
        )
    if already:
        messages.info(
            request,
            _("以下参与主体已经邀请过，未重复邀请：%(names)s") % {"names": _names(already)},
        )
    if without_email:
        messages.warning(
            request,
            _("以下受邀人没有电子邮箱，请电话联系：%(names)s") % {"names": _names(without_email)},
        )
    if not created and not already:
        messages.info(request, _("所选类别中没有启用的参与主体。"))


def invite_from_form(request, form, invite: Callable[[dict], object], *, then: str, **kwargs):
    """Answer the POST of a registry invitation ``form``: ``invite(cleaned_data)`` makes
    the batch (a ``LinkBatch``); staff are told what it did and sent to ``then``. None
    when there is nothing to redirect to (not a POST, or errors now on the form)."""
    if request.method != "POST" or form is None or not form.is_valid():
        return None
    try:
        batch = invite(form.cleaned_data)
    except TransitionError as error:
        form.add_error(None, str(error))
        return None
    report_invited(
        request,
        created=len(batch.created),
        already=batch.already,
        without_email=batch.without_email,
    )
    return redirect(then, **kwargs)
