"""Who may see and do what with public calls (see docs/ACCESS.md).

A call belongs to the department that runs it: its staff and leaders draw it up, publish
it, type in proposals that came on paper, screen them and publish the result. The general
office runs the city's calls and may do the same on any call. A department a proposal was
passed to (转交) sees that proposal and screens it (takes it or not). Administrators read
everything. The public sees published calls and, after the result, its outcome.
"""

import rules
from django.db.models import Q, QuerySet

from accounts.rules import (
    admin_rules,
    is_department_member,
    is_general_office,
    member_department_id,
    owns_department,
    reads_every_department,
)

from .models import Call, Submission

runs_call = is_general_office | (is_department_member & owns_department)


@rules.predicate
def received_transfer(user, obj) -> bool:
    """The user's department is the one this proposal was passed to."""
    department_id = member_department_id(user)
    return (
        isinstance(obj, Submission)
        and department_id is not None
        and obj.transferred_to_id == department_id
    )


@rules.predicate
def runs_submissions_call(user, obj) -> bool:
    return isinstance(obj, Submission) and runs_call(user, obj.call)


rules.add_perm("calls.list_calls", reads_every_department | is_department_member)
rules.add_perm("calls.create_call", is_general_office | is_department_member)
rules.add_perm("calls.view_call", reads_every_department | runs_call)
rules.add_perm("calls.manage_call", runs_call)
rules.add_perm("calls.screen_submission", runs_submissions_call | received_transfer)

# The admin: read only, for look-ups (every change is made on the staff pages).
admin_rules.add_rule("calls.call.view", reads_every_department)


def visible_calls(user) -> QuerySet[Call]:
    """The calls the user reads on the staff pages: every call for the office and the
    administrators; a department's own calls and those with a proposal passed to it."""
    if reads_every_department(user):
        return Call.objects.all()
    department_id = member_department_id(user)
    if department_id is None:
        return Call.objects.none()
    passed = Submission.objects.filter(transferred_to_id=department_id).values("call_id")
    return Call.objects.filter(Q(department_id=department_id) | Q(pk__in=passed))


def visible_submissions(user, call: Call) -> QuerySet[Submission]:
    """The call's proposals the user reads: all of them where the user may read the call,
    else those passed to the user's department."""
    if user.has_perm("calls.view_call", call):
        return call.submissions.all()
    department_id = member_department_id(user)
    if department_id is None:
        return Submission.objects.none()
    return call.submissions.filter(transferred_to_id=department_id)
