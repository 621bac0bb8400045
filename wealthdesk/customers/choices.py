from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    """R2 customer tiers, highest first."""

    PRIVATE = "private", _("私人银行客户")
    CORE = "core", _("核心优质客户")
    PREMIUM = "premium", _("普通优质客户")
    ORDINARY = "ordinary", _("普通客户")


TIER_RANK = {Tier.ORDINARY: 0, Tier.PREMIUM: 1, Tier.CORE: 2, Tier.PRIVATE: 3}
PREMIUM_TIERS = (Tier.PRIVATE, Tier.CORE, Tier.PREMIUM)


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class IdType(models.TextChoices):
    MAINLAND_ID = "id_card", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAU = "hk_macau", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    OTHER = "other", _("其他证件")


class RiskLevel(models.TextChoices):
    C1 = "C1", _("C1 保守型")
    C2 = "C2", _("C2 稳健型")
    C3 = "C3", _("C3 平衡型")
    C4 = "C4", _("C4 成长型")
    C5 = "C5", _("C5 进取型")


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    DORMANT = "dormant", _("休眠")
    CLOSED = "closed", _("已销户")


class TierChangeSource(models.TextChoices):
    RECOMPUTE = "recompute", _("按日均资产重算")
    MANUAL = "manual", _("人工调整")
    IMPORT = "import", _("数据导入")
