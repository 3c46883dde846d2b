"""Who takes part and what they said: participants, activities, invitations, hearing
registrations, comment periods, opinions and the feedback report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.crypto import lookup_hash as phone_lookup_hash
from core.encrypted_fields import EncryptedCharField, EncryptedEmailField
from matters.models import Document, DraftVersion, Matter


class Participant(models.Model):
    """A person or organisation the government may invite (参与主体库)."""

    class Category(models.TextChoices):
        NPC_DEPUTY = "npc_deputy", _("人大代表")
        CPPCC_MEMBER = "cppcc_member", _("政协委员")
        DEMOCRATIC_PARTY = "democratic_party", _("民主党派")
        FEDERATION_OF_COMMERCE = "federation_of_commerce", _("工商联")
        NON_PARTY = "non_party", _("无党派人士")
        PEOPLES_ORGANISATION = "peoples_organisation", _("人民团体")
        SOCIAL_ORGANISATION = "social_organisation", _("社会组织")
        EXPERT = "expert", _("专家")
        PUBLIC_REPRESENTATIVE = "public_representative", _("公众代表")
        STAKEHOLDER = "stakeholder", _("利益相关方")
        SPECIAL_SUPERVISOR = "special_supervisor", _("特约监督员")
        LEGAL_ADVISER = "legal_adviser", _("法律顾问")
        # Institutions invited to observe decision meetings (列席集体讨论决定会议).
        SUPERVISORY_COMMISSION = "supervisory_commission", _("监察委员会")
        GARRISON = "garrison", _("警备区")
        COURT = "court", _("人民法院")
        PROCURATORATE = "procuratorate", _("人民检察院")

    # Categories that are always an institution, never a person.
    INSTITUTIONS = frozenset(
        {
            Category.SUPERVISORY_COMMISSION,
            Category.GARRISON,
            Category.COURT,
            Category.PROCURATORATE,
        }
    )

    name = models.CharField(_("姓名或名称"), max_length=100)
    is_organisation = models.BooleanField(_("组织"), default=False)
    category = models.CharField(_("类别"), max_length=40, choices=Category.choices)
    affiliation = models.CharField(_("单位或所属"), max_length=200, blank=True)
    expertise = models.CharField(_("专业领域"), max_length=200, blank=True)
    # Encrypted in the database (core.crypto, 数据保密性).
    phone = EncryptedCharField(_("联系电话"), max_length=30, blank=True)
    email = EncryptedEmailField(_("电子邮箱"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    # Who keeps the entry: the department that registered it edits it (with the general
    # office); every other department invites from it as it is.
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("维护部门"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("参与主体")
        verbose_name_plural = _("参与主体")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "affiliation"], name="participant_unique")
        ]
        indexes = [models.Index(fields=["category", "is_active"])]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """A consultation activity (协商活动) held on a matter: a hearing, a symposium, ..."""

    class Kind(models.TextChoices):
        HEARING = "hearing", _("听证会")
        SYMPOSIUM = "symposium", _("座谈会")
        ARGUMENTATION = "argumentation", _("论证会")
        DEMOCRATIC_TALK = "democratic_talk", _("民主恳谈会")
        RESIDENTS_FORUM = "residents_forum", _("居民论坛")
        OBSERVED_MEETING = "observed_meeting", _("列席会议")
        QUESTIONNAIRE = "questionnaire", _("问卷调查")
        PHONE_INTERVIEW = "phone_interview", _("电话访谈")
        ONLINE_SOLICITATION = "online_solicitation", _("网络征求意见")
        SPECIAL_CONSULTATION = "special_consultation", _("专题协商")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        NOTICE_PUBLISHED = "notice_published", _("已发布公告")
        HELD = "held", _("已举行")
        MINUTES_PUBLISHED = "minutes_published", _("已公开纪要")

    matter = models.ForeignKey(
        Matter, verbose_name=_("协商事项"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("活动形式"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    online_url = models.URLField(_("线上参与链接"), blank=True)
    agenda = models.TextField(_("议程"), blank=True)
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True)
    is_public = models.BooleanField(_("向社会公开"), default=True)
    accepts_registrations = models.BooleanField(_("接受公众报名"), default=False)
    registration_closes_at = models.DateTimeField(_("报名截止时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=30, choices=Status.choices, default=Status.PLANNED
    )
    notice_published_at = models.DateTimeField(_("公告发布时间"), null=True, blank=True)
    materials_published_at = models.DateTimeField(_("材料公开时间"), null=True, blank=True)
    schedule_override_reason = models.TextField(_("未满足提前公告期限的原因"), blank=True)
    minutes = models.TextField(_("纪要"), blank=True)
    minutes_document = models.ForeignKey(
        Document,
        verbose_name=_("纪要文件"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    minutes_published_at = models.DateTimeField(_("纪要公开时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("协商活动")
        verbose_name_plural = _("协商活动")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["is_public", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="activity_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def department_id(self) -> int:
        """The lead department of the matter: permission predicates compare it."""
        return self.matter.department_id


class Invitation(models.Model):
    """An invitation of one participant to one activity, answered through a personal link."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待回复")
        ACCEPTED = "accepted", _("接受")
        DECLINED = "declined", _("谢绝")

    activity = models.ForeignKey(
        Activity, verbose_name=_("协商活动"), on_delete=models.PROTECT, related_name="invitations"
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("参与主体"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    # Only a hash of the personal token is kept: a database leak leaks no working link.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    reply_deadline = models.DateTimeField(_("回复截止时间"))
    status = models.CharField(
        _("回复"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decline_reason = models.TextField(_("谢绝原因"), blank=True)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    attended = models.BooleanField(_("出席"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("邀请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("邀请")
        verbose_name_plural = _("邀请")
        ordering = ["activity", "participant__category", "participant__name"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "participant"], name="one_invitation_each")
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.activity}"


class Registration(models.Model):
    """A member of the public registering for a hearing (听证会报名)."""

    class Position(models.TextChoices):
        SUPPORT = "support", _("支持")
        OPPOSE = "oppose", _("反对")
        OTHER = "other", _("其他意见")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("已报名")
        SELECTED = "selected", _("已选定")
        NOT_SELECTED = "not_selected", _("未选定")

    activity = models.ForeignKey(
        Activity, verbose_name=_("协商活动"), on_delete=models.PROTECT, related_name="registrations"
    )
    name = models.CharField(_("姓名"), max_length=50)
    # Encrypted in the database; one registration per phone and hearing is checked on
    # the phone's keyed hash (core.crypto.lookup_hash), set on every save.
    phone = EncryptedCharField(_("联系电话"), max_length=30)
    phone_digest = models.CharField(_("联系电话摘要"), max_length=80, editable=False, default="")
    email = EncryptedEmailField(_("电子邮箱"), blank=True)
    position = models.CharField(_("观点"), max_length=20, choices=Position.choices)
    statement = models.TextField(_("主要观点"), max_length=2000, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("听证会报名")
        verbose_name_plural = _("听证会报名")
        ordering = ["activity", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "phone_digest"], name="one_registration_per_phone"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.phone_digest = phone_lookup_hash(self.phone)
        if kwargs.get("update_fields") is not None and "phone" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone_digest"}
        super().save(*args, **kwargs)


class Draw(models.Model):
    """A random draw of hearing representatives; anyone can repeat it from the seed."""

    activity = models.OneToOneField(
        Activity, verbose_name=_("协商活动"), on_delete=models.PROTECT, related_name="draw"
    )
    seed = models.CharField(_("随机种子"), max_length=64)
    places = models.PositiveIntegerField(_("名额"))
    candidates = models.JSONField(_("参与抽选的报名编号"))
    selected = models.JSONField(_("选中的报名编号"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("抽选时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("随机抽选")
        verbose_name_plural = _("随机抽选")

    def __str__(self) -> str:
        return f"{self.activity} · {self.seed}"


class CommentPeriod(models.Model):
    """A public comment period (征求意见) on a matter or one of its draft versions."""

    matter = models.ForeignKey(
        Matter, verbose_name=_("协商事项"), on_delete=models.PROTECT, related_name="comment_periods"
    )
    draft = models.ForeignKey(
        DraftVersion,
        verbose_name=_("草案版本"),
        on_delete=models.PROTECT,
        related_name="comment_periods",
        null=True,
        blank=True,
    )
    title = models.CharField(_("征求意见标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("截止时间"))
    shortened_reason = models.TextField(_("征求意见期少于法定期限的原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    report_summary = models.TextField(_("意见采纳情况说明"), blank=True)
    report_published_at = models.DateTimeField(_("采纳情况公开时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["-starts_at", "pk"]
        indexes = [
            models.Index(fields=["starts_at", "ends_at"]),
            # "Open now" (ends after now) reads the few periods not yet over.
            models.Index(fields=["ends_at"], name="period_ends_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="comment_period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def department_id(self) -> int:
        return self.matter.department_id


class Opinion(models.Model):
    """One opinion, from any channel, in the one register (意见登记)."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("网上征求意见")
        LETTER = "letter", _("信函")
        SYMPOSIUM = "symposium", _("座谈会")
        HOTLINE = "hotline", _("政务服务热线")
        MAYOR_MAILBOX = "mayor_mailbox", _("市长信箱")
        HEARING = "hearing", _("听证会")
        # Answers to a letter of solicitation (solicitations): recorded from the answer,
        # never typed in as an offline opinion.
        WRITTEN = "written", _("书面征求意见")
        OTHER = "other", _("其他渠道")

    class Moderation(models.TextChoices):
        PENDING = "pending", _("待审核")
        SHOWN = "shown", _("公开显示")
        HIDDEN = "hidden", _("不公开显示")

    class Disposition(models.TextChoices):
        ADOPTED = "adopted", _("采纳")
        PARTLY_ADOPTED = "partly_adopted", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("未采纳")
        OUT_OF_SCOPE = "out_of_scope", _("不属于本事项")

    # Channels whose opinions come from elsewhere than the offline register form.
    RECORDED_ELSEWHERE = frozenset({Channel.ONLINE, Channel.WRITTEN})

    period = models.ForeignKey(
        CommentPeriod, verbose_name=_("征求意见"), on_delete=models.PROTECT, related_name="opinions"
    )
    matter = models.ForeignKey(
        Matter, verbose_name=_("协商事项"), on_delete=models.PROTECT, related_name="opinions"
    )
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    content = models.TextField(_("意见内容"), max_length=5000)
    article = models.CharField(_("涉及条款或章节"), max_length=100, blank=True)
    author_name = models.CharField(_("署名"), max_length=50, blank=True)
    contact = EncryptedCharField(_("联系方式"), max_length=100, blank=True)
    moderation = models.CharField(
        _("公开显示"), max_length=20, choices=Moderation.choices, default=Moderation.PENDING
    )
    disposition = models.CharField(
        _("处理结果"), max_length=20, choices=Disposition.choices, blank=True
    )
    response = models.TextField(_("答复和理由"), blank=True)
    disposed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("线下渠道收到的意见由工作人员登记。"),
    )
    received_on = models.DateField(_("收到日期"))
    client_hash = models.CharField(max_length=64, blank=True, editable=False)
    # The receipt (意见编号) an online commenter is given: random, so that only its holder
    # finds the answer to the opinion in the feedback report.
    receipt = models.CharField(
        _("意见编号"), max_length=16, blank=True, editable=False, db_default=""
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        ordering = ["period", "created_at", "pk"]
        indexes = [
            models.Index(fields=["period", "disposition"]),
            models.Index(fields=["period", "moderation"]),
            models.Index(fields=["matter", "channel"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["receipt"],
                condition=~models.Q(receipt=""),
                name="opinion_receipt_unique",
            )
        ]

    def __str__(self) -> str:
        return self.content[:40]

    @property
    def report_text(self) -> str:
        """The text the public feedback report prints: an opinion staff chose not to show
        (abuse, someone's personal data) is counted and answered, its text left out."""
        if self.moderation == self.Moderation.HIDDEN:
            return str(_("（此条意见经审核不公开显示，内容从略。）"))
        return self.content

    @property
    def department_id(self) -> int:
        return self.matter.department_id
