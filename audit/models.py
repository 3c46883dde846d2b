"""The security audit trail (安全审计): who signed in or failed to, changed a password, a
role or a department, issued or revoked an API token, exported or read personal data, acted
in the admin, or was refused (403) — when, from which address, what, and the outcome.

It is kept beside the business ledger (台账), for the 审计管理员 rather than the office.
Rows are only ever inserted: the model refuses changes, and on PostgreSQL a trigger refuses
UPDATE and DELETE (except the retention purge, which must say so in its transaction). Each
row carries the hash of the one before it (``audit.chain``), so a changed, deleted or
inserted row breaks the chain and ``manage.py verify_security_audit`` says where.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKED_OUT = "locked_out", _("账号锁定")
    ACCOUNT_UNLOCKED = "account_unlocked", _("解除账号锁定")
    SECURITY_POLICY_CHANGED = "security_policy_changed", _("修改登录安全策略")
    LOGOUT = "logout", _("退出登录")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("启用双因素认证")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("停用或重置双因素认证")
    TWO_FACTOR_VERIFIED = "two_factor_verified", _("双因素认证通过")
    TWO_FACTOR_FAILED = "two_factor_failed", _("双因素认证失败")
    RECOVERY_CODES_ISSUED = "recovery_codes_issued", _("重新生成恢复码")
    ACCOUNT_CHANGED = "account_changed", _("账号变更")
    ROLES_CHANGED = "roles_changed", _("角色变更")
    TOKEN_ISSUED = "token_issued", _("签发接口令牌")
    TOKEN_REVOKED = "token_revoked", _("作废接口令牌")
    PERSONAL_DATA_EXPORTED = "personal_data_exported", _("导出个人信息")
    CONTACT_VIEWED = "contact_viewed", _("查看个人联系方式")
    ADMIN_ACTION = "admin_action", _("管理后台操作")
    PERMISSION_DENIED = "permission_denied", _("越权访问被拒绝")
    SUPERUSER_REQUEST = "superuser_request", _("超级用户访问（应急）")
    AUDIT_EXPORTED = "audit_exported", _("导出安全审计记录")
    AUDIT_PURGED = "audit_purged", _("清理到期安全审计记录")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")


class SecurityEvent(models.Model):
    # The place in the chain, given by ``audit.services.record`` under the chain's lock
    # (not the id: the hash is computed before the row is inserted).
    seq = models.PositiveBigIntegerField(_("序号"), unique=True, editable=False)
    at = models.DateTimeField(_("时间"), editable=False, db_index=True)
    kind = models.CharField(_("事件类型"), max_length=40, choices=Kind.choices)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    # The account as it was: no foreign key, so the trail outlives and never blocks the
    # account, and a renamed account's past rows keep the name it had.
    actor_id = models.PositiveBigIntegerField(_("账号编号"), null=True, blank=True)
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    address = models.CharField(_("来源地址"), max_length=45, blank=True)
    method = models.CharField(_("请求方法"), max_length=10, blank=True)
    path = models.CharField(_("访问地址"), max_length=500, blank=True)
    target_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    summary = models.CharField(_("说明"), max_length=500)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一条记录的摘要"), max_length=80, editable=False)
    hash = models.CharField(_("本条记录的摘要"), max_length=80, editable=False)

    class Meta:
        verbose_name = _("安全审计记录")
        verbose_name_plural = _("安全审计记录")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["kind", "at"]),
            models.Index(fields=["username", "at"]),
            models.Index(fields=["address", "at"]),
        ]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.seq} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("security audit rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("security audit rows are append-only")


class ChainHead(models.Model):
    """One row: the last link of the chain. Locked by every writer, so links are made one
    at a time, in order."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=80, default="")

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.seq} {self.hash}"
