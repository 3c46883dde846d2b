from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("用户与部门")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from . import checks  # noqa: F401 (registers the deploy check)
        from .signin_policy import session_ended, session_started

        user_logged_in.connect(session_started, dispatch_uid="signin_policy_started")
        user_logged_out.connect(session_ended, dispatch_uid="signin_policy_ended")
