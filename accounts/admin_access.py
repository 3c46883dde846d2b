"""The admin's pages and actions, decided by the apps' rules.

Django's admin asks a ModelAdmin ``has_view_permission``, ``has_change_permission`` and so
on, and by default answers from model permissions granted to groups. Here every answer
comes from ``admin_rules``, a rule set each app fills in its ``rules.py`` from the same
predicates as its pages and API (``"matters.matter.view"``, ``"matters.matter.publish"``).
A rule nobody registered refuses. Model permissions play no part: a role's group holds
none, so the two can no longer drift apart.
"""

from django.contrib import admin
from django.db.models import Q

from .rules import admin_rules, internal_filter


def admin_allows(user, label: str, verb: str, obj=None) -> bool:
    """``label`` is ``app_label.model_name``; ``verb`` view, add, change, delete or an action."""
    return admin_rules.test_rule(f"{label}.{verb}", user, obj)


class RulesModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every page and action is decided by ``admin_rules``.

    An action declared with ``permissions=["publish"]`` needs ``has_publish_permission``,
    which a subclass writes as ``return self.allows(request, "publish")``.

    ``department_field`` names the lead department of a row (``"matter__department_id"``):
    the lists then hold only the rows the user may read internally (``internal_filter``),
    the same filter as the staff pages and the API. ``rows_filter`` may say it otherwise."""

    department_field: str | None = None

    def rows_filter(self, user) -> Q | None:
        return internal_filter(user, self.department_field) if self.department_field else None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        condition = self.rows_filter(request.user)
        return queryset if condition is None else queryset.filter(condition)

    @property
    def rule_label(self) -> str:
        return f"{self.opts.app_label}.{self.opts.model_name}"

    def allows(self, request, verb: str, obj=None) -> bool:
        return admin_allows(request.user, self.rule_label, verb, obj)

    def has_module_permission(self, request):
        return self.allows(request, "view")

    def has_view_permission(self, request, obj=None):
        return self.allows(request, "view", obj)

    def has_add_permission(self, request, *args):
        return self.allows(request, "add")

    def has_change_permission(self, request, obj=None):
        return self.allows(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self.allows(request, "delete", obj)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under a parent in the admin, never changed there: whoever may view the
    parent (its ``view`` rule) reads them."""

    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        parent = self.parent_model._meta
        return admin_allows(request.user, f"{parent.app_label}.{parent.model_name}", "view", obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
