"""The one summary the dashboards keep: assets under management per center and day (R1, R2).

Every other figure of the dashboards is computed live from the owning app's tables (``core.registry``'s unit
figures). AUM on past days would mean summing a million daily balances per day asked, so ``CenterDayAum`` holds
those sums per center, rebuilt for a day whenever the balance loads changed since it was built (``AumDayState``
keeps the loads' fingerprint): a figure is never older than the last load, the only writer of balances.
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.models import TimeStampedModel


class AumDayState(TimeStampedModel):
    """For one day: the fingerprint of the balance loads the day's summary was built from."""

    as_of = models.DateField(_("日期"), unique=True)
    fingerprint = models.CharField(_("数据批次指纹"), max_length=120, blank=True)
    built_at = models.DateTimeField(_("汇总时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("资产日汇总状态")
        verbose_name_plural = _("资产日汇总状态")
        ordering = ["-as_of"]

    def __str__(self) -> str:
        return f"{self.as_of} {self.fingerprint}"


class CenterDayAum(models.Model):
    """The sum of the day's balances of the customers of one center (R1: summed up the tree from here)."""

    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField(_("日期"))
    aum = models.DecimalField(_("资产余额"), max_digits=20, decimal_places=2)
    customers = models.PositiveIntegerField(_("客户数"))

    class Meta:
        verbose_name = _("理财中心资产日汇总")
        verbose_name_plural = _("理财中心资产日汇总")
        ordering = ["as_of", "center_id"]
        constraints = [models.UniqueConstraint(fields=["as_of", "center"], name="centerdayaum_day_center_uniq")]

    def __str__(self) -> str:
        return f"{self.center_id} {self.as_of} {self.aum}"
