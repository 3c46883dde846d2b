"""Pieces the apps' admin pages share: running a service on each selected object, and a
list filter on the lead department's kind."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exceptions import TransitionError


def run_per_object(modeladmin, request, objects, action, done_message, *, level=messages.ERROR):
    """Apply ``action`` (a service call) to each object of an admin action.

    One refusal does not stop the others: each is reported with the object's name, and the
    ones that went through are counted in ``done_message(count)``.
    """
    done = 0
    for obj in objects:
        try:
            action(obj)
        except TransitionError as error:
            modeladmin.message_user(
                request, _("“%(object)s”：%(error)s") % {"object": obj, "error": error}, level
            )
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)


class DepartmentKindFilter(admin.ChoicesFieldListFilter):
    """Filter by the lead department's kind, titled so it is not mistaken for the matter's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = gettext_lazy("部门类别")
