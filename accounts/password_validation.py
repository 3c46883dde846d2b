"""Password rules in the portal's own words.

Django's Chinese catalogue lacks the minimum-length messages of Django 5.2 (they changed
their wording), so a user typing a short password was told so in English.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
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
