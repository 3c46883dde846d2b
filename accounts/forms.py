from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class PortalAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。请注意区分大小写。"),
        "inactive": _("该账户已停用，请联系系统管理员。"),
        "no_password": _("该账号已关闭本地密码登录，请使用统一身份认证登录。"),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        refuse_password_sign_in(self, user)


def refuse_password_sign_in(form, user) -> None:
    """An account whose local password is switched off signs in through the platform."""
    if not user.password_sign_in:
        raise forms.ValidationError(
            PortalAuthenticationForm.error_messages["no_password"], code="no_password"
        )


class PortalPasswordChangeForm(PasswordChangeForm):
    """The holder sets a new password: any obligation to change it is met."""

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit=commit)


class TwoFactorCodeForm(forms.Form):
    """A code from the authenticator app (6 digits) or a recovery code (10 characters)."""

    code = forms.CharField(
        label=_("验证码"),
        max_length=24,
        help_text=_(
            "打开手机上的身份验证器，输入本平台当前显示的6位数字；手机不在身边时，可输入一个恢复码。"
        ),
        error_messages={"required": _("请输入验证码。")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
                "class": "code-input",
            }
        ),
    )


class SecurityPolicyForm(forms.Form):
    """The security administrator's values of the sign-in policy; a field left empty
    follows the deployment's setting."""

    def __init__(self, *args, **kwargs):
        from . import policy

        super().__init__(*args, **kwargs)
        for name, rule in policy.RULES.items():
            self.fields[name] = forms.IntegerField(
                label=rule.label,
                required=False,
                min_value=rule.low,
                max_value=rule.high,
                help_text=_("%(low)d至%(high)d%(unit)s；留空则按部署配置（现为%(default)d）。")
                % {
                    "low": rule.low,
                    "high": rule.high,
                    "unit": rule.unit,
                    "default": rule.default(name),
                },
                error_messages={
                    "min_value": _("不能小于%(limit_value)s。"),
                    "max_value": _("不能大于%(limit_value)s。"),
                    "invalid": _("请输入整数。"),
                },
            )
