"""What staff are told after inviting participants from the registry, the same for an
activity's invitations and a survey's panel."""

from collections.abc import Sequence

from django.contrib import messages
from django.utils.translation import gettext as _


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
