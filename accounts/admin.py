from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    ReadOnlyPasswordHashWidget,
    SetUnusablePasswordMixin,
    UserChangeForm,
    UserCreationForm,
)
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import two_factor
from .admin_access import RulesModelAdmin
from .models import Department, User
from .roles import Role
from .services import (
    AccountError,
    department_set_active,
    user_set_roles,
    validate_role_assignment,
)


@admin.register(Department)
class DepartmentAdmin(RulesModelAdmin):
    list_display = ["name", "short_name", "code", "kind", "is_active", "member_count"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "code"]
    ordering = ["sort_order", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("members"))

    def save_model(self, request, obj, form, change):
        # Opening or closing goes through the service: closing ends its members' access.
        if change and "is_active" in form.changed_data:
            active = obj.is_active
            obj.is_active = not active
            super().save_model(request, obj, form, change)
            department_set_active(department=obj, active=active, by=request.user)
            obj.is_active = active
        else:
            super().save_model(request, obj, form, change)

    @admin.display(description=_("账户数"), ordering="_member_count")
    def member_count(self, obj: Department) -> int:
        return obj._member_count


class RolesFormMixin(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("角色"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        try:
            validate_role_assignment(
                roles=[Role(value) for value in cleaned.get("roles", [])],
                department=cleaned.get("department"),
            )
        except AccountError as error:
            raise ValidationError(str(error)) from error
        return cleaned


class PortalUserCreationForm(RolesFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "full_name", "department"]

    def save(self, commit=True):
        # The administrator knows this password: its holder sets their own at first sign-in.
        self.instance.must_change_password = True
        return super().save(commit=commit)


class PasswordSummaryWidget(ReadOnlyPasswordHashWidget):
    """Django's summary of the password hash, as valid HTML: its ``<div>`` took the
    field's ``disabled`` and an ``aria-describedby`` naming a help text the admin renders
    without that id."""

    def get_context(self, name, value, attrs):
        dropped = ("disabled", "aria-describedby")
        attrs = {key: value for key, value in (attrs or {}).items() if key not in dropped}
        return super().get_context(name, value, attrs)


class PortalUserChangeForm(RolesFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget = PasswordSummaryWidget()
        if self.instance.pk:
            self.initial["roles"] = [role.value for role in self.instance.roles]


class PortalAdminPasswordChangeForm(AdminPasswordChangeForm):
    def save(self, commit=True):
        # Set by an administrator: its holder must set their own at the next sign-in.
        self.user.must_change_password = True
        return super().save(commit=commit)

    # Django's help text ends in a list, which the admin puts inside a <p>; the warning
    # keeps its id and class, which the admin's script and style show and hide.
    usable_password_help_text = format_lazy(
        '{}<br><strong id="id_unusable_warning" class="messagelist">{}</strong>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("禁用后，该用户现有的密码将失效。"),
    )


@admin.register(User)
class UserAdmin(RulesModelAdmin, DjangoUserAdmin):
    form = PortalUserChangeForm
    change_password_form = PortalAdminPasswordChangeForm
    add_form = PortalUserCreationForm
    list_display = ["username", "full_name", "department", "role_list", "is_active", "last_login"]
    list_filter = ["is_active", "groups", "department__kind", "department"]
    search_fields = ["username", "full_name", "email", "department__name"]
    list_select_related = ["department"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("个人信息"), {"fields": ["full_name", "email", "phone"]}),
        (_("部门与角色"), {"fields": ["department", "roles"]}),
        (_("统一身份认证"), {"fields": ["oidc_subject", "password_sign_in"]}),
        (
            _("状态"),
            {
                "fields": [
                    "is_active",
                    "is_superuser",
                    "must_change_password",
                    "password_changed_at",
                    "two_factor_state",
                    "last_login",
                    "date_joined",
                ]
            },
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "full_name",
                    "department",
                    "roles",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined", "password_changed_at", "two_factor_state"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("角色"))
    def role_list(self, obj: User) -> str:
        names = {group.name for group in obj.groups.all()}
        return "、".join(str(role.label) for role in Role if role.value in names) or "—"

    @admin.display(description=_("双因素认证"))
    def two_factor_state(self, obj: User) -> str:
        if obj.pk is None:
            return "—"
        device = two_factor.authenticator_of(obj)
        if device is None:
            return _("未启用")
        return _("已启用（剩余恢复码%(count)d个）") % {"count": two_factor.recovery_codes_left(obj)}

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser (break-glass) makes a superuser.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or obj.pk != request.user.pk or request.user.is_superuser:
            return form

        class OwnAccountForm(form):
            """An administrator's own roles are changed by another (三员分立)."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["roles"].disabled = True
                self.fields["roles"].help_text = _("不能修改自己的角色，请由其他管理员办理。")

        return OwnAccountForm

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        roles = [Role(value) for value in form.cleaned_data.get("roles", [])]
        user_set_roles(user=form.instance, roles=roles, by=request.user)


# The role groups are read here, never edited: roles are given on the user's page.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(RulesModelAdmin, DjangoGroupAdmin):
    pass


# Authenticators and recovery codes are never shown in the admin (a TOTP key is a secret);
# the user's page says whether one is bound, and the reset action takes it away.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)
