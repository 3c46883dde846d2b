"""Ledger (台账) events about accounts and departments.

The ledger table belongs to ``matters``, which ``accounts`` may not import (it is the
lowest app). ``matters`` registers its writer here when it starts; each event below is
called by a service inside its transaction, so the row commits or rolls back with the
change, exactly as the other apps' events do.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

ACCESS_REVOKED = "access_revoked"
DEPARTMENT_DEACTIVATED = "department_deactivated"
DEPARTMENT_REACTIVATED = "department_reactivated"

ACTION_CHOICES = [
    (ACCESS_REVOKED, gettext_lazy("撤销账号访问")),
    (DEPARTMENT_DEACTIVATED, gettext_lazy("停用部门")),
    (DEPARTMENT_REACTIVATED, gettext_lazy("启用部门")),
]

_writer: Callable[..., Any] | None = None


def set_ledger_writer(writer: Callable[..., Any]) -> None:
    """Called once by ``matters`` at start-up with ``matters.events.record``."""
    global _writer
    _writer = writer


def _record(**fields) -> None:
    if _writer is None:  # only in a project without the ledger; never in this one
        raise RuntimeError("accounts events need the ledger: matters is not installed")
    _writer(**fields)


def access_revoked(user, *, by, reason: str, tokens: int) -> None:
    if user.department_id is None:
        # The ledger is kept per department; an account without one had no department's
        # data to lose. Its token is still revoked, and the token log says so.
        logger.info("access revoked for %s (no department): %s", user.username, reason)
        return
    _record(
        action=ACCESS_REVOKED,
        summary=_(
            "撤销%(name)s（%(username)s）的访问：%(reason)s；登录会话已失效，"
            "接口令牌%(tokens)d个已作废"
        )
        % {
            "name": user.display_name,
            "username": user.username,
            "reason": reason,
            "tokens": tokens,
        },
        department_id=user.department_id,
        object_type="user",
        object_id=user.pk,
        actor=by,
        after={"roles": sorted(user.role_names), "tokens_revoked": tokens},
    )


def department_active_changed(department, *, by, members: int) -> None:
    _record(
        action=DEPARTMENT_REACTIVATED if department.is_active else DEPARTMENT_DEACTIVATED,
        summary=(
            _("启用部门“%(name)s”")
            if department.is_active
            else _("停用部门“%(name)s”，%(members)d个账号的访问随之撤销")
        )
        % {"name": department.name, "members": members},
        department_id=department.pk,
        object_type="department",
        object_id=department.pk,
        actor=by,
        before={"is_active": not department.is_active},
        after={"is_active": department.is_active},
    )
