"""Public registration for hearings (听证会报名) and the choice of representatives.

Representatives are chosen once: by hand, or by a random draw anyone can repeat::

    candidates = sorted(registration ids)
    selected = random.Random(seed).sample(candidates, k=min(places, len(candidates)))
"""

import datetime
import random
import re
import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.content_cache import content_changed
from core.crypto import lookup_hash as phone_lookup_hash
from core.exceptions import TransitionError
from reminders.models import Reminder
from reminders.services import outbox_record, outbox_row

from .. import events, tokens
from ..models import Activity, Draw, Registration


class DuplicateRegistration(TransitionError):
    """The phone number has already registered for this hearing."""


def normalise_phone(phone: str) -> str:
    """Digits (and a leading +) only, so "138 0000-0000" and "13800000000" are one person."""
    phone = phone.strip()
    prefix = "+" if phone.startswith("+") else ""
    return prefix + re.sub(r"\D", "", phone)


def registration_window(activity: Activity, *, now: datetime.datetime) -> str | None:
    """Where a public hearing's registration stands, from the activity's own fields (no
    query, so lists can show it row by row): ``"open"``, ``"closed"``, ``"undecided"`` (no
    deadline yet), ``"not_yet"`` (notice not published) or None (no public registration).
    Representatives are chosen only after the deadline, so "open" never hides a choice."""
    if not activity.accepts_registrations or not activity.is_public:
        return None
    if not activity.matter.is_published or activity.status == Activity.Status.PLANNED:
        return "not_yet"
    if activity.status != Activity.Status.NOTICE_PUBLISHED:
        return "closed"
    if activity.registration_closes_at is None:
        return "undecided"
    if now >= activity.registration_closes_at:
        return "closed"
    return "open"


def registration_refusal(activity: Activity, *, now: datetime.datetime) -> str | None:
    """Why the public may not register now, or None when the form is open."""
    if not activity.accepts_registrations or not activity.is_public:
        return _("该活动不接受公众报名。")
    if not activity.matter.is_published or activity.status != Activity.Status.NOTICE_PUBLISHED:
        return _("该活动尚未发布公告，暂不接受报名。")
    if activity.registration_closes_at is None:
        return _("该活动尚未确定报名截止时间，暂不接受报名。")
    if now >= activity.registration_closes_at:
        return _("报名已截止。")
    if (
        hasattr(activity, "draw")
        or activity.registrations.filter(status=Registration.Status.SELECTED).exists()
    ):
        return _("听证代表已选定，报名已结束。")
    return None


def _lock_activity(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().select_related("matter").get(pk=activity.pk)


@transaction.atomic
def registration_create(
    *,
    activity: Activity,
    name: str,
    phone: str,
    position: str,
    email: str = "",
    statement: str = "",
    now: datetime.datetime | None = None,
) -> Registration:
    now = now or timezone.now()
    activity = _lock_activity(activity)
    refusal = registration_refusal(activity, now=now)
    if refusal:
        raise TransitionError(refusal)
    if position not in Registration.Position.values:
        raise TransitionError(_("请选择您的观点。"))
    phone = normalise_phone(phone)
    duplicate = DuplicateRegistration(_("该电话号码已经报名参加本次听证会，无需重复报名。"))
    if activity.registrations.filter(phone_digest=phone_lookup_hash(phone)).exists():
        raise duplicate
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                activity=activity,
                name=name.strip(),
                phone=phone,
                email=email.strip(),
                position=position,
                statement=statement.strip(),
            )
    except IntegrityError:
        raise duplicate from None
    events.registration_received(registration)
    return registration


def _check_can_choose(activity: Activity, *, now: datetime.datetime) -> list[Registration]:
    if not activity.accepts_registrations:
        raise TransitionError(_("该活动不接受公众报名。"))
    if Draw.objects.filter(activity=activity).exists():
        raise TransitionError(_("本次活动已进行过随机抽选，不能再次抽选或改选。"))
    registrations = list(activity.registrations.select_for_update().order_by("pk"))
    if any(r.status != Registration.Status.REGISTERED for r in registrations):
        raise TransitionError(_("本次活动的听证代表已经选定，不能再次选定。"))
    if activity.registration_closes_at and now < activity.registration_closes_at:
        raise TransitionError(_("报名尚未截止，截止后才能选定听证代表。"))
    if not registrations:
        raise TransitionError(_("还没有人报名。"))
    if not activity.capacity:
        raise TransitionError(_("活动未设定名额，请先设定名额。"))
    return registrations


def _apply_outcome(
    activity: Activity, registrations: list[Registration], selected: set[int], now
) -> None:
    for registration in registrations:
        registration.status = (
            Registration.Status.SELECTED
            if registration.pk in selected
            else Registration.Status.NOT_SELECTED
        )
    Registration.objects.bulk_update(registrations, ["status"])
    content_changed()  # bulk_update sends no signal
    # Each registrant's result goes out through the outbox; ``notified_at`` is set once
    # their e-mail has actually gone (``mark_registrations_notified``).
    outbox_record([_outcome_email(r, activity, now=now) for r in registrations if r.email])


@transaction.atomic
def representatives_draw(
    *,
    activity: Activity,
    by,
    seed: str = "",
    now: datetime.datetime | None = None,
) -> Draw:
    """Draw ``activity.capacity`` representatives at random; the seed is kept for anyone."""
    now = now or timezone.now()
    activity = _lock_activity(activity)
    registrations = _check_can_choose(activity, now=now)
    seed = seed.strip() or secrets.token_hex(16)
    candidates = sorted(r.pk for r in registrations)
    places = activity.capacity
    # Reproducibility, not secrecy, is the point: the seed is published with the result.
    rng = random.Random(seed)  # noqa: S311
    selected = rng.sample(candidates, k=min(places, len(candidates)))
    draw = Draw.objects.create(
        activity=activity,
        seed=seed,
        places=places,
        candidates=candidates,
        selected=selected,
        drawn_by=by,
    )
    _apply_outcome(activity, registrations, set(selected), now)
    events.representatives_drawn(draw, by=by)
    return draw


@transaction.atomic
def representatives_choose(
    *,
    activity: Activity,
    by,
    registrations: Iterable[Registration],
    now: datetime.datetime | None = None,
) -> list[Registration]:
    """Choose the representatives by hand; everyone else is told they were not chosen."""
    now = now or timezone.now()
    activity = _lock_activity(activity)
    all_registrations = _check_can_choose(activity, now=now)
    chosen = {r.pk for r in registrations}
    if not chosen:
        raise TransitionError(_("请至少选定一名听证代表。"))
    if chosen - {r.pk for r in all_registrations}:
        raise TransitionError(_("所选报名不属于本次活动。"))
    if len(chosen) > activity.capacity:
        raise TransitionError(
            _("选定%(count)d人，超过名额%(places)d人。")
            % {"count": len(chosen), "places": activity.capacity}
        )
    _apply_outcome(activity, all_registrations, chosen, now)
    events.representatives_chosen(activity, by=by, registrations=all_registrations)
    return [r for r in all_registrations if r.pk in chosen]


def _outcome_email(registration: Registration, activity: Activity, *, now) -> Reminder:
    """The e-mail telling a registrant whether they were chosen, for the outbox."""
    chosen = registration.status == Registration.Status.SELECTED
    subject = (
        _("您已被选定为“%(title)s”的听证代表")
        if chosen
        else _("“%(title)s”听证代表遴选结果：未被选定")
    ) % {"title": activity.title}
    return outbox_row(
        kind=Reminder.Kind.REGISTRATION_OUTCOME,
        obj=registration,
        recipient=registration.email,
        occasion="outcome",
        subject=subject,
        template="participation/emails/registration_outcome",
        context={
            "registration": registration,
            "activity": activity,
            "chosen": chosen,
            "starts_at": timezone.localtime(activity.starts_at),
            "link": tokens.absolute_url(
                reverse("participation:registration_create", args=[activity.pk])
            ),
        },
        now=now,
    )


def mark_registrations_notified(ids: list[int], sent_at) -> None:
    """Called by the outbox once a registrant's result has gone out."""
    Registration.objects.filter(pk__in=ids).update(notified_at=sent_at)
