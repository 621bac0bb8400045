"""The org tree (R1) with a materialized path, so a subtree is one indexed prefix query."""
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.roles import Reach, Role
from wealthdesk.core.scoping import scope_for

from .choices import ALLOWED_PARENTS, UnitKind


class OrgUnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The system administrator sees the whole tree; everyone else their unit's subtree and its ancestors."""
        scope = scope_for(user)
        if scope.has(Role.SYSTEM_ADMIN):
            return self.all()
        if not scope.unit_path:
            return self.none()
        if scope.roles <= {Role.FINANCIAL_ADVISOR}:
            return self.filter(pk=scope.unit_id)  # R4: an external advisor sees their own unit, not the tree
        ancestors = [p for p in _ancestor_paths(scope.unit_path)]
        return self.filter(models.Q(path__startswith=scope.unit_path) | models.Q(path__in=ancestors))

    def subtree(self, unit):
        return self.filter(path__startswith=unit.path)

    def centers(self):
        return self.filter(kind=UnitKind.CENTER)


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]


class OrgUnit(TimeStampedModel):
    """One unit of the bank: head office, branch, sub-branch, wealth center or outlet (R1).

    ``path`` is the chain of ids from the root, e.g. ``000001/000003/000010/``; ``depth`` is 0 at head office.
    """

    kind = models.CharField(_("机构类型"), max_length=16, choices=UnitKind.choices)
    code = models.CharField(_("机构代码"), max_length=20, unique=True)
    name = models.CharField(_("机构名称"), max_length=80)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("路径"), max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(_("层级"), editable=False, default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        allowed = ALLOWED_PARENTS.get(self.kind, set())
        if self.parent is None and allowed:
            raise ValidationError({"parent": _("该类型机构必须有上级机构。")})
        if self.parent is not None and self.parent.kind not in allowed:
            raise ValidationError({"parent": _("上级机构类型不符合总行—分行—支行—理财中心的层级。")})
        if self.parent is not None and self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": _("不能把机构移到它自己的下级之下。")})

    @transaction.atomic
    def save(self, *args, **kwargs):
        old_path = self.path
        super().save(*args, **kwargs)
        new_path = (self.parent.path if self.parent_id else "") + f"{self.pk:06d}/"
        if new_path != old_path:
            depth = new_path.count("/") - 1
            OrgUnit.objects.filter(pk=self.pk).update(path=new_path, depth=depth)
            if old_path:  # moved: rewrite the whole subtree's prefix in one statement
                shift = new_path.count("/") - old_path.count("/")
                OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(new_path), Substr("path", len(old_path) + 1)), depth=F("depth") + shift
                )
            self.path, self.depth = new_path, depth

    def ancestors(self):
        return OrgUnit.objects.filter(path__in=_ancestor_paths(self.path)).order_by("depth")

    @property
    def reach_label(self) -> str:
        return self.get_kind_display()


__all__ = ["OrgUnit", "Reach"]
