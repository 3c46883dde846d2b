"""Writing, checking and pruning the security audit trail.

``record`` is the one way a row is written: under the chain's lock, numbered and hashed
after the row before it. It may be called inside a business transaction (the row then
commits or rolls back with the change it describes) or on its own (a refused request, a
failed sign-in: nothing to roll back).
"""

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.network import client_ip

from . import chain
from .models import ChainHead, Kind, Outcome, SecurityEvent


def in_trail_language(function):
    """The trail is written in the portal's language (zh-hans), whatever the language of
    the page the person was reading."""

    @functools.wraps(function)
    def wrapped(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapped


def record_in_trail_language(kind: str, summary, *, params: dict | None = None, **fields):
    """``record`` with a summary given as a lazy text (and its ``params``), put in the
    trail's language whatever the page's: for services that write a row themselves."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(summary) % params if params else str(summary)
        return record(kind, summary=text, **fields)


# What the law asks at the least (网络安全法 第二十一条: no less than six months).
MINIMUM_RETENTION_DAYS = 180
PURGE_SETTING = "portal.audit_purge"


def _head() -> ChainHead:
    try:
        return ChainHead.objects.select_for_update().get(pk=1)
    except ChainHead.DoesNotExist:
        try:
            with transaction.atomic():
                ChainHead.objects.create(pk=1)
        except IntegrityError:
            pass  # another writer made it first
        return ChainHead.objects.select_for_update().get(pk=1)


def _who(user) -> tuple[int | None, str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return None, ""
    return user.pk, user.get_username()


def record(
    kind: str,
    *,
    summary: str,
    outcome: str = Outcome.SUCCESS,
    request=None,
    user=None,
    username: str = "",
    target=None,
    target_type: str = "",
    target_id: str = "",
    detail: dict | None = None,
    at: datetime.datetime | None = None,
) -> SecurityEvent:
    """Write one row. ``user`` defaults to the request's; ``username`` names an account
    that did not sign in (a failed attempt); ``target`` is the object acted on."""
    actor_id, name = _who(user if user is not None else getattr(request, "user", None))
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    with transaction.atomic():
        head = _head()
        event = SecurityEvent(
            seq=head.seq + 1,
            at=at or timezone.now(),
            kind=kind,
            outcome=outcome,
            actor_id=actor_id,
            username=(name or username)[:150],
            address=(client_ip(request) or "")[:45] if request is not None else "",
            method=(getattr(request, "method", "") or "")[:10],
            path=(getattr(request, "path", "") or "")[:500],
            target_type=target_type[:64],
            target_id=str(target_id)[:64],
            summary=summary[:500],
            detail=detail or {},
            prev_hash=head.hash or chain.GENESIS,
        )
        event.hash = chain.digest(event)
        event.save()
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


# -- verifying ------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"#{self.seq}: {self.problem}"


def _anchor(first: SecurityEvent) -> str | None:
    """The hash the first kept row must follow: the genesis, or the last purged row's as
    the purge recorded it."""
    if first.seq == 1:
        return chain.GENESIS
    purge = (
        SecurityEvent.objects.filter(kind=Kind.AUDIT_PURGED, detail__last_seq=first.seq - 1)
        .order_by("seq")
        .first()
    )
    return purge.detail.get("last_hash") if purge else None


def verify() -> list[Break]:
    """Walk the whole trail in order and list every place the chain breaks."""
    breaks: list[Break] = []
    previous = None
    for event in SecurityEvent.objects.order_by("seq").iterator(chunk_size=2000):
        algorithm = chain.algorithm_of(event.hash)
        if algorithm not in chain.ALGORITHMS or chain.digest(event, algorithm) != event.hash:
            breaks.append(Break(event.seq, _("记录内容与其摘要不符（被修改或伪造）")))
        if previous is None:
            anchor = _anchor(event)
            if anchor is None:
                breaks.append(Break(event.seq, _("此前的记录缺失，且没有清理记录说明")))
            elif event.prev_hash != anchor:
                breaks.append(Break(event.seq, _("与清理前的最后一条记录不衔接")))
        else:
            if event.seq != previous.seq + 1:
                breaks.append(
                    Break(
                        event.seq,
                        _("第%(first)d至%(last)d条记录缺失（被删除）")
                        % {"first": previous.seq + 1, "last": event.seq - 1},
                    )
                )
            if event.prev_hash != previous.hash:
                breaks.append(Break(event.seq, _("与前一条记录不衔接（插入、删除或修改）")))
        previous = event
    head = ChainHead.objects.filter(pk=1).first()
    last = (previous.seq, previous.hash) if previous else (0, "")
    if head is not None and (head.seq, head.hash) != last:
        breaks.append(
            Break(
                head.seq,
                _("链尾应为第%(head)d条记录，实际为第%(last)d条（末尾记录被删除或插入）")
                % {"head": head.seq, "last": last[0]},
            )
        )
    return breaks


# -- retention ------------------------------------------------------------------------


def retention_days() -> int:
    return max(int(settings.PORTAL_AUDIT_RETENTION_DAYS), MINIMUM_RETENTION_DAYS)


@transaction.atomic
def purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the rows older than the retention period (never under six months), and
    record what was deleted and the last deleted row's hash, to which the chain's first
    kept row is anchored. Safe to run twice."""
    now = now or timezone.now()
    days = retention_days()
    cutoff = now - datetime.timedelta(days=days)
    _head()  # one writer at a time
    old = SecurityEvent.objects.filter(at__lt=cutoff)
    last = old.order_by("-seq").values("seq", "hash").first()
    if last is None:
        return 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
    count, _per_model = old.delete()
    record(
        Kind.AUDIT_PURGED,
        summary=_("清理保存期（%(days)d天）已满的安全审计记录%(count)d条")
        % {"days": days, "count": count},
        detail={
            "count": count,
            "before": cutoff.isoformat(),
            "last_seq": last["seq"],
            "last_hash": last["hash"],
        },
        at=now,
    )
    return count
