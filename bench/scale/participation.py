"""The generator's participation rows: comment periods, opinions, participants,
activities and invitations."""

import datetime as dt
import hashlib
import itertools
from collections import defaultdict

from matters.models import Matter
from participation.models import Activity, CommentPeriod, Invitation, Opinion, Participant

from .rows import (
    insert_chunks,
)
from .text import (
    CHANNEL_WEIGHTS,
    COMMENTED_SHARE,
    DISPOSITION_WEIGHTS,
    EMAIL_DOMAIN,
    GIVEN,
    HOT_MATTERS,
    HOT_SHARE,
    INVITATIONS_PER_ACTIVITY,
    MODERATION_WEIGHTS,
    OPINION_BODIES,
    OPINION_CLOSINGS,
    OPINION_OPENINGS,
    ORGANISATIONS,
    PLACES,
    RESPONSES,
    TOP_SHARE,
    TOPICS,
)


class ParticipationRows:
    """Mixed into ``Generator``: each method writes one table and returns its row count."""

    def comment_periods(self) -> int:
        rng = self.rng
        published = [info for info in self.matter_infos if info.published]
        count = max(HOT_MATTERS, round(len(published) * COMMENTED_SHARE))
        chosen = rng.sample(published, min(count, len(published)))
        rows, self.periods = [], []
        today = self.today()
        for info in chosen:
            start_day = self.day_in(info.planned_start, min(info.planned_end, today))
            starts = self.moment(start_day)
            ends = starts + dt.timedelta(days=rng.choice((15, 30, 30, 30, 45)))
            period_id = self.ids.take(CommentPeriod)
            self.periods.append((period_id, info, starts, ends))
            closed = ends < self.now
            rows.append(
                {
                    "id": period_id,
                    "matter_id": info.id,
                    "draft_id": None,
                    "title": f"{info.title}公开征求意见",
                    "description": "欢迎社会各界提出意见建议。",
                    "starts_at": starts,
                    "ends_at": ends,
                    "shortened_reason": "",
                    "created_by_id": info.user_id,
                    "created_at": starts - dt.timedelta(days=1),
                    "report_summary": (
                        "本次征求意见收到的意见建议已逐条研究，采纳情况如下。" if closed else ""
                    ),
                    "report_published_at": ends + dt.timedelta(days=20) if closed else None,
                }
            )
        return insert_chunks(CommentPeriod, rows)

    def opinions(self) -> int:
        rng, total = self.rng, self.sizes["opinions"]
        # The hot periods: the first draws TOP_SHARE, the others HOT_SHARE between them,
        # every period shares the rest.
        hot = self.periods[:HOT_MATTERS]
        weights = [0.0] * len(self.periods)
        weights[0] = TOP_SHARE * total
        for index in range(1, len(hot)):
            weights[index] = HOT_SHARE * total / (len(hot) - 1) / index**0.5 * 2
        rest = (1 - TOP_SHARE - HOT_SHARE) * total / len(self.periods)
        weights = [w + rest for w in weights]
        weights[0] = 0.0  # the top period gets its share exactly, below
        cumulative = list(itertools.accumulate(weights))
        indexes = range(len(self.periods))
        channels, channel_weights = zip(*CHANNEL_WEIGHTS.items(), strict=True)
        dispositions, disposition_weights = zip(*DISPOSITION_WEIGHTS.items(), strict=True)
        moderations, moderation_weights = zip(*MODERATION_WEIGHTS.items(), strict=True)
        # The top matter gets its share exactly, so the benchmark can count on it.
        top_count = max(1, round(TOP_SHARE * total))
        top_period = self.periods[0]
        per_matter: dict[int, int] = defaultdict(int)

        def rows():
            for n in range(total):
                if n < top_count:
                    period_id, info, starts, ends = top_period
                else:
                    index = rng.choices(indexes, cum_weights=cumulative)[0]
                    period_id, info, starts, ends = self.periods[index]
                per_matter[info.id] += 1
                topic = TOPICS[info.topic][0]
                channel = rng.choices(channels, channel_weights)[0]
                disposition = rng.choices(dispositions, disposition_weights)[0]
                received = self.day_in(starts.date(), min(ends.date(), self.today()))
                created = self.moment(received, 0, 24)
                offline = channel != Opinion.Channel.ONLINE
                content = (
                    rng.choice(OPINION_OPENINGS)
                    + rng.choice(OPINION_BODIES).format(topic=topic, place=rng.choice(PLACES))
                    + rng.choice(OPINION_CLOSINGS)
                )
                yield {
                    "id": self.ids.take(Opinion),
                    "period_id": period_id,
                    "matter_id": info.id,
                    "channel": channel,
                    "content": content,
                    "article": f"第{rng.randint(1, 60)}条" if rng.random() < 0.3 else "",
                    "author_name": self.person() if rng.random() < 0.4 else "",
                    "contact": f"13{rng.randrange(10**9):09d}" if rng.random() < 0.3 else "",
                    "moderation": rng.choices(moderations, moderation_weights)[0],
                    "disposition": disposition,
                    "response": RESPONSES.get(disposition, ""),
                    "disposed_at": created + dt.timedelta(days=10) if disposition else None,
                    "disposed_by_id": info.user_id if disposition else None,
                    "recorded_by_id": info.user_id if offline else None,
                    "received_on": received,
                    "client_hash": (
                        hashlib.sha256(f"{self.seed}-{n}".encode()).hexdigest()
                        if not offline
                        else ""
                    ),
                    "created_at": created,
                }

        count = insert_chunks(Opinion, rows())
        top_id = max(per_matter, key=per_matter.get)
        reference = Matter.objects.filter(pk=top_id).values_list("reference", flat=True).get()
        Matter.objects.filter(pk=top_id).update(is_contested=True)
        self.report.top_matter = (top_id, reference, per_matter[top_id])
        return count

    def participants(self) -> int:
        rng, rows, seen = self.rng, [], set()
        categories = list(Participant.Category)
        self.participant_ids = []
        for n in range(self.sizes["participants"]):
            category = rng.choice(categories)
            organisation = category in (
                Participant.Category.DEMOCRATIC_PARTY,
                Participant.Category.PEOPLES_ORGANISATION,
                Participant.Category.SOCIAL_ORGANISATION,
            )
            affiliation = rng.choice(ORGANISATIONS)
            name = f"{rng.choice(PLACES)}{rng.choice(TOPICS)[0]}协会" if organisation else None
            name = name or self.person()
            while (name, affiliation) in seen:
                affiliation = f"{rng.choice(PLACES)}{rng.choice(ORGANISATIONS)}"
                if (name, affiliation) in seen:
                    name = self.person() + rng.choice(GIVEN)
            seen.add((name, affiliation))
            participant_id = self.ids.take(Participant)
            self.participant_ids.append(participant_id)
            rows.append(
                {
                    "id": participant_id,
                    "name": name,
                    "is_organisation": organisation,
                    "category": category,
                    "affiliation": affiliation,
                    "expertise": rng.choice(TOPICS)[0],
                    "phone": f"0532-8{rng.randrange(10_000_000):07d}",
                    "email": f"p{n + 1:06d}{EMAIL_DOMAIN}",
                    "is_active": rng.random() < 0.95,
                    "created_by_id": self.user_of[self.department_ids[0]],
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
        return insert_chunks(Participant, rows)

    def activities(self) -> int:
        rng, rows = self.rng, []
        published = [info for info in self.matter_infos if info.published]
        kinds = list(Activity.Kind)
        today = self.today()
        self.activity_infos = []
        for info in rng.sample(published, min(self.sizes["activities"], len(published))):
            day = self.day_in(info.planned_start, info.planned_end)
            starts = self.moment(day, 9, 16)
            ends = starts + dt.timedelta(hours=rng.randint(1, 4))
            past = day < today
            status = (
                rng.choice((Activity.Status.HELD, Activity.Status.MINUTES_PUBLISHED))
                if past
                else rng.choice((Activity.Status.PLANNED, Activity.Status.NOTICE_PUBLISHED))
            )
            kind = rng.choice(kinds)
            activity_id = self.ids.take(Activity)
            self.activity_infos.append((activity_id, starts, past, info.user_id))
            minutes_published = status == Activity.Status.MINUTES_PUBLISHED
            rows.append(
                {
                    "id": activity_id,
                    "matter_id": info.id,
                    "kind": kind,
                    "title": f"{info.title}{kind.label}",
                    "starts_at": starts,
                    "ends_at": ends,
                    "place": f"{info.place}政务服务中心{rng.randint(1, 9)}楼会议室",
                    "online_url": "",
                    "agenda": "一、介绍事项情况\n二、参加人发表意见\n三、总结",
                    "capacity": rng.choice((None, 20, 30, 50)),
                    "is_public": rng.random() < 0.9,
                    "accepts_registrations": kind == Activity.Kind.HEARING,
                    "registration_closes_at": None,
                    "status": status,
                    "notice_published_at": (
                        starts - dt.timedelta(days=10)
                        if status != Activity.Status.PLANNED
                        else None
                    ),
                    "materials_published_at": None,
                    "schedule_override_reason": "",
                    "minutes": "与会人员围绕事项充分发表了意见。" if minutes_published else "",
                    "minutes_document_id": None,
                    "minutes_published_at": (
                        ends + dt.timedelta(days=5) if minutes_published else None
                    ),
                    "created_by_id": info.user_id,
                    "created_at": starts - dt.timedelta(days=20),
                    "updated_at": starts,
                }
            )
        return insert_chunks(Activity, rows)

    def invitations(self) -> int:
        rng = self.rng

        def rows():
            for activity_id, starts, past, user_id in self.activity_infos:
                for participant_id in rng.sample(self.participant_ids, INVITATIONS_PER_ACTIVITY):
                    invitation_id = self.ids.take(Invitation)
                    status = rng.choices(
                        list(Invitation.Status), (10, 75, 15) if past else (50, 40, 10)
                    )[0]
                    sent = starts - dt.timedelta(days=rng.randint(8, 20))
                    replied = status != Invitation.Status.PENDING
                    token = f"scale-{self.seed}-{invitation_id}".encode()
                    yield {
                        "id": invitation_id,
                        "activity_id": activity_id,
                        "participant_id": participant_id,
                        "token_hash": hashlib.sha256(token).hexdigest(),
                        "reply_deadline": starts - dt.timedelta(days=3),
                        "status": status,
                        "decline_reason": (
                            "时间冲突，无法参加。" if status == Invitation.Status.DECLINED else ""
                        ),
                        "replied_at": sent + dt.timedelta(days=2) if replied else None,
                        "attended": (
                            (rng.random() < 0.9)
                            if past and status == Invitation.Status.ACCEPTED
                            else None
                        ),
                        "sent_at": sent,
                        "created_by_id": user_id,
                        "created_at": sent,
                    }

        return insert_chunks(Invitation, rows())
