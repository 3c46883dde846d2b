"""The letter's e-mails and its deadline reminders: the letter goes to every addressed
person with an e-mail with a personal link (kept in the outbox only as the row's secret)
and to the staff and leaders of every addressed body with the answer page; main addressees
who have not answered are reminded three days and one day before the end of the deadline
day (Beijing time), each step once, a person's reminder without any personal link."""

import datetime

import pytest
from django.urls import reverse

from occasions.services import scan
from participation.models import Participant
from participation.tokens import absolute_url
from reminders.models import LINK_PLACEHOLDER, Reminder
from solicitations.models import Addressee
from tests.factories import DepartmentFactory, StaffFactory, make_period

from .letters_support import (
    BEFORE_DEADLINE,
    UTC,
    add,
    at,
    body,
    by_link,
    draft_letter,
    letter_emails,
    person,
    send,
    token_of,
)

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind
THREE_DAYS = "deadline-20270315-3d"
ONE_DAY = "deadline-20270315-1d"


@pytest.fixture
def staff():
    department = DepartmentFactory(name="青岛市住房和城乡建设局", code="zjj", short_name="市住建局")
    return StaffFactory(department=department, username="liuyang", full_name="刘洋")


@pytest.fixture
def period(staff):
    return make_period(by=staff, title="《青岛市既有住宅加装电梯管理办法》征求意见")


@pytest.fixture
def finance():
    department, body_staff, leader = body("青岛市财政局", "czj")
    StaffFactory(department=department, username="czj_noemail", email="")
    gone = StaffFactory(department=department, username="czj_gone")
    gone.is_active = False
    gone.save()
    StaffFactory(username="elsewhere")  # another department
    return department, body_staff, leader


@pytest.fixture
def district():
    return body("青岛市市南区人民政府", "snq", kind="district")


@pytest.fixture
def expert(staff):
    return person(staff, "张立新", Participant.Category.EXPERT, email="zhanglx@example.cn")


@pytest.fixture
def on_paper(staff):
    return person(staff, "王建国", Participant.Category.NPC_DEPUTY)


@pytest.fixture
def letter(period, staff, finance, district, expert, on_paper):
    """Main to the finance bureau, an expert (e-mail) and a deputy (no e-mail); copied to
    the Shinan district government. Not yet sent."""
    solicitation = draft_letter(period, staff)
    add(solicitation, staff, departments=[finance[0]], participants=[expert, on_paper])
    add(solicitation, staff, departments=[district[0]], role=Addressee.Role.COPY)
    return solicitation


def place(solicitation, *, department=None, participant=None) -> Addressee:
    if department is not None:
        return solicitation.addressees.get(department=department)
    return solicitation.addressees.get(participant=participant)


def reminders(**filters):
    return Reminder.objects.filter(kind=Kind.SOLICITATION_DEADLINE, **filters)


def sent_to(**filters) -> list[tuple[str, str]]:
    return sorted(reminders(**filters).values_list("recipient", "occasion"))


def answer_link(addressee) -> str:
    return absolute_url(
        reverse("solicitations:answer", args=[addressee.solicitation_id, addressee.pk])
    )


# ------------------------------------------------------------------ the letter's e-mails


class TestLetterEmails:
    def test_each_body_member_gets_the_answer_page(self, letter, staff, finance, district):
        send(letter, staff)
        department, body_staff, leader = finance
        addressed = place(letter, department=department)
        emails = list(letter_emails(addressed))
        assert [e.recipient for e in emails] == sorted([body_staff.email, leader.email])
        for email in emails:
            assert email.user_id in {body_staff.pk, leader.pk}
            assert email.secret == ""
            assert email.link == answer_link(addressed)
            assert answer_link(addressed) in email.body_text
            assert LINK_PLACEHOLDER not in email.body_text
            assert "青岛市财政局" in email.body_text
        # A copy is told as well.
        copied = place(letter, department=district[0])
        assert letter_emails(copied).count() == 2

    def test_a_person_with_an_email_gets_a_personal_link(self, letter, staff, expert):
        send(letter, staff)
        addressed = place(letter, participant=expert)
        (email,) = letter_emails(addressed)
        token = token_of(addressed)
        assert email.recipient == "zhanglx@example.cn"
        assert email.user is None
        assert email.secret == absolute_url(reverse("solicitations:link_answer", args=[token]))
        assert LINK_PLACEHOLDER in email.body_text
        assert token not in email.body_text and token not in email.body_html
        assert email.link == ""

    def test_nobody_without_an_email_is_written_to(self, letter, staff, on_paper):
        send(letter, staff)
        addressed = place(letter, participant=on_paper)
        assert not letter_emails(addressed).exists()
        assert addressed.token_hash == ""
        recipients = set(Reminder.objects.values_list("recipient", flat=True))
        assert "" not in recipients
        assert not any(r.startswith(("czj_noemail", "czj_gone", "elsewhere")) for r in recipients)

    def test_a_draft_sends_nothing(self, letter):
        assert not Reminder.objects.exists()


# ------------------------------------------------------------------ deadline reminders


class TestDeadlineReminders:
    def test_three_days_before_the_end_of_the_deadline_day(self, letter, staff, finance, expert):
        send(letter, staff)
        _department, body_staff, leader = finance
        scan(now=at(2027, 3, 12, 23, 59, 59))
        assert not reminders().exists()

        scan(now=at(2027, 3, 13, 0, 0))

        assert sent_to() == sorted(
            [
                (body_staff.email, THREE_DAYS),
                (leader.email, THREE_DAYS),
                ("zhanglx@example.cn", THREE_DAYS),
            ]
        )

    def test_beijing_not_utc(self, letter, staff):
        """16:00 UTC on 12 March is 00:00 on 13 March in Beijing."""
        send(letter, staff)
        scan(now=datetime.datetime(2027, 3, 12, 15, 59, tzinfo=UTC))
        assert not reminders().exists()
        scan(now=datetime.datetime(2027, 3, 12, 16, 0, tzinfo=UTC))
        assert reminders().count() == 3

    def test_scanning_again_adds_nothing(self, letter, staff):
        send(letter, staff)
        scan(now=at(2027, 3, 13, 8))
        first = list(reminders().values_list("pk", flat=True))
        scan(now=at(2027, 3, 13, 18))
        scan(now=at(2027, 3, 14, 23, 59))
        assert list(reminders().values_list("pk", flat=True)) == first
        assert len(first) == 3

    def test_the_one_day_step_reminds_again(self, letter, staff, finance):
        send(letter, staff)
        scan(now=at(2027, 3, 13, 8))
        scan(now=at(2027, 3, 15, 0, 0))
        assert reminders(occasion=THREE_DAYS).count() == 3
        assert reminders(occasion=ONE_DAY).count() == 3
        # Past the end of the deadline day nobody is reminded any more.
        scan(now=at(2027, 3, 16, 0, 0))
        scan(now=at(2027, 3, 17, 9))
        assert reminders().count() == 6

    def test_a_missed_three_day_scan_gives_the_step_in_effect(self, letter, staff):
        send(letter, staff)
        scan(now=at(2027, 3, 15, 10))  # nothing ran on the 13th or 14th
        assert set(reminders().values_list("occasion", flat=True)) == {ONE_DAY}

    def test_an_answered_addressee_is_not_reminded(self, letter, staff, finance, expert):
        send(letter, staff)
        by_link(place(letter, participant=expert), BEFORE_DEADLINE)
        scan(now=at(2027, 3, 13, 8))
        assert not reminders(recipient="zhanglx@example.cn").exists()
        assert reminders().count() == 2  # the finance bureau's two members

    def test_copies_and_people_without_an_email_are_not_reminded(
        self, letter, staff, district, on_paper
    ):
        send(letter, staff)
        scan(now=at(2027, 3, 15, 8))
        copy = place(letter, department=district[0])
        paper = place(letter, participant=on_paper)
        assert not reminders(object_id__in=[copy.pk, paper.pk]).exists()
        assert "snq_staff@example.gov.cn" not in set(
            reminders().values_list("recipient", flat=True)
        )

    def test_a_persons_reminder_carries_no_personal_link(self, letter, staff, expert):
        send(letter, staff)
        addressed = place(letter, participant=expert)
        token = token_of(addressed)
        scan(now=at(2027, 3, 13, 8))
        (reminder,) = reminders(recipient="zhanglx@example.cn")
        assert reminder.object_id == addressed.pk
        assert reminder.link == "" and reminder.secret == ""
        for text in (reminder.body_text, reminder.body_html):
            assert token not in text
            assert "/solicitations/answer/" not in text
            assert LINK_PLACEHOLDER not in text
        assert "个人链接" in reminder.body_text

    def test_a_bodys_reminder_links_to_the_answer_page(self, letter, staff, finance):
        send(letter, staff)
        department, body_staff, leader = finance
        addressed = place(letter, department=department)
        scan(now=at(2027, 3, 13, 8))
        rows = list(reminders(object_id=addressed.pk).order_by("recipient"))
        assert [(r.recipient, r.user_id) for r in rows] == sorted(
            [(body_staff.email, body_staff.pk), (leader.email, leader.pk)]
        )
        for row in rows:
            assert row.link == answer_link(addressed)
            assert answer_link(addressed) in row.body_text
            assert row.due_at == at(2027, 3, 13, 0, 0)

    def test_a_letter_sent_within_three_days_is_reminded_only_one_day_before(self, letter, staff):
        send(letter, staff, now=at(2027, 3, 14, 10))
        scan(now=at(2027, 3, 14, 11))
        assert not reminders().exists()
        scan(now=at(2027, 3, 15, 0, 0))
        assert set(reminders().values_list("occasion", flat=True)) == {ONE_DAY}
        assert reminders().count() == 3

    def test_a_draft_is_not_reminded(self, letter):
        scan(now=at(2027, 3, 15, 8))
        assert not reminders().exists()
