"""Letters of solicitation made through the services, for the letter and reminder tests.

Times are Beijing time (Asia/Shanghai): the letter is drafted on 26 February 2027, sent on
1 March and due by the end of 15 March, i.e. 16 March 00:00 Beijing = 15 March 16:00 UTC.
"""

import datetime
from zoneinfo import ZoneInfo

from reminders.models import Reminder
from solicitations.models import Addressee
from solicitations.services import letters
from tests.factories import DepartmentFactory, LeaderFactory, StaffFactory, make_participant

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC

DEADLINE = datetime.date(2027, 3, 15)


def at(year, month, day, hour=9, minute=0, second=0, tz=SHANGHAI):
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=tz)


DRAFTED_AT = at(2027, 2, 26, 9)
SENT_AT = at(2027, 3, 1, 10)
BEFORE_DEADLINE = at(2027, 3, 10, 15)
LAST_MINUTE = at(2027, 3, 15, 23, 59)
MIDNIGHT_AFTER = at(2027, 3, 16, 0, 0)


def letter(**changes) -> letters.Letter:
    values = {
        "title": "关于征求《青岛市既有住宅加装电梯管理办法（征求意见稿）》意见的函",
        "reference_number": "青建函〔2027〕12号",
        "body": "现将《青岛市既有住宅加装电梯管理办法（征求意见稿）》送上，请研提意见。",
        "deadline": DEADLINE,
        "contact_name": "刘洋",
        "contact_phone": "0532-85911234",
        "deemed_no_opinion": True,
        **changes,
    }
    return letters.Letter(**values)


def draft_letter(period, by, **changes):
    return letters.solicitation_create(
        matter=period.matter, period=period, by=by, letter=letter(**changes), now=DRAFTED_AT
    )


def body(name, code, kind="municipal_department"):
    """A department that answers through its own staff, with one staff member and one
    leader (both with an e-mail)."""
    department = DepartmentFactory(name=name, code=code, short_name=name[:10], kind=kind)
    staff = StaffFactory(department=department, username=f"{code}_staff", full_name=f"{code}经办")
    leader = LeaderFactory(
        department=department, username=f"{code}_leader", full_name=f"{code}局长"
    )
    return department, staff, leader


def person(by, name, category, email="", **fields):
    return make_participant(
        by=by,
        name=name,
        category=category,
        affiliation=fields.pop("affiliation", "青岛市"),
        email=email,
        **fields,
    )


def add(solicitation, by, *, departments=(), participants=(), role=Addressee.Role.MAIN):
    return letters.addressees_add(
        solicitation=solicitation,
        by=by,
        departments=departments,
        participants=participants,
        role=role,
    )


def send(solicitation, by, now=SENT_AT):
    return letters.solicitation_send(solicitation=solicitation, by=by, now=now)


def letter_emails(addressee):
    return Reminder.objects.filter(
        kind=Reminder.Kind.SOLICITATION_LETTER, object_id=addressee.pk
    ).order_by("recipient")


def token_of(addressee) -> str:
    """The raw personal link token, as the letter's e-mail carries it (``Reminder.secret``
    holds the link until the e-mail has gone out)."""
    (email,) = letter_emails(addressee)
    assert email.secret.startswith("http"), email.secret
    return email.secret.rstrip("/").rsplit("/", 1)[1]


def opinions(*items):
    return letters.Answer(answer=Addressee.Answer.OPINIONS, items=list(items))


def no_opinion():
    return letters.Answer(answer=Addressee.Answer.NONE, items=[])


def by_link(addressee, now, answer=None, signer="签名人"):
    return letters.link_answer(
        addressee=addressee,
        answer=answer or opinions(("第五条", "建议明确补助资金的拨付时限。")),
        signer_name=signer,
        now=now,
    )


def refreshed(obj):
    obj.refresh_from_db()
    return obj
