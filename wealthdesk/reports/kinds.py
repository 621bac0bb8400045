"""What each kind of report is: its period, who writes and submits it, where it goes, its text sections.

Registered on core's submission chain in ``nav.py``. Rule numbers stay here (and in docs), never in the UI.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from wealthdesk.core.roles import Role
from wealthdesk.core.submission import PeriodKind

from .choices import ReportKindChoice as K


@dataclass(frozen=True)
class Spec:
    kind: str
    rule: str
    period: str
    author: str  # "staff" | "unit"
    receiver: str  # "own_unit" | "above"
    writers: frozenset[str]
    submitters: frozenset[str]
    sections: tuple[tuple[str, object], ...]  # (key, label); the first is required to submit
    shareable: bool = False
    due_days: int = 5
    has_topic: bool = False


# The operating report (R35, monthly or quarterly): the head's narrative; the first section is required to submit.
OPERATING_SECTIONS = (("summary", _("运营概况")), ("issues", _("存在问题")), ("plans", _("下步措施")))

SPECS: dict[str, Spec] = {
    K.MONTHLY: Spec(K.MONTHLY, "R18", PeriodKind.MONTH, "staff", "own_unit", frozenset({Role.CLIENT_MANAGER}),
                    frozenset({Role.CLIENT_MANAGER}),
                    (("customers", _("客户情况")), ("market", _("市场情况")), ("plans", _("下月工作计划"))), due_days=3),
    K.SEMIANNUAL: Spec(K.SEMIANNUAL, "R19", PeriodKind.HALF, "staff", "above", frozenset({Role.CLIENT_MANAGER}),
                       frozenset({Role.CENTER_HEAD}),
                       (("analysis", _("分析内容")), ("background", _("背景与数据")), ("conclusions", _("结论与建议"))),
                       shareable=True, due_days=15, has_topic=True),
    K.NEEDS_QUARTERLY: Spec(K.NEEDS_QUARTERLY, "R24", PeriodKind.QUARTER, "unit", "above",
                            frozenset({Role.CENTER_HEAD}), frozenset({Role.CENTER_HEAD}),
                            (("analysis", _("需求分析")), ("marketing_advice", _("营销建议")),
                             ("product_advice", _("产品配置建议"))), due_days=10),
    K.COMPLAINTS_MONTHLY: Spec(K.COMPLAINTS_MONTHLY, "R31", PeriodKind.MONTH, "unit", "above",
                               frozenset({Role.LOBBY_MANAGER, Role.CENTER_HEAD}), frozenset({Role.CENTER_HEAD}),
                               (("causes", _("原因分析")), ("measures", _("改进措施")), ("lobby_note", _("大堂经理说明"))),
                               due_days=5),
    K.OPERATING: Spec(K.OPERATING, "R35", PeriodKind.MONTH, "unit", "above", frozenset({Role.CENTER_HEAD}),
                      frozenset({Role.CENTER_HEAD}),
                      OPERATING_SECTIONS, due_days=5),
    K.OPERATING_QUARTERLY: Spec(K.OPERATING_QUARTERLY, "R35", PeriodKind.QUARTER, "unit", "above",
                                frozenset({Role.CENTER_HEAD}), frozenset({Role.CENTER_HEAD}), OPERATING_SECTIONS,
                                due_days=10),
}
OPERATING_KINDS = (K.OPERATING, K.OPERATING_QUARTERLY)

ALL_WRITERS = frozenset(r for s in SPECS.values() for r in s.writers | s.submitters)
