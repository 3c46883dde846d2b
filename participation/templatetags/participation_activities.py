"""``{% matter_activities matter %}``: a matter's public activities, for its public page."""

from django import template

from ..selectors.activities import activities_public_of_matter

register = template.Library()


@register.inclusion_tag("participation/activities/matter_activities.html")
def matter_activities(matter):
    return {"activities": list(activities_public_of_matter(matter=matter))}
