"""Who may see and do what with supervision orders (see docs/ACCESS.md).

The general office issues orders, accepts or returns what departments report, urges and
withdraws. An order belongs to the department it is addressed to: its staff and leaders
read it and draft the report of what was done; only its leader signs the report (签发),
and only then does the office see it. Administrators read every order.
"""

import rules
from django.db.models import QuerySet

from accounts.rules import (
    admin_rules,
    internal_filter,
    is_department_leader,
    is_department_member,
    is_general_office,
    owns_department,
    reads_every_department,
)

from .models import Order

addressed_member = is_department_member & owns_department

rules.add_perm("oversight.view_order", reads_every_department | addressed_member)
# The list: the office's every order, a department's its own.
rules.add_perm("oversight.list_orders", reads_every_department | is_department_member)
rules.add_perm("oversight.issue_order", is_general_office)
# On an order: the office decides, urges and withdraws (the service checks the state).
rules.add_perm("oversight.decide_order", is_general_office)
# On an order: its department's members draft the report, its leader signs it.
rules.add_perm("oversight.prepare_answer", addressed_member)
rules.add_perm("oversight.sign_answer", addressed_member & is_department_leader)


def visible_orders(user) -> QuerySet[Order]:
    """``oversight.view_order`` as a queryset."""
    return Order.objects.filter(internal_filter(user, "department_id"))


# The admin: read only, for look-ups (every change is made on the staff pages).
admin_rules.add_rule("oversight.order.view", reads_every_department)
