"""Positions (岗位) from SPEC's role table, and how far each one reaches into customer data.

The role decides *what* a person may do; the org unit decides *where* (DESIGN rule 1).
"""
from enum import IntEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CENTER_HEAD = "center_head", _("理财中心负责人")
    TEAM_LEAD = "team_lead", _("客户经理组长")
    CLIENT_MANAGER = "client_manager", _("客户经理")
    BUSINESS_SUPERVISOR = "business_supervisor", _("业务主管")
    LOBBY_MANAGER = "lobby_manager", _("大堂经理")
    CASH_TELLER = "cash_teller", _("现金柜柜员")
    NONCASH_TELLER = "noncash_teller", _("非现金柜柜员")
    ARCHIVE_KEEPER = "archive_keeper", _("档案保管员")
    SUBBRANCH_SERVICE = "subbranch_service", _("支行个人优质客户服务组")
    BRANCH_SERVICE = "branch_service", _("分行个金部客户服务科")
    HQ_SERVICE = "hq_service", _("总行个金部客户服务处")
    QUALITY_MANAGER = "quality_manager", _("品质管理经理")
    FINANCIAL_ADVISOR = "financial_advisor", _("理财顾问（外部）")
    FINANCIAL_EXPERT = "financial_expert", _("理财专家")
    AUDITOR = "auditor", _("审计员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_OFFICER = "security_officer", _("安全管理员")  # issue 15: reads access alerts; no customer data


class Reach(IntEnum):
    """How much customer data a position opens, from nothing to the whole org subtree."""

    NONE = 0  # tellers, lobby managers, external advisors, the system administrator, the auditor, the quality manager
    OWN = 1  # a client manager: own customers (R3)
    TEAM = 2  # a team lead: the team's customers
    SUBTREE = 3  # center head, archive keeper, upper-level staff: their unit's subtree


# Reach into customer data at large. Least privilege: the auditor reads the audit log (not customer data), the
# branch quality manager the complaints routed to the branch and the masked customers in them (not the branch's
# customer list) — they get their reach only on those models (``ScopedQuerySet.scope_role_reach``):
# ``AUDIT_REACH`` and ``COMPLAINT_REACH`` below. The archive keeper keeps the master records (R29) but not
# balances, AUM or holdings (``sees_balances``).
ROLE_REACH: dict[str, Reach] = {
    Role.CLIENT_MANAGER: Reach.OWN,
    Role.TEAM_LEAD: Reach.TEAM,
    Role.CENTER_HEAD: Reach.SUBTREE,
    Role.ARCHIVE_KEEPER: Reach.SUBTREE,
    Role.BUSINESS_SUPERVISOR: Reach.SUBTREE,
    Role.SUBBRANCH_SERVICE: Reach.SUBTREE,
    Role.BRANCH_SERVICE: Reach.SUBTREE,
    Role.HQ_SERVICE: Reach.SUBTREE,
}
AUDIT_REACH: dict[str, Reach] = {Role.AUDITOR: Reach.SUBTREE}
COMPLAINT_REACH: dict[str, Reach] = {Role.QUALITY_MANAGER: Reach.SUBTREE}
# Positions that see customer master records but never money figures (AUM, balances, holdings, transactions).
NO_BALANCES = frozenset({Role.ARCHIVE_KEEPER})

# Groups used by views and API permissions.
FRONT_DESK = frozenset({Role.CASH_TELLER, Role.NONCASH_TELLER, Role.LOBBY_MANAGER})
CENTER_MANAGEMENT = frozenset({Role.CENTER_HEAD, Role.TEAM_LEAD})
UPPER_LEVEL = frozenset({Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE, Role.QUALITY_MANAGER})
REVEAL_ROLES = frozenset({Role.CLIENT_MANAGER, Role.CENTER_HEAD})  # R28: few roles may unmask, always audited
# Positions that may reach customer records but read customers' names masked (core.masking.sees_full_names).
NAME_MASKED_ROLES = frozenset({Role.AUDITOR, Role.QUALITY_MANAGER})
AUDIT_BROWSERS = frozenset({Role.AUDITOR, Role.CENTER_HEAD})
# The security officer (issue 15) has reach NONE on customers (not in ROLE_REACH): only the security alerts of
# their subtree (``security.models.SecurityAlertQuerySet``).
SECURITY_REACH: dict[str, Reach] = {Role.SECURITY_OFFICER: Reach.SUBTREE}
