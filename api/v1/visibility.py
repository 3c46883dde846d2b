"""What each API client may read, shaped for the API's serializers.

Who may read what is decided in the apps' ``rules.py`` (the same predicates as every page
and the admin); this module only adds the joins the serializers need. A token whose
user has lost its role, or whose department was closed, reads the public data only."""

from django.db.models import QuerySet

from annual_plans.models import AnnualPlan
from annual_plans.rules import visible_plans as plans_allowed
from annual_plans.selectors import with_items
from matters.models import Matter
from matters.rules import visible_matters as matters_allowed
from participation.models import Activity
from participation.rules import visible_activities as activities_allowed
from proposals.models import Proposal
from proposals.rules import public_proposals
from proposals.rules import visible_proposals as proposals_allowed
from surveys.models import Survey
from surveys.rules import public_surveys


def visible_matters(user) -> QuerySet[Matter]:
    return matters_allowed(user).select_related("department").prefetch_related("policy_areas")


def visible_plans(user) -> QuerySet[AnnualPlan]:
    return with_items(plans_allowed(user))


def visible_activities(user) -> QuerySet[Activity]:
    return activities_allowed(user).select_related("matter__department", "minutes_document")


def visible_proposals(user) -> QuerySet[Proposal]:
    """The public items, and for a staff token what ``proposals.rules`` lets it see."""
    return (public_proposals() | proposals_allowed(user)).select_related("lead_department")


def visible_surveys(user) -> QuerySet[Survey]:
    """The public surveys (published, not cancelled, not offline records, of a published
    matter or none), for every client alike: staff read theirs on the staff pages."""
    return public_surveys().select_related("matter", "department")
