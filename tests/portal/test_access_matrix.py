"""Access-control matrix: every URL of the portal against every role (issue 10).

The table below names every URL of the project (the admin is covered by a rule, see
ADMIN_MODELS), with what each role gets: the status code, ``login`` (sent to the portal's
login page), ``admin_login`` (sent to the admin's) or ``302`` (any other redirect). A URL
that exists without a row fails ``test_every_url_has_an_expectation``; a row whose URL is
gone fails ``test_every_expectation_names_an_existing_url``.

Roles, in column order: anonymous, invitee (no account; holds the personal link of one
invitation), staff of department A, staff of department B, leader of department A,
general-office reviewer, system administrator, leader of department B; then four clerks
of department A who lost their access (issue 19): ``revoked`` (roles withdrawn through the
service while signed in: the session ends), ``orphan`` (roles removed in the database: the
session lives on but reaches nothing internal), ``closed`` (department A closed in the
database) and ``inactive`` (account deactivated); last, the security administrator, the
audit administrator (with the system administrator, the three administrators, 三员分立) and
the break-glass superuser, whose answers follow a rule (``_with_administrators``) unless a
row gives them. Every object the URLs name belongs to
department A. Admin actions have a table of their own (ADMIN_ACTIONS). A key ``name@variant`` checks one URL with another object (e.g. a published
and an unpublished matter).
"""

import datetime
import io

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.authtoken.models import Token

from accounts import two_factor
from accounts.models import Department
from annual_plans.models import AnnualPlan
from core.content_cache import bump_generation
from matters.models import Matter
from participation.models import Invitation, Registration
from tests.two_factor_support import sign_in_verified

from .access_matrix_support import (
    ADMINISTRATOR_COLUMNS,
    CALL_LINK_TOKEN,
    CLOSED_ROLE,
    CONTACT_STRINGS,
    INVITEE_TOKEN,
    LETTER_TOKEN,
    OTHER_PARTICIPANT_NAME,
    OTHER_TOKEN,
    PENDING_AUTHOR,
    RATING_TOKEN,
    ROLES,
    SURVEY_API_DRAFT,
    SURVEY_API_PUBLIC,
    SURVEY_PANEL_TOKEN,
    SURVEY_RESUME_TOKEN,
    UNPUBLISHED_DRAFT_TEXT,
    UNPUBLISHED_MATTER_TITLE,
    body_text,
    build_surveys_answer_world,
    build_world,
    content_type_id,
    outcome,
    url_names,
    world_state,
)

# The same answer for every role.
ALL_200 = "200 200 200 200 200 200 200 200 200 200 200 200"
# Public lookups of something only department A (and the office) may see.
INTERNAL_404 = "404 404 200 404 200 200 200 404 404 404 404 404"
# Any account that is signed in (its own password).
SIGNED_IN = "login login 200 200 200 200 200 200 login 200 200 login"
# Staff pages: any staff account.
ANY_STAFF = "login login 200 200 200 200 200 200 login 403 403 login"
# Read department A's internal pages: A's members and the office.
READ_A = "login login 200 403 200 200 200 403 login 403 403 login"
# Change department A's objects: A's members only.
CHANGE_A = "login login 200 403 200 403 403 403 login 403 403 login"
CHANGE_A_POST = "login login 302 403 302 403 403 403 login 403 403 login"
OFFICE_ONLY = "login login 403 403 403 200 200 403 login 403 403 login"
DEPARTMENT_MEMBERS = "login login 200 200 200 403 403 200 login 403 403 login"
# The general office's own work (the administrator only reads, in the admin).
GENERAL_OFFICE = "login login 403 403 403 200 403 403 login 403 403 login"
LEADER_A_POST = "login login 403 403 302 403 403 403 login 403 403 login"
# Surveys: a survey outside the reader's visible_surveys is not found.
SURVEY_READ = "login login 200 404 200 200 200 404 login 404 404 login"
SURVEY_CHANGE = "login login 200 404 200 403 403 404 login 404 404 login"
SURVEY_CHANGE_POST = "login login 302 404 302 403 403 404 login 404 404 login"
# Expert argumentation: one outside the reader's visible_argumentations is not found.
ARGUMENTATION_READ = SURVEY_READ
ARGUMENTATION_CHANGE = SURVEY_CHANGE
# A sent letter: the sending department A, the office, and department B, addressed.
LETTER_READ = "login login 200 200 200 200 200 200 login 404 404 login"
# Department A's public call: its members and the office manage it, the administrator
# only reads it.
CALL_MANAGE = "login login 200 404 200 200 403 404 login 404 404 login"
CALL_MANAGE_POST = "login login 302 404 302 302 403 404 login 404 404 login"
# The security audit trail: its own administrator only (tests/audit has that role), not
# the system administrator nor the office.
AUDIT_ONLY = "login login 403 403 403 403 403 403 login 403 403 login 403 200 200"
# An action of the general office's on department A's 督办 order.
ORDER_OFFICE_POST = "login login 403 404 403 302 403 404 login 404 404 login"

# The last three columns, the security administrator, the audit administrator and the
# superuser (ADMINISTRATOR_COLUMNS), follow a rule a row of twelve answers leaves to
# ``_with_administrators``: the security and the audit administrator hold no business
# role, so every URL answers them as it answers ``orphan`` (signed in, no working role);
# the break-glass superuser passes every permission check (Django's rule for superusers),
# so it is answered as the most capable working role of the row: the first of
# SUPERUSER_AS that the row does not refuse (or as the administrator, when all are). A row
# of fifteen answers says all three itself: the administrators' own pages, and the few
# places where the superuser, belonging to no department, is answered otherwise.
SUPERUSER_AS = ("administrator", "reviewer", "leader_a", "staff_a", "leader_b", "staff_b")
REFUSED = ("403", "404", "login", "admin_login", "refused")


def _with_administrators(answers: str, superuser_as=SUPERUSER_AS) -> str:
    tokens = answers.split()
    if len(tokens) == len(ROLES):
        return answers
    assert len(tokens) == len(ROLES) - len(ADMINISTRATOR_COLUMNS), answers
    orphan = tokens[ROLES.index("orphan")]
    capable = [tokens[ROLES.index(role)] for role in superuser_as]
    superuser = next((answer for answer in capable if answer not in REFUSED), capable[0])
    return " ".join([*tokens, orphan, orphan, superuser])


def _extended(table: dict, superuser_as=SUPERUSER_AS) -> dict:
    return {
        key: (method, _with_administrators(answers, superuser_as))
        for key, (method, answers) in table.items()
    }


# URL (or URL@variant) -> (method, outcome per role in ROLES order)
EXPECTATIONS = {
    "home": ("GET", ALL_200),
    "favicon": ("GET", "302 302 302 302 302 302 302 302 302 302 302 302"),  # to the static icon
    # The security and the audit administrator are sent on to their own pages.
    "workbench": ("GET", "login login 200 200 200 200 200 200 login 403 403 login 302 302 200"),
    "dashboard": ("GET", OFFICE_ONLY),
    "dashboard_export": ("GET", OFFICE_ONLY),
    "dashboard_proposals": ("GET", OFFICE_ONLY),
    # Catalogs carried out: the office every department's items, a member its own.
    "execution_items": ("GET", ANY_STAFF),
    "set_language": ("POST", "302 302 302 302 302 302 302 302 302 302 302 302"),
    # accounts
    # Signed in, an account without a working role is still signed in; it may change its
    # own password, and nothing else of the staff side opens to it.
    "accounts:login": ("GET", "200 200 302 302 302 302 302 302 200 302 302 200"),
    "accounts:logout": ("POST", "302 302 302 302 302 302 302 302 302 302 302 302"),
    "accounts:password_change": ("GET", SIGNED_IN),
    "accounts:password_change_done": ("GET", SIGNED_IN),
    "accounts:api_token": ("GET", ANY_STAFF),
    "accounts:sessions": ("GET", SIGNED_IN),
    # The security administrator's page and its actions on an account (staff B's here;
    # the action named is none, so nothing changes): theirs, and the superuser's.
    # Unified identity: off in the tests (no OIDC_RP_CLIENT_ID), so its two steps are not
    # found; the page a refused sign-in ends on explains itself to anyone. The journey
    # against a real provider is tests/browser/test_oidc_journey.py.
    "accounts:oidc_start": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    "accounts:oidc_callback": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    "accounts:oidc_refused": ("GET", ALL_200),
    "accounts:security": ("GET", "login login 403 403 403 403 403 403 login 403 403 login 200 403 200"),
    "accounts:security_policy": ("GET", "login login 403 403 403 403 403 403 login 403 403 login 200 403 200"),
    "accounts:security_action": ("POST", "login login 403 403 403 403 403 403 login 403 403 login 302 403 302"),
    # Two-factor sign-in: the holder's own pages. The code page sends a session that owes
    # no code on to its workbench; new recovery codes need a verified session (the office
    # and the administrator here), others are told so and sent back.
    "accounts:two_factor": ("GET", SIGNED_IN),
    "accounts:two_factor_setup": ("GET", SIGNED_IN),
    "accounts:two_factor_verify": ("GET", "login login 302 302 302 302 302 302 login 302 302 login"),
    "accounts:two_factor_recovery_codes": ("POST", "login login 302 302 302 200 200 302 login 302 302 login 200 200 200"),
    "accounts:two_factor_disable": ("POST", "login login 302 302 302 302 302 302 login 302 302 login"),
    # matters: public
    "matters:public_list": ("GET", ALL_200),
    "matters:public_detail@published": ("GET", ALL_200),
    "matters:public_detail@draft": ("GET", "404 404 302 404 302 302 302 404 404 404 404 404"),
    "matters:public_detail@withdrawn": ("GET", "404 404 302 404 302 302 302 404 404 404 404 404"),
    "matters:draft_detail@published": ("GET", ALL_200),
    "matters:draft_detail@draft": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    "matters:draft_detail@withdrawn": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    "matters:document_download@public": ("GET", ALL_200),
    "matters:document_download@internal": ("GET", INTERNAL_404),
    "matters:document_download@withdrawn": ("GET", INTERNAL_404),
    # matters: staff
    "matters:staff_list": ("GET", ANY_STAFF),
    "matters:create": ("GET", DEPARTMENT_MEMBERS),
    "matters:staff_detail@draft": ("GET", READ_A),
    "matters:staff_detail@published": ("GET", "login login 200 302 200 200 200 302 login 403 403 login"),
    "matters:edit": ("GET", CHANGE_A),
    "matters:step_add": ("GET", CHANGE_A),
    "matters:advance": ("POST", CHANGE_A_POST),
    # The unpublished matter is at its first stage: the page sends back with a message.
    "matters:return_stage": ("GET", CHANGE_A_POST),
    "matters:publish": ("POST", CHANGE_A_POST),
    "matters:withdraw": ("GET", CHANGE_A),
    "matters:document_add": ("GET", CHANGE_A),
    "matters:document_remove": ("GET", CHANGE_A),
    "matters:draft_add": ("GET", CHANGE_A),
    "matters:draft_publish": ("POST", CHANGE_A_POST),
    "matters:ledger": ("GET", OFFICE_ONLY),
    "matters:ledger_export": ("GET", OFFICE_ONLY),
    # annual plans: public
    "annual_plans:public_list": ("GET", "302 302 302 302 302 302 302 302 302 302 302 302"),
    "annual_plans:public_year": ("GET", ALL_200),
    "annual_plans:consolidated_pdf": ("GET", ALL_200),
    "annual_plans:consolidated": ("GET", ALL_200),
    "annual_plans:public_detail@published": ("GET", ALL_200),
    "annual_plans:public_detail@draft": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    "annual_plans:filing_form": ("GET", INTERNAL_404),
    # annual plans: staff. The system administrator reads filings in the admin, not here.
    "annual_plans:staff_list": ("GET", DEPARTMENT_MEMBERS),
    "annual_plans:start": ("POST", "login login 302 302 302 403 403 302 login 403 403 login"),
    "annual_plans:staff_detail": ("GET", "login login 200 403 200 200 403 403 login 403 403 login"),
    "annual_plans:edit": ("GET", CHANGE_A),
    "annual_plans:sign_off": ("POST", "login login 403 403 302 403 403 403 login 403 403 login"),
    "annual_plans:submit": ("POST", CHANGE_A_POST),
    "annual_plans:amendment_start": ("GET", CHANGE_A),
    "annual_plans:amendment_edit": ("GET", CHANGE_A),
    # participation: the registry is shared by every department and read by the office
    "participation:participant_list": ("GET", ANY_STAFF),
    "participation:participant_create": ("GET", ANY_STAFF),
    "participation:participant_import": ("GET", ANY_STAFF),
    # An entry is edited by the department that keeps it (A) and by the general office.
    "participation:participant_edit": ("GET", "login login 200 403 200 200 403 403 login 403 403 login"),
    # participation: activities
    "participation:activity_list": ("GET", ALL_200),
    "participation:activity_detail@public": ("GET", ALL_200),
    "participation:activity_detail@internal": ("GET", "404 404 302 404 302 302 302 404 404 404 404 404"),
    "participation:activity_detail@withdrawn": ("GET", "404 404 302 404 302 302 302 404 404 404 404 404"),
    "participation:activity_calendar@public": ("GET", ALL_200),
    "participation:activity_calendar@internal": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    "participation:activity_calendar@withdrawn": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    "participation:activity_staff_list": ("GET", READ_A),
    "participation:activity_create": ("GET", CHANGE_A),
    "participation:activity_staff_detail": ("GET", READ_A),
    "participation:activity_edit": ("GET", CHANGE_A),
    "participation:activity_publish_notice": ("POST", CHANGE_A_POST),
    "participation:activity_mark_held": ("POST", CHANGE_A_POST),
    "participation:activity_minutes": ("GET", CHANGE_A),
    # participation: invitations. Only the invitee holds the token; every other role is
    # given the same link with one character changed.
    "participation:invitation_reply": ("GET", "404 200 404 404 404 404 404 404 404 404 404 404"),
    # proposals: an author's rating link; any other string opens nothing, for anyone.
    "proposals:rating": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    # The letter through the author's link: only the invitee holds the rating token here.
    "proposals:rating_pdf": ("GET", "404 200 404 404 404 404 404 404 404 404 404 404"),
    # A public item's letter once sent is public; a draft only for who may read the item.
    "proposals:reply_pdf@sent": ("GET", ALL_200),
    "proposals:reply_pdf@draft": ("GET", INTERNAL_404),
    # proposals: the departments' pages (department A leads; B leads the co-handled item).
    "proposals:staff_list": ("GET", ANY_STAFF),
    "proposals:staff_detail": ("GET", READ_A),
    "proposals:attachment": ("GET", READ_A),
    "proposals:sign_for": ("POST", CHANGE_A_POST),
    # An empty POST is an invalid form: the item page is shown again with the errors.
    "proposals:return": ("POST", CHANGE_A),
    "proposals:contact_add": ("POST", CHANGE_A),
    # The superuser is of no department: the co-organiser's opinion is not found for it.
    "proposals:co_opinion": ("POST", "login login 200 403 200 403 403 403 login 403 403 login 403 403 404"),
    "proposals:extension_request": ("POST", CHANGE_A),
    "proposals:reply_edit": ("GET", CHANGE_A),
    # The leader of the lead department signs off; the co-department's leader countersigns.
    "proposals:reply_sign_off": ("POST", LEADER_A_POST),
    # Countersigning is a co-department's act: the superuser, of none, is refused on the page.
    "proposals:reply_countersign": ("POST", "login login 403 403 302 403 403 403 login 403 403 login 403 403 302"),
    # Refused by the service (the letter is not signed off): back to the page with why.
    "proposals:reply_send": ("POST", CHANGE_A_POST),
    # proposals: the general office's pages.
    "proposals:office_list": ("GET", GENERAL_OFFICE),
    "proposals:register": ("GET", GENERAL_OFFICE),
    "proposals:import": ("GET", GENERAL_OFFICE),
    "proposals:import_template": ("GET", GENERAL_OFFICE),
    "proposals:edit": ("GET", GENERAL_OFFICE),
    "proposals:assign": ("GET", GENERAL_OFFICE),
    "proposals:extension_decide": ("POST", GENERAL_OFFICE),
    "proposals:paper_rating": ("POST", GENERAL_OFFICE),
    "proposals:reply_delivery": ("POST", GENERAL_OFFICE),
    "proposals:further_round": ("POST", GENERAL_OFFICE),
    "proposals:close": ("POST", GENERAL_OFFICE),
    "proposals:evaluation": ("POST", GENERAL_OFFICE),
    # proposals: public pages. An item that may not be made public, or is not yet
    # assigned, does not exist here for anyone; staff read it on their own pages.
    "proposals:public_list": ("GET", ALL_200),
    "proposals:public_detail@public": ("GET", ALL_200),
    "proposals:public_detail@hidden": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    "proposals:public_detail@unassigned": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    # surveys: answering. The invitee holds the panel member's personal link; every other
    # role gets it with one character changed, as the "continue later" link.
    "surveys:public_list": ("GET", ALL_200),
    "surveys:public_detail@open": ("GET", ALL_200),
    "surveys:public_detail@draft": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    "surveys:thanks": ("GET", ALL_200),
    "surveys:panel_answer": ("GET", "404 200 404 404 404 404 404 404 404 404 404 404"),
    "surveys:resume": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    "surveys:enter_responses": ("GET", CHANGE_A),
    "participation:invitation_list": ("GET", READ_A),
    "participation:invitation_attendance": ("GET", CHANGE_A),
    "participation:invitation_resend": ("POST", CHANGE_A_POST),
    "participation:registration_create": ("GET", ALL_200),
    "participation:registration_create@withdrawn": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    "participation:registration_list": ("GET", READ_A),
    # participation: comment periods and feedback
    "participation:open_comment_periods": ("GET", ALL_200),
    "participation:comment_period": ("GET", ALL_200),
    "participation:comment_period@withdrawn": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    "participation:comment_thanks": ("GET", ALL_200),
    "participation:comment_thanks@withdrawn": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    "participation:feedback_pdf": ("GET", ALL_200),
    "participation:feedback_pdf@withdrawn": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    "participation:staff_periods": ("GET", ANY_STAFF),
    "participation:adoption_rates": ("GET", OFFICE_ONLY),
    "participation:period_open": ("GET", CHANGE_A),
    "participation:staff_period": ("GET", READ_A),
    "participation:opinion_record": ("GET", CHANGE_A),
    "participation:opinions_moderate": ("POST", CHANGE_A_POST),
    # An empty POST is an invalid form: the register is shown again with the errors.
    "participation:opinions_dispose": ("POST", CHANGE_A),
    "participation:feedback_edit": ("GET", READ_A),
    # surveys: the staff's pages (department A's surveys; outside visible_surveys: 404).
    "surveys:staff_list": ("GET", ANY_STAFF),
    "surveys:staff_create": ("GET", "login login 200 200 200 200 403 200 login 403 403 login"),
    "surveys:staff_detail": ("GET", SURVEY_READ),
    "surveys:staff_settings": ("GET", SURVEY_CHANGE),
    "surveys:section_add": ("POST", SURVEY_CHANGE_POST),
    "surveys:section_edit": ("GET", SURVEY_CHANGE),
    "surveys:section_delete": ("POST", SURVEY_CHANGE_POST),
    # An empty POST is an invalid form: the builder is shown again with the errors.
    "surveys:question_add": ("POST", SURVEY_CHANGE),
    "surveys:question_edit": ("GET", SURVEY_CHANGE),
    "surveys:question_delete": ("POST", SURVEY_CHANGE_POST),
    "surveys:question_move": ("POST", SURVEY_CHANGE_POST),
    "surveys:publish": ("POST", SURVEY_CHANGE_POST),
    "surveys:cancel": ("POST", SURVEY_CHANGE),
    "surveys:panel": ("GET", SURVEY_READ),
    "surveys:staff_responses": ("GET", SURVEY_READ),
    "surveys:response_void": ("POST", SURVEY_CHANGE),
    "reminders:mine": ("GET", ANY_STAFF),
    "search:results": ("GET", ALL_200),
    # API (session-authenticated here; the token tests are below)
    "api:v1:api-root": ("GET", ALL_200),
    "api:v1:matter-list": ("GET", ALL_200),
    "api:v1:matter-detail@published": ("GET", ALL_200),
    "api:v1:matter-detail@draft": ("GET", INTERNAL_404),
    "api:v1:matter-detail@withdrawn": ("GET", INTERNAL_404),
    "api:v1:catalog-list": ("GET", ALL_200),
    "api:v1:catalog-detail@published": ("GET", ALL_200),
    "api:v1:catalog-detail@draft": ("GET", INTERNAL_404),
    "api:v1:catalog-item-list": ("GET", ALL_200),
    "api:v1:catalog-item-detail@published": ("GET", ALL_200),
    "api:v1:catalog-item-detail@draft": ("GET", INTERNAL_404),
    "api:v1:activity-list": ("GET", ALL_200),
    "api:v1:activity-detail@public": ("GET", ALL_200),
    "api:v1:activity-detail@internal": ("GET", INTERNAL_404),
    "api:v1:activity-detail@withdrawn": ("GET", INTERNAL_404),
    "api:v1:proposal-list": ("GET", ALL_200),
    "api:v1:proposal-detail@public": ("GET", ALL_200),
    "api:v1:proposal-detail@hidden": ("GET", INTERNAL_404),
    # Not yet assigned: no lead department, so only the office and administrators.
    "api:v1:proposal-detail@unassigned": ("GET", "404 404 404 404 404 200 200 404 404 404 404 404"),
    "api:v1:department-list": ("GET", ALL_200),
    "api:v1:survey-list": ("GET", ALL_200),
    "api:v1:survey-detail@public": ("GET", ALL_200),
    # The API shows public surveys only, to everyone: staff read drafts on the staff pages.
    "api:v1:survey-detail@draft": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    # A closed department leaves the public list of departments.
    "api:v1:department-detail": ("GET", "200 200 200 200 200 200 200 200 200 200 404 200"),
    "api:schema": ("GET", ALL_200),
    "api:docs": ("GET", ALL_200),
    # open data
    "opendata:feed": ("GET", ALL_200),
    "opendata:index": ("GET", ALL_200),
    "opendata:latest": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),  # no archive built yet
    "opendata:download": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    # the site map, robots.txt and the pages about the site
    "portal:sitemap_page": ("GET", ALL_200),
    "portal:sitemap": ("GET", ALL_200),
    "portal:sitemap_section": ("GET", ALL_200),
    "portal:robots": ("GET", ALL_200),
    "portal:privacy": ("GET", ALL_200),
    "portal:help": ("GET", ALL_200),
    "portal:accessibility": ("GET", ALL_200),
    # surveys: results. Staff read their department's (and the office every one); the
    # public page exists for a published survey and shows results once they are public.
    "surveys:staff_results": ("GET", READ_A),
    "surveys:text_answers": ("GET", READ_A),
    "surveys:responses_xlsx": ("GET", READ_A),
    "surveys:results_xlsx": ("GET", READ_A),
    "surveys:results_pdf": ("GET", READ_A),
    "surveys:public_results@published": ("GET", ALL_200),
    "surveys:public_results@pending": ("GET", ALL_200),  # "结果将于调查结束后公布"
    "surveys:public_results@draft": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404"),
    "surveys:public_results_pdf@published": ("GET", ALL_200),
    # The superuser reads even what is not yet public (break-glass; every request audited).
    "surveys:public_results_pdf@pending": ("GET", "404 404 404 404 404 404 404 404 404 404 404 404 404 404 200"),
    # solicitations: expert argumentation (department A's, on its unpublished matter). The
    # new argumentation's page names the matter (``?matter=``): another department's is
    # not found, the office reads it but may not organise one.
    # annual plans: a catalog in force carried out (department A's published catalog).
    "annual_plans:item_start_matter": ("POST", CHANGE_A_POST),
    "annual_plans:item_link_matter": ("GET", CHANGE_A),
    "solicitations:argumentation_create": (
        "GET",
        "login login 200 404 200 403 403 404 login 403 403 login",
    ),
    "solicitations:argumentation_detail": ("GET", ARGUMENTATION_READ),
    "solicitations:expert_add": ("GET", ARGUMENTATION_CHANGE),
    "solicitations:expert_declare": ("GET", ARGUMENTATION_CHANGE),
    "solicitations:opinion_enter": ("GET", ARGUMENTATION_CHANGE),
    # An empty completion is refused by the service and shown on the page (200).
    "solicitations:argumentation_complete": ("POST", ARGUMENTATION_CHANGE),
    # The 专家论证意见 of a completed argumentation: read as its page is.
    "solicitations:argumentation_pdf": ("GET", ARGUMENTATION_READ),
    # solicitations: letters (department A's on its published matter). A's draft letter is
    # A's alone (and the office's to read); the sent one is also seen by department B, to
    # which it is addressed as a body: B's members draft the answer, only B's leader signs.
    "solicitations:solicitation_create": ("GET", "login login 200 404 200 403 403 404 login 403 403 login"),
    "solicitations:solicitation_detail": ("GET", SURVEY_READ),
    "solicitations:solicitation_detail@sent": ("GET", LETTER_READ),
    "solicitations:solicitation_edit": ("GET", SURVEY_CHANGE),
    "solicitations:addressees_add": ("GET", SURVEY_CHANGE),
    "solicitations:addressee_remove": ("POST", SURVEY_CHANGE_POST),
    "solicitations:solicitation_send": ("POST", SURVEY_CHANGE_POST),
    "solicitations:answer": ("GET", "login login 403 200 403 403 403 200 login 404 404 login"),
    "solicitations:answer_sign": ("POST", "login login 403 403 403 403 403 302 login 404 404 login"),
    # Typing in a paper answer is the sending department's.
    "solicitations:paper_answer": ("GET", "login login 200 403 200 403 403 403 login 404 404 login"),
    "solicitations:letter_pdf": ("GET", LETTER_READ),
    # The personal link answers without an account.
    "solicitations:link_answer": ("GET", ALL_200),
    # The year's supervision report: those who read the dashboard.
    "report_list": ("GET", OFFICE_ONLY),
    "report_request": ("POST", "login login 403 403 403 302 302 403 login 403 403 login"),
    "report_detail": ("GET", OFFICE_ONLY),
    "report_download": ("GET", OFFICE_ONLY),
    # Public calls: anyone reads and proposes; department A (running the call) and the
    # office manage it; the administrator reads; department B does not see it.
    "calls:list": ("GET", ALL_200),
    "calls:detail": ("GET", ALL_200),
    "calls:thanks": ("GET", ALL_200),
    "calls:staff_list": ("GET", ANY_STAFF),
    # Of no department, the superuser is told it cannot start a call and sent to the list.
    "calls:create": ("GET", "login login 200 200 200 200 403 200 login 403 403 login 403 403 302"),
    "calls:staff_detail": ("GET", SURVEY_READ),
    "calls:edit": ("GET", CALL_MANAGE),
    "calls:paper_entry": ("GET", CALL_MANAGE),
    "calls:screen": ("GET", CALL_MANAGE),
    "calls:submission_file": ("GET", CALL_MANAGE),
    "calls:invitees": ("GET", SURVEY_READ),
    "calls:link": ("GET", ALL_200),
    "audit:list": ("GET", AUDIT_ONLY),
    "audit:export": ("GET", AUDIT_ONLY),
    "calls:publish": ("POST", CALL_MANAGE_POST),
    "calls:results": ("POST", CALL_MANAGE_POST),
    "api:v1:call-list": ("GET", ALL_200),
    "api:v1:call-detail": ("GET", ALL_200),
    # 督办: the office issues and decides; department A (addressed) reads and reports, its
    # leader signs; other departments do not see the order.
    "oversight:list": ("GET", ANY_STAFF),
    "oversight:create": ("GET", GENERAL_OFFICE),
    "oversight:detail": ("GET", SURVEY_READ),
    "oversight:answer": ("GET", SURVEY_CHANGE),
    "oversight:sign": ("POST", "login login 403 404 302 403 403 404 login 404 404 login"),
    "oversight:decide": ("POST", ORDER_OFFICE_POST),
    "oversight:urge": ("POST", ORDER_OFFICE_POST),
    "oversight:withdraw": ("POST", ORDER_OFFICE_POST),
}
EXPECTATIONS = _extended(EXPECTATIONS)

# The query a row's URL carries (the page needs it to name its object).
URL_QUERIES = {
    "solicitations:argumentation_create": lambda world: f"?matter={world.matter_draft.pk}",
    "solicitations:solicitation_create": lambda world: f"?matter={world.matter_draft.pk}",
    "oversight:create": lambda world: f"?about=matter&target={world.matter_draft.pk}",
}


def _kwargs(world) -> dict:
    """URL kwargs per table key: the same kwarg name means another object in another URL."""
    if not hasattr(world, "url_kwargs"):
        world.url_kwargs = _build_kwargs(world)
    return world.url_kwargs


def _survey_pk(title: str) -> int:
    from surveys.models import Survey

    return Survey.objects.get(title=title).pk


def _build_kwargs(world) -> dict:
    matter, public = world.matter_draft.pk, world.matter_pub.pk
    plan_item = world.plan_draft.items.order_by("pk").first().pk
    public_item = world.plan_pub.items.order_by("pk").first().pk
    hearing = world.hearing.pk
    gone, parts = world.matter_withdrawn, world.withdrawn_parts
    p = world.proposals
    return {
        "portal:sitemap_section": {"section": "matters"},
        "matters:public_detail@published": {"pk": public},
        "matters:public_detail@draft": {"pk": matter},
        "matters:draft_detail@published": {"pk": public, "number": world.draft_public.number},
        "matters:draft_detail@draft": {"pk": matter, "number": world.draft_internal.number},
        "matters:document_download@public": {"pk": world.document_public.pk},
        "matters:document_download@internal": {"pk": world.document_internal.pk},
        "matters:staff_detail@draft": {"pk": matter},
        "matters:staff_detail@published": {"pk": public},
        "matters:edit": {"pk": matter},
        "matters:step_add": {"pk": matter},
        "matters:advance": {"pk": matter},
        "matters:return_stage": {"pk": matter},
        "matters:publish": {"pk": matter},
        "matters:withdraw": {"pk": public},
        "matters:document_add": {"pk": matter},
        "matters:document_remove": {"pk": world.document_internal.pk},
        "matters:draft_add": {"pk": matter},
        "matters:draft_publish": {"pk": world.draft_internal.pk},
        "annual_plans:public_year": {"year": world.plan_pub.year},
        "annual_plans:consolidated_pdf": {"year": world.plan_pub.year},
        "annual_plans:consolidated": {"year": world.plan_pub.year, "which": "major-decisions"},
        "annual_plans:public_detail@published": {"pk": world.plan_pub.pk},
        "annual_plans:public_detail@draft": {"pk": world.plan_draft.pk},
        "annual_plans:filing_form": {"pk": world.plan_draft.pk},
        "annual_plans:staff_detail": {"pk": world.plan_draft.pk},
        "annual_plans:edit": {"pk": world.plan_draft.pk},
        "annual_plans:sign_off": {"pk": world.plan_draft.pk},
        "annual_plans:submit": {"pk": world.plan_draft.pk},
        "annual_plans:amendment_start": {"pk": world.plan_pub.pk},
        "annual_plans:amendment_edit": {"pk": world.amendment.pk},
        "participation:participant_edit": {"pk": world.participant.pk},
        "participation:activity_detail@public": {"pk": hearing},
        "participation:activity_detail@internal": {"pk": world.activity_internal.pk},
        "participation:activity_calendar@public": {"pk": hearing},
        "participation:activity_calendar@internal": {"pk": world.activity_internal.pk},
        "participation:activity_staff_list": {"matter_pk": public},
        "participation:activity_create": {"matter_pk": public},
        "participation:activity_staff_detail": {"pk": hearing},
        "participation:activity_edit": {"pk": hearing},
        "participation:activity_publish_notice": {"pk": world.activity_internal.pk},
        "participation:activity_mark_held": {"pk": hearing},
        "participation:activity_minutes": {"pk": hearing},
        "participation:invitation_reply": {"token": _altered(INVITEE_TOKEN)},
        "proposals:rating": {"token": _altered(INVITEE_TOKEN)},
        "proposals:rating_pdf": {"token": _altered(RATING_TOKEN)},
        "proposals:reply_pdf@sent": {"pk": p.sent_reply.pk},
        "proposals:reply_pdf@draft": {"pk": p.draft_reply.pk},
        "proposals:staff_detail": {"pk": p.assigned.pk},
        "proposals:attachment": {"pk": p.assigned.pk, "attachment_pk": p.attachment.pk},
        "proposals:sign_for": {"pk": p.assigned.pk},
        "proposals:return": {"pk": p.assigned.pk},
        "proposals:contact_add": {"pk": p.handling.pk},
        "proposals:co_opinion": {"pk": p.co.pk},
        "accounts:security_action": {"pk": world.users["staff_b"].pk},
        "proposals:extension_request": {"pk": p.handling.pk},
        "proposals:reply_edit": {"pk": p.handling.pk},
        "proposals:reply_sign_off": {"pk": p.draft_reply.pk},
        "proposals:reply_countersign": {"pk": p.co_reply.pk},
        "proposals:reply_send": {"pk": p.draft_reply.pk},
        "proposals:edit": {"pk": p.assigned.pk},
        "proposals:assign": {"pk": p.registered.pk},
        "proposals:extension_decide": {"pk": p.extension.pk},
        "proposals:paper_rating": {"pk": p.replied.pk},
        "proposals:reply_delivery": {"pk": p.sent_reply.pk},
        "proposals:further_round": {"pk": p.replied.pk},
        "proposals:close": {"pk": p.replied.pk},
        "proposals:evaluation": {"pk": p.replied.pk},
        "participation:invitation_list": {"pk": hearing},
        "participation:invitation_attendance": {"pk": hearing},
        "participation:invitation_resend": {"pk": world.invitation.pk},
        "participation:registration_create": {"pk": hearing},
        "participation:registration_list": {"pk": hearing},
        "participation:comment_period": {"pk": world.period_open.pk},
        "participation:comment_thanks": {"pk": world.period_open.pk},
        "participation:feedback_pdf": {"pk": world.period_closed.pk},
        "participation:period_open": {"pk": public},
        "participation:staff_period": {"pk": world.period_open.pk},
        "participation:opinion_record": {"pk": world.period_open.pk},
        "participation:opinions_moderate": {"pk": world.period_open.pk},
        "participation:opinions_dispose": {"pk": world.period_open.pk},
        "participation:feedback_edit": {"pk": world.period_closed.pk},
        "api:v1:matter-detail@published": {"pk": public},
        "api:v1:matter-detail@draft": {"pk": matter},
        "api:v1:catalog-detail@published": {"pk": world.plan_pub.pk},
        "api:v1:catalog-detail@draft": {"pk": world.plan_draft.pk},
        "api:v1:catalog-item-detail@published": {"pk": public_item},
        "api:v1:catalog-item-detail@draft": {"pk": plan_item},
        "api:v1:activity-detail@public": {"pk": hearing},
        "api:v1:activity-detail@internal": {"pk": world.activity_internal.pk},
        "api:v1:department-detail": {"pk": world.department_a.pk},
        "matters:public_detail@withdrawn": {"pk": gone.pk},
        "matters:draft_detail@withdrawn": {"pk": gone.pk, "number": parts["draft"].number},
        "matters:document_download@withdrawn": {"pk": parts["document"].pk},
        "participation:activity_detail@withdrawn": {"pk": parts["hearing"].pk},
        "participation:activity_calendar@withdrawn": {"pk": parts["hearing"].pk},
        "participation:registration_create@withdrawn": {"pk": parts["hearing"].pk},
        "participation:comment_period@withdrawn": {"pk": parts["period"].pk},
        "participation:comment_thanks@withdrawn": {"pk": parts["period"].pk},
        "participation:feedback_pdf@withdrawn": {"pk": parts["closed_period"].pk},
        "api:v1:matter-detail@withdrawn": {"pk": gone.pk},
        "api:v1:activity-detail@withdrawn": {"pk": parts["hearing"].pk},
        "opendata:download": {"filename": "consultation-opendata-20260101.zip"},
        **_proposals_public_kwargs(world.proposals_public),
        **_surveys_staff_kwargs(world.surveys_staff),
        **_survey_results_kwargs(world.survey_results),
        **_surveys_answer_kwargs(world.surveys_answer),
        **_argumentation_kwargs(world.argumentations),
        **_letters_kwargs(world.letters),
        **{
            name: {"pk": world.calls["call"].pk}
            for name in (
                "calls:detail",
                "calls:thanks",
                "calls:staff_detail",
                "calls:edit",
                "calls:paper_entry",
                "calls:publish",
                "calls:results",
                "calls:invitees",
                "api:v1:call-detail",
            )
        },
        "calls:screen": {"pk": world.calls["submission"].pk},
        "calls:submission_file": {"pk": world.calls["submission"].pk, "file_pk": world.calls["file"].pk},
        "calls:link": {"token": CALL_LINK_TOKEN},
        "report_detail": {"pk": world.report.pk},
        "report_download": {"pk": world.report.pk},
        **{
            name: {"pk": world.orders["order"].pk}
            for name in (
                "oversight:detail",
                "oversight:answer",
                "oversight:sign",
                "oversight:decide",
                "oversight:urge",
                "oversight:withdraw",
            )
        },
        "annual_plans:item_start_matter": _unlinked_item(world),
        "annual_plans:item_link_matter": _unlinked_item(world),
    }


def _unlinked_item(world) -> dict:
    item = world.plan_pub.items.filter(matter=None).order_by("order").first()
    return {"pk": world.plan_pub.pk, "item_pk": item.pk}


def _letters_kwargs(items: dict) -> dict:
    draft, sent = items["draft"].pk, items["sent"].pk
    body, person = items["body"].pk, items["person"].pk
    return {
        "solicitations:solicitation_detail": {"pk": draft},
        "solicitations:solicitation_detail@sent": {"pk": sent},
        "solicitations:solicitation_edit": {"pk": draft},
        "solicitations:addressees_add": {"pk": draft},
        "solicitations:addressee_remove": {"pk": draft, "addressee_pk": items["draft_addressee"].pk},
        "solicitations:solicitation_send": {"pk": draft},
        "solicitations:answer": {"pk": sent, "addressee_pk": body},
        "solicitations:answer_sign": {"pk": sent, "addressee_pk": body},
        "solicitations:paper_answer": {"pk": sent, "addressee_pk": person},
        "solicitations:letter_pdf": {"pk": sent},
        "solicitations:link_answer": {"token": LETTER_TOKEN},
    }


def _argumentation_kwargs(items: dict) -> dict:
    pk, expert = items["argumentation"].pk, items["expert"].pk
    return {
        "solicitations:argumentation_detail": {"pk": pk},
        "solicitations:expert_add": {"pk": pk},
        "solicitations:expert_declare": {"pk": pk, "expert_pk": expert},
        "solicitations:opinion_enter": {"pk": pk, "expert_pk": expert},
        "solicitations:argumentation_complete": {"pk": pk},
        "solicitations:argumentation_pdf": {"pk": items["completed"].pk},
    }


def _surveys_staff_kwargs(surveys: dict) -> dict:
    draft, open_survey = surveys["draft"], surveys["open"]
    section = draft.sections.order_by("position").first().pk
    question = draft.questions.order_by("section__position", "position").last().pk
    on_draft = {"pk": draft.pk}
    return {
        "surveys:staff_detail": on_draft,
        "surveys:staff_settings": on_draft,
        "surveys:section_add": on_draft,
        "surveys:section_edit": {"pk": draft.pk, "section_pk": section},
        "surveys:section_delete": {"pk": draft.pk, "section_pk": section},
        "surveys:question_add": on_draft,
        "surveys:question_edit": {"pk": draft.pk, "question_pk": question},
        "surveys:question_delete": {"pk": draft.pk, "question_pk": question},
        "surveys:question_move": {"pk": draft.pk, "question_pk": question},
        "surveys:publish": on_draft,
        "surveys:cancel": on_draft,
        "surveys:panel": {"pk": open_survey.pk},
        "surveys:staff_responses": {"pk": open_survey.pk},
        "surveys:response_void": {"pk": open_survey.pk, "number": surveys["response"].number},
    }


def _survey_results_kwargs(surveys: dict) -> dict:
    published = surveys["published"].pk
    return {
        "surveys:staff_results": {"pk": published},
        "surveys:text_answers": {"pk": published, "question_pk": surveys["text"].pk},
        "surveys:responses_xlsx": {"pk": published},
        "surveys:results_xlsx": {"pk": published},
        "surveys:results_pdf": {"pk": published},
        "surveys:public_results@published": {"pk": published},
        "surveys:public_results@pending": {"pk": surveys["pending"].pk},
        "surveys:public_results@draft": {"pk": surveys["draft"].pk},
        "surveys:public_results_pdf@published": {"pk": published},
        "surveys:public_results_pdf@pending": {"pk": surveys["pending"].pk},
    }


def _surveys_answer_kwargs(surveys: dict) -> dict:
    survey = surveys["open"].pk
    return {
        "surveys:public_detail@open": {"pk": survey},
        "surveys:public_detail@draft": {"pk": surveys["draft"].pk},
        "surveys:thanks": {"pk": survey},
        "surveys:panel_answer": {"token": _altered(SURVEY_PANEL_TOKEN)},
        "surveys:resume": {"token": _altered(SURVEY_RESUME_TOKEN)},
        "surveys:enter_responses": {"pk": survey},
    }


def _proposals_public_kwargs(items: dict) -> dict:
    return {
        "proposals:public_detail@public": {"pk": items["public"].pk},
        "proposals:public_detail@hidden": {"pk": items["hidden"].pk},
        "proposals:public_detail@unassigned": {"pk": items["unassigned"].pk},
        "api:v1:proposal-detail@public": {"pk": items["public"].pk},
        "api:v1:proposal-detail@hidden": {"pk": items["hidden"].pk},
        "api:v1:proposal-detail@unassigned": {"pk": items["unassigned"].pk},
        "api:v1:survey-detail@public": {"pk": _survey_pk(SURVEY_API_PUBLIC)},
        "api:v1:survey-detail@draft": {"pk": _survey_pk(SURVEY_API_DRAFT)},
    }


# Kwargs that depend on who asks: only the invitee holds the real personal link.
ROLE_KWARGS = {
    ("participation:invitation_reply", "invitee"): {"token": INVITEE_TOKEN},
    ("proposals:rating_pdf", "invitee"): {"token": RATING_TOKEN},
    ("surveys:panel_answer", "invitee"): {"token": SURVEY_PANEL_TOKEN},
}


def _altered(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


# ----------------------------------------------------------------------------- the admin

ADMIN_BLOCKED = (
    "anonymous",
    "invitee",
    "staff_a",
    "staff_b",
    "leader_a",
    "leader_b",
    "revoked",
    "orphan",
    "closed",
    "inactive",
    "security",
    "auditor",
)
# The admin's answer to the five roles after the administrator: its login page.
LOST = " admin_login"
ADMIN_ONLY = "admin_login " * 5 + "200 200" + LOST * 5
# Registered model -> what the reviewer and the administrator may do on its admin pages
# (v: view, a: add, c: change, d: delete); the superuser as the administrator, unless the
# row says. Any other role is sent to the admin login.
ADMIN_MODELS = {
    "auth.group": {"reviewer": "", "administrator": "v"},
    # DRF's own admin answers the superuser by Django's rule alone: all of it. (django-axes'
    # admin is off: the security administrator unlocks accounts on their page.)
    "authtoken.tokenproxy": {"reviewer": "", "administrator": "", "superuser": "vacd"},
    "accounts.department": {"reviewer": "v", "administrator": "vac"},
    "accounts.user": {"reviewer": "v", "administrator": "vac"},
    "matters.matter": {"reviewer": "v", "administrator": "v"},
    "matters.ledgerentry": {"reviewer": "v", "administrator": "v"},
    "matters.policyarea": {"reviewer": "v", "administrator": "v"},
    "annual_plans.annualplan": {"reviewer": "v", "administrator": "v"},
    "annual_plans.amendment": {"reviewer": "v", "administrator": "v"},
    "annual_plans.filingdeadline": {"reviewer": "vac", "administrator": "vac"},
    "proposals.proposal": {"reviewer": "v", "administrator": "v"},
    "surveys.survey": {"reviewer": "v", "administrator": "v"},
    "participation.activity": {"reviewer": "v", "administrator": "v"},
    "participation.commentperiod": {"reviewer": "v", "administrator": "v"},
    "participation.opinion": {"reviewer": "v", "administrator": "v"},
    "participation.invitation": {"reviewer": "v", "administrator": "v"},
    "participation.registration": {"reviewer": "v", "administrator": "v"},
    "participation.draw": {"reviewer": "v", "administrator": "v"},
    "participation.participant": {"reviewer": "v", "administrator": "v"},
    "reminders.reminder": {"reviewer": "v", "administrator": "v"},
    "oversight.order": {"reviewer": "v", "administrator": "v"},
    "calls.call": {"reviewer": "v", "administrator": "v"},
}
ADMIN_PAGES = {"changelist": "v", "add": "a", "change": "v", "history": "v", "delete": "d"}

# The admin's own URLs besides the ModelAdmin pages: (method, outcome per role).
ADMIN_EXTRA = {
    "admin:index": ("GET", ADMIN_ONLY),
    "admin:login": ("GET", "200 200 200 200 200 302 302 200 200 200 200 200"),
    # Logging out ends at the portal's home page (LOGOUT_REDIRECT_URL); without admin
    # access the admin sends back to its index, which sends to its login.
    "admin:logout": ("POST", "302 302 302 302 302 302 302 302 302 302 302 302"),
    "admin:password_change": ("GET", ADMIN_ONLY),
    "admin:password_change_done": ("GET", ADMIN_ONLY),
    "admin:jsi18n": ("GET", ADMIN_ONLY),
    # Without its query the autocomplete refuses; nobody without admin access reaches it.
    "admin:autocomplete": ("GET", "admin_login " * 5 + "403 403" + LOST * 5),
    # Matters have no get_absolute_url: nothing to view on site.
    "admin:view_on_site": ("GET", "admin_login " * 5 + "404 404" + LOST * 5),
    "admin:app_list": ("GET", ADMIN_ONLY),
    # Reviewing filings is the general office's; the administrator only reads them.
    "admin:annual_plans_annualplan_overview": ("GET", ADMIN_ONLY),
    "admin:annual_plans_annualplan_review": ("GET", "admin_login " * 5 + "200 403" + LOST * 5),
    "admin:annual_plans_annualplan_publish": ("GET", "admin_login " * 5 + "200 403" + LOST * 5),
    # Setting another account's password takes the change permission on users.
    "admin:auth_user_password_change": ("GET", "admin_login " * 5 + "403 200" + LOST * 5),
}
# In the admin, the superuser's rules are the system administrator's predicates.
ADMIN_EXTRA = _extended(ADMIN_EXTRA, superuser_as=("administrator",))


def _admin_model_cells():
    for label in sorted(ADMIN_MODELS):
        for role in ROLES:
            yield pytest.param(label, role, id=f"admin:{label}-{role}")


def _admin_model_url_names() -> set[str]:
    names = set()
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        names |= {f"{prefix}_{page}" for page in ADMIN_PAGES}
    return names


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at its end;
    each test runs in a savepoint of its own within it."""
    media = tmp_path_factory.mktemp("access-matrix-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            built.surveys_answer = build_surveys_answer_world(built)
            built.media_root = media
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _media_root(request, settings):
    """The world's uploads stay readable: every test here uses the module's media folder
    (instead of the per-test folder of the root conftest)."""
    if "world" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("world").media_root


@pytest.fixture(autouse=True)
def _roomy_request_limits(settings):
    # Hundreds of requests from 127.0.0.1: keep the API limits out of the way.
    settings.PORTAL_API_ANON_RATE = "100000/min"
    settings.PORTAL_API_USER_RATE = "100000/min"
    # The world's login attempt must not expire (and be swept away by django-axes) while a
    # slow run of the module goes on.
    settings.AXES_COOLOFF_TIME = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    """As in production: the office and the administrator sign in with a second factor
    (``_client``), and the matrix's answers are those of verified sessions."""
    settings.PORTAL_TWO_FACTOR_REQUIRED = True


def _client(world, role: str) -> Client:
    """A client signed in as the role: the accounts that lost their access use the session
    they signed in with before; for ``closed``, department A is closed from now on (the
    test's transaction is rolled back after it). Accounts that must use a second factor
    have given it."""
    client = Client()
    if role in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
        if role == CLOSED_ROLE:
            Department.objects.filter(pk=world.department_a.pk).update(is_active=False)
    elif (user := world.users[role]) is not None:
        if two_factor.is_required(user):
            sign_in_verified(client, user)
        else:
            client.force_login(user)
    return client


def _request(client, method: str, url: str):
    return client.post(url) if method == "POST" else client.get(url)


# ----------------------------------------------------------------------------- completeness


def test_every_url_has_an_expectation():
    listed = {key.split("@")[0] for key in EXPECTATIONS} | set(ADMIN_EXTRA)
    missing = sorted(url_names() - listed - _admin_model_url_names())
    assert not missing, f"URL names without an entry in the access matrix: {missing}"


def test_every_expectation_names_an_existing_url():
    existing = url_names()
    listed = {key.split("@")[0] for key in EXPECTATIONS} | set(ADMIN_EXTRA)
    gone = sorted(listed - existing)
    assert not gone, f"The access matrix lists URL names that no longer exist: {gone}"


def test_every_registered_model_admin_has_an_admin_rule():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered - set(ADMIN_MODELS) == set(), "ModelAdmins without an ADMIN_MODELS row"
    assert set(ADMIN_MODELS) - registered == set(), "ADMIN_MODELS rows for unregistered models"


def test_every_row_has_one_answer_per_role():
    for key, (method, answers) in {**EXPECTATIONS, **ADMIN_EXTRA}.items():
        assert method in ("GET", "POST"), key
        assert len(answers.split()) == len(ROLES), key


# ----------------------------------------------------------------------------- the matrix


def _cells(table):
    for key in table:
        for role in ROLES:
            yield pytest.param(key, role, id=f"{key}-{role}")


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "role"), list(_cells(EXPECTATIONS)))
def test_access(world, key, role):
    method, answers = EXPECTATIONS[key]
    expected = answers.split()[ROLES.index(role)]
    url = _url_for(world, key, role)
    before = world_state(world) if method == "POST" else None
    response = _request(_client(world, role), method, url)
    got = outcome(response)
    assert got == expected, f"{method} {url} as {role}: expected {expected}, got {got}"
    if method == "POST" and expected in ("login", "admin_login", "403", "404", "405"):
        assert world_state(world) == before, f"refused {method} {url} as {role} changed data"
    assert response.status_code < 500


def _admin_object(label: str, user):
    """The first row the model's admin lists to ``user`` (its own queryset may leave some
    rows out, e.g. the amendments still in draft)."""
    model_admin = next(ma for m, ma in admin.site._registry.items() if m._meta.label_lower == label)
    request = RequestFactory().get("/admin/")
    request.user = user
    return model_admin.get_queryset(request).order_by("pk").first()


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "role"), list(_admin_model_cells()))
def test_admin_model_pages(world, label, role):
    """Each registered model's changelist, add, change, history and delete pages: the
    roles without admin access are sent to the admin login; the reviewer and the
    administrator get what ADMIN_MODELS grants them, and 403 for the rest."""
    app_label, model_name = label.split(".")
    obj = _admin_object(label, world.users["reviewer"])
    assert obj is not None, f"the world has no {label} row the admin lists"
    client = _client(world, role)
    wrong = []
    for page, needed in ADMIN_PAGES.items():
        name = f"admin:{app_label}_{model_name}_{page}"
        url = reverse(name, args=[obj.pk] if page in ("change", "history", "delete") else [])
        if role in ADMIN_BLOCKED:
            expected = "admin_login"
        else:
            # The superuser's admin rules are the system administrator's, unless it says.
            rights = ADMIN_MODELS[label]
            allowed = rights.get(role, rights["administrator"])
            # The change page and the history are open to whoever may view or change.
            granted = needed in allowed or (needed == "v" and "c" in allowed)
            expected = "200" if granted else "403"
        got = outcome(client.get(url))
        if got != expected:
            wrong.append(f"{page} ({url}): expected {expected}, got {got}")
    assert not wrong, f"admin pages of {label} as {role}: " + "; ".join(wrong)


def _admin_extra_kwargs(world) -> dict:
    return {
        "admin:autocomplete": {},
        "admin:view_on_site": {
            "content_type_id": content_type_id(Matter),
            "object_id": world.matter_draft.pk,
        },
        "admin:app_list": {"app_label": "matters"},
        "admin:annual_plans_annualplan_review": {"pk": world.plan_submitted.pk},
        "admin:annual_plans_annualplan_publish": {"pk": world.plan_submitted.pk},
        "admin:auth_user_password_change": {"id": world.users["staff_a"].pk},
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "role"), list(_cells(ADMIN_EXTRA)))
def test_admin_site_pages(world, key, role):
    method, answers = ADMIN_EXTRA[key]
    expected = answers.split()[ROLES.index(role)]
    url = reverse(key, kwargs=_admin_extra_kwargs(world).get(key, {}))
    response = _request(_client(world, role), method, url)
    got = outcome(response)
    assert got == expected, f"{method} {url} as {role}: expected {expected}, got {got}"


# ----------------------------------------------------------------------------- HEAD


def _head_cells():
    for key in (*EXPECTATIONS, *ADMIN_EXTRA):
        yield pytest.param(key, id=key)


def _url_for(world, key: str, role: str) -> str:
    if key in ADMIN_EXTRA:
        return reverse(key, kwargs=_admin_extra_kwargs(world).get(key, {}))
    name = key.split("@")[0]
    url = reverse(name, kwargs=ROLE_KWARGS.get((name, role)) or _kwargs(world).get(key, {}))
    return url + URL_QUERIES[key](world) if key in URL_QUERIES else url


def _head_roles(answers: list[str]) -> list[str]:
    """One role per distinct answer, and one signed-in role besides the anonymous one
    (the page cache serves only visitors without a session): PDFs take seconds each."""
    chosen = {}
    for role, answer in zip(ROLES, answers, strict=True):
        chosen.setdefault(answer, role)
    roles = set(chosen.values()) | {"staff_a"}
    return [role for role in ROLES if role in roles]


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(_head_cells()))
def test_head_answers_as_get_does(world, key):
    """HEAD is answered wherever GET is, with the answer the table pins for GET (a real
    GET for the rows that pin a POST) and no body, on a cold page cache: a HEAD only the
    cache answered, after a GET had stored the page, hid views that refused it with 405."""
    method, answers = {**EXPECTATIONS, **ADMIN_EXTRA}[key]
    answers = answers.split()
    wrong = []
    for role in _head_roles(answers):
        url = _url_for(world, key, role)
        client = _client(world, role)
        bump_generation()
        head = client.head(url)
        if method == "GET":
            expected = answers[ROLES.index(role)]
        else:
            bump_generation()
            expected = outcome(client.get(url))
        if outcome(head) != expected:
            wrong.append(f"{role}: GET {expected}, HEAD {outcome(head)}")
        elif body_text_bytes(head):
            wrong.append(f"{role}: HEAD {outcome(head)} with a body")
    assert not wrong, f"HEAD {key}: " + "; ".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["matters.matter", "annual_plans.annualplan"])
def test_head_answers_as_get_does_on_admin_model_pages(world, label):
    app_label, model_name = label.split(".")
    obj = _admin_object(label, world.users["reviewer"])
    client = _client(world, "reviewer")
    for page in ("changelist", "change", "history"):
        url = reverse(
            f"admin:{app_label}_{model_name}_{page}", args=[] if page == "changelist" else [obj.pk]
        )
        head, get = client.head(url), client.get(url)
        assert (head.status_code, head.content) == (get.status_code, b""), url


# ----------------------------------------------------------------------------- object level


def _urls_naming_a_draft_matter(world) -> list[tuple[str, str]]:
    matter = world.matter_draft.pk
    return [
        ("GET", reverse("matters:public_detail", args=[matter])),
        ("GET", reverse("matters:staff_detail", args=[matter])),
        ("GET", reverse("matters:edit", args=[matter])),
        ("POST", reverse("matters:edit", args=[matter])),
        ("GET", reverse("matters:step_add", args=[matter])),
        ("POST", reverse("matters:advance", args=[matter])),
        ("POST", reverse("matters:publish", args=[matter])),
        ("GET", reverse("matters:draft_add", args=[matter])),
        ("POST", reverse("matters:draft_add", args=[matter])),
        ("GET", reverse("matters:document_add", args=[matter])),
        ("GET", reverse("matters:draft_detail", args=[matter, world.draft_internal.number])),
        ("POST", reverse("matters:draft_publish", args=[world.draft_internal.pk])),
        ("GET", reverse("matters:document_download", args=[world.document_internal.pk])),
        ("GET", reverse("matters:document_remove", args=[world.document_internal.pk])),
        ("GET", reverse("participation:activity_staff_list", args=[matter])),
        ("GET", reverse("participation:activity_create", args=[matter])),
        ("GET", reverse("participation:period_open", args=[matter])),
        ("GET", reverse("participation:activity_detail", args=[world.activity_internal.pk])),
        ("GET", reverse("participation:activity_staff_detail", args=[world.activity_internal.pk])),
        ("GET", reverse("api:v1:matter-detail", args=[matter])),
        ("GET", reverse("api:v1:activity-detail", args=[world.activity_internal.pk])),
        ("GET", reverse("annual_plans:staff_detail", args=[world.plan_draft.pk])),
        ("GET", reverse("annual_plans:edit", args=[world.plan_draft.pk])),
        ("GET", reverse("annual_plans:filing_form", args=[world.plan_draft.pk])),
        ("GET", reverse("api:v1:catalog-detail", args=[world.plan_draft.pk])),
    ]


@pytest.mark.django_db
def test_staff_of_b_cannot_read_or_change_a_unpublished_matter_by_its_id(world):
    client = _client(world, "staff_b")
    before = world_state(world)
    for method, url in _urls_naming_a_draft_matter(world):
        response = _request(client, method, url)
        assert response.status_code in (403, 404), f"{method} {url}: {response.status_code}"
        text = body_text(response)
        assert UNPUBLISHED_MATTER_TITLE not in text, url
        assert UNPUBLISHED_DRAFT_TEXT not in text, url
    assert world_state(world) == before
    # Nor do the lists, the search or the API list it.
    for url in (
        reverse("matters:staff_list"),
        reverse("search:results") + "?q=停车收费",
        reverse("api:v1:matter-list"),
        reverse("api:v1:matter-list") + "?format=csv",
        reverse("participation:staff_periods"),
        reverse("workbench"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert UNPUBLISHED_MATTER_TITLE not in body_text(response), url
    # The test can fail: department A's own staff do see it.
    own = _client(world, "staff_a").get(reverse("matters:staff_list"))
    assert UNPUBLISHED_MATTER_TITLE in body_text(own)


def _contact_free(text: str, where: str) -> None:
    leaked = [value for value in CONTACT_STRINGS if value in text]
    assert not leaked, f"{where} shows contact data: {leaked}"


@pytest.mark.django_db
def test_staff_of_b_sees_no_contact_data_of_a_opinions(world):
    client = _client(world, "staff_b")
    period, closed = world.period_open.pk, world.period_closed.pk
    refused = [
        reverse("participation:staff_period", args=[period]),
        reverse("participation:staff_period", args=[closed]),
        reverse("participation:opinion_record", args=[period]),
        reverse("participation:feedback_edit", args=[closed]),
        reverse("matters:ledger_export"),
        reverse("dashboard_export"),
    ]
    for url in refused:
        response = client.get(url)
        assert response.status_code == 403, url
        _contact_free(body_text(response), url)
    for url in (
        reverse("participation:staff_periods"),
        reverse("participation:comment_period", args=[period]),
        reverse("api:v1:matter-detail", args=[world.matter_pub.pk]),
        reverse("api:v1:matter-list") + "?format=csv",
        reverse("search:results") + "?q=停车",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _contact_free(body_text(response), url)
    # Moving or disposing A's opinions by their ids is refused, and changes nothing.
    before = world_state(world)
    for name in ("opinions_moderate", "opinions_dispose"):
        response = client.post(
            reverse(f"participation:{name}", args=[period]),
            {
                "opinion": [world.opinion_pending.pk],
                "moderation": "shown",
                "disposition": "adopted",
            },
        )
        assert response.status_code == 403, name
    assert world_state(world) == before
    # Nor does the search show A's opinions to B (A's staff find them).
    # (a hit links to the opinion's register; its words come highlighted)
    search = reverse("search:results") + "?q=充电车位"
    register = reverse("participation:staff_period", args=[period])
    assert register not in body_text(client.get(search))
    assert register in body_text(_client(world, "staff_a").get(search))
    # The test can fail: A's register does show the contact data to A.
    own = _client(world, "staff_a").get(reverse("participation:staff_period", args=[period]))
    assert PENDING_AUTHOR in body_text(own)


@pytest.mark.django_db
def test_staff_of_b_cannot_see_or_act_on_a_invitations_and_registrations(world):
    client = _client(world, "staff_b")
    hearing = world.hearing.pk
    before = world_state(world)
    requests = [
        ("GET", reverse("participation:invitation_list", args=[hearing]), {}),
        (
            "POST",
            reverse("participation:invitation_list", args=[hearing]),
            {"categories": "expert"},
        ),
        ("GET", reverse("participation:invitation_attendance", args=[hearing]), {}),
        (
            "POST",
            reverse("participation:invitation_attendance", args=[hearing]),
            {"attended": [world.invitation.pk]},
        ),
        ("POST", reverse("participation:invitation_resend", args=[world.invitation.pk]), {}),
        ("GET", reverse("participation:registration_list", args=[hearing]), {}),
        ("POST", reverse("participation:registration_list", args=[hearing]), {"draw": "1"}),
        (
            "POST",
            reverse("participation:registration_list", args=[hearing]),
            {"registrations": [world.registration.pk]},
        ),
    ]
    for method, url, data in requests:
        response = client.post(url, data) if method == "POST" else client.get(url)
        assert response.status_code == 403, f"{method} {url}: {response.status_code}"
        _contact_free(body_text(response), url)
        assert OTHER_PARTICIPANT_NAME not in body_text(response), url
    assert world_state(world) == before
    assert Invitation.objects.get(pk=world.invitation.pk).attended is None
    assert Registration.objects.get(pk=world.registration.pk).status == "registered"
    # The test can fail: A's staff see the registrants' and invitees' details.
    own = _client(world, "staff_a")
    registrations = own.get(reverse("participation:registration_list", args=[hearing]))
    assert world.registration.phone in body_text(registrations)
    invitations = own.get(reverse("participation:invitation_list", args=[hearing]))
    assert OTHER_PARTICIPANT_NAME in body_text(invitations)


@pytest.mark.django_db
def test_staff_of_b_cannot_reach_a_objects_through_its_own_forms(world):
    """B acts on its own period and hearing but names A's opinion, invitation and
    registration ids in the form: refused, and A's rows stay as they were."""
    client = _client(world, "staff_b")
    period, hearing = world.period_b.pk, world.hearing_b.pk
    before = world_state(world)
    posts = [
        (
            reverse("participation:opinions_moderate", args=[period]),
            {"opinion": [world.opinion_pending.pk], "moderation": "shown"},
        ),
        (
            reverse("participation:opinions_dispose", args=[period]),
            {"opinion": [world.opinion_pending.pk], "disposition": "adopted", "response": "好"},
        ),
        (
            reverse("participation:invitation_attendance", args=[hearing]),
            {"attended": [world.invitation.pk, world.other_invitation.pk]},
        ),
        (
            reverse("participation:registration_list", args=[hearing]),
            {"registrations": [world.registration.pk]},
        ),
    ]
    for url, data in posts:
        response = client.post(url, data)
        # B manages its own period and hearing: the form answers, it does not refuse.
        assert response.status_code in (200, 302), f"{url}: {response.status_code}"
        _contact_free(body_text(response), url)
    assert world_state(world) == before
    # B's own opinion register lists only B's opinions.
    register = body_text(client.get(reverse("participation:staff_period", args=[period])))
    assert world.opinion_pending.content not in register
    assert PENDING_AUTHOR not in register


@pytest.mark.django_db
def test_invitation_token_opens_only_its_own_invitation(world):
    client = Client()
    own = reverse("participation:invitation_reply", args=[INVITEE_TOKEN])
    response = client.get(own)
    assert response.status_code == 200
    text = body_text(response)
    assert world.participant.name in text
    assert OTHER_PARTICIPANT_NAME not in text
    _contact_free(text, own)
    # A changed token, a truncated one, or an invitation's id in place of a token: 404.
    for token in (
        _altered(INVITEE_TOKEN),
        INVITEE_TOKEN[:-1],
        INVITEE_TOKEN + "x",
        str(world.invitation.pk),
        str(world.other_invitation.pk),
        Invitation.objects.get(pk=world.invitation.pk).token_hash,  # the stored hash is no key
    ):
        url = reverse("participation:invitation_reply", args=[token])
        assert client.get(url).status_code == 404, token
        assert client.post(url, {"answer": "decline"}).status_code == 404, token
    # Answering with the own token, while naming the other invitation, answers only one's own.
    response = client.post(
        own,
        {
            "answer": "decline",
            "decline_reason": "时间冲突",
            "invitation": world.other_invitation.pk,
            "pk": world.other_invitation.pk,
            "token": OTHER_TOKEN,
        },
    )
    assert response.status_code == 302
    assert Invitation.objects.get(pk=world.invitation.pk).status == Invitation.Status.DECLINED
    assert Invitation.objects.get(pk=world.other_invitation.pk).status == Invitation.Status.PENDING
    # The other invitee's own link still opens the other invitation, and only it.
    other = body_text(client.get(reverse("participation:invitation_reply", args=[OTHER_TOKEN])))
    assert OTHER_PARTICIPANT_NAME in other and world.participant.name not in other


def _public_urls(world) -> list[str]:
    """Every URL of the table an anonymous visitor gets a 200 from."""
    kwargs = _kwargs(world)
    urls = []
    for key, (method, answers) in EXPECTATIONS.items():
        if method == "GET" and answers.split()[0] == "200":
            urls.append(reverse(key.split("@")[0], kwargs=kwargs.get(key, {})))
    return urls


@pytest.mark.django_db
def test_anonymous_never_sees_contact_data(world):
    client = Client()
    urls = _public_urls(world)
    assert len(urls) > 30  # the table was read
    extra = [
        reverse("api:v1:matter-list") + "?format=csv",
        reverse("api:v1:catalog-item-list") + "?format=csv",
        # Words of the opinion still awaiting moderation (the page repeats the query, so
        # searching for the contact data itself would prove nothing).
        reverse("search:results") + "?q=充电车位",
        reverse("search:results") + "?q=停车",
        reverse("participation:comment_period", args=[world.period_closed.pk]),
    ]
    for url in urls + extra:
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith(("feedback.pdf", "catalog.pdf")):  # WeasyPrint's: compressed text
            reader = PdfReader(io.BytesIO(body_text_bytes(response)))
            text = "".join(page.extract_text() or "" for page in reader.pages)
        else:
            text = body_text(response)
        _contact_free(text, url)
    # The test can fail: the signature of a shown opinion is public by design, and is there.
    page = body_text(
        client.get(reverse("participation:comment_period", args=[world.period_open.pk]))
    )
    assert "公开署名人" in page


@pytest.mark.django_db
def test_withdrawn_matter_leaves_every_public_listing(world):
    client = Client()
    title = world.matter_withdrawn.title
    for url in (
        reverse("matters:public_list"),
        reverse("participation:activity_list"),
        reverse("participation:open_comment_periods"),
        reverse("search:results") + "?q=撤回",
        reverse("opendata:feed"),
        reverse("api:v1:matter-list"),
        reverse("api:v1:matter-list") + "?format=csv",
        reverse("api:v1:activity-list"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = body_text(response)
        assert title not in text, url
        assert world.withdrawn_parts["hearing"].title not in text, url
    # The test can fail: the matter's own department still finds it on its staff list.
    assert title in body_text(_client(world, "staff_a").get(reverse("matters:staff_list")))


def body_text_bytes(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _api_ids(client, name: str, headers: dict) -> set[int]:
    response = client.get(reverse(name), {"page_size": 250}, headers=headers)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.django_db
def test_api_token_of_b_does_not_return_a_unpublished_matters_or_catalogs(world):
    client = Client()
    as_b = {"Authorization": f"Token {world.token_b}"}
    as_a = {"Authorization": f"Token {world.token_a}"}
    draft_items = set(world.plan_draft.items.values_list("pk", flat=True))
    hidden = {
        "api:v1:matter-list": {world.matter_draft.pk},
        "api:v1:catalog-list": {world.plan_draft.pk},
        "api:v1:catalog-item-list": draft_items,
        "api:v1:activity-list": {world.activity_internal.pk},
    }
    for name, ids in hidden.items():
        assert not (_api_ids(client, name, as_b) & ids), f"{name} shows A's internal rows to B"
        assert ids <= _api_ids(client, name, as_a), f"{name} hides A's rows from A"
    assert world.matter_pub.pk in _api_ids(client, "api:v1:matter-list", as_b)
    for name, pk in (
        ("api:v1:matter-detail", world.matter_draft.pk),
        ("api:v1:catalog-detail", world.plan_draft.pk),
        ("api:v1:catalog-item-detail", min(draft_items)),
        ("api:v1:activity-detail", world.activity_internal.pk),
    ):
        assert client.get(reverse(name, args=[pk]), headers=as_b).status_code == 404, name
        assert client.get(reverse(name, args=[pk]), headers=as_a).status_code == 200, name
    csv = body_text(client.get(reverse("api:v1:matter-list"), {"format": "csv"}, headers=as_b))
    assert UNPUBLISHED_MATTER_TITLE not in csv
    assert world.matter_pub.title in csv
    # B's token sees its own filed catalog, which is not published.
    assert world.plan_submitted.pk in _api_ids(client, "api:v1:catalog-list", as_b)
    assert AnnualPlan.objects.get(pk=world.plan_submitted.pk).status != "published"


# ----------------------------------------------------------------------------- admin actions

# Each decision the admin offers, per role in ROLES order: "done" when the role's request
# carries it out, "refused" when nothing changes. Deciding is the general office's; the
# administrator and the office both move a year's filing deadline.
OFFICE_DECIDES = "refused " * 5 + "done refused" + " refused" * 5
OFFICE_AND_ADMINISTRATOR = "refused " * 5 + "done done" + " refused" * 5
ADMIN_ACTIONS = {
    "matters.matter:publish_selected": OFFICE_DECIDES,
    "matters.matter:withdraw_selected": OFFICE_DECIDES,
    "annual_plans.annualplan:accept_selected": OFFICE_DECIDES,
    "annual_plans.annualplan:return_selected": OFFICE_DECIDES,
    "annual_plans.annualplan:publish_selected": OFFICE_DECIDES,
    "annual_plans.amendment:accept_selected": OFFICE_DECIDES,
    "annual_plans.amendment:reject_selected": OFFICE_DECIDES,
    "annual_plans.filingdeadline:add": OFFICE_AND_ADMINISTRATOR,
    # Taking away a lost authenticator: the system administrator's.
}
ADMIN_ACTIONS = {
    key: _with_administrators(answers, superuser_as=("administrator",))
    for key, answers in ADMIN_ACTIONS.items()
}


def _action_target(world, key: str):
    """(the object the action is run on, a function reading the state it changes)."""
    from annual_plans.models import Amendment, FilingDeadline

    label, action = key.split(":")
    if label == "matters.matter":
        matter = world.matter_draft if action == "publish_selected" else world.matter_pub
        return matter, lambda: Matter.objects.get(pk=matter.pk).is_published
    if label == "annual_plans.annualplan":
        if action == "publish_selected":
            plan = AnnualPlan.objects.get(department=world.department_a, status="accepted")
        else:
            plan = world.plan_submitted
        return plan, lambda: AnnualPlan.objects.get(pk=plan.pk).status
    if label == "annual_plans.amendment":
        amendment = Amendment.objects.get(status=Amendment.Status.PENDING)
        return amendment, lambda: Amendment.objects.get(pk=amendment.pk).status
    return None, lambda: FilingDeadline.objects.filter(year=2031).exists()


def test_every_admin_action_has_an_expectation():
    offered = set()
    for model, model_admin in admin.site._registry.items():
        for action in model_admin.actions or ():
            offered.add(f"{model._meta.label_lower}:{action}")
    listed = {key for key in ADMIN_ACTIONS if not key.endswith(":add")}
    assert offered == listed, f"admin actions without an expectation: {offered - listed}"
    for answers in ADMIN_ACTIONS.values():
        assert len(answers.split()) == len(ROLES)


def _admin_action_cells():
    for key in ADMIN_ACTIONS:
        for role in ROLES:
            yield pytest.param(key, role, id=f"{key}-{role}")


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "role"), list(_admin_action_cells()))
def test_admin_action(world, key, role):
    expected = ADMIN_ACTIONS[key].split()[ROLES.index(role)]
    label, action = key.split(":")
    app_label, model_name = label.split(".")
    obj, state = _action_target(world, key)
    before = state()
    client = _client(world, role)
    if action == "add":
        url = reverse(f"admin:{app_label}_{model_name}_add")
        data = {
            "year": 2031,
            "deadline_0": "2031-04-07",
            "deadline_1": "23:59:59",
            "reason": "清明节假期顺延",
        }
    else:
        url = reverse(f"admin:{app_label}_{model_name}_changelist")
        data = {
            "action": action,
            "_selected_action": [obj.pk],
            "reason": "内容需要更正",
            "comment": "请补充协商形式",
            "index": 0,
        }
    response = client.post(url, data)
    assert response.status_code < 500
    after = state()
    got = "done" if after != before else "refused"
    assert got == expected, f"{key} as {role}: expected {expected}, got {got} ({before!r} → {after!r})"


@pytest.mark.django_db
def test_api_tokens_of_accounts_that_lost_access_read_only_public_data(world):
    """The token outlives nothing: withdrawn through the service, it is gone (401); roles
    removed in the database or the department closed, it reads what the public reads;
    the account deactivated, it is refused (401)."""
    client = Client()
    internal = {
        "api:v1:matter-list": world.matter_draft.pk,
        "api:v1:catalog-list": world.plan_draft.pk,
        "api:v1:activity-list": world.activity_internal.pk,
    }
    details = [
        ("api:v1:matter-detail", world.matter_draft.pk),
        ("api:v1:catalog-detail", world.plan_draft.pk),
        ("api:v1:activity-detail", world.activity_internal.pk),
    ]
    for role in ("revoked", "inactive"):
        headers = {"Authorization": f"Token {world.tokens[role]}"}
        response = client.get(reverse("api:v1:matter-list"), headers=headers)
        assert response.status_code == 401, role
    for role in ("orphan", "closed"):
        if role == CLOSED_ROLE:
            Department.objects.filter(pk=world.department_a.pk).update(is_active=False)
        headers = {"Authorization": f"Token {world.tokens[role]}"}
        for name, pk in internal.items():
            assert pk not in _api_ids(client, name, headers), f"{name} as {role}"
        for name, pk in details:
            response = client.get(reverse(name, args=[pk]), headers=headers)
            assert response.status_code == 404, f"{name} as {role}"
        csv = body_text(client.get(reverse("api:v1:matter-list"), {"format": "csv"}, headers=headers))
        assert UNPUBLISHED_MATTER_TITLE not in csv and world.matter_pub.title in csv, role
    # The test can fail: with the department open again, the clerk's own token reads it.
    Department.objects.filter(pk=world.department_a.pk).update(is_active=True)
    headers = {"Authorization": f"Token {world.tokens['closed']}"}
    assert world.matter_draft.pk in _api_ids(client, "api:v1:matter-list", headers)


@pytest.mark.django_db
def test_withdrawing_roles_through_the_service_leaves_a_ledger_row_and_no_token(world):
    from matters.models import LedgerEntry

    revoked = world.users["revoked"]
    row = LedgerEntry.objects.get(object_type="user", object_id=revoked.pk)
    assert row.action == "access_revoked"
    assert row.department_id == world.department_a.pk
    assert row.actor == world.users["administrator"]
    assert "角色已撤销" in row.summary
    assert not Token.objects.filter(user=revoked).exists()
    # Removing groups in the database bypasses the service: no row, the token remains
    # (and reads public data only, above).
    orphan = world.users["orphan"]
    assert not LedgerEntry.objects.filter(object_type="user", object_id=orphan.pk).exists()
    assert Token.objects.filter(user=orphan).exists()
