"""Registrations of the reports app: its kinds of report on core's submission chain, navigation, panels."""
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.memo import ids_key, memo
from wealthdesk.core.registry import register_nav, register_panel
from wealthdesk.core.roles import Role
from wealthdesk.core.submission import LIBRARY_ROLES, register_report_kind

from . import panels
from .kinds import ALL_WRITERS, SPECS
from .services import validate_submit


@dataclass(frozen=True)
class Author:
    """Who owes a report: what the due board and the compliance counts need of a user (``pk``, the name), read
    as plain rows — head office owes thousands, and a model instance each cost a second (issue 16)."""
    pk: int
    unit_id: int
    name: str

    def __str__(self) -> str:
        return self.name


def _expected_authors_qs(units):
    """Who owes a client manager's report (R18, R19): the active client managers of ``units`` (OrgUnit ids or a
    queryset of them), one row per position, with the columns ``author_id`` and ``author_unit_id`` that the
    upper levels' board counts in SQL (``core.submission.board_grouped``)."""
    from django.db.models import F

    from wealthdesk.staff.models import StaffRole

    return (StaffRole.objects.filter(user__unit__in=units, user__is_active=True, role=Role.CLIENT_MANAGER)
            .annotate(author_id=F("user_id"), author_unit_id=F("user__unit_id")))


def _expected_authors(units):
    """Client managers owe one report each (R18, R19): listed once per request for the same units (the monthly
    and the semiannual report ask alike, ``core.memo``)."""
    units = list(units)

    def load() -> dict[int, list]:
        out: dict[int, list] = {}
        rows = (_expected_authors_qs([u.pk for u in units])
                .values_list("user_id", "user__unit_id", "user__full_name", "user__username")
                .distinct().order_by("user__username", "user_id"))
        for pk, unit_id, full_name, username in rows:
            out.setdefault(unit_id, []).append(Author(pk, unit_id, full_name or username))
        return out

    return memo(("report_expected_authors", ids_key(u.pk for u in units)), load)


def _detail_url(report):
    return reverse("reports:detail", args=[report.pk])


for spec in SPECS.values():
    register_report_kind(spec.kind, spec.kind.label, "reports.Report", period=spec.period, author=spec.author,
                         receiver=spec.receiver, editor_roles=spec.writers, submitter_roles=spec.submitters,
                         shareable=spec.shareable, due_days=spec.due_days, rule=spec.rule,
                         expected_authors=_expected_authors, expected_authors_qs=_expected_authors_qs,
                         detail_url=_detail_url, validate_submit=validate_submit,
                         kind_filter={"kind": spec.kind})

READERS = ALL_WRITERS | LIBRARY_ROLES
register_nav("reports", _("报告报送"), "reports:list", roles=sorted(READERS), order=62, icon="send")
register_nav("reports.library", _("共享报告库"), "reports:library", roles=sorted(LIBRARY_ROLES), order=63,
             icon="collection")
register_panel("reports.mine", _("我的报告"), "reports/panels/mine.html", panels.mine_panel, page="workbench",
               roles=[Role.CLIENT_MANAGER], order=70)
register_panel("reports.incoming", _("待接收的报告"), "reports/panels/incoming.html", panels.incoming_panel,
               page="head", roles=[Role.CENTER_HEAD], order=70)
register_panel("reports.incoming_home", _("待接收的报告"), "reports/panels/incoming.html", panels.incoming_panel,
               page="home", roles=[Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE], order=70)
