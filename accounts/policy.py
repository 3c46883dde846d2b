"""The sign-in policy in force: the deployment's settings, and the values the security
administrator (安全管理员) set on their page over them (``SecurityPolicy``).

Read on every signed-in request (the session limits), so the values are kept in the cache
(one key, replaced on every change: all processes see a change at their next request) and
read from the database only when the cache has none.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext_lazy as _

CACHE_KEY = "accounts:security-policy:v1"
CACHE_SECONDS = 3600


def _validator_option(name: str, option: str, fallback: int) -> int:
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        if validator["NAME"].endswith(f".{name}"):
            return int(validator.get("OPTIONS", {}).get(option, fallback))
    return fallback


@dataclass(frozen=True)
class Rule:
    label: str
    unit: str
    low: int
    high: int
    setting: str

    def default(self, name: str) -> int:
        if name == "password_min_length":
            return _validator_option("MinimumLengthValidator", "min_length", 12)
        if name == "password_min_classes":
            return _validator_option("CharacterClassesValidator", "min_classes", 3)
        return int(getattr(settings, self.setting))


# What the security administrator may set, with the bounds a level-3 system keeps to
# (a password of 8 characters at the least, sessions that end within two hours idle).
RULES = {
    "password_min_length": Rule(
        _("密码最短长度"), _("个字符"), 8, 64, "PORTAL_PASSWORD_MIN_LENGTH"
    ),
    "password_min_classes": Rule(
        _("密码须含字符种类（大写、小写、数字、符号中）"),
        _("种"),
        2,
        4,
        "PORTAL_PASSWORD_MIN_CLASSES",
    ),
    "password_history": Rule(
        _("不得重复使用的近期密码"), _("个"), 1, 24, "PORTAL_PASSWORD_HISTORY"
    ),
    "password_max_age_days": Rule(
        _("密码最长使用期限（0为不限）"), _("天"), 0, 365, "PORTAL_PASSWORD_MAX_AGE_DAYS"
    ),
    "session_idle_minutes": Rule(
        _("无操作自动退出"), _("分钟"), 5, 120, "PORTAL_SESSION_IDLE_MINUTES"
    ),
    "session_max_hours": Rule(_("登录最长保持"), _("小时"), 1, 24, "PORTAL_SESSION_MAX_HOURS"),
}


def _from_database() -> dict[str, int]:
    from .models import SecurityPolicy

    row = SecurityPolicy.objects.filter(pk=1).values(*RULES).first() or {}
    return {name: value for name, value in row.items() if value is not None}


def overrides() -> dict[str, int]:
    """The values the security administrator set (the others follow the settings)."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = _from_database()
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def remember(values: dict[str, int]) -> None:
    """After a change (and at the start of each test: no row, no overrides)."""
    cache.set(CACHE_KEY, dict(values), CACHE_SECONDS)


def value(name: str, default: int | None = None) -> int:
    """The value in force: the security administrator's, or ``default``, or the setting's."""
    found = overrides()
    if name in found:
        return found[name]
    return RULES[name].default(name) if default is None else default


def values(*names: str) -> dict[str, int]:
    """Several values in force, from one read of the overrides."""
    found = overrides()
    return {name: found[name] if name in found else RULES[name].default(name) for name in names}


def change(*, values: dict[str, int | None], by, request=None) -> dict[str, tuple]:
    """Set the security administrator's values (None: follow the setting again); returns
    what changed, as (before, after) values in force, and records it in the trail."""
    from django.db import transaction

    from audit.models import Kind
    from audit.services import record_in_trail_language

    from .models import SecurityPolicy

    with transaction.atomic():
        row, _created = SecurityPolicy.objects.select_for_update().get_or_create(pk=1)
        before = {name: value(name) for name in RULES}
        for name in RULES:
            setattr(row, name, values.get(name))
        row.updated_by = by
        row.save()
        after_overrides = {name: v for name in RULES if (v := getattr(row, name)) is not None}
        remember(after_overrides)
        after = {name: value(name) for name in RULES}
        changed = {
            name: (before[name], after[name]) for name in RULES if before[name] != after[name]
        }
        if changed:
            with translation.override(settings.LANGUAGE_CODE):
                items = "；".join(
                    f"{RULES[name].label}{old}→{new}" for name, (old, new) in changed.items()
                )
            record_in_trail_language(
                Kind.SECURITY_POLICY_CHANGED,
                _("修改登录安全策略：%(items)s"),
                params={"items": items},
                request=request,
                user=by,
                detail={name: list(pair) for name, pair in changed.items()},
            )
    return changed
