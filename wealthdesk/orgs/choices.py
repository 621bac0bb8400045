from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    """R1: head office → tier-1 branch → tier-2 branch → sub-branch → wealth center / ordinary outlet."""

    HEAD_OFFICE = "head_office", _("总行")
    BRANCH1 = "branch1", _("一级分行")
    BRANCH2 = "branch2", _("二级分行")
    SUBBRANCH = "subbranch", _("支行")
    CENTER = "center", _("理财中心")
    OUTLET = "outlet", _("普通网点")


# Which kinds may sit under which (R1: management is vertical).
ALLOWED_PARENTS = {
    UnitKind.HEAD_OFFICE: set(),
    UnitKind.BRANCH1: {UnitKind.HEAD_OFFICE},
    UnitKind.BRANCH2: {UnitKind.BRANCH1},
    UnitKind.SUBBRANCH: {UnitKind.BRANCH1, UnitKind.BRANCH2},
    UnitKind.CENTER: {UnitKind.SUBBRANCH},
    UnitKind.OUTLET: {UnitKind.SUBBRANCH},
}
