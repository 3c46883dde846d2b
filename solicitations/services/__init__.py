"""The writes of the app: expert argumentation and written solicitation."""

from .argumentations import (
    MINIMUM_EXPERTS,
    Opinion,
    argumentation_complete,
    argumentation_create,
    completion_problems,
    expert_choose,
    expert_declare,
    opinion_enter,
)

__all__ = [
    "MINIMUM_EXPERTS",
    "Opinion",
    "argumentation_complete",
    "argumentation_create",
    "completion_problems",
    "expert_choose",
    "expert_declare",
    "opinion_enter",
]
