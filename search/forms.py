from django import forms
from django.utils.translation import gettext_lazy as _

from core.search import MAX_QUERY_LENGTH, query_words


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("查找内容"),
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "required": _("请输入要查找的词语。"),
            "max_length": _("查找内容不能超过%(limit_value)d个字（现有%(show_value)d个字）。"),
        },
    )

    def clean_q(self) -> str:
        q = self.cleaned_data["q"]
        if not query_words(q):
            raise forms.ValidationError(_("请输入汉字、字母或数字。"), code="no_words")
        return q
