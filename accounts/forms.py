from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class PortalAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。请注意区分大小写。"),
        "inactive": _("该账户已停用，请联系系统管理员。"),
    }


class PortalPasswordChangeForm(PasswordChangeForm):
    """The holder sets a new password: any obligation to change it is met."""

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit=commit)
