"""The Django admin, branded for the general office and guarded by the portal's rules."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import two_factor
from accounts.city import city_name
from accounts.forms import refuse_password_sign_in


class PortalAdminAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确，或该账户无权进入管理后台。"),
    }

    def confirm_login_allowed(self, user):
        refuse_password_sign_in(self, user)
        # Access follows the role rules, not a hand-set is_staff flag.
        if not user.is_active or not user.has_perm("accounts.access_admin"):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class PortalAdminSite(admin.AdminSite):
    login_form = PortalAdminAuthenticationForm
    index_title = _("审核与管理")
    # The review lists need the width (a filing's list has ten columns and its filters);
    # the breadcrumbs and the index lead between models.
    enable_nav_sidebar = False

    @property
    def site_header(self):
        return _("%(city)s政府协商工作平台 · 管理后台") % {"city": city_name()}

    @property
    def site_title(self):
        return _("%(city)s政府协商工作平台") % {"city": city_name()}

    def login(self, request, extra_context=None):
        # Django sends a signed-in GET on to the index but shows HEAD the form: answer
        # HEAD as GET is answered.
        if request.method == "HEAD" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        return super().login(request, extra_context)

    def has_permission(self, request):
        # The second factor too, should the sign-in policy's confinement be bypassed.
        user = request.user
        return (
            user.is_active
            and user.has_perm("accounts.access_admin")
            and two_factor.satisfied(request)
        )
