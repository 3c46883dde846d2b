"""Questionnaires and polls (问卷调查 · 民意测验): a survey, its pages and questions, the
invited panel, the responses with their answers, and the tallies the results are read from.

A survey hangs on a matter, or stands alone for the general office's 社情民意调查. Its
state follows the clock once it is published (``planned`` → ``open`` → ``closed``), as
comment periods do. Every change goes through ``surveys.services``.

The tallies (``Tally``) are counters kept in the same transaction as the response they
count, so the results page of a survey with 100,000 responses reads a few hundred rows,
never the answers; ``manage.py survey_tallies --check`` recomputes them from the answers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from matters.models import Matter, ProcedureStep
from participation.models import Participant


class Survey(models.Model):
    class Kind(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", _("问卷调查")
        POLL = "poll", _("民意测验")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("社会公众（无需账号）")
        PANEL = "panel", _("受邀参与主体（个人链接）")
        BOTH = "both", _("社会公众和受邀参与主体")

    class ResultsShown(models.TextChoices):
        WHILE_OPEN = "while_open", _("调查期间即公开结果")
        AFTER_CLOSE = "after_close", _("调查结束后公开结果")
        STAFF_ONLY = "staff_only", _("结果仅供工作人员查看")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PLANNED = "planned", _("未开始")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")
        CANCELLED = "cancelled", _("已撤销")

    matter = models.ForeignKey(
        Matter,
        verbose_name=_("协商事项"),
        on_delete=models.PROTECT,
        related_name="surveys",
        null=True,
        blank=True,
        help_text=_("不属于某一协商事项的社情民意调查留空。"),
    )
    department = models.ForeignKey(
        Department, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("形式"), max_length=20, choices=Kind.choices, default=Kind.QUESTIONNAIRE
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    introduction = models.TextField(_("说明"), blank=True)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("结束时间"))
    audience = models.CharField(
        _("调查对象"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    one_response_per_person = models.BooleanField(
        _("每人限答一次"),
        default=True,
        help_text=_(
            "受邀参与主体每个链接只能提交一次；社会公众以浏览器标记和网络地址识别重复提交。"
        ),
    )
    results_shown = models.CharField(
        _("结果公开"), max_length=20, choices=ResultsShown.choices, default=ResultsShown.AFTER_CLOSE
    )
    allow_resume = models.BooleanField(
        _("允许保存后继续填写"),
        default=False,
        help_text=_("填写人可以保存已填内容，凭链接在结束前继续填写。"),
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    cancel_reason = models.TextField(_("撤销原因"), blank=True)
    # A survey held before the portal had surveys, recorded as a typed note with the
    # figures it reported: it is kept as that note says, marked as an offline survey.
    is_offline_record = models.BooleanField(_("线下调查记录"), default=False, editable=False)
    reported_responses = models.PositiveIntegerField(_("报告的有效问卷数"), null=True, blank=True)
    # The procedure step the survey is on record as: recorded by the portal once the
    # survey has closed with responses, or, for an offline record, the typed note it was.
    step = models.OneToOneField(
        ProcedureStep,
        verbose_name=_("程序步骤记录"),
        on_delete=models.PROTECT,
        related_name="survey",
        null=True,
        blank=True,
        editable=False,
    )
    # Every response received (voided ones too): the next response's number.
    received = models.PositiveIntegerField(default=0, editable=False)
    # Counted with the responses (voided ones excluded), for lists, the API and figures.
    response_count = models.PositiveIntegerField(_("有效答卷数"), default=0, editable=False)
    suspected_duplicates = models.PositiveIntegerField(
        _("疑似重复答卷数"), default=0, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("问卷调查")
        verbose_name_plural = _("问卷调查")
        ordering = ["-opens_at", "-pk"]
        indexes = [
            models.Index(fields=["year", "department"]),
            models.Index(fields=["published_at", "closes_at"]),
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_opening"
            ),
        ]
        permissions = [
            ("view_all_surveys", _("查看所有单位的问卷调查")),
        ]

    def __str__(self) -> str:
        return self.title

    def status_at(self, now=None) -> str:
        now = now or timezone.now()
        if self.cancelled_at is not None:
            return self.Status.CANCELLED
        if self.is_offline_record:
            return self.Status.CLOSED
        if self.published_at is None:
            return self.Status.DRAFT
        if now < self.opens_at:
            return self.Status.PLANNED
        if now < self.closes_at:
            return self.Status.OPEN
        return self.Status.CLOSED

    @property
    def status(self) -> str:
        return self.status_at()

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def takes_public(self) -> bool:
        return self.audience in (self.Audience.PUBLIC, self.Audience.BOTH)

    @property
    def takes_panel(self) -> bool:
        return self.audience in (self.Audience.PANEL, self.Audience.BOTH)

    def results_public_at(self, now=None) -> bool:
        """Whether anyone may read the results now."""
        status = self.status_at(now)
        if self.is_offline_record or self.results_shown == self.ResultsShown.STAFF_ONLY:
            return False
        if self.results_shown == self.ResultsShown.WHILE_OPEN:
            return status in (self.Status.OPEN, self.Status.CLOSED)
        return status == self.Status.CLOSED

    @property
    def results_public(self) -> bool:
        return self.results_public_at()

    def can_edit_questions(self) -> bool:
        """Questions change only before the survey is published (answers would not match)."""
        return (
            self.published_at is None and self.cancelled_at is None and not self.is_offline_record
        )


class Section(models.Model):
    """A page of a survey; a survey without sections of its own has one."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    title = models.CharField(_("页标题"), max_length=200, blank=True)
    description = models.TextField(_("页说明"), blank=True)

    class Meta:
        verbose_name = _("问卷页")
        verbose_name_plural = _("问卷页")
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="one_section_per_position")
        ]

    def __str__(self) -> str:
        return self.title or str(_("第%(n)d页") % {"n": self.position})


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("单选题")
        MULTIPLE = "multiple", _("多选题")
        TEXT = "text", _("填空题")
        RATING = "rating", _("量表题（满意度）")
        MATRIX = "matrix", _("矩阵题")
        RANKING = "ranking", _("排序题")
        NUMBER = "number", _("数值题")

    survey = models.ForeignKey(
        Survey, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("所在页"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("页内顺序"))
    kind = models.CharField(_("题型"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("题目"), max_length=500)
    help_text = models.CharField(_("填写说明"), max_length=500, blank=True)
    required = models.BooleanField(_("必答"), default=True)
    # The settings of the question's kind (``surveys.questions`` reads and checks them):
    # min_picks/max_picks, long, scale_min/scale_max/low_label/high_label, rank_count,
    # minimum/maximum/decimals/unit.
    settings = models.JSONField(_("题型设置"), default=dict, blank=True)
    # Shown only when the answer to an earlier choice question includes this option.
    # SET_NULL only so that a whole survey can be deleted (its options go with it): the
    # services never delete an option another question is shown on.
    shown_if = models.ForeignKey(
        "Option",
        verbose_name=_("显示条件"),
        on_delete=models.SET_NULL,
        related_name="controls",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ["survey", "section__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position"], name="one_question_per_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"


class Option(models.Model):
    """A choice of a question, or a row of a matrix question (``is_row``)."""

    question = models.ForeignKey(
        Question, verbose_name=_("题目"), on_delete=models.CASCADE, related_name="options"
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    label = models.CharField(_("选项"), max_length=200)
    is_row = models.BooleanField(_("矩阵行"), default=False)
    is_other = models.BooleanField(
        _("其他（请注明）"), default=False, help_text=_("选择此项须填写说明。")
    )

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["question", "is_row", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "is_row", "position"], name="one_option_per_position"
            )
        ]

    def __str__(self) -> str:
        return self.label


class PanelMember(models.Model):
    """An invited participant of a panel survey, answering through a personal link."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("问卷"), on_delete=models.PROTECT, related_name="panel"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("参与主体"), on_delete=models.PROTECT, related_name="+"
    )
    # The category when invited: results are filtered by it even if the registry changes.
    category = models.CharField(_("类别"), max_length=40, choices=Participant.Category.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答卷时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("邀请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("邀请时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("受邀答卷人")
        verbose_name_plural = _("受邀答卷人")
        ordering = ["survey", "category", "participant__name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "participant"], name="one_panel_seat_each")
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.survey}"


class Response(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("网上答卷")
        PANEL = "panel", _("受邀答卷")
        PAPER = "paper", _("纸质问卷")
        PHONE = "phone", _("电话访谈")

    survey = models.ForeignKey(
        Survey, verbose_name=_("问卷"), on_delete=models.PROTECT, related_name="responses"
    )
    number = models.PositiveIntegerField(_("答卷编号"))
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    # Panel responses carry the member's category; public and offline ones carry none.
    category = models.CharField(
        _("类别"), max_length=40, choices=Participant.Category.choices, blank=True
    )
    panel_member = models.OneToOneField(
        PanelMember,
        verbose_name=_("受邀答卷人"),
        on_delete=models.PROTECT,
        related_name="response",
        null=True,
        blank=True,
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    # A salted hash of the address and of the browser mark, never the address itself.
    client_hash = models.CharField(max_length=64, blank=True, editable=False)
    browser_hash = models.CharField(max_length=64, blank=True, editable=False)
    suspected_duplicate = models.BooleanField(_("疑似重复"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.TextField(_("作废原因"), blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作废人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="one_response_per_number")
        ]
        indexes = [
            models.Index(fields=["survey", "client_hash", "submitted_at"]),
            models.Index(fields=["survey", "browser_hash"]),
        ]

    def __str__(self) -> str:
        return _("第%(n)d号答卷") % {"n": self.number}

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class Answer(models.Model):
    """One piece of a response: a chosen option (with a matrix row or a rank), a text, a
    number. A multiple-choice answer is as many rows as options picked."""

    response = models.ForeignKey(
        Response, verbose_name=_("答卷"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("题目"), on_delete=models.PROTECT, related_name="answers"
    )
    option = models.ForeignKey(
        Option, on_delete=models.PROTECT, related_name="answers", null=True, blank=True
    )
    row = models.ForeignKey(
        Option, on_delete=models.PROTECT, related_name="row_answers", null=True, blank=True
    )
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("答案")
        verbose_name_plural = _("答案")
        ordering = ["response", "pk"]
        indexes = [models.Index(fields=["question", "number"])]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"


class Tally(models.Model):
    """How many valid responses gave one answer, by channel and category.

    The key is plain integers (0 for "none") so one unique index covers it and a submission
    adds to it with one upsert on every database. ``question_id`` 0 counts the responses
    themselves; ``value`` is the score of a rating or the rank of a ranking; ``total`` sums
    the numbers of a number question.
    """

    survey_id = models.IntegerField()
    question_id = models.IntegerField()
    option_id = models.IntegerField(default=0)
    row_id = models.IntegerField(default=0)
    value = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=20)
    category = models.CharField(max_length=40, blank=True)
    count = models.IntegerField(default=0)
    total = models.DecimalField(max_digits=24, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("统计")
        verbose_name_plural = _("统计")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "survey_id",
                    "question_id",
                    "option_id",
                    "row_id",
                    "value",
                    "channel",
                    "category",
                ],
                name="one_tally_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}:{self.option_id}:{self.row_id}:{self.value} = {self.count}"


class ResumeDraft(models.Model):
    """Answers saved to continue later (only where the survey allows it), found by a
    personal link's hash. Not a response: it counts nowhere and is deleted on submission."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    panel_member = models.ForeignKey(
        PanelMember, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("暂存答卷")
        verbose_name_plural = _("暂存答卷")

    def __str__(self) -> str:
        return str(_("暂存答卷"))
