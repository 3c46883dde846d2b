"""The public sections of the portal. A section whose app is not installed yet shows as
"即将开放" instead of a dead link."""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    label: str | Promise
    url_name: str
    description: str | Promise

    @property
    def url(self) -> str | None:
        # Asked for three times per section on every page (header and home page cards).
        return _section_url(
            self.url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
        )


@functools.lru_cache(maxsize=64)
def _section_url(url_name: str, script_prefix: str, urlconf) -> str | None:
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


PUBLIC_SECTIONS = (
    Section(
        _("年度计划目录"),
        "annual_plans:public_list",
        _("各区市政府和市政府部门报备的年度政府协商计划目录。"),
    ),
    Section(_("协商事项"), "matters:public_list", _("立法、行政决策、重点事项和预算协商事项。")),
    Section(
        _("正在征求意见"),
        "participation:open_comment_periods",
        _("正在公开征求意见的草案和决策事项，欢迎提出意见建议。"),
    ),
    Section(
        _("协商活动"), "participation:activity_list", _("听证会、座谈会、论证会等协商活动安排。")
    ),
    Section(
        _("问卷调查"),
        "surveys:public_list",
        _("就协商事项和社情民意开展的问卷调查、民意测验，无需注册即可填写，并查看公开的结果。"),
    ),
    Section(
        _("公开征集"),
        "calls:list",
        _("年度政府协商议题和立法项目建议公开征集，欢迎提出建议，并查询遴选结果。"),
    ),
    Section(
        _("建议提案办理"),
        "proposals:public_list",
        _("人大代表建议和政协提案的办理情况和公开答复。"),
    ),
    Section(_("开放数据"), "opendata:index", _("下载公开数据包，使用开放接口，订阅更新。")),
    Section(
        _("站内搜索"),
        "search:results",
        _("按关键词查找协商事项、目录事项、协商活动、意见采纳情况和建议提案答复。"),
    ),
)
