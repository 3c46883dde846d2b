"""Observers at decision meetings (列席): the supervisory commission, the garrison, the
court and the procuratorate are registry categories of institutions, invited to a
列席会议 of a decision through the ordinary invitations."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import TransitionError
from participation.imports import read_participant_file
from participation.models import Activity, Invitation, Participant
from participation.services import invitations
from participation.services.participants import ImportRefused, participants_import
from tests.factories import StaffFactory, make_activity, make_participant
from tests.participation.test_participants_import import csv_upload

pytestmark = pytest.mark.django_db

P = Participant.Category
INSTITUTIONS = {
    P.SUPERVISORY_COMMISSION: "监察委员会",
    P.GARRISON: "警备区",
    P.COURT: "人民法院",
    P.PROCURATORATE: "人民检察院",
}


def test_the_four_institutions_are_categories_with_their_chinese_names():
    labels = dict(P.choices)
    assert {category: str(labels[category]) for category in INSTITUTIONS} == INSTITUTIONS
    assert set(INSTITUTIONS) == Participant.INSTITUTIONS


def test_an_institution_is_registered_as_an_organisation():
    court = make_participant(
        name="青岛市中级人民法院", category=P.COURT, affiliation="", is_organisation=True
    )
    assert court.category == P.COURT and court.is_organisation


def test_an_institution_registered_as_a_person_is_refused_with_a_reason():
    with pytest.raises(TransitionError, match="“人民检察院”是机构"):
        make_participant(name="青岛市人民检察院", category=P.PROCURATORATE, affiliation="")
    assert not Participant.objects.filter(name="青岛市人民检察院").exists()


def test_the_registry_form_keeps_what_was_typed_and_says_why(client):
    client.force_login(StaffFactory())
    response = client.post(
        reverse("participation:participant_create"),
        {"name": "青岛警备区", "category": "garrison", "affiliation": "", "is_active": "on"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "“警备区”是机构" in page
    assert 'value="青岛警备区"' in page
    assert not Participant.objects.filter(name="青岛警备区").exists()


def test_an_import_takes_institutions_by_their_chinese_label():
    staff = StaffFactory()
    rows = [
        ["青岛市监察委员会", "监察委员会", "", "", "", "", "是"],
        ["青岛警备区", "警备区", "", "", "", "", "是"],
    ]
    created = participants_import(by=staff, rows=read_participant_file(csv_upload(rows)))
    assert sorted(p.category for p in created) == sorted([P.SUPERVISORY_COMMISSION, P.GARRISON])


def test_an_import_of_an_institution_as_a_person_imports_nothing():
    rows = [
        ["青岛市中级人民法院", "人民法院", "", "", "", "", "否"],
        ["张伟", "专家", "青岛大学", "", "", "", "否"],
    ]
    with pytest.raises(ImportRefused) as refused:
        participants_import(by=StaffFactory(), rows=read_participant_file(csv_upload(rows)))
    assert [(e.line, e.reason) for e in refused.value.errors] == [
        (2, "“人民法院”是机构，“组织”一栏应填“是”")
    ]
    assert not Participant.objects.exists()


def test_the_institutions_are_invited_to_observe_a_decision_meeting_by_category(
    django_capture_on_commit_callbacks,
):
    staff = StaffFactory()
    for name, category in (
        ("青岛市监察委员会", P.SUPERVISORY_COMMISSION),
        ("青岛警备区", P.GARRISON),
        ("青岛市中级人民法院", P.COURT),
        ("青岛市人民检察院", P.PROCURATORATE),
    ):
        make_participant(
            name=name, category=category, affiliation="", is_organisation=True, by=staff,
            email=f"{category}@example.gov.cn",
        )  # fmt: skip
    make_participant(name="张伟", category=P.EXPERT, by=staff)  # not an observer
    meeting = make_activity(
        by=staff, kind=Activity.Kind.OBSERVED_MEETING, starts_in=datetime.timedelta(days=10)
    )

    with django_capture_on_commit_callbacks(execute=True):
        batch = invitations.invitations_send(
            activity=meeting,
            by=staff,
            reply_deadline=timezone.now() + datetime.timedelta(days=5),
            categories=sorted(Participant.INSTITUTIONS),
        )

    invited = Invitation.objects.filter(activity=meeting).select_related("participant")
    assert len(batch.created) == 4
    assert {i.participant.category for i in invited} == set(INSTITUTIONS)
