"""The year's supervision report (年度政府协商工作督查报告): a PDF the general office asks
for, built by a Celery worker from the same figures as the dashboard, as they stood at
``as_of`` (so the same data give the same figures), and downloadable once ready."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisionReport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    year = models.PositiveSmallIntegerField(_("年度"))
    as_of = models.DateTimeField(_("数据截至"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    step = models.CharField(_("当前步骤"), max_length=100, blank=True)
    file = models.FileField(_("报告文件"), upload_to="supervision-reports/", blank=True)
    size = models.PositiveBigIntegerField(_("文件大小（字节）"), default=0)
    pages = models.PositiveIntegerField(_("页数"), default=0)
    seconds = models.FloatField(_("生成用时（秒）"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度督查报告")
        verbose_name_plural = _("年度督查报告")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return _("%(year)d年度政府协商工作督查报告") % {"year": self.year}

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
