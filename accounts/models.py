from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .roles import DEPARTMENT_ROLES, Role


class Department(models.Model):
    """A body that consults and files a catalog: a district government, a department, ..."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("区市政府")
        FUNCTIONAL_AREA = "functional_area", _("功能区")
        MUNICIPAL_DEPARTMENT = "municipal_department", _("市政府部门")
        AFFILIATED_UNIT = "affiliated_unit", _("市直单位")
        GENERAL_OFFICE = "general_office", _("市政府办公厅")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40)
    code = models.SlugField(
        _("代码"),
        max_length=40,
        unique=True,
        help_text=_("唯一的英文代码，用于接口和链接，例如 sfj。"),
    )
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["sort_order", "code"]
        indexes = [models.Index(fields=["kind", "is_active"])]

    def __str__(self) -> str:
        return self.name

    @property
    def files_catalog(self) -> bool:
        """Every active body except the general office files an annual plan catalog."""
        return self.is_active and self.kind != self.Kind.GENERAL_OFFICE


class User(AbstractUser):
    """A staff account. The public uses the portal without one."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )

    # Raised whenever the account loses its access (roles withdrawn, department closed):
    # it is part of the session hash, so every session of the account ends at once,
    # whichever session backend is in use.
    # db_default too: the scale seeder and the archive import write rows with COPY.
    access_epoch = models.PositiveIntegerField(
        _("访问凭据版本"), default=0, db_default=0, editable=False
    )

    # The sign-in policy (accounts/signin_policy.py): when the password was last set, and
    # whether its holder must set a new one before doing anything else (an account an
    # administrator created, or a password an administrator set).
    password_changed_at = models.DateTimeField(
        _("密码修改时间"), null=True, blank=True, editable=False
    )
    must_change_password = models.BooleanField(
        _("下次登录须修改密码"), default=False, db_default=False
    )

    # Unified identity (统一身份认证, accounts/oidc.py): the identity platform's subject an
    # administrator bound to this account (signing in never makes or binds an account),
    # and whether the account may still sign in with its local password.
    oidc_subject = models.CharField(
        _("统一身份认证标识"),
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        help_text=_("统一身份认证平台中该工作人员的用户标识（sub），由管理员绑定。"),
    )
    password_sign_in = models.BooleanField(
        _("允许使用本地密码登录"),
        default=True,
        db_default=True,
        help_text=_("取消后，该账号只能通过统一身份认证登录。"),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self._password_set = raw_password is not None

    def save(self, *args, **kwargs):
        """A new password is dated, and kept (hashed) in the account's history so that it
        cannot be used again soon (``PasswordHistoryValidator``)."""
        # Unbound is NULL, never "": the unique constraint then holds for bound ones only.
        self.oidc_subject = (self.oidc_subject or "").strip() or None
        password_set = getattr(self, "_password_set", False)
        if password_set:
            self.password_changed_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "password_changed_at"}
        super().save(*args, **kwargs)
        if password_set and self.has_usable_password():
            self._password_set = False
            PasswordHistory.remember(self)

    def _get_session_auth_hash(self, secret=None):
        if not self.access_epoch:  # sessions made before the field existed stay valid
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "accounts.User.session_auth_hash",
            f"{self.password}:{self.access_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @cached_property
    def role_names(self) -> frozenset[str]:
        """Names of this user's role groups, read once per request."""
        if not self.pk:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role: Role) -> bool:
        return role.value in self.role_names

    @property
    def roles(self) -> list[Role]:
        return [role for role in Role if role.value in self.role_names]

    @property
    def is_department_member(self) -> bool:
        return self.department_id is not None and any(
            role.value in self.role_names for role in DEPARTMENT_ROLES
        )


class PasswordHistory(models.Model):
    """The hashes of an account's recent passwords, newest first."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("密码摘要"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["user", "-created_at", "-pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"

    @classmethod
    def remember(cls, user) -> None:
        keep = max(int(getattr(settings, "PORTAL_PASSWORD_HISTORY", 5)), 0)
        cls.objects.create(user=user, password=user.password)
        stale = cls.objects.filter(user=user).order_by("-created_at", "-pk")[keep:]
        cls.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()


class UserSession(models.Model):
    """A signed-in session of an account, listed to its holder, who may end any of them
    (账号的登录会话). The session itself is Django's; this row says where and when it began
    and was last used."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="sign_ins"
    )
    session_key = models.CharField(_("会话标识"), max_length=40, unique=True)
    started_at = models.DateTimeField(_("登录时间"))
    last_seen_at = models.DateTimeField(_("最近使用时间"))
    address = models.CharField(_("来源地址"), max_length=45, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")
        ordering = ["user", "-last_seen_at"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user_id} {self.started_at:%Y-%m-%d %H:%M}"


class SecurityPolicy(models.Model):
    """The security administrator's values of the sign-in policy, over the deployment's
    settings (one row; an empty field follows the setting). Read through
    ``accounts.policy``."""

    password_min_length = models.PositiveSmallIntegerField(_("密码最短长度"), null=True, blank=True)
    password_min_classes = models.PositiveSmallIntegerField(
        _("密码须含字符种类"), null=True, blank=True
    )
    password_history = models.PositiveSmallIntegerField(
        _("不得重复使用的近期密码"), null=True, blank=True
    )
    password_max_age_days = models.PositiveSmallIntegerField(
        _("密码最长使用期限"), null=True, blank=True
    )
    session_idle_minutes = models.PositiveSmallIntegerField(
        _("无操作自动退出"), null=True, blank=True
    )
    session_max_hours = models.PositiveSmallIntegerField(_("登录最长保持"), null=True, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        User,
        verbose_name=_("修改人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("登录安全策略")
        verbose_name_plural = _("登录安全策略")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
