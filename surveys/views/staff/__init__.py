"""The staff's survey pages: building a survey (``building``) and running it — the panel,
the responses (``running``). Every view checks its permission on the survey itself and
answers 404 for a survey outside ``rules.visible_surveys``."""

from .building import (
    question_add,
    question_delete,
    question_edit,
    question_move,
    section_add,
    section_delete,
    section_edit,
    survey_cancel,
    survey_create,
    survey_detail,
    survey_list,
    survey_publish,
    survey_settings,
)
from .running import panel, response_void, responses

__all__ = [
    "panel",
    "question_add",
    "question_delete",
    "question_edit",
    "question_move",
    "response_void",
    "responses",
    "section_add",
    "section_delete",
    "section_edit",
    "survey_cancel",
    "survey_create",
    "survey_detail",
    "survey_list",
    "survey_publish",
    "survey_settings",
]
