from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.uploads import ALLOWED_TYPES

from ..models import Activity

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("线上参与链接"),
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={"invalid": _("请填写有效的网址（以 http:// 或 https:// 开头）。")},
    )
    override_reason = forms.CharField(
        label=_("未满足提前公告期限的原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "agenda",
            "capacity",
            "is_public",
            "accepts_registrations",
            "registration_closes_at",
            "notice_published_at",
            "materials_published_at",
        ]
        widgets = {
            "starts_at": DATETIME_INPUT,
            "ends_at": DATETIME_INPUT,
            "registration_closes_at": DATETIME_INPUT,
            "notice_published_at": DATETIME_INPUT,
            "materials_published_at": DATETIME_INPUT,
            "agenda": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {
            "notice_published_at": _("计划公告发布时间"),
            "materials_published_at": _("计划材料公开时间"),
        }
        help_texts = {
            "notice_published_at": _("听证会必填：公告向社会公布的计划时间。"),
            "materials_published_at": _("听证会必填：听证材料公开的计划时间。"),
        }
        error_messages = {
            "title": {"required": _("请填写活动名称。")},
            "starts_at": {"required": _("请填写开始时间。"), "invalid": _("时间格式不正确。")},
            "ends_at": {"required": _("请填写结束时间。"), "invalid": _("时间格式不正确。")},
            "online_url": {"invalid": _("请填写有效的网址（以 http:// 或 https:// 开头）。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["override_reason"].help_text = _(
            "听证会公告应至少提前 %(notice)d 日、听证材料应至少提前 %(materials)d 日向社会公开。"
            "确因特殊情况不能满足时填写原因，原因将记入台账并在活动页面显示。"
        ) % {
            "notice": settings.PORTAL_HEARING_NOTICE_DAYS,
            "materials": settings.PORTAL_HEARING_MATERIALS_DAYS,
        }
        if self.instance.pk:
            self.fields["override_reason"].initial = self.instance.schedule_override_reason
            if self.instance.status != Activity.Status.PLANNED:
                self.fields["notice_published_at"].disabled = True
                self.fields["notice_published_at"].label = _("公告发布时间")
                self.fields["notice_published_at"].help_text = _("公告已发布。")

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at < starts_at:
            self.add_error("ends_at", _("结束时间不能早于开始时间。"))
        if not cleaned.get("place") and not cleaned.get("online_url"):
            self.add_error("place", _("请填写地点或线上参与链接。"))
        if cleaned.get("registration_closes_at") and not cleaned.get("accepts_registrations"):
            # A deadline for a registration no one is offered would be kept and shown
            # nowhere: say so on the field rather than store it.
            self.add_error(
                "registration_closes_at",
                _(
                    "未勾选“接受公众报名”时不能填写报名截止时间："
                    "请勾选“接受公众报名”，或清空报名截止时间。"
                ),
            )
        return cleaned

    def _post_clean(self):
        # The model's check constraint is the service's to enforce, with its own message.
        pass

    def service_fields(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data
        }


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("纪要内容"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    file = forms.FileField(
        label=_("纪要文件"),
        required=False,
        help_text=_("可选：PDF、Word 等文件，将作为“会议纪要”附件公开。"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{extension}" for extension in ALLOWED_TYPES)}
        ),
    )
    document_title = forms.CharField(label=_("文件名称"), required=False, max_length=200)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("minutes", "").strip() and not cleaned.get("file"):
            raise forms.ValidationError(_("请填写纪要内容或上传纪要文件。"))
        return cleaned


class ActivityFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("活动形式"),
        required=False,
        choices=[("", _("全部形式")), *Activity.Kind.choices],
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"kind": self.cleaned_data["kind"]}
