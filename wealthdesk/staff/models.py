"""Staff: users with a unit and one or more positions, client-manager teams, confidentiality agreements (R28)."""
from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.fields import EncryptedCharField
from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.roles import Reach, Role
from wealthdesk.core.scoping import scope_for


class StaffQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The system administrator sees everyone; SUBTREE reach sees their subtree; others their own unit."""
        scope = scope_for(user)
        if scope.has(Role.SYSTEM_ADMIN):
            return self.all()
        if scope.roles and scope.roles <= {Role.FINANCIAL_ADVISOR}:
            return self.filter(pk=scope.user_id)  # R4: an external advisor gets no staff list, only themselves
        if not scope.unit_path:
            return self.filter(pk=scope.user_id)
        if scope.reach >= Reach.SUBTREE:
            return self.filter(unit__path__startswith=scope.unit_path)
        return self.filter(unit_id=scope.unit_id)

    def with_role(self, *roles):
        return self.filter(role_assignments__role__in=roles).distinct()


class StaffManager(UserManager.from_queryset(StaffQuerySet)):
    pass


class User(AbstractUser):
    """A member of staff. ``unit`` says where they work; their positions (``StaffRole``) say what they do."""

    full_name = models.CharField(_("姓名"), max_length=40, blank=True)
    employee_no = models.CharField(_("工号"), max_length=20, blank=True)
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("所属机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    team = models.ForeignKey(
        "staff.Team", verbose_name=_("所属团队"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    mobile = EncryptedCharField(_("手机号"), max_length=11, blank=True)  # encrypted at rest (issue 15)

    objects = StaffManager()

    class Meta:
        verbose_name = _("员工")
        verbose_name_plural = _("员工")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(self.role_assignments.values_list("role", flat=True))

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in sorted(self.role_codes) if r in Role.values]

    def has_accepted_agreement(self) -> bool:
        """R28: staff who have not accepted the current confidentiality agreement see no customer data."""
        cached = getattr(self, "_wd_agreement_ok", None)
        if cached is None:
            # the current agreement and whether this user accepted it, in one query (every page asks; issue 16)
            accepted = (Agreement.current_queryset()
                        .annotate(ok=Exists(AgreementAcceptance.objects.filter(user=self, agreement=OuterRef("pk"))))
                        .values_list("ok", flat=True).first())
            cached = accepted is None or bool(accepted)
            self._wd_agreement_ok = cached
        return cached


class StaffRole(models.Model):
    """One position (岗位) held by one user; a user may hold several (e.g. team lead and client manager)."""

    user = models.ForeignKey(User, verbose_name=_("员工"), on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("岗位"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="staffrole_user_role_uniq")]
        indexes = [models.Index(fields=["role", "user"], name="staffrole_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Team(TimeStampedModel):
    """A client-manager team in a wealth center, led by a team lead (R13, R14)."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("团队名称"), max_length=60)
    lead = models.ForeignKey(
        User, verbose_name=_("组长"), null=True, blank=True, on_delete=models.SET_NULL, related_name="led_teams"
    )

    class Meta:
        verbose_name = _("客户经理团队")
        verbose_name_plural = _("客户经理团队")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="team_unit_name_uniq")]

    def __str__(self) -> str:
        return self.name


class Agreement(TimeStampedModel):
    """A version of the confidentiality agreement (保密协议, R28); the newest effective one is current."""

    version = models.CharField(_("版本"), max_length=20, unique=True)
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("正文"))
    effective_from = models.DateField(_("生效日期"))

    class Meta:
        verbose_name = _("保密协议")
        verbose_name_plural = _("保密协议")
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"

    @classmethod
    def current_queryset(cls):
        """The agreements in force, the current one first."""
        from django.utils import timezone

        return cls.objects.filter(effective_from__lte=timezone.localdate()).order_by("-effective_from", "-id")

    @classmethod
    def current(cls):
        return cls.current_queryset().first()


class AgreementAcceptance(models.Model):
    """A staff member's acceptance of one agreement version, with the time (R28)."""

    user = models.ForeignKey(User, verbose_name=_("员工"), on_delete=models.CASCADE, related_name="acceptances")
    agreement = models.ForeignKey(Agreement, verbose_name=_("协议"), on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(_("签署时间"), auto_now_add=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("协议签署记录")
        verbose_name_plural = _("协议签署记录")
        constraints = [models.UniqueConstraint(fields=["user", "agreement"], name="acceptance_user_agreement_uniq")]

    def __str__(self) -> str:
        return f"{self.user} {self.agreement.version}"


def client_managers_of(unit_id: int):
    """Active client managers of one center (for assignment rules and form choices)."""
    return User.objects.filter(unit_id=unit_id, is_active=True, role_assignments__role=Role.CLIENT_MANAGER)


__all__ = ["User", "StaffRole", "Team", "Agreement", "AgreementAcceptance", "Q"]
