"""Template tags of the staff's survey pages, and ``{% matter_survey_links matter %}``:
the matter's surveys on its staff page, so the matters app needs no knowledge of surveys."""

from django import template

from ..forms.staff import question_groups
from ..rules import visible_surveys

register = template.Library()


@register.simple_tag
def question_field_groups(form):
    return question_groups(form)


@register.inclusion_tag("surveys/staff/matter_links.html", takes_context=True)
def matter_survey_links(context, matter):
    user = context["request"].user
    can_view = user.has_perm("surveys.list_surveys")
    surveys = (
        list(visible_surveys(user).filter(matter=matter).order_by("-opens_at", "-pk"))
        if can_view
        else []
    )
    return {
        "matter": matter,
        "surveys": surveys,
        "can_view": can_view and (surveys or user.department_id == matter.department_id),
        # survey_create offers the matters of the user's own department.
        "can_create": user.has_perm("surveys.create_survey")
        and user.department_id == matter.department_id,
    }
