from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("安全审计")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.conf import settings
        from django.contrib.admin.models import LogEntry
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import (
            user_logged_in,
            user_logged_out,
            user_login_failed,
        )
        from django.core.exceptions import ImproperlyConfigured
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
        from rest_framework.authtoken.models import Token

        from . import receivers
        from .chain import ALGORITHMS

        if settings.PORTAL_AUDIT_HASH not in ALGORITHMS:
            raise ImproperlyConfigured(
                f"PORTAL_AUDIT_HASH must be one of {sorted(ALGORITHMS)}, "
                f"not {settings.PORTAL_AUDIT_HASH!r}"
            )

        User = get_user_model()
        user_logged_in.connect(receivers.logged_in, dispatch_uid="audit_login")
        user_logged_out.connect(receivers.logged_out, dispatch_uid="audit_logout")
        user_login_failed.connect(receivers.login_failed, dispatch_uid="audit_login_failed")
        user_locked_out.connect(receivers.locked_out, dispatch_uid="audit_locked_out")
        pre_save.connect(receivers.account_before_save, sender=User, dispatch_uid="audit_user_pre")
        post_save.connect(receivers.account_saved, sender=User, dispatch_uid="audit_user_post")
        m2m_changed.connect(
            receivers.roles_changed, sender=User.groups.through, dispatch_uid="audit_roles"
        )
        post_save.connect(receivers.token_saved, sender=Token, dispatch_uid="audit_token")
        post_delete.connect(receivers.token_deleted, sender=Token, dispatch_uid="audit_untoken")
        post_save.connect(receivers.admin_logged, sender=LogEntry, dispatch_uid="audit_admin")
