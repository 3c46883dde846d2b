"""Password rules in the portal's own words.

Django's Chinese catalogue lacks the minimum-length messages of Django 5.2 (they changed
their wording), so a user typing a short password was told so in English.
"""

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """The length the security administrator set (``accounts.policy``), or the setting's."""

    def __init__(self, min_length: int = 8):
        self.configured = min_length

    @property
    def min_length(self) -> int:
        from . import policy

        return policy.value("password_min_length", self.configured)

    def get_error_message(self):
        return ngettext(
            "密码太短：至少需要 %(min_length)d 个字符。",
            "密码太短：至少需要 %(min_length)d 个字符。",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "密码至少 %(min_length)d 个字符，不能全是数字，也不能是常见密码或与用户名相近。",
            "密码至少 %(min_length)d 个字符，不能全是数字，也不能是常见密码或与用户名相近。",
            self.min_length,
        ) % {"min_length": self.min_length}


class CharacterClassesValidator:
    """At least ``min_classes`` of the four kinds of character: lower-case and upper-case
    letters, digits, and others (等保: 口令具有复杂度要求)."""

    def __init__(self, min_classes: int = 3):
        self.configured = min_classes

    @property
    def min_classes(self) -> int:
        from . import policy

        return policy.value("password_min_classes", self.configured)

    @staticmethod
    def classes(password: str) -> int:
        kinds = (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
        return sum(kinds)

    def validate(self, password, user=None):
        if self.classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return ngettext(
            "密码须包含小写字母、大写字母、数字和符号中的至少 %(count)d 种。",
            "密码须包含小写字母、大写字母、数字和符号中的至少 %(count)d 种。",
            self.min_classes,
        ) % {"count": self.min_classes}


def _history() -> int:
    from . import policy

    return policy.value("password_history")


class PasswordHistoryValidator:
    """None of the account's last ``PORTAL_PASSWORD_HISTORY`` passwords, the current one
    among them (kept hashed in ``PasswordHistory``)."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from .models import PasswordHistory

        count = _history()
        hashes = [user.password] if user.password else []
        hashes += list(
            PasswordHistory.objects.filter(user_id=user.pk)
            .order_by("-created_at", "-pk")
            .values_list("password", flat=True)[:count]
        )
        if any(check_password(password, stored) for stored in hashes):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self):
        count = _history()
        return ngettext(
            "不能使用最近 %(count)d 次用过的密码（含当前密码）。",
            "不能使用最近 %(count)d 次用过的密码（含当前密码）。",
            count,
        ) % {"count": count}
